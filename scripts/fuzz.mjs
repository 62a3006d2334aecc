// Runs the cargo-fuzz targets (nightly Rust). Corpora are seeded at run time from the docs'
// fixtures into fuzz/corpus/ (ignored by git; the fixtures are never copied into the repo).
//   node scripts/fuzz.mjs --smoke          a short pass of every target (part of npm test when
//                                          nightly and cargo-fuzz are installed)
//   node scripts/fuzz.mjs --seconds 600    a real run of every target, 600 s each
//   node scripts/fuzz.mjs --seconds 600 simulator    one target
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixturesPath } from './contract.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fuzz = join(root, 'fuzz');
const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const seconds = Number(args[args.indexOf('--seconds') + 1] ?? 60);
const TARGETS = {
  validate_notifications: (name) => name.endsWith('.json') || name.endsWith('.txt'),
  validate_operation_response: (name) => name.includes('.response.'),
  validate_request: (name) => name.includes('.request.'),
  simulator: () => false,
  graph_http: (name) => name.endsWith('.http'),
  scenario: () => false,
  tracker: (name) => name.includes('.notification.') && name.endsWith('.json'),
  verify_token: (name) => name.endsWith('.envelope.http'),
};
const chosen = args.filter((a) => a in TARGETS);
const targets = chosen.length ? chosen : Object.keys(TARGETS);

const works = (cmd, cmdArgs) => spawnSync(cmd, cmdArgs, { stdio: 'ignore' }).status === 0;
if (!works('cargo', ['+nightly', 'fuzz', '--version'])) {
  const message = 'fuzz: nightly Rust with cargo-fuzz is not installed; skipping';
  if (smoke) {
    console.log(message);
    process.exit(0);
  }
  console.error(message);
  process.exit(1);
}

const fixtures = fixturesPath();
for (const target of targets) {
  const corpus = join(fuzz, 'corpus', target);
  mkdirSync(corpus, { recursive: true });
  if (existsSync(fixtures)) {
    for (const name of readdirSync(fixtures).filter(TARGETS[target])) copyFileSync(join(fixtures, name), join(corpus, `fixture-${name}`));
  }
  // Scenarios start from the example bot's (the docs have none).
  if (target === 'scenario') {
    const examples = join(root, 'examples', 'voicemail-bot', 'scenarios');
    for (const name of readdirSync(examples)) copyFileSync(join(examples, name), join(corpus, `example-${name}`));
  }
  const regressions = join(fuzz, 'regressions', target);
  const libfuzzer = smoke ? ['-runs=3000', '-max_total_time=20'] : [`-max_total_time=${seconds}`, '-print_final_stats=1'];
  const dirs = existsSync(regressions) ? [corpus, regressions] : [corpus];
  console.log(`fuzz: ${target} (${smoke ? 'smoke' : `${seconds} s`})`);
  const r = spawnSync('cargo', ['+nightly', 'fuzz', 'run', target, ...dirs, '--', '-max_len=65536', ...libfuzzer], { cwd: fuzz, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`fuzz: ${target} failed; the input is in fuzz/artifacts/${target}/ — keep it in fuzz/regressions/${target}/ once fixed`);
    process.exit(1);
  }
}
