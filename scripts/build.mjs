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
  // Each build says what module system it is, whatever package.json sits above it.
  writeFileSync(join(out, 'package.json'), JSON.stringify({ type: type }) + '\n');
}
copyFileSync(join(root, 'README.md'), join(pkg, 'README.md'));
copyFileSync(join(root, 'LICENSE'), join(pkg, 'LICENSE'));
console.error('build: pkg/ is ready');
