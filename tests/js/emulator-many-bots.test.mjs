// The emulator under many bots: a bot that keeps sending never holds back another call's
// callbacks (nor its own call's), and answers Graph holds (faults.latencyMs) come over HTTP
// once the clock reaches them. No sleeps: each test waits on the events themselves.
import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { GraphSimulator, buildCancelMediaProcessing, buildPlayPrompt, buildRecordResponse, buildSubscribeToTone } from 'graph-ivr';
import { startEmulator } from 'graph-ivr/emulator';

/** A bot that takes every callback (202) and does nothing else; `next(callId, match)` resolves
 *  with the first callback of that call whose notification `match` accepts. */
async function startSink() {
  const waits = [];
  const taken = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      res.writeHead(202).end();
      for (const n of JSON.parse(body).value) {
        taken.push(n);
        for (const wait of waits.splice(0)) {
          if (n.resourceUrl.includes(`/calls/${wait.callId}`) && wait.match(n)) wait.resolve(n);
          else waits.push(wait);
        }
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/api/calls`,
    taken,
    next: (callId, match) => new Promise((resolve) => waits.push({ callId, match, resolve })),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

const agent = new http.Agent({ keepAlive: true });
test.after(() => agent.destroy());

/** A request over node:http (kept alive, as a bot's HTTP client sends them). */
function send(origin, method, path, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${origin}${path}`, { method, agent, headers: { 'Content-Type': 'application/json', Authorization: 'Bearer bot' } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const ANSWER = { acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } };

/** Two established calls, subscribed to tones, whose callbacks go to `sink`. */
async function twoCalls(emulator, sink) {
  for (const callId of ['call-a', 'call-b']) {
    await send(emulator.origin, 'POST', '/_graph-ivr/calls', { callbackUri: sink.url, callId, settle: false });
    const established = sink.next(callId, (n) => n.resourceData.state === 'established');
    assert.equal((await send(emulator.origin, 'POST', `/v1.0/communications/calls/${callId}/answer`, { callbackUri: sink.url, ...ANSWER })).status, 202);
    await send(emulator.origin, 'POST', '/_graph-ivr/advance', { ms: 1000, settle: false });
    await established;
    const subscribe = buildSubscribeToTone({ callId, baseUrl: emulator.origin });
    assert.equal((await send(emulator.origin, 'POST', new URL(subscribe.url).pathname, JSON.parse(subscribe.body))).status, 200);
  }
}

test('a bot that never stops sending does not hold back callbacks, of other calls or of its own', async () => {
  const emulator = await startEmulator({ seed: 7 });
  const sink = await startSink();
  try {
    await twoCalls(emulator, sink);
    const subscribe = buildSubscribeToTone({ callId: 'call-a', baseUrl: emulator.origin });
    const path = new URL(subscribe.url).pathname;
    // One bot sends about call A without a pause, one request after another, until both
    // keys below have reached the sink (or for a bounded number of requests).
    const LIMIT = 3000;
    let sent = 0;
    let arrived = false;
    const hammer = (async () => {
      while (!arrived && sent < LIMIT) {
        sent++;
        assert.equal((await send(emulator.origin, 'POST', path, JSON.parse(subscribe.body))).status, 200);
      }
    })();
    while (sent < 20) await new Promise((resolve) => setImmediate(resolve));
    const toneB = sink.next('call-b', (n) => n.resourceData.toneInfo?.tone === 'tone4');
    const toneA = sink.next('call-a', (n) => n.resourceData.toneInfo?.tone === 'tone2');
    assert.equal((await send(emulator.origin, 'POST', '/_graph-ivr/calls/call-b/pressTone', { tone: '4', settle: false })).status, 200);
    assert.equal((await send(emulator.origin, 'POST', '/_graph-ivr/calls/call-a/pressTone', { tone: '2', settle: false })).status, 200);
    await Promise.all([toneB, toneA]);
    const when = sent;
    arrived = true;
    await hammer;
    assert.ok(when < LIMIT, `both keys arrived while the other bot was still sending (after ${when} of its requests)`);
    assert.deepEqual(emulator.failures, []);
  } finally {
    await emulator.close();
    await sink.close();
  }
});

test('an answer Graph holds (faults.latencyMs) comes over HTTP once the clock reaches it, journaled; the scenario with or without the requests', async () => {
  const emulator = await startEmulator({ seed: 8, faults: { latencyMs: { min: 400, max: 400 } } });
  const sink = await startSink();
  try {
    // Settled: the ring taken before the bot answers (while a callback is out, Graph's clock
    // moves on to the answers it holds, lest a bot that awaits one inside it wait forever).
    await send(emulator.origin, 'POST', '/_graph-ivr/calls', { callbackUri: sink.url, callId: 'held' });
    let answered;
    const answer = send(emulator.origin, 'POST', '/v1.0/communications/calls/held/answer', { callbackUri: sink.url, ...ANSWER }).then((r) => (answered = r));
    // The request is in the journal, unanswered, until the clock moves 400 ms on.
    const journal = async () => JSON.parse((await send(emulator.origin, 'GET', '/_graph-ivr/journal')).text);
    /** The journal entry of the request to `url`, once it has arrived. */
    const arrived = async (url) => {
      for (;;) {
        const entry = (await journal()).find((e) => e.kind === 'request' && e.url.endsWith(url));
        if (entry) return entry;
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const entry = await arrived('/calls/held/answer');
    assert.equal(entry.status, undefined);
    await send(emulator.origin, 'POST', '/_graph-ivr/advance', { ms: 399, settle: false });
    assert.equal(answered, undefined, 'not answered before the latency has passed');
    await send(emulator.origin, 'POST', '/_graph-ivr/advance', { ms: 1, settle: false });
    const response = await answer;
    assert.equal(response.status, 202);
    const done = (await journal()).find((e) => e.seq === entry.seq);
    assert.equal(done.status, 202);
    assert.equal(done.answeredAt, 400);
    assert.equal(done.headers.authorization, 'Bearer redacted');
    // Graph's error answers keep their headers and body on this path too.
    const unknown = send(emulator.origin, 'POST', '/v1.0/communications/calls/nobody/playPrompt', { prompts: [] });
    await arrived('/calls/nobody/playPrompt');
    await send(emulator.origin, 'POST', '/_graph-ivr/advance', { ms: 400, settle: false });
    const refused = await unknown;
    assert.equal(refused.status, 404);
    assert.match(refused.headers['content-type'], /^application\/json/);
    assert.equal(JSON.parse(refused.text).error.code, 'ItemNotFound');
    assert.equal(Number(refused.headers['content-length']), Buffer.byteLength(refused.text));
    // The scenario has the bot's requests, or (?requests=false) only the calls and callers.
    const full = JSON.parse((await send(emulator.origin, 'GET', '/_graph-ivr/scenario')).text);
    assert.deepEqual(full.steps.filter((step) => step.request).map((step) => step.request.path), ['/v1.0/communications/calls/held/answer', '/v1.0/communications/calls/nobody/playPrompt']);
    const bare = JSON.parse((await send(emulator.origin, 'GET', '/_graph-ivr/scenario?requests=false')).text);
    assert.deepEqual(bare.steps, [{ at: 0, ring: 0 }]);
  } finally {
    await emulator.close();
    await sink.close();
  }
});

test("the emulator's way in (graph.__serve) answers as graph.fetch does, and journals the same", async () => {
  // Two simulators with one seed: one spoken to through fetch, one through __serve, as the
  // emulator does (the server's raw headers joined by newlines, the body's bytes).
  const options = { seed: 11, baseUrl: 'http://127.0.0.1:1' };
  const viaFetch = new GraphSimulator(options);
  const viaServe = new GraphSimulator(options);
  for (const graph of [viaFetch, viaServe]) graph.incomingCall({ callbackUri: 'https://bot.example/api/calls', callId: 'c-1' });
  const callId = 'c-1';
  const base = { callId, baseUrl: options.baseUrl, accessToken: 'bot-token' };
  const requests = [
    { url: `${options.baseUrl}/v1.0/communications/calls/c-1/answer`, method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer bot-token' }, body: JSON.stringify({ callbackUri: 'https://bot.example/api/calls', ...ANSWER }) },
    buildSubscribeToTone(base),
    buildPlayPrompt({ ...base, prompts: ['https://cdn.contoso.com/a.wav'], clientContext: 'a' }),
    buildRecordResponse({ ...base, clientContext: 'r' }),
    buildCancelMediaProcessing(base),
    { url: `${options.baseUrl}/v1.0/communications/calls/nobody/playPrompt`, method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"prompts": [' },
    { url: `${options.baseUrl}/v1.0/communications/calls/c-1`, method: 'GET', headers: {}, body: '' },
    { url: `${options.baseUrl}/beta/communications/calls/c-1/playPrompt`, method: 'POST', headers: { 'Content-Type': 'application/json' }, body: 'é not JSON' },
  ];
  for (const request of requests) {
    const response = await viaFetch.fetch(request.url, { method: request.method, headers: request.headers, body: request.method === 'GET' ? undefined : request.body });
    const fetched = { status: response.status, headers: [...response.headers].sort(), body: await response.text() };
    const raw = Object.entries(request.headers).flat().join('\n');
    const [status, flat, body] = viaServe.__serve(request.method, request.url, raw, Buffer.from(request.body));
    const pairs = [];
    for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i].toLowerCase(), flat[i + 1]]);
    assert.deepEqual({ status, headers: pairs.sort(), body }, fetched, `${request.method} ${request.url}`);
  }
  const comparable = (graph) => graph.journal().map(({ wallTime, latencyMs, ...entry }) => entry);
  assert.deepEqual(comparable(viaServe), comparable(viaFetch));
  assert.equal(viaServe.journal().length, requests.length);
  viaFetch.free();
  viaServe.free();
});

test('a recording downloads through the emulator whole: its bytes, its length, no chunked framing', async () => {
  const emulator = await startEmulator({ seed: 9 });
  const sink = await startSink();
  try {
    await send(emulator.origin, 'POST', '/_graph-ivr/calls', { callbackUri: sink.url, callId: 'rec', settle: false });
    const established = sink.next('rec', (n) => n.resourceData.state === 'established');
    await send(emulator.origin, 'POST', '/v1.0/communications/calls/rec/answer', { callbackUri: sink.url, ...ANSWER });
    await send(emulator.origin, 'POST', '/_graph-ivr/advance', { ms: 1000, settle: false });
    await established;
    const recorded = sink.next('rec', (n) => n.resourceData.status === 'completed' && n.resourceData.recordingLocation);
    const record = buildRecordResponse({ callId: 'rec', baseUrl: emulator.origin, maxRecordDurationInSeconds: 5, clientContext: 'r' });
    assert.equal((await send(emulator.origin, 'POST', new URL(record.url).pathname, JSON.parse(record.body))).status, 200);
    await send(emulator.origin, 'POST', '/_graph-ivr/calls/rec/startSpeaking', { settle: false });
    await send(emulator.origin, 'POST', '/_graph-ivr/advance', { ms: 10_000, settle: false });
    const { recordingLocation, recordingAccessToken } = (await recorded).resourceData;
    assert.ok(recordingLocation.startsWith(`${emulator.origin}/recordings/`), recordingLocation);
    const download = await new Promise((resolve, reject) => {
      http.get(recordingLocation, { agent, headers: { Authorization: `Bearer ${recordingAccessToken}` } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, bytes: Buffer.concat(chunks) }));
      }).on('error', reject);
    });
    assert.equal(download.status, 200);
    assert.equal(download.headers['transfer-encoding'], undefined);
    assert.equal(Number(download.headers['content-length']), download.bytes.length);
    assert.equal(download.bytes.subarray(0, 4).toString('latin1'), 'RIFF');
    assert.equal(download.bytes.subarray(8, 12).toString('latin1'), 'WAVE');
    // In the journal as fetch would have it: a recording's bytes are counted, not copied.
    const journal = JSON.parse((await send(emulator.origin, 'GET', '/_graph-ivr/journal')).text);
    const entry = journal.find((e) => e.kind === 'request' && e.url === recordingLocation);
    assert.equal(entry.status, 200);
    assert.equal(entry.response, `(${download.bytes.length} bytes)`);
  } finally {
    await emulator.close();
    await sink.close();
  }
});

test("one bot's slow callback does not move the clock to another bot's held answer", async () => {
  const emulator = await startEmulator({ seed: 12, faults: { latencyMs: { min: 300, max: 300 } } });
  // A bot that answers every callback at once, except the next one of a call it is told to hold.
  const held = new Map();
  let received;
  const arrived = new Promise((resolve) => (received = resolve));
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const callId = JSON.parse(body).value[0].resourceUrl.split('/calls/')[1].split('/')[0];
      if (!held.has(callId)) return res.writeHead(202).end();
      // Held once: released by the test (or at its end), the call's later callbacks go through.
      held.set(callId, () => {
        held.delete(callId);
        res.writeHead(202).end();
      });
      received(callId);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const bot = `http://127.0.0.1:${server.address().port}/api/calls`;
  const state = async () => JSON.parse((await send(emulator.origin, 'GET', '/_graph-ivr/state')).text);
  try {
    for (const callId of ['call-a', 'call-b']) await send(emulator.origin, 'POST', '/_graph-ivr/calls', { callbackUri: bot, callId });
    // Call A's bot answers; Graph holds the answer 300 ms.
    let answered;
    const answer = send(emulator.origin, 'POST', '/v1.0/communications/calls/call-a/answer', { callbackUri: bot, ...ANSWER }).then((r) => (answered = r));
    while ((await state()).journal < 3) await new Promise((resolve) => setImmediate(resolve));
    // Call B's caller hangs up; B's bot is slow to take that callback.
    held.set('call-b', undefined);
    await send(emulator.origin, 'POST', '/_graph-ivr/calls/call-b/hangUp', { settle: false });
    assert.equal(await arrived, 'call-b');
    const during = await state();
    assert.equal(during.now, 0, "the clock waits for the advance, not for B's bot");
    assert.equal(answered, undefined, "A's held answer is not given early");
    held.get('call-b')();
    await send(emulator.origin, 'POST', '/_graph-ivr/advance', { ms: 300, settle: false });
    assert.equal((await answer).status, 202);
    assert.equal((await state()).now, 300);
  } finally {
    for (const release of [...held.values()]) release?.();
    await emulator.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
