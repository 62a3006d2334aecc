// OperationTracker, parseResourceUrl, sameId and the type guards through the public JS API: a
// bot's real traffic through GraphSimulator's fetch, deliveries shuffled and repeated, a hang-up
// that leaves a record without an outcome, the docs' fixtures, stored state, and bad input.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import {
  OperationTracker,
  GraphSimulator,
  CallSimulator,
  buildPlayPrompt,
  buildRecordResponse,
  buildSubscribeToTone,
  buildCancelMediaProcessing,
  parseResourceUrl,
  sameId,
  validateNotifications,
  isOperation,
  isOperationNotification,
  isCallNotification,
  isToneNotification,
} from 'graph-ivr';
import { assertRefused, fixturesDir, fixture } from './helpers.mjs';

const EVENT_TYPES = new Set(['started', 'completed', 'canceled', 'failed', 'orphaned', 'tone', 'callState', 'duplicate', 'unmatched']);

/** A seeded shuffle (mulberry32), so a failure names its seed. */
function shuffled(items, seed) {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  const repeats = Math.floor(random() * 6);
  for (let k = 0; k < repeats; k++) out.splice(Math.floor(random() * out.length), 0, items[Math.floor(random() * items.length)]);
  return out;
}

/** A bot's traffic through graph.fetch: each request and its response told to a tracker. */
async function botCall(profile) {
  const graph = new GraphSimulator({ seed: 5, profile, faults: { batch: true, duplicate: 3 } });
  const tracker = new OperationTracker();
  const call = graph.incomingCall({ callbackUri: 'https://bot.example/calls', callId: '57dab8b1-894c-409a-b240-bd8beae78896' });
  const callId = call.callId;
  const deliveries = [];
  const send = async (request) => {
    const response = await graph.fetch(request.url, request);
    const answer = { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
    return tracker.sent(request, answer);
  };
  await graph.fetch(`https://graph.microsoft.com/v1.0/communications/calls/${callId}/answer`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ callbackUri: 'https://bot.example/calls', acceptedModalities: ['audio'], mediaConfig: {} }),
  });
  deliveries.push(...graph.advance(1000));
  await send(buildSubscribeToTone({ callId, clientContext: 'tones' }));
  await send(buildPlayPrompt({ callId, prompts: ['https://cdn.example/welcome.wav'], clientContext: 'welcome' }));
  await send(buildRecordResponse({ callId, stopTones: ['#'], clientContext: 'message' }));
  deliveries.push(...graph.advance(5000));
  call.pressTone('4');
  call.pressTone('#');
  deliveries.push(...graph.takeDeliveries());
  await send(buildPlayPrompt({ callId, prompts: ['https://cdn.example/menu.wav'], clientContext: 'menu' }));
  await send(buildCancelMediaProcessing({ callId }));
  deliveries.push(...graph.advance(0));
  await send(buildRecordResponse({ callId, clientContext: 'last', maxRecordDurationInSeconds: 60 }));
  deliveries.push(...graph.advance(2000));
  call.hangUp();
  deliveries.push(...graph.takeDeliveries(), ...graph.advance(1000));
  graph.free();
  return { tracker, deliveries, callId };
}

test('a bot through graph.fetch: every outcome once, cancels expected, tones in order', async () => {
  const { tracker, deliveries } = await botCall('docs');
  const events = deliveries.flatMap((d) => tracker.received(d.body));
  for (const e of events) assert.ok(EVENT_TYPES.has(e.type), e.type);
  const of = (type) => events.filter((e) => e.type === type);
  assert.deepEqual(of('tone').map((e) => [e.key, e.sequenceId, e.gap, e.late]), [['4', 1, 0, false], ['#', 2, 0, false]]);
  assert.deepEqual(of('canceled').map((e) => e.clientContext), ['menu']);
  assert.ok(of('duplicate').length > 0, 'the duplicate fault repeats POSTs');
  assert.deepEqual(of('unmatched'), []);
  const byContext = Object.fromEntries(tracker.toJSON().operations.map((op) => [op.clientContext ?? op.operation, op]));
  assert.equal(byContext.welcome.status, 'completed');
  assert.equal(byContext.message.status, 'completed');
  assert.match(byContext.message.recordingLocation, /^https:/);
  assert.equal(byContext.menu.outcome, 'canceled');
  assert.deepEqual(tracker.pending(), []);
});

