// The emulator under load, as #25 asks: 200 bots' calls at once with the clock in real time for
// a minute (GRAPH_IVR_LOAD_SECONDS to change it). Each bot answers its call, subscribes to tones
// and plays one prompt after another; the caller presses keys. Nothing may be lost: every request
// answered (no 5xx, no error), every callback taken, every prompt the bot started ends in a
// notification (or is still playing when the minute ends). Figures are printed, not asserted.
import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { buildPlayPrompt, buildSubscribeToTone, canonicalId } from 'graph-ivr';
import { startEmulator } from 'graph-ivr/emulator';

const BOTS = 200;
const SECONDS = Number(process.env.GRAPH_IVR_LOAD_SECONDS ?? 60);

test(`the emulator holds ${BOTS} bots' calls in real time for ${SECONDS} s without losing anything`, { timeout: (SECONDS + 60) * 1000 }, async () => {
  const emulator = await startEmulator({ seed: 9, realtime: true });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const counts = { requests: 0, failed: [], callbacks: 0, started: 0, ended: 0, tones: 0 };
  const playing = new Map(); // callId → prompts started and not yet ended
  const endedOf = new Map(); // callId → prompts ended
  const send = (path, body) =>
    new Promise((resolve) => {
      counts.requests += 1;
      const request = http.request(`${emulator.origin}${path}`, { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: 'Bearer load' } }, (response) => {
        let text = '';
        response.on('data', (c) => (text += c));
        response.on('end', () => {
          if (response.statusCode >= 300) counts.failed.push(`${path} → ${response.statusCode} ${text}`);
          resolve(response.statusCode);
        });
      });
      request.on('error', (err) => {
        counts.failed.push(`${path}: ${err.message}`);
        resolve(0);
      });
      request.end(body);
    });
  const play = async (callId, n) => {
    const built = buildPlayPrompt({ callId, baseUrl: emulator.origin, prompts: [`https://cdn.contoso.com/${n % 5}.wav`], clientContext: `p${n}` });
    playing.set(callId, (playing.get(callId) ?? 0) + 1);
    counts.started += 1;
    if ((await send(new URL(built.url).pathname, built.body)) !== 200) playing.set(callId, playing.get(callId) - 1);
  };
  // The bots: one server, a callback path each.
  const bots = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      res.writeHead(202).end();
      counts.callbacks += 1;
      for (const n of JSON.parse(body).value) {
        // Graph spells one id two ways: the bots' maps key it canonically.
        const callId = canonicalId(n.resourceUrl.split('/calls/')[1].split('/')[0]);
        const data = n.resourceData;
        if (data['@odata.type'] === '#microsoft.graph.playPromptOperation' && n.changeType === 'deleted') {
          counts.ended += 1;
          endedOf.set(callId, (endedOf.get(callId) ?? 0) + 1);
          playing.set(callId, playing.get(callId) - 1);
          play(callId, counts.started);
        } else if (data.toneInfo) {
          counts.tones += 1;
        } else if (data.state === 'incoming') {
          send(`/v1.0/communications/calls/${callId}/answer`, JSON.stringify({ callbackUri: `http://127.0.0.1:${bots.address().port}${req.url}`, acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } }));
        } else if (data.state === 'established') {
          const built = buildSubscribeToTone({ callId, baseUrl: emulator.origin });
          send(new URL(built.url).pathname, built.body).then(() => play(callId, counts.started));
        }
      }
    });
  });
  await new Promise((resolve) => bots.listen(0, '127.0.0.1', resolve));
  const ids = [];
  try {
    for (let i = 0; i < BOTS; i++) {
      const callId = `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      ids.push(callId);
      await send('/_graph-ivr/calls', JSON.stringify({ callbackUri: `http://127.0.0.1:${bots.address().port}/bot/${i}`, callId, settle: false }));
    }
    // Every bot answers; in real time its call is up a moment later.
    for (let waited = 0; ; waited++) {
      const calls = await (await fetch(`${emulator.origin}/_graph-ivr/calls`)).json();
      if (calls.filter((c) => c.state === 'established').length === BOTS) break;
      assert.ok(waited < 100, `every call established within 10 s: ${JSON.stringify(calls.filter((c) => c.state !== 'established').slice(0, 3))}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const started = Date.now();
    let key = 0;
    // The callers press a key now and then, while the minute runs.
    while (Date.now() - started < SECONDS * 1000) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await send(`/_graph-ivr/calls/${ids[key++ % BOTS]}/pressTone`, JSON.stringify({ tone: String(key % 10), settle: false }));
    }
    const failures = await (await fetch(`${emulator.origin}/_graph-ivr/failures`)).json();
    const calls = await (await fetch(`${emulator.origin}/_graph-ivr/calls`)).json();
    process.stderr.write(`# ${BOTS} calls, ${SECONDS} s: ${counts.requests} requests, ${counts.callbacks} callbacks taken, ${counts.started} prompts started, ${counts.ended} ended, ${counts.tones} tones\n`);
    assert.deepEqual(counts.failed, [], 'every request answered 2xx');
    assert.deepEqual(failures, [], 'every callback taken');
    assert.equal(calls.filter((c) => c.state === 'established').length, BOTS, 'every call up');
    // A lost notification would stall its call's chain of prompts (each starts when the last
    // ends): every call ended at least half the 3 s prompts a minute holds, and none has more
    // than one open.
    const least = Math.max(1, Math.floor(SECONDS / 3 / 2));
    const stalled = ids.filter((id) => (endedOf.get(id) ?? 0) < least);
    assert.deepEqual(stalled, [], `calls that ended fewer than ${least} prompts`);
    assert.ok(ids.every((id) => (playing.get(id) ?? 0) <= 1), 'at most one prompt open per call');
  } finally {
    agent.destroy();
    bots.closeAllConnections();
    bots.close();
    await emulator.close();
  }
});
