// `node bench/compare.mjs BASELINE_PKG [CANDIDATE_PKG]`: two builds of graph-ivr side by side in
// one process, on the user-visible operations (validation, builders, the simulator, tracking,
// import), so that a change that simplifies the house says what it costs. Each figure is the
// median of three interleaved rounds; the ratio is candidate / baseline time (< 1 is faster).
//   npm run build && node bench/compare.mjs /path/to/other/checkout/pkg
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Bench } from 'tinybench';
import { corpus } from './corpus.mjs';
import { traffic } from './workload.mjs';
import { fixturesPath } from '../scripts/contract.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [baselineDir, candidateDir = join(root, 'pkg')] = process.argv.slice(2).map((dir) => resolve(dir));
if (!baselineDir) {
  console.error('usage: node bench/compare.mjs BASELINE_PKG [CANDIDATE_PKG]');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const sides = { baseline: require(join(baselineDir, 'node', 'index.cjs')), candidate: require(join(candidateDir, 'node', 'index.cjs')) };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const { all, valid, invalid } = corpus(fixturesPath());
const bytes = all.map((text) => Buffer.from(text));
const callId = '57dab8b1-894c-409a-b240-bd8beae78896';
const requests = (ivr) => [
  ivr.buildSubscribeToTone({ callId }),
  ivr.buildPlayPrompt({ callId, prompts: ['https://cdn.contoso.com/a.wav'], clientContext: 'p' }),
  ivr.buildRecordResponse({ callId, stopTones: ['#'], maxRecordDurationInSeconds: 10 }),
];
const deliveries = (() => {
  const collected = [];
  const call = new sides.baseline.CallSimulator({ seed: 1, callId });
  for (const request of requests(sides.baseline)) call.handle(request);
  collected.push(...call.advance(3000), ...call.pressTone('#'), ...call.hangUp());
  call.free();
  return collected.map((d) => d.body);
})();

/** Each side's requests, built once: the operations below time what they name, not builders. */
const built = new Map(Object.values(sides).map((ivr) => [ivr, requests(ivr)]));

/** Operations a user calls, each a function of the package. */
const OPERATIONS = {
  'validateNotifications(string), value read': (ivr) => {
    for (const text of all) ivr.validateNotifications(text).value;
  },
  'validateNotifications(string), valid only': (ivr) => {
    for (const text of valid) ivr.validateNotifications(text).valid;
  },
  'validateNotifications(string), invalid, issues read': (ivr) => {
    for (const text of invalid) ivr.validateNotifications(text).issues;
  },
  'validateNotifications(Buffer), value read': (ivr) => {
    for (const b of bytes) ivr.validateNotifications(b).value;
  },
  'validateNotifications(object), value read': (ivr) => {
    for (const text of valid.slice(0, 50)) ivr.validateNotifications(JSON.parse(text)).value;
  },
  'validateOperationResponse': (ivr) =>
    ivr.validateOperationResponse({
      status: 200,
      headers: { 'Content-Type': 'application/json' },
      body: '{"@odata.type":"#microsoft.graph.playPromptOperation","id":"0fe0623f-d628-42ed-b4bd-8ac290072cc5","status":"running","clientContext":"p"}',
    }).value,
  'validateRequest': (ivr) => ivr.validateRequest(built.get(ivr)[2]).value,
  'buildPlayPrompt': (ivr) => ivr.buildPlayPrompt({ callId, prompts: ['https://cdn.contoso.com/a.wav'], clientContext: 'c' }),
  'buildRecordResponse': (ivr) =>
    ivr.buildRecordResponse({ callId, prompts: [{ uri: 'https://cdn.contoso.com/q.wav' }], stopTones: ['#', '*'], maxRecordDurationInSeconds: 30, playBeep: true }),
  'simulated calls (10)': (ivr) => traffic(ivr, 10),
  'tracker: sent + received': (ivr) => {
    const tracker = new ivr.OperationTracker();
    for (const request of built.get(ivr)) tracker.sent(request);
    for (const body of deliveries) tracker.received(body);
    tracker.free();
  },
};

const results = [];
for (const [name, operation] of Object.entries(OPERATIONS)) {
  const rounds = { baseline: [], candidate: [] };
  for (let round = 0; round < 3; round++) {
    const bench = new Bench({ time: 400, warmupTime: 100 });
    // Interleaved: both sides in every round, in alternating order.
    const order = round % 2 ? ['candidate', 'baseline'] : ['baseline', 'candidate'];
    for (const side of order) bench.add(side, () => operation(sides[side]));
    await bench.run();
    for (const task of bench.tasks) rounds[task.name].push(task.result.latency.p50);
  }
  const [baseline, candidate] = [median(rounds.baseline), median(rounds.candidate)];
  results.push({ name, baselineMicros: baseline * 1000, candidateMicros: candidate * 1000, ratio: candidate / baseline });
}

/** Import + instantiate in fresh processes, the two builds' launches interleaved (a slow spell
 *  of the machine then lands on both), the median of 31 each. */
function importMs(dirs) {
  const code = (dir) =>
    `const t = process.hrtime.bigint(); require(${JSON.stringify(join(dir, 'node', 'index.cjs'))}); console.log(Number(process.hrtime.bigint() - t) / 1e6);`;
  const runs = dirs.map(() => []);
  for (let i = 0; i < 31; i++) {
    dirs.forEach((dir, k) => runs[k].push(Number(spawnSync(process.execPath, ['-e', code(dir)], { encoding: 'utf8' }).stdout)));
  }
  return runs.map(median);
}
const [baselineImport, candidateImport] = importMs([baselineDir, candidateDir]);
const imports = { baseline: baselineImport, candidate: candidateImport };
results.push({ name: 'import + instantiate (ms, not µs)', baselineMicros: imports.baseline, candidateMicros: imports.candidate, ratio: imports.candidate / imports.baseline });
const gz = (dir) => gzipSync(readFileSync(join(dir, 'node', 'graph_ivr_bg.wasm')), { level: 9 }).length;
const sizes = { baseline: gz(baselineDir), candidate: gz(candidateDir) };
results.push({ name: '.wasm gzipped (bytes, not µs)', baselineMicros: sizes.baseline, candidateMicros: sizes.candidate, ratio: sizes.candidate / sizes.baseline });

const cell = (x) => (x >= 100 ? x.toFixed(0) : x.toPrecision(3));
console.log('| operation | baseline µs | candidate µs | candidate / baseline |');
console.log('|---|---|---|---|');
for (const r of results) console.log(`| ${r.name} | ${cell(r.baselineMicros)} | ${cell(r.candidateMicros)} | ${r.ratio.toFixed(3)} |`);