test('any order and any repetition of the same deliveries gives the same state', async () => {
  for (const profile of ['docs', 'observed']) {
    const { tracker: expected, deliveries } = await botCall(profile);
    const base = (await botCall(profile)).tracker.toJSON();
    for (const d of deliveries) expected.received(d.body);
    const want = JSON.stringify(expected.toJSON());
    for (let seed = 1; seed <= 40; seed++) {
      const tracker = new OperationTracker(base);
      for (const d of shuffled(deliveries, seed)) tracker.received(seed % 2 ? d.body : Buffer.from(d.body));
      assert.equal(JSON.stringify(tracker.toJSON()), want, `${profile}, seed ${seed}`);
    }
  }
});

test('a hang-up orphans the record live Graph never reports; callEnded does the same', async () => {
  const { tracker, deliveries, callId } = await botCall('observed');
  assert.ok(tracker.pending(callId.toUpperCase()).some((op) => op.clientContext === 'last'), 'pending by canonical id');
  const orphaned = deliveries.flatMap((d) => tracker.received(d.body)).filter((e) => e.type === 'orphaned');
  assert.deepEqual(orphaned.map((e) => [e.clientContext, e.status]), [['last', 'orphaned']]);
  assert.deepEqual(tracker.pending(), []);

  const sim = new CallSimulator({ seed: 2 });
  const t = new OperationTracker();
  const request = buildRecordResponse({ callId: sim.callId, clientContext: 'r' });
  t.sent(request, sim.handle(request));
  assert.equal(t.pending(sim.callId).length, 1);
  assert.deepEqual(t.callEnded(sim.callId).map((e) => [e.type, e.clientContext]), [['orphaned', 'r']]);
  assert.deepEqual(t.callEnded(sim.callId), [], 'once');
  t.forget(sim.callId);
  assert.deepEqual(t.toJSON(), { format: 'graph-ivr.tracker/1', operations: [], calls: [] });
});

test('tones: gaps, late arrivals and repeats', () => {
  const tone = (seq, name) =>
    JSON.stringify({
      '@odata.type': '#microsoft.graph.commsNotifications',
      value: [{
        '@odata.type': '#microsoft.graph.commsNotification',
        changeType: 'updated',
        resourceUrl: '/communications/calls/c1',
        resourceData: { '@odata.type': '#microsoft.graph.call', toneInfo: { '@odata.type': '#microsoft.graph.toneInfo', sequenceId: seq, tone: name } },
      }],
    });
  const t = new OperationTracker();
  assert.deepEqual(t.received(tone(1, 'tone1')), [{ type: 'tone', callId: 'c1', tone: 'tone1', key: '1', sequenceId: 1, gap: 0, late: false, index: 0 }]);
  assert.deepEqual(t.received(tone(4, 'pound')).map((e) => [e.key, e.gap, e.late]), [['#', 2, false]]);
  assert.deepEqual(t.received(tone(2, 'star')).map((e) => [e.key, e.gap, e.late]), [['*', 0, true]]);
  assert.deepEqual(t.received(tone(2, 'star')).map((e) => [e.type, e.of, e.sequenceId]), [['duplicate', 'tone', 2]]);
  assert.deepEqual(t.received(tone(5, 'flash')).map((e) => [e.tone, 'key' in e]), [['flash', false]]);
});

