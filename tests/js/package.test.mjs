// The package as a user gets it: `npm pack`, installed into a fresh folder, used with require,
// with import, through the web build, and type-checked by tsc.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './helpers.mjs';

const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const node = (file, cwd) => execFileSync(process.execPath, [file], { cwd, encoding: 'utf8' });

const work = mkdtempSync(join(tmpdir(), 'graph-ivr-consumer-'));
test.after(() => rmSync(work, { recursive: true, force: true }));

let installed;
test('npm pack makes a tarball with zero runtime dependencies that installs into an empty folder', () => {
  const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', work], join(root, 'pkg')));
  const files = packed[0].files.map((f) => f.path).sort();
  for (const f of ['package.json', 'README.md', 'LICENSE', 'bin/graph-ivr-emulator.cjs', 'dashboard/dashboard.html', 'dashboard/dashboard.js', 'dashboard/timeline.js', 'node/node-post.js', 'node/expect-request.js', 'web/expect-request.js', 'schema/commsNotifications.schema.json', 'node/index.cjs', 'node/index.d.ts', 'web/index.js', 'web/index.d.ts', 'node/graph_ivr.js', 'node/graph_ivr_bg.wasm', 'node/graph_ivr.d.ts', 'web/graph_ivr.js', 'web/graph_ivr_bg.wasm', 'web/graph_ivr.d.ts']) {
    assert.ok(files.includes(f), `tarball has ${f}`);
  }
  const manifest = JSON.parse(readFileSync(join(root, 'pkg', 'package.json'), 'utf8'));
  assert.equal(manifest.name, 'graph-ivr');
  assert.equal(manifest.dependencies, undefined, 'no runtime dependencies');
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  npm(['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, packed[0].filename)], work);
  installed = true;
});

test('npx graph-ivr-emulator starts from the installed package, prints its address and stops on SIGTERM', async () => {
  assert.ok(installed);
  const { spawn } = await import('node:child_process');
  const child = spawn(join(work, 'node_modules', '.bin', 'graph-ivr-emulator'), ['--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}`)));
  });
  assert.match(line, /^graph-ivr emulator: http:\/\/127\.0\.0\.1:\d+\/$/);
  const exit = await new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
  assert.equal(exit, 0);
});

test('the shipped .wasm names no path of the build machine (panic locations are remapped)', () => {
  for (const build of ['node', 'web']) {
    const wasm = readFileSync(join(root, 'pkg', build, 'graph_ivr_bg.wasm')).toString('latin1');
    for (const local of [homedir(), root, join(homedir(), '.cargo')]) {
      assert.equal(wasm.includes(local), false, `${build} .wasm holds ${local}`);
    }
    assert.match(wasm, /crates\/serde_json-[0-9.]+\/src\//, 'the dependencies keep their crate-relative paths');
  }
});

test('require() works with no init step', () => {
  assert.ok(installed);
  writeFileSync(join(work, 'cjs.cjs'), `
    const { buildCancelMediaProcessing, CallSimulator } = require('graph-ivr');
    const req = buildCancelMediaProcessing({ callId: 'abc' });
    const sim = new CallSimulator({ callId: 'abc' });
    console.log(req.url, sim.handle(req).status);
  `);
  assert.equal(node('cjs.cjs', work).trim(), 'https://graph.microsoft.com/v1.0/communications/calls/abc/cancelMediaProcessing 200');
});

// A bad builder option, a freed simulator and a re-entered one (a getter that frees it while
// it works): each throws the exported GraphIvrError, through require and through import.
const errorChecks = `
  const problems = [];
  const expectError = (what, code, run) => {
    try { run(); problems.push(what + ': no throw'); } catch (err) {
      if (!(err instanceof GraphIvrError) || !(err instanceof Error) || err.code !== code) problems.push(what + ': ' + err);
    }
  };
  expectError('bad option', 'invalidArgument', () => buildSubscribeToTone({ callId: '' }));
  const freed = new CallSimulator(); freed.free();
  expectError('freed', 'invalidState', () => freed.advance(1));
  const busy = new CallSimulator({ callId: 'c' });
  const request = buildSubscribeToTone({ callId: 'c' });
  Object.defineProperty(request, 'body', { enumerable: true, get() { busy.free(); return '{}'; } });
  expectError('re-entered', 'invalidState', () => busy.handle(request));
  const webhook = Buffer.from(JSON.stringify({ '@odata.type': '#microsoft.graph.commsNotifications', value: [] }));
  if (!validateNotifications(webhook).valid) problems.push('a Buffer payload is not valid');
  if (validateNotifications('{}', { version: 'v2' }).issues[0]?.path !== '/options/version') problems.push('version v2 not reported');
  console.log(problems.length ? problems.join('; ') : 'ok');
`;

test('errors are GraphIvrError instances through require and import; bytes validate', () => {
  assert.ok(installed);
  writeFileSync(join(work, 'errors.cjs'), `const { GraphIvrError, CallSimulator, buildSubscribeToTone, validateNotifications } = require('graph-ivr');\n${errorChecks}`);
  writeFileSync(join(work, 'errors.mjs'), `import { GraphIvrError, CallSimulator, buildSubscribeToTone, validateNotifications } from 'graph-ivr';\n${errorChecks}`);
  assert.equal(node('errors.cjs', work).trim(), 'ok');
  assert.equal(node('errors.mjs', work).trim(), 'ok');
});

test('the README quick start, copied into the folder, shows the seed cancel scenario', () => {
  assert.ok(installed);
  copyFileSync(join(root, 'examples', 'quickstart.mjs'), join(work, 'quickstart.mjs'));
  const printed = node('quickstart.mjs', work);
  assert.match(printed, /welcome: failed 400\/8508 \(valid: true\)\nvoicemail: failed 400\/8508 \(valid: true\)\ntone tone5/);
});

test('the web build works after init() with the wasm bytes', () => {
  assert.ok(installed);
  writeFileSync(join(work, 'web.mjs'), `
    import { readFile } from 'node:fs/promises';
    import { createRequire } from 'node:module';
    import init, { validateNotifications, buildSubscribeToTone, GraphIvrError } from 'graph-ivr/web';
    const wasm = createRequire(import.meta.url).resolve('graph-ivr/web').replace(/index\\.js$/, 'graph_ivr_bg.wasm');
    await init({ module_or_path: await readFile(wasm) });
    let named = false;
    try { buildSubscribeToTone({}); } catch (err) { named = err instanceof GraphIvrError && err.code === 'invalidArgument'; }
    console.log(validateNotifications('{"@odata.type":"#microsoft.graph.commsNotifications","value":[]}').valid, named);
  `);
  assert.equal(node('web.mjs', work).trim(), 'true true');
});

test('tsc --strict type-checks a consumer of every export', () => {
  assert.ok(installed);
  copyFileSync(join(root, 'tests', 'js', 'consumer', 'consumer.ts'), join(work, 'consumer.ts'));
  // The README's TypeScript examples, as a user would paste them.
  const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts'));
  assert.ok(examples.length > 0);
  for (const file of examples) copyFileSync(join(root, 'examples', file), join(work, file));
  writeFileSync(join(work, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', skipLibCheck: false, noImplicitAny: true, noUnusedLocals: false },
    files: ['consumer.ts', ...examples],
  }));
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', work], { cwd: work, encoding: 'utf8' });
  } catch (err) {
    assert.fail(`tsc failed:\n${err.stdout}${err.stderr}`);
  }
  const dts = readFileSync(join(root, 'pkg', 'node', 'graph_ivr.d.ts'), 'utf8');
  assert.doesNotMatch(dts.replace(/\/\*\*[\s\S]*?\*\//g, ''), /\bany\b/, 'no any in the public types');
});

test('the package README is for its users: every relative link resolves inside the tarball', () => {
  const packed = JSON.parse(npm(['pack', '--dry-run', '--json'], join(root, 'pkg')))[0];
  const files = new Set(packed.files.map((f) => f.path));
  const readme = readFileSync(join(root, 'pkg', 'README.md'), 'utf8');
  const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
  assert.ok(links.length > 0);
  for (const link of links) {
    if (/^(https?:|mailto:|#)/.test(link)) continue;
    const path = link.split('#')[0].replace(/^\.\//, '');
    assert.ok(files.has(path), `${link} is shipped`);
  }
  for (const word of ['cargo', 'npm test', 'CONTRACT.md', 'inferred.rs', 'docs/demo.png']) assert.ok(!readme.includes(word), `no ${word} in the package README`);
  const manifest = JSON.parse(readFileSync(join(root, 'pkg', 'package.json'), 'utf8'));
  for (const field of ['repository', 'homepage', 'keywords', 'engines', 'bin']) assert.ok(manifest[field], field);
});
