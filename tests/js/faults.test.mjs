// Graph's own failures, as a bot meets them through graph.fetch and the emulator: throttling
// (429 with Retry-After, retries before it throttled again) and server errors (500-504), each
// without effect, seeded and in virtual time.
import assert from 'node:assert/strict';
import test from 'node:test';
import { GraphIvrError, GraphSimulator, buildSubscribeToTone } from 'graph-ivr';
import { runEmulator } from './helpers.mjs';

const BOT = 'https://bot.example/callback';
const answerBody = JSON.stringify({ callbackUri: BOT, acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } });

function answer(graph, callId) {
  return graph.fetch(`https://graph.microsoft.com/v1.0/communications/calls/${callId}/answer`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: answerBody,
  });
}

test('a throttled answer is a 429 with Retry-After and no effect; retrying too early is throttled again', async () => {
  const graph = new GraphSimulator({ seed: 3, faults: { throttle: { rate: 1, retryAfterSeconds: 10 } } });
  const call = graph.incomingCall({ callbackUri: BOT });
  graph.takeDeliveries();
  const refused = await answer(graph, call.callId);
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get('Retry-After'), '10');
  assert.equal((await refused.json()).error.code, 'activityLimitReached');
  assert.deepEqual(graph.advance(4000), []);
  assert.equal(call.state, 'incoming');
  const early = await answer(graph, call.callId);
  assert.equal(early.status, 429);
  assert.equal(early.headers.get('Retry-After'), '6');
  // Reading the call is never throttled.
  const read = await graph.fetch(`https://graph.microsoft.com/v1.0/communications/calls/${call.callId}`);
  assert.equal(read.status, 200);
  graph.free();
});

test('a bot that honours Retry-After gets every call answered once under throttling', async () => {
  const graph = new GraphSimulator({ seed: 21, faults: { throttle: { rate: 0.4, retryAfterSeconds: 1 } } });
  const calls = Array.from({ length: 12 }, () => graph.incomingCall({ callbackUri: BOT }));
  let throttled = 0;
  for (const call of calls) {
    for (;;) {
      const response = await answer(graph, call.callId);
      if (response.status === 202) break;
      assert.equal(response.status, 429);
      throttled += 1;
      graph.advance(Number(response.headers.get('Retry-After')) * 1000);
    }
  }
  graph.advance(2000);
  assert.ok(throttled > 0, 'rate 0.4 throttled something');
  assert.deepEqual(calls.map((c) => c.state), calls.map(() => 'established'));
  graph.free();
});

test('server errors fail a media action without effect; 503 carries Retry-After', async () => {
  for (const [status, code, retryAfter] of [[503, 'serviceNotAvailable', '5'], [502, 'generalException', null]]) {
    const graph = new GraphSimulator({ seed: 1, faults: { serverErrors: { rate: 1, statuses: [status] } } });
    const call = graph.incomingCall({ callbackUri: BOT });
    graph.takeDeliveries();
    const failed = await answer(graph, call.callId);
    assert.equal(failed.status, status);
    assert.equal(failed.headers.get('Retry-After'), retryAfter);
    assert.equal((await failed.json()).error.code, code);
    graph.advance(20_000);
    assert.notEqual(call.state, 'established');
    graph.free();
  }
  // The same seed gives the same faults.
  const statuses = (seed) => {
    const graph = new GraphSimulator({ seed, faults: { serverErrors: { rate: 0.5 } } });
    const call = graph.incomingCall({ callbackUri: BOT });
    const request = buildSubscribeToTone({ callId: call.callId });
    const out = Array.from({ length: 20 }, () => graph.fetch(request.url, request).then((r) => r.status));
    return Promise.all(out).finally(() => graph.free());
  };
  assert.deepEqual(await statuses(9), await statuses(9));
});