test('the docs fixtures: unmatched without a request (other call), matched with one', { skip: !fixturesDir() }, () => {
  const dir = fixturesDir();
  for (const name of readdirSync(dir).filter((f) => /\.notification\.[\w-]+\.json$/.test(f))) {
    const text = fixture(dir, name);
    const t = new OperationTracker();
    const events = t.received(text);
    assert.ok(events.length > 0, name);
    for (const e of events) {
      assert.ok(EVENT_TYPES.has(e.type), `${name}: ${e.type}`);
      if (e.type === 'unmatched') assert.ok(['otherCall', 'malformed'].includes(e.reason), `${name}: ${e.reason}`);
    }
  }
  // The docs' canceled record, after the bot sent it: matched by call and clientContext, then
  // known by the id the notification gives (written in another style in its resourceUrl).
  const text = fixture(dir, 'cancelmediaprocessing.notification.record-canceled.json');
  const { value } = validateNotifications(text);
  const n = value.value[0];
  const ids = parseResourceUrl(n.resourceUrl);
  const t = new OperationTracker();
  t.sent(buildRecordResponse({ callId: ids.callId, clientContext: n.resourceData.clientContext }));
  assert.deepEqual(t.received(text).map((e) => [e.type, e.outcome]), [['canceled', 'canceled']]);
  assert.ok(sameId(t.toJSON().operations[0].operationId, ids.operationId));
  assert.deepEqual(t.received(text).map((e) => e.type), ['duplicate']);
});

test('state: plain JSON that round-trips (object or text); other shapes are refused', async () => {
  const { tracker, deliveries } = await botCall('docs');
  const half = Math.floor(deliveries.length / 2);
  for (const d of deliveries.slice(0, half)) tracker.received(d.body);
  const stored = JSON.stringify(tracker);
  const a = new OperationTracker(stored);
  const b = new OperationTracker(JSON.parse(stored));
  for (const d of deliveries.slice(half)) {
    assert.deepEqual(a.received(d.body), tracker.received(d.body));
    b.received(d.body);
  }
  assert.deepEqual(a.toJSON(), tracker.toJSON());
  assert.deepEqual(b.toJSON(), tracker.toJSON());

  const state = JSON.parse(stored);
  assertRefused(() => new OperationTracker({ ...state, format: 'graph-ivr.tracker/2' }), 'invalidArgument', '/format', /tracker\/2/);
  assertRefused(() => new OperationTracker({ operations: [] }), 'invalidArgument', '/format');
  assertRefused(() => new OperationTracker('not json'), 'invalidArgument', '');
  assertRefused(() => new OperationTracker(42), 'invalidArgument', '');
  assertRefused(() => new OperationTracker({ ...state, extra: 1 }), 'invalidArgument', '/extra', /unknown field/);
  const corrupt = structuredClone(state);
  corrupt.operations[0].status = 'done';
  assertRefused(() => new OperationTracker(corrupt), 'invalidArgument', '/operations/0/status', /done/);
  delete corrupt.operations[0].callId;
  assertRefused(() => new OperationTracker({ ...corrupt, operations: [{ ...state.operations[0], callId: 5 }] }), 'invalidArgument', '/operations/0/callId');
  assertRefused(() => new OperationTracker({ ...state, calls: [{ ...state.calls[0], tones: [1.5] }] }), 'invalidArgument', '/calls/0/tones/0');
  const unsorted = structuredClone(state);
  unsorted.calls[0].seen.reverse();
  assertRefused(() => new OperationTracker(unsorted), 'invalidArgument', '/calls/0/seen');
});

test('bad input: sent refuses what is not a media request; received reports what it cannot read', () => {
  const t = new OperationTracker();
  assertRefused(() => t.sent({ method: 'GET', url: 'https://graph.microsoft.com/v1.0/me' }), 'invalidArgument', '/method');
  assertRefused(() => t.sent(undefined), 'invalidArgument', '');
  const request = buildPlayPrompt({ callId: 'c', prompts: ['https://a.example/x.wav'] });
  assertRefused(() => t.sent(request, 'ok'), 'invalidArgument', '/response');
  assert.deepEqual(t.sent(request, { status: 403, headers: {}, body: '{"error":{"code":"Forbidden"}}' }).map((e) => [e.type, e.httpStatus]), [['failed', 403]]);
  for (const payload of ['{', 42, new Uint8Array([0xff]), new Map(), '{"value":7}']) {
    const events = t.received(payload);
    assert.equal(events.length, 1);
    assert.equal(events[0].type, 'unmatched');
    assert.equal(events[0].reason, 'malformed');
    assert.ok(events[0].issues.length > 0);
  }
  assertRefused(() => t.callEnded(), 'invalidArgument', '');
  assertRefused(() => t.pending(7), 'invalidArgument', '');
  const other = JSON.stringify({ value: [{ changeType: 'deleted', resourceUrl: '/communications/calls/zzz/operations/o', resourceData: { '@odata.type': '#microsoft.graph.playPromptOperation', status: 'completed' } }] });
  assert.deepEqual(t.received(other).map((e) => [e.type, e.reason]), [['unmatched', 'otherCall']]);
  const unknownOp = other.replace('zzz', 'c');
  assert.deepEqual(t.received(unknownOp).map((e) => [e.type, e.reason]), [['unmatched', 'unknownOperation']]);
  t.free();
  assertRefused(() => t.pending(), 'invalidState');
});

