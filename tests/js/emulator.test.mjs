// `npx graph-ivr-emulator` as a bot in another language meets it: the command started as a
// process, a Python bot (standard library only) that checks every token and runs a whole call,
// bad requests answered as Graph answers them, real time, and a clean stop on SIGINT/SIGTERM.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import { root } from './helpers.mjs';

const BIN = join(root, 'pkg', 'bin', 'graph-ivr-emulator.cjs');

/** Starts the command; resolves `{url, child, stderr}` once it printed its address. */
function startEmulator(args = []) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /^graph-ivr emulator: (http:\/\/127\.0\.0\.1:\d+\/)\n/.exec(out);
      if (match) resolve({ url: match[1], child, stderr: () => stderr });
    });
    child.once('exit', (code) => reject(new Error(`the emulator exited (${code}): ${stderr}`)));
  });
}

const stopped = (child, signal = 'SIGTERM') =>
  new Promise((resolve) => {
    child.once('exit', (code, sig) => resolve({ code, sig }));
    child.kill(signal);
  });

/** A request through node:http (no fetch: as axios, got or .NET clients send them). */
function request(url, { method = 'GET', body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try {
          json = JSON.parse(text);
        } catch {}
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
  });
}

const python = spawnSync('python3', ['--version']).status === 0 ? 'python3' : null;

test('a Python bot runs a whole call against it, checking every token', { skip: !python && process.env.CI !== 'true' && 'python3 is not installed' }, async () => {
  assert.ok(python, 'CI has Python');
  const { url, child, stderr } = await startEmulator(['--port', '0', '--audience', 'python-bot', '--seed', '3']);
  try {
    const bot = spawn(python, [join(root, 'tests', 'python', 'bot.py'), url, 'python-bot'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    bot.stdout.on('data', (c) => (out += c));
    bot.stderr.on('data', (c) => (err += c));
    const code = await new Promise((resolve) => bot.once('exit', resolve));
    assert.equal(code, 0, `${err}\n${stderr()}`);
    const summary = JSON.parse(out);
    assert.deepEqual(summary.refused, [], 'every callback carried a valid token');
    assert.ok(summary.recordingBytes > 44, 'a WAVE file with samples');
  } finally {
    assert.deepEqual(await stopped(child), { code: 0, sig: null });
  }
});

test('its control API, its keys, and bad requests answered without a crash', async () => {
  const { url, child } = await startEmulator(['--seed', '1']);
  const base = url.replace(/\/$/, '');
  try {
    const config = await request(`${base}/.well-known/OpenIdConfiguration`);
    assert.equal(config.status, 200);
    const keys = await request(config.json.jwks_uri);
    assert.equal(keys.json.keys[0].kty, 'RSA');

    assert.equal((await request(`${base}/_graph-ivr/calls`, { method: 'POST', body: { callbackUri: 'ftp://nope' } })).status, 400);
    assert.equal((await request(`${base}/_graph-ivr/calls`, { method: 'POST', body: '{not json' })).status, 400);
    const placed = await request(`${base}/_graph-ivr/calls`, { method: 'POST', body: { callbackUri: 'http://127.0.0.1:9/unreachable', callId: 'c-1' } });
    assert.deepEqual([placed.status, placed.json], [201, { callId: 'c-1' }]);
    const snapshot = await request(`${base}/_graph-ivr/calls/c-1`);
    assert.equal(snapshot.json.callState, 'incoming');
    assert.equal((await request(`${base}/_graph-ivr/calls/nope/hangUp`, { method: 'POST' })).status, 404);
    assert.equal((await request(`${base}/_graph-ivr/calls/c-1/dance`, { method: 'POST' })).status, 404);
    assert.equal((await request(`${base}/_graph-ivr/calls/c-1/pressTone`, { method: 'POST', body: { tone: 'x' } })).status, 400);
    assert.equal((await request(`${base}/_graph-ivr/nothing`)).status, 404);

    // Graph's own answers: its status codes and OData errors.
    const media = await request(`${base}/v1.0/communications/calls/c-1/playPrompt`, { method: 'POST', body: '{"prompts":' });
    assert.equal(media.status, 400);
    assert.ok(media.json.error.code);
    assert.equal((await request(`${base}/v1.0/communications/calls/zzz`)).status, 404);
    assert.equal((await request(`${base}/v1.0/me`)).status, 501);
    assert.equal((await request(`${base}/v2/x`)).status, 404);
    assert.equal((await request(`${base}/v1.0/communications/calls/c-1/playPrompt`, { method: 'POST', body: Buffer.alloc(2 * 1024 * 1024, 0x20) })).status, 413);

    // The unreachable callback is a logged failure, not a crash.
    const advanced = await request(`${base}/_graph-ivr/advance`, { method: 'POST', body: { ms: 100 } });
    assert.equal(advanced.status, 200);
    const failures = await request(`${base}/_graph-ivr/failures`);
    assert.ok(failures.json.length >= 1);
    assert.equal(failures.json[0].callId, 'c-1');
    assert.equal((await request(`${base}/_graph-ivr/calls`)).json.length, 1, 'still answering');
  } finally {
    assert.deepEqual(await stopped(child, 'SIGINT'), { code: 0, sig: null });
  }
});

test('--realtime moves the virtual clock with the wall clock; bad arguments exit 2 with the usage', async () => {
  const { url, child } = await startEmulator(['--realtime']);
  try {
    const base = url.replace(/\/$/, '');
    await request(`${base}/_graph-ivr/calls`, { method: 'POST', body: { callbackUri: 'http://127.0.0.1:9/cb', callId: 'rt' } });
    const first = (await request(`${base}/_graph-ivr/calls/rt`)).json.now;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const later = (await request(`${base}/_graph-ivr/calls/rt`)).json.now;
    assert.ok(later - first >= 150, `${first} → ${later}`);
  } finally {
    await stopped(child);
  }
  for (const args of [['--port', 'x'], ['--profile', 'live'], ['--wat']]) {
    const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
    assert.equal(result.status, 2, args.join(' '));
    assert.match(result.stderr, /usage: graph-ivr-emulator/);
  }
});
