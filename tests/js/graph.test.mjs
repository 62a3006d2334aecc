// GraphSimulator through the public JS API: fetch as the platform's fetch reads its arguments,
// real Responses, the driver, deliveries over HTTP and their failures, and a load of 1,000
// concurrent calls over loopback.
import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {
  GraphSimulator,
  GraphIvrError,
  CallSimulator,
  deliverOverHttp,
  buildPlayPrompt,
  buildRecordResponse,
  validateNotifications,
} from 'graph-ivr';
import { assertRefused } from './helpers.mjs';

const GRAPH = 'https://graph.microsoft.com/v1.0';
const json = { 'Content-Type': 'application/json' };

/** A loopback callback server; `handler(req, body)` returns the status (default 202). */
async function callbackServer(handler = () => 202) {
  const received = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, body });
      const status = await handler(req, body);
      if (status !== null) res.writeHead(status).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/callback`;
  return {
    url,
    received,
    server,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

async function answered(graph, callbackUri, callId = 'c1') {
  graph.incomingCall({ callbackUri, callId });
  const answer = await graph.fetch(`${GRAPH}/communications/calls/${callId}/answer`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ callbackUri, acceptedModalities: ['audio'], mediaConfig: {} }),
  });
  assert.equal(answer.status, 202);
  graph.advance(500);
  graph.takeDeliveries();
}

test('fetch reads strings with init, URLs and Request objects, and answers real Responses', async () => {
  const graph = new GraphSimulator({ seed: 1 });
  await answered(graph, 'https://bot.example/cb');
  const built = buildPlayPrompt({ callId: 'c1', prompts: ['https://cdn.example/a.wav'] });
  for (const call of [
    () => graph.fetch(built.url, built),
    () => graph.fetch(new URL(built.url), { method: 'POST', headers: built.headers, body: built.body }),
    () => graph.fetch(new Request(built.url, built)),
    () => graph.fetch(new Request(built.url, { method: 'PUT' }), { method: 'POST', headers: built.headers, body: built.body }),
  ]) {
    const response = await call();
    assert.ok(response instanceof Response);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('location'), /\/communications\/calls\/c1\/operations\//);
    assert.equal((await response.json()).status, 'running');
  }
  const fetch = graph.fetch; // bound: works detached
  assert.equal((await fetch(`${GRAPH}/communications/calls/c1`)).status, 200);
  assert.equal(graph.fetch, graph.fetch, 'one function');
  graph.free();
});

test('lifecycle answers: 202 without a body, 204 on DELETE, 404 after; 501 for what is not simulated; TypeError for other hosts', async () => {
  const graph = new GraphSimulator();
  graph.incomingCall({ callbackUri: 'https://bot.example/cb', callId: 'c1' });
  const reject = await graph.fetch(`${GRAPH}/communications/calls/c1/reject`, { method: 'POST', headers: json, body: '{"reason":"busy"}' });
  assert.equal(reject.status, 202);
  assert.equal(await reject.text(), '');
  assert.equal((await graph.fetch(`${GRAPH}/communications/calls/c1/keepAlive`, { method: 'POST' })).status, 404);
  const transfer = await graph.fetch(`${GRAPH}/communications/calls/c1/transfer`, { method: 'POST', body: '{}' });
  assert.equal(transfer.status, 501);
  const error = (await transfer.json()).error;
  assert.equal(error.code, 'NotImplemented');
  assert.match(error.message, /does not simulate POST \/v1\.0\/communications\/calls\/c1\/transfer/);
  await assert.rejects(graph.fetch('https://example.com/api'), (err) => err instanceof TypeError && /example\.com/.test(err.message));
  const placed = await graph.fetch(`${GRAPH}/communications/calls`, { method: 'POST', headers: json, body: JSON.stringify({ callbackUri: 'https://bot.example/out', targets: [] }) });
  assert.equal(placed.status, 201);
  const created = await placed.json();
  assert.equal(placed.headers.get('location'), `${GRAPH}/communications/calls/${created.id}`);
  assert.equal(graph.call(created.id).state, 'establishing');
  assert.equal(graph.calls.length, 2);
  const hungUp = await graph.fetch(placed.headers.get('location'), { method: 'DELETE' });
  assert.equal(hungUp.status, 204);
  assert.equal(hungUp.body, null);
  graph.free();
});

test('a recording downloads through the same fetch with its token', async () => {
  const graph = new GraphSimulator();
  await answered(graph, 'https://bot.example/cb');
  const record = buildRecordResponse({ callId: 'c1', maxRecordDurationInSeconds: 2, playBeep: false });
  await graph.fetch(record.url, record);
  graph.call('c1').startSpeaking();
  const [done] = graph.advance(2000);
  const op = done.value.value[0].resourceData;
  const ok = await graph.fetch(op.recordingLocation, { headers: { Authorization: `Bearer ${op.recordingAccessToken}` } });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('content-type'), 'application/octet-stream');
  const bytes = new Uint8Array(await ok.arrayBuffer());
  assert.equal(bytes.length, 44 + 2000 * 32);
  assert.equal((await graph.fetch(op.recordingLocation)).status, 401);
  graph.free();
});

test('nextTimeout is now while deliveries wait; run delivers in order and lets the bot react at that instant', async () => {
  const graph = new GraphSimulator({ seed: 2 });
  const call = graph.incomingCall({ callbackUri: 'https://bot.example/cb' });
  assert.equal(graph.nextTimeout, 0);
  const seen = [];
  await graph.run(1000, async (d) => {
    const n = d.value.value[0];
    seen.push(`${d.at} ${n.changeType} ${n.resourceData.state ?? n.resourceData['@odata.type']}`);
    if (n.changeType === 'created') {
      // The bot acknowledges first and answers on a later turn: the driver waits for it.
      setImmediate(() => setTimeout(() => graph.fetch(`${GRAPH}/communications/calls/${call.callId}/answer`, { method: 'POST', headers: json, body: '{"mediaConfig":{}}' }), 0));
    }
  });
  assert.deepEqual(seen, ['0 created incoming', '0 updated establishing', '500 updated established']);
  assert.equal(graph.now, 1000);
  assert.equal(call.state, 'established');
  graph.free();
});

test('deliverOverHttp POSTs with the headers of a live callback, even with globalThis.fetch replaced', async () => {
  const server = await callbackServer();
  const graph = new GraphSimulator();
  const platform = globalThis.fetch;
  globalThis.fetch = graph.fetch;
  try {
    graph.incomingCall({ callbackUri: server.url, callId: 'c1' });
    await graph.run(0, deliverOverHttp());
    assert.equal(server.received.length, 1);
    const [post] = server.received;
    assert.equal(post.headers['content-type'], 'application/json');
    assert.match(post.headers['user-agent'], /graph-ivr/);
    assert.equal(validateNotifications(post.body).valid, true);
  } finally {
    globalThis.fetch = platform;
    await server.close();
    graph.free();
  }
});

test('deliverOverHttp keeps one connection to the bot alive across callbacks, or POSTs with the fetch it is given', async () => {
  const server = await callbackServer();
  let connections = 0;
  server.server.on('connection', () => connections++);
  const graph = new GraphSimulator({ seed: 4 });
  for (let i = 0; i < 20; i++) graph.incomingCall({ callbackUri: server.url, callId: `keep-${i}` });
  await graph.run(20_000, deliverOverHttp({ concurrency: 1 }));
  assert.equal(server.received.length, 40, 'created and deleted of each call');
  assert.equal(connections, 1, 'one kept-alive connection for every POST, one at a time');

  const given = [];
  const own = async (url, init) => {
    given.push([url, init.method, new Headers(init.headers).get('content-type'), init.body]);
    return new Response(null, { status: 204 });
  };
  graph.incomingCall({ callbackUri: 'https://bot.example/api/calls', callId: 'own' });
  await graph.run(0, deliverOverHttp({ fetch: own }));
  assert.equal(given.length, 1);
  assert.deepEqual(given[0].slice(0, 3), ['https://bot.example/api/calls', 'POST', 'application/json']);
  assert.equal(JSON.parse(given[0][3]).value[0].changeType, 'created');
  graph.incomingCall({ callbackUri: 'https://bot.example/api/calls', callId: 'refused' });
  await assert.rejects(graph.run(0, deliverOverHttp({ fetch: async () => new Response('no', { status: 403 }) })), (err) => err.code === 'deliveryFailed' && /HTTP 403/.test(err.message));
  assertRefused(() => deliverOverHttp({ fetch: 'fetch' }), 'invalidArgument', '/fetch');
  await server.close();
  graph.free();
});

test("deliverOverHttp({concurrency}): different calls' callbacks of one instant go out together, each call's in order", async () => {
  let inFlight = 0;
  let most = 0;
  const order = new Map();
  const server = await callbackServer(async (req, body) => {
    inFlight += 1;
    most = Math.max(most, inFlight);
    const n = JSON.parse(body).value[0];
    const id = n.resourceUrl.split('/').pop();
    order.set(id, [...(order.get(id) ?? []), n.resourceData.state]);
    await new Promise((resolve) => setTimeout(resolve, 15));
    inFlight -= 1;
    return 202;
  });
  const busiest = async (options) => {
    most = 0;
    order.clear();
    const graph = new GraphSimulator({ seed: 6 });
    for (let i = 0; i < 12; i++) graph.incomingCall({ callbackUri: server.url, callId: `c-${i}` });
    await graph.run(20_000, deliverOverHttp(options));
    assert.equal(graph.nextTimeout, undefined);
    graph.free();
    for (const states of order.values()) assert.deepEqual(states, ['incoming', 'terminated'], 'each call in order');
    assert.equal(order.size, 12);
    return most;
  };
  assert.equal(await busiest({ concurrency: 1 }), 1);
  const four = await busiest({ concurrency: 4 });
  assert.ok(four > 1 && four <= 4, `at most 4 at once, more than 1: ${four}`);
  const byDefault = await busiest(undefined);
  assert.ok(byDefault > 4 && byDefault <= 16, `the default, 16: ${byDefault}`);
  assertRefused(() => deliverOverHttp({ concurrency: 0 }), 'invalidArgument', '/concurrency');
  assertRefused(() => deliverOverHttp({ concurrency: 2.5 }), 'invalidArgument', '/concurrency');
  await server.close();
});

test('a bot that answers 500, hangs or is not there gets a deliveryFailed error naming the call', async () => {
  const failing = await callbackServer(() => 500);
  const hanging = await callbackServer(() => null);
  for (const [url, pattern, options] of [
    [failing.url, /HTTP 500/, undefined],
    [hanging.url, /did not answer .* within 200 ms/, { timeoutMs: 200 }],
    ['http://127.0.0.1:1/nobody', /could not be reached/, undefined],
  ]) {
    const graph = new GraphSimulator();
    graph.incomingCall({ callbackUri: url, callId: 'call-x' });
    await assert.rejects(graph.run(0, deliverOverHttp(options)), (err) => {
      assert.ok(err instanceof GraphIvrError, String(err));
      assert.equal(err.code, 'deliveryFailed');
      assert.match(err.message, pattern);
      assert.match(err.message, /call call-x/);
      assert.match(err.message, /created notification of \/communications\/calls\/call-x/);
      return true;
    });
    graph.free();
  }
  await failing.close();
  await hanging.close();
  assert.throws(() => deliverOverHttp({ timeout: 5 }), (err) => err instanceof GraphIvrError && err.path === '/timeout');
});

test('1,000 concurrent calls over loopback: every notification once (twice where duplicated), in order per call, nothing left', async () => {
  const server = await callbackServer();
  const graph = new GraphSimulator({ seed: 11, faults: { duplicate: 10 } });
  const calls = [];
  for (let i = 0; i < 1000; i++) calls.push(graph.incomingCall({ callbackUri: server.url, callId: `call-${i}` }));
  const sent = [];
  const deliver = deliverOverHttp();
  await graph.run(20_000, async (d) => {
    sent.push(d);
    await deliver(d);
  });
  // Nobody answered: each call rang (created) and timed out (deleted) after 15 s.
  assert.equal(graph.nextTimeout, undefined, 'nothing pending');
  assert.equal(server.received.length, sent.length);
  const bodies = new Map();
  for (const d of sent) bodies.set(d.body, (bodies.get(d.body) ?? 0) + 1);
  assert.equal(bodies.size, 2000, 'created + deleted for each call');
  const duplicated = [...bodies.values()].filter((n) => n === 2).length;
  assert.equal(duplicated, 200, 'every 10th POST twice');
  assert.ok([...bodies.values()].every((n) => n === 1 || n === 2));
  const order = new Map();
  for (const post of server.received) {
    const n = JSON.parse(post.body).value[0];
    const id = n.resourceUrl.split('/').pop();
    order.set(id, [...(order.get(id) ?? []), n.changeType]);
  }
  for (const [id, changes] of order) {
    assert.equal(changes[0], 'created', id);
    assert.equal(changes.at(-1), 'deleted', id);
  }
  assert.ok(calls.every((c) => c.state === 'terminated'));
  await server.close();
  graph.free();
});

test('10,000 simulated calls stay within the budget of 100 MB', () => {
  // Node counts the wasm memory as `external` (not `arrayBuffers`, which stays flat); it grows
  // in pages and never shrinks, so its growth over 10,000 live calls is what they take.
  const before = process.memoryUsage().external;
  const graph = new GraphSimulator();
  for (let i = 0; i < 10_000; i++) graph.incomingCall({ callbackUri: 'https://bot.example/cb' });
  graph.takeDeliveries();
  const grown = process.memoryUsage().external - before;
  assert.ok(grown > 0, 'the calls took memory the module did not have free');
  assert.ok(grown < 100 * 2 ** 20, `${(grown / 2 ** 20).toFixed(1)} MB for 10,000 calls`);
  graph.free();
});

test('bad arguments are refused with a path; freed objects with invalidState', async () => {
  assert.throws(() => new GraphSimulator({ faults: { batch: 'yes' } }), (e) => e instanceof GraphIvrError && e.path === '/faults/batch');
  const graph = new GraphSimulator();
  assert.throws(() => graph.incomingCall({}), (e) => e.path === '/callbackUri');
  assert.throws(() => graph.incomingCall({ callbackUri: 'ftp://x' }), (e) => e.path === '/callbackUri');
  assert.throws(() => graph.incomingCall({ callbackUri: 'https://b/c', when: 1 }), (e) => e.path === '/when');
  assert.throws(() => graph.run(10, 'deliver'), (e) => e.path === '/deliver');
  const call = graph.incomingCall({ callbackUri: 'https://b/c' });
  assert.throws(() => call.pressTone('1'), (e) => e.code === 'invalidState' && /incoming/.test(e.message));
  assert.equal(graph.call('nope'), undefined);
  const fetch = graph.fetch;
  graph.free();
  assert.throws(() => graph.advance(1), (e) => e instanceof GraphIvrError && e.code === 'invalidState');
  // A bot may still hold the fetch: it rejects, it does not crash.
  await assert.rejects(fetch(`${GRAPH}/communications/calls/x`), (e) => e instanceof GraphIvrError && e.code === 'invalidState');
  const single = new CallSimulator({ callId: 'x' });
  const deleted = await single.fetch(`${GRAPH}/communications/calls/x`, { method: 'DELETE' });
  assert.equal(deleted.status, 204);
  assert.deepEqual(single.takeDeliveries().map((d) => d.value.value[0].resourceData.state), ['terminating', 'terminated']);
  single.free();
});