test('parseResourceUrl and sameId', () => {
  assert.deepEqual(parseResourceUrl('/communications/calls/57DAB8B1894C409AB240BD8BEAE78896/operations/0FE0623F'), { callId: '57DAB8B1894C409AB240BD8BEAE78896', operationId: '0FE0623F' });
  assert.deepEqual(parseResourceUrl('https://graph.microsoft.com/beta/communications/calls/a%20b/participants/p1'), { version: 'beta', callId: 'a b', participantId: 'p1' });
  assert.deepEqual(parseResourceUrl('/app/calls/c1'), { callId: 'c1' });
  assert.equal(parseResourceUrl('/me/events'), undefined);
  assert.equal(parseResourceUrl(''), undefined);
  assertRefused(() => parseResourceUrl(7), 'invalidArgument', '');
  assert.equal(sameId('57DAB8B1894C409AB240BD8BEAE78896', '57dab8b1-894c-409a-b240-bd8beae78896'), true);
  assert.equal(sameId('{57dab8b1-894c-409a-b240-bd8beae78896}', '57DAB8B1-894C-409A-B240-BD8BEAE78896'), true);
  assert.equal(sameId('call-1', 'CALL-1'), false);
  assert.equal(sameId('call-1', 'call-1'), true);
  assertRefused(() => sameId('a'), 'invalidArgument', '/1');
});

test('type guards tell operations, calls and tones apart in a validated value', () => {
  const call = new CallSimulator({ seed: 3 });
  const callId = call.callId;
  call.handle(buildSubscribeToTone({ callId }));
  call.handle(buildPlayPrompt({ callId, prompts: ['https://a.example/x.wav'] }));
  const notifications = [...call.advance(5000), ...call.pressTone('7'), ...call.hangUp()].flatMap((d) => validateNotifications(d.body).value.value);
  const kinds = notifications.map((n) => [isOperationNotification(n), isCallNotification(n), isToneNotification(n)]);
  assert.deepEqual(kinds, [[true, false, false], [false, true, true], [false, true, false]]);
  assert.equal(isOperation(notifications[0].resourceData), true);
  for (const x of [null, [], 'x', { status: 'running' }, { '@odata.type': '#microsoft.graph.call', status: 'x' }]) assert.equal(isOperation(x), false);
  assert.equal(isToneNotification({ resourceData: { '@odata.type': '#microsoft.graph.call', toneInfo: null } }), false);
});

test('sent() with a fetch Response says how to pass it', async () => {
  const graph = new GraphSimulator({ seed: 1 });
  const request = buildSubscribeToTone({ callId: 'c' });
  const response = await graph.fetch(request.url, request);
  assertRefused(() => new OperationTracker().sent(request, response), 'invalidArgument', '/response', /await r\.text\(\)/);
  graph.free();
});

test('received() takes a simulator Delivery as it is (its body), or its value', () => {
  const call = new CallSimulator({ seed: 6 });
  const request = buildPlayPrompt({ callId: call.callId, prompts: ['https://a.example/x.wav'] });
  const byDelivery = new OperationTracker();
  const byValue = new OperationTracker();
  const response = call.handle(request);
  for (const t of [byDelivery, byValue]) t.sent(request, response);
  const [delivery] = call.advance(5000);
  assert.deepEqual(byDelivery.received(delivery).map((e) => e.type), ['completed']);
  assert.deepEqual(byValue.received(delivery.value).map((e) => e.type), ['completed']);
  call.free();
});
