// Builds pkg/: one .wasm compiled once, bound twice (Node CommonJS and browser ES module),
// each shrunk with wasm-opt from the npm `binaryen` package (never Debian's, which breaks it).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = join(root, 'pkg');
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`build: ${cmd} ${args.join(' ')} failed`);
    process.exit(1);
  }
};

run('cargo', ['build', '--release', '--locked', '--target', 'wasm32-unknown-unknown', '--lib']);
const wasm = join(root, 'target', 'wasm32-unknown-unknown', 'release', 'graph_ivr.wasm');
const wasmOpt = join(root, 'node_modules', '.bin', 'wasm-opt');

// wasm-bindgen's own refusals (a freed object used again, a method re-entered from a getter)
// throw a bare Error. Give them the same shape as ours: name GraphIvrError, code invalidState.
// The pattern is the glue of the pinned wasm-bindgen version; if it changes, the build fails.
function giveBindgenErrorsACode(glue) {
  const site = 'throw new Error(getStringFromWasm0(arg0, arg1));';
  const text = readFileSync(glue, 'utf8');
  if (text.split(site).length !== 2) {
    console.error(`build: the wasm-bindgen throw site was not found exactly once in ${glue}`);
    process.exit(1);
  }
  const replacement = [
    'const message = getStringFromWasm0(arg0, arg1);',
    "const states = { 'null pointer passed to rust': 'this CallSimulator was freed; create a new one', 'recursive use of an object detected which would lead to unsafe aliasing in rust': 'this CallSimulator is busy: a getter of an argument called back into it' };",
    'const error = new Error(states[message] ?? message);',
    "if (message in states) { error.name = 'GraphIvrError'; error.code = 'invalidState'; }",
    'throw error;',
  ].join(' ');
  writeFileSync(glue, text.replace(site, replacement));
}

for (const [target, dir, type] of [['nodejs', 'node', 'commonjs'], ['web', 'web', 'module']]) {
  const out = join(pkg, dir);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  run('wasm-bindgen', ['--target', target, '--out-dir', out, '--out-name', 'graph_ivr', wasm]);
  const bg = join(out, 'graph_ivr_bg.wasm');
  run(wasmOpt, ['-Oz', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals', bg, '-o', bg]);
  // `[Symbol.dispose]` needs TypeScript's esnext.disposable lib; without this line the types
  // check under any lib setting (the method itself is still there at run time).
  const dts = join(out, 'graph_ivr.d.ts');
  writeFileSync(dts, readFileSync(dts, 'utf8').replace(/^\s*\[Symbol\.dispose\]\(\): void;\n/m, ''));
  giveBindgenErrorsACode(join(out, 'graph_ivr.js'));
  // Each build says what module system it is, whatever package.json sits above it.
  writeFileSync(join(out, 'package.json'), JSON.stringify({ type: type }) + '\n');
}
copyFileSync(join(root, 'README.md'), join(pkg, 'README.md'));
copyFileSync(join(root, 'LICENSE'), join(pkg, 'LICENSE'));
console.error('build: pkg/ is ready');