test('faults are options like any other: out of range or misspelt, they are refused with their path', () => {
  for (const [faults, path] of [
    [{ throttle: { rate: 1.5 } }, '/faults/throttle/rate'],
    [{ serverErrors: { rate: 0.1, statuses: [418] } }, '/faults/serverErrors/statuses/0'],
    [{ throtle: { rate: 0.1 } }, '/faults/throtle'],
  ]) {
    assert.throws(() => new GraphSimulator({ faults }), (err) => err instanceof GraphIvrError && err.path === path);
  }
});

test('the emulator takes --faults as JSON, and refuses a bad one with exit code 2', async () => {
  const run = runEmulator;
  const started = await run(['--faults', '{"throttle":{"rate":1,"retryAfterSeconds":3}}']);
  assert.ok(started.url, started.err);
  try {
    const created = await fetch(`${started.url}_graph-ivr/calls`, { method: 'POST', body: JSON.stringify({ callbackUri: 'http://127.0.0.1:9/cb' }) });
    const { callId } = await created.json();
    const refused = await fetch(`${started.url}v1.0/communications/calls/${callId}/answer`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: answerBody });
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '3');
  } finally {
    started.child.kill('SIGTERM');
  }
  for (const faults of ['{"throttle":{"rate":9}}', 'not json']) {
    const failed = await run(['--faults', faults]);
    assert.equal(failed.code, 2, failed.err);
    assert.match(failed.err, /usage: graph-ivr-emulator/);
  }
});

test('a bot that never hears the call end learns it from keepAlive (dropTerminated); dropped notifications are seeded', async () => {
  const graph = new GraphSimulator({ seed: 6, faults: { dropTerminated: true } });
  const call = graph.incomingCall({ callbackUri: BOT });
  assert.equal((await answer(graph, call.callId)).status, 202);
  graph.advance(1000);
  call.hangUp();
  const after = graph.advance(1000);
  assert.ok(after.every((d) => d.value.value.every((n) => n.changeType !== 'deleted')), JSON.stringify(after.map((d) => d.body)));
  const keepAlive = await graph.fetch(`https://graph.microsoft.com/v1.0/communications/calls/${call.callId}/keepAlive`, { method: 'POST' });
  assert.equal(keepAlive.status, 404);
  graph.free();

  const delivered = (seed) => {
    const g = new GraphSimulator({ seed, faults: { dropNotifications: 0.5 } });
    for (let i = 0; i < 10; i++) g.incomingCall({ callbackUri: BOT });
    const bodies = g.takeDeliveries().map((d) => d.body);
    g.free();
    return bodies;
  };
  assert.ok(delivered(2).length > 0 && delivered(2).length < 10);
  assert.deepEqual(delivered(2), delivered(2));
});

test('delayed callbacks: run() delivers each at its virtual instant, a call in order, calls interleaved', async () => {
  const graph = new GraphSimulator({ seed: 30, faults: { deliveryDelayMs: { min: 100, max: 1500 } } });
  const calls = Array.from({ length: 5 }, () => graph.incomingCall({ callbackUri: BOT }));
  assert.deepEqual(graph.takeDeliveries(), [], 'nothing is due at once');
  const seen = [];
  await graph.run(5000, async (d) => {
    seen.push({ at: d.at, callId: d.callId, now: graph.now, state: d.value.value[0].resourceData.state });
    if (d.value.value[0].resourceData.state === 'incoming') assert.equal((await answer(graph, d.callId)).status, 202);
  });
  assert.ok(seen.every((s) => s.at === s.now && s.at >= 100), JSON.stringify(seen));
  for (const call of calls) {
    const own = seen.filter((s) => s.callId === call.callId).map((s) => s.state);
    assert.deepEqual(own, ['incoming', 'establishing', 'established']);
  }
  assert.notDeepEqual(seen.slice(0, 5).map((s) => s.callId), calls.map((c) => c.callId), 'calls interleave');
  graph.free();
});

