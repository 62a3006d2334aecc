// Serves the demo's static site (scripts/site.mjs, site/ by default: what `npm run build:site`
// writes) on 127.0.0.1. Usage: `node scripts/serve.mjs` (PORT=8080 to choose the port; 0, the
// default, picks a free one).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSite } from './site.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.json': 'application/json' };
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Maps a URL path to a file under `dir`, or null (no traversal out of it). */
function fileFor(dir, urlPath) {
  const path = decodeURIComponent(urlPath.split('?')[0]);
  const rest = path.endsWith('/') ? `${path.slice(1)}index.html` : path.slice(1);
  const file = normalize(join(dir, rest));
  return file.startsWith(dir + sep) ? file : null;
}

export function serve(port = 0, dir = join(root, 'site')) {
  const server = createServer(async (req, res) => {
    let file = null;
    try {
      file = fileFor(dir, req.url ?? '/');
    } catch {
      // malformed escape
    }
    const body = file && req.method === 'GET' ? await readFile(file).catch(() => null) : null;
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    if (!body) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await serve(Number(process.env.PORT ?? 0), buildSite());
  console.log(`graph-ivr demo: http://127.0.0.1:${server.address().port}/  (Ctrl+C to stop)`);
}
