// The static site (`npm run build:site`) and the demo server that serves it (`npm start`): a
// self-contained folder, the right types and headers, and nothing outside the folder.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '../../scripts/serve.mjs';
import { buildSite } from '../../scripts/site.mjs';

const site = buildSite(join(mkdtempSync(join(tmpdir(), 'graph-ivr-site-')), 'site'));
test.after(() => rmSync(join(site, '..'), { recursive: true, force: true }));

test('build:site writes a self-contained folder: every file the pages load is inside it', () => {
  const files = readdirSync(site, { recursive: true }).map(String);
  for (const f of ['index.html', 'app.js', 'style.css', 'pkg/web/index.js', 'pkg/web/graph_ivr.js', 'pkg/web/graph_ivr_bg.wasm']) assert.ok(files.includes(f), f);
  for (const page of files.filter((f) => f.endsWith('.html'))) {
    const html = readFileSync(join(site, page), 'utf8');
    for (const [, ref] of html.matchAll(/(?:src|href)="([^"#]+)"/g)) {
      if (/^https?:/.test(ref)) assert.fail(`${page} loads ${ref} from elsewhere`);
      assert.ok(files.includes(ref.replace(/^\.\//, '')), `${page} → ${ref}`);
    }
  }
  for (const script of files.filter((f) => f.endsWith('.js') && !f.startsWith('pkg'))) {
    for (const [, ref] of readFileSync(join(site, script), 'utf8').matchAll(/from '(\.[^']+)'/g)) {
      assert.ok(files.includes(join(script, '..', ref).replace(/^\.\//, '')), `${script} imports ${ref}`);
    }
  }
});

/** A raw GET (no client-side path normalization). */
const get = (port, path) => new Promise((resolve, reject) => {
  request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
    res.resume();
    res.on('end', () => resolve(res));
  }).on('error', reject).end();
});

test('serves the page and the web build with a strict CSP, and refuses everything else', async () => {
  const server = await serve(0, site);
  const { port } = server.address();
  try {
    const page = await get(port, '/');
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(page.headers['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'/);
    assert.equal((await get(port, '/pkg/web/graph_ivr_bg.wasm')).headers['content-type'], 'application/wasm');
    assert.equal((await get(port, '/app.js')).headers['content-type'], 'text/javascript; charset=utf-8');
    for (const path of ['/../Cargo.toml', '/pkg/web/../../Cargo.toml', '/%2e%2e/Cargo.toml', '/pkg/web/%2e%2e/%2e%2e/README.md', '/%E0%A4%A', '/nope.js', '/pkg/node/graph_ivr.js']) {
      assert.equal((await get(port, path)).statusCode, 404, path);
    }
  } finally {
    server.close();
  }
});