test('latency: graph.fetch resolves when virtual time reaches Graph answer, and what it causes starts then', async () => {
  const graph = new GraphSimulator({ seed: 4, faults: { latencyMs: { min: 250, max: 250 } } });
  const call = graph.incomingCall({ callbackUri: BOT });
  graph.takeDeliveries();
  let answered = null;
  const pending = answer(graph, call.callId).then((r) => (answered = r));
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(answered, null, 'not answered while virtual time stands still');
  assert.equal(graph.nextTimeout, 250);
  assert.deepEqual(graph.advance(249), []);
  assert.equal(call.state, 'incoming');
  const [establishing] = graph.advance(1);
  assert.equal(establishing.at, 250);
  assert.equal((await pending).status, 202);

  // Driven by run(): a bot that awaits Graph inside a callback gets its answer as time moves.
  const driven = new GraphSimulator({ seed: 5, faults: { latencyMs: { min: 100, max: 400 } } });
  driven.incomingCall({ callbackUri: BOT });
  const seen = [];
  await driven.run(3000, async (d) => {
    const state = d.value.value[0].resourceData.state;
    seen.push(`${state}@${d.at}`);
    if (state === 'incoming') {
      const sent = driven.now;
      assert.equal((await answer(driven, d.callId)).status, 202);
      seen.push(`answered after ${driven.now - sent} ms`);
    }
  });
  assert.match(seen[1], /^answered after (1\d\d|[23]\d\d|400) ms$/, seen.join(', '));
  assert.deepEqual(seen.slice(2).map((s) => s.split('@')[0]), ['establishing', 'established']);
  graph.free();
  driven.free();
});

test('keepAlive: Graph ends a call 45 virtual minutes after the last keepAlive; keepAlive then answers 404', async () => {
  const MINUTE = 60_000;
  const graph = new GraphSimulator({ seed: 8 });
  const call = graph.incomingCall({ callbackUri: BOT });
  await answer(graph, call.callId);
  graph.advance(1000);
  const keepAlive = () => graph.fetch(`https://graph.microsoft.com/v1.0/communications/calls/${call.callId}/keepAlive`, { method: 'POST' });
  graph.advance(15 * MINUTE);
  assert.equal((await keepAlive()).status, 200);
  assert.deepEqual(graph.advance(45 * MINUTE - 1), []);
  const [ended] = graph.advance(1);
  assert.equal(ended.value.value[0].resourceData.state, 'terminated');
  assert.deepEqual(ended.value.value[0].resourceData.resultInfo, { '@odata.type': '#microsoft.graph.resultInfo', code: 408, subcode: 8537, message: 'Keep Alive timeout, cleaned up inactive call.' });
  assert.equal(call.state, 'terminated');
  assert.equal((await keepAlive()).status, 404);
  // Off on request: a long manual session.
  const lenient = new GraphSimulator({ faults: { keepAlive: false } });
  const kept = lenient.incomingCall({ callbackUri: BOT });
  await answer(lenient, kept.callId);
  lenient.advance(3 * 60 * MINUTE);
  assert.equal(kept.state, 'established');
  graph.free();
  lenient.free();
});

test('every answer carries request-id and client-request-id (echoed); an error body has innerError', async () => {
  const graph = new GraphSimulator({ seed: 2, faults: { throttle: { rate: 1 } } });
  const call = graph.incomingCall({ callbackUri: BOT });
  const refused = await graph.fetch(`https://graph.microsoft.com/v1.0/communications/calls/${call.callId}/answer`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'client-request-id': 'c0ffee00-0000-4000-8000-000000000000' },
    body: answerBody,
  });
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get('client-request-id'), 'c0ffee00-0000-4000-8000-000000000000');
  const { error } = await refused.json();
  assert.deepEqual(Object.keys(error.innerError), ['date', 'request-id', 'client-request-id']);
  assert.equal(error.innerError['request-id'], refused.headers.get('request-id'));
  assert.match(error.innerError.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  const read = await graph.fetch(`https://graph.microsoft.com/v1.0/communications/calls/${call.callId}`);
  assert.match(read.headers.get('request-id'), /^[0-9a-f]{8}-[0-9a-f]{4}-/);
  assert.equal(read.headers.get('client-request-id'), read.headers.get('request-id'));
  graph.free();
});
