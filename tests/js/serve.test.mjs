// The demo server: the right types and headers, and nothing outside www/ and pkg/web/.
import test from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { serve } from '../../scripts/serve.mjs';

/** A raw GET (no client-side path normalization). */
const get = (port, path) => new Promise((resolve, reject) => {
  request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
    res.resume();
    res.on('end', () => resolve(res));
  }).on('error', reject).end();
});

test('serves the page and the web build with a strict CSP, and refuses everything else', async () => {
  const server = await serve(0);
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
