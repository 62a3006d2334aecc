// `npm run build:site`: the demo as a self-contained static folder (site/ by default): the page,
// its scripts and styles, and the package's web build with its .wasm. Any static host serves it;
// `npm start` serves exactly this folder.
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Writes the site into `out`; returns its path. The package must be built (pkg/web/). */
export function buildSite(out = join(root, 'site')) {
  const target = resolve(out);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(join(target, 'pkg', 'web'), { recursive: true });
  cpSync(join(root, 'www'), target, { recursive: true });
  const web = join(root, 'pkg', 'web');
  for (const file of readdirSync(web)) {
    if (/\.(js|wasm)$/.test(file)) cpSync(join(web, file), join(target, 'pkg', 'web', file));
  }
  return target;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = buildSite(process.argv[2]);
  console.log(`site: ${out}`);
}
