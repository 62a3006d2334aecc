// Installs what a fresh machine lacks, and nothing it already has: the npm dev dependencies,
// the wasm32 Rust target, and wasm-bindgen-cli at exactly the version Cargo.lock pins.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args, opts = {}) => {
  console.error(`setup: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  return r.status === 0;
};
const output = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
};
const fail = (message) => {
  console.error(`setup: ${message}`);
  process.exit(1);
};

const devDependencies = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies);
if (!devDependencies.every((name) => existsSync(join(root, 'node_modules', name, 'package.json')))) {
  if (!run('npm', ['ci', '--no-audit', '--no-fund'])) fail('npm ci failed');
}

if (!output('rustup', ['target', 'list', '--installed']).split('\n').includes('wasm32-unknown-unknown')) {
  if (!run('rustup', ['target', 'add', 'wasm32-unknown-unknown'])) fail('could not add the wasm32-unknown-unknown target');
}

const lock = readFileSync(join(root, 'Cargo.lock'), 'utf8');
const pinned = /\[\[package\]\]\nname = "wasm-bindgen"\nversion = "([^"]+)"/.exec(lock)?.[1];
if (!pinned) fail('Cargo.lock does not pin wasm-bindgen');
const installed = output('wasm-bindgen', ['--version']).trim().split(' ')[1];
if (installed !== pinned) {
  const args = ['install', 'wasm-bindgen-cli', '--version', `=${pinned}`];
  // --locked first; some locked dependency versions are missing from the registry index here.
  if (!run('cargo', [...args, '--locked']) && !run('cargo', args)) fail(`could not install wasm-bindgen-cli ${pinned}`);
}

// cargo-fuzz, for the fuzz smoke pass of `npm test`, where nightly Rust is installed.
if (output('cargo', ['+nightly', '--version']) && !output('cargo', ['+nightly', 'fuzz', '--version'])) {
  if (!run('cargo', ['install', 'cargo-fuzz', '--locked']) && !run('cargo', ['install', 'cargo-fuzz'])) {
    console.error('setup: could not install cargo-fuzz; the fuzz smoke pass will be skipped');
  }
}
