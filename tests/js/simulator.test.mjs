// The CallSimulator class through the public JS API.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  CallSimulator,
  buildPlayPrompt,
  buildRecordResponse,
  buildSubscribeToTone,
  buildCancelMediaProcessing,
  validateNotifications,
  validateOperationResponse,
} from 'graph-ivr';
import { assertRefused } from './helpers.mjs';

function seedScenario(seed) {
  const call = new CallSimulator({ seed });
  const callId = call.callId;
  const log = [];
  log.push(call.handle(buildPlayPrompt({ callId, prompts: ['https://cdn.contoso.com/welcome.wav'], clientContext: 'welcome' })));
  log.push(call.handle(buildRecordResponse({ callId, maxRecordDurationInSeconds: 10, clientContext: 'voicemail' })));
  log.push(call.handle(buildSubscribeToTone({ callId })));
  log.push(...call.advance(1000));
  log.push(call.handle(buildCancelMediaProcessing({ callId })));
  const canceled = call.advance(0);
  const tone = call.pressTone('1');
  log.push(...canceled, ...tone);
  call.free();
  return { log, canceled, tone };
}

test('the seed scenario: two 8508 failures, and a tone after the cancel', () => {
  const { canceled, tone } = seedScenario(1);
  assert.equal(canceled.length, 2);
  for (const delivery of canceled) {
    const report = validateNotifications(delivery.body);
    assert.equal(report.valid, true, JSON.stringify(report.issues));
    assert.deepEqual(report.value, delivery.value);
    const op = delivery.value.value[0].resourceData;
    assert.equal(op.status, 'failed');
    assert.deepEqual([op.resultInfo.code, op.resultInfo.subcode, op.resultInfo.message], [400, 8508, 'Action failed, the operation was cancelled.']);
  }
  const record = canceled[1].value.value[0].resourceData;
  assert.deepEqual([record.completionReason, record.recordingLocation, record.recordingAccessToken], ['operationCanceled', '', '']);
  assert.equal(tone.length, 1);
  assert.deepEqual(tone[0].value.value[0].resourceData.toneInfo, { '@odata.type': '#microsoft.graph.toneInfo', sequenceId: 1, tone: 'tone1' });
});

test('same seed, same bytes; another seed, other ids', () => {
  const a = JSON.stringify(seedScenario(5).log);
  assert.equal(a, JSON.stringify(seedScenario(5).log));
  assert.notEqual(a, JSON.stringify(seedScenario(6).log));
});

test('responses are what validateOperationResponse accepts', () => {
  const call = new CallSimulator({ callId: 'my-call' });
  const response = call.handle(buildPlayPrompt({ callId: 'my-call', prompts: ['https://a.example/1.wav'] }));
  const report = validateOperationResponse(response, { operation: 'playPrompt', callId: 'my-call' });
  assert.deepEqual(report.issues, []);
  assert.equal(report.value.status, 'running');
  assert.equal(call.nextTimeout, 3000);
  assert.equal(call.snapshot().running.phase, 'playing');
});

test('failingPrompts: a record whose prompt cannot be fetched fails with playPromptFailed', () => {
  const call = new CallSimulator({ callId: 'c', failingPrompts: ['https://a.example/missing.wav'] });
  const response = call.handle(buildRecordResponse({ callId: 'c', prompts: ['https://a.example/missing.wav'] }));
  assert.equal(response.status, 200);
  const [delivery] = call.advance(0);
  const op = delivery.value.value[0].resourceData;
  assert.deepEqual([op.status, op.completionReason, op.resultInfo.code], ['failed', 'playPromptFailed', 400]);
  assert.equal(validateNotifications(delivery.body).valid, true);
});

test('malformed requests get 400 and other calls 404, as OData errors', () => {
  const call = new CallSimulator({ callId: 'c1' });
  const bad = call.handle({ method: 'POST', url: 'https://graph.microsoft.com/v1.0/communications/calls/c1/playPrompt', body: '{"prompts":' });
  assert.equal(bad.status, 400);
  assert.equal(JSON.parse(bad.body).error.code, 'BadRequest');
  const other = call.handle(buildSubscribeToTone({ callId: 'c2' }));
  assert.equal(other.status, 404);
});

test('bad arguments throw Errors with codes, and the instance keeps working', () => {
  const call = new CallSimulator();
  for (const ms of [-1, NaN, Infinity, 1e300, 1.5, '10', undefined, null]) {
    assertRefused(() => call.advance(ms), 'invalidArgument', '/ms');
  }
  for (const key of ['E', '11', '', 5, null]) {
    assertRefused(() => call.pressTone(key), 'invalidArgument');
  }
  assertRefused(() => call.handle('POST /calls'), 'invalidArgument', '');
  assertRefused(() => new CallSimulator({ seed: -1 }), 'invalidArgument', '/seed');
  assertRefused(() => new CallSimulator({ defaultPromptMs: 0 }), 'invalidArgument', '/defaultPromptMs');
  assertRefused(() => new CallSimulator({ promptDurationsMs: { 'https://a/b.wav': NaN } }), 'invalidArgument', '/promptDurationsMs/https:~1~1a~1b.wav');
  assertRefused(() => new CallSimulator({ profile: 'live' }), 'invalidArgument', '/profile');
  assertRefused(() => new CallSimulator({ sed: 1 }), 'invalidArgument', '/sed');
  assertRefused(() => new CallSimulator({ failingPrompts: 'https://a/b.wav' }), 'invalidArgument', '/failingPrompts');
  assertRefused(() => new CallSimulator({ failingPrompts: [1] }), 'invalidArgument', '/failingPrompts/0');
  assert.deepEqual(call.advance(10), []);
  assert.equal(call.now, 10);
  call.hangUp();
  assertRefused(() => call.pressTone('1'), 'invalidState');
  assertRefused(() => call.hangUp(), 'invalidState');
});

test('after free() every method throws an invalidState Error', () => {
  const call = new CallSimulator();
  call.free();
  assertRefused(() => call.advance(1), 'invalidState', undefined, /freed/);
  assertRefused(() => call.snapshot(), 'invalidState');
  assertRefused(() => call.now, 'invalidState');
  assertRefused(() => call.free(), 'invalidState');
  // A builder's request takes the one-crossing path: it is guarded too.
  assertRefused(() => call.handle(buildSubscribeToTone({ callId: 'x' })), 'invalidState', undefined, /freed/);
  assertRefused(() => call.takeDeliveries(), 'invalidState');
  assertRefused(() => call.fetch, 'invalidState');
  assert.equal(new CallSimulator({ callId: 'next' }).callId, 'next', 'the module keeps working');
});

test('a getter that calls back into the simulator sees a consistent state; one that frees it is refused', () => {
  const call = new CallSimulator({ callId: 'c' });
  const request = buildSubscribeToTone({ callId: 'c' });
  // Arguments are read before the simulator is borrowed: re-entry reads, it cannot alias.
  Object.defineProperty(request, 'body', { enumerable: true, get: () => JSON.stringify({ clientContext: `at ${call.now}` }) });
  const response = call.handle(request);
  assert.equal(response.status, 200);
  assert.equal(JSON.parse(response.body).clientContext, 'at 0');
  const freeing = buildSubscribeToTone({ callId: 'c' });
  Object.defineProperty(freeing, 'body', { enumerable: true, get: () => { call.free(); return '{}'; } });
  assertRefused(() => call.handle(freeing), 'invalidState', undefined, /busy/);
  assert.equal(call.handle(buildSubscribeToTone({ callId: 'c' })).status, 200, 'the simulator still works');
});

test('errors are instances of the exported GraphIvrError class', async () => {
  const { GraphIvrError } = await import('graph-ivr');
  const call = new CallSimulator();
  for (const run of [() => buildSubscribeToTone({}), () => call.advance(-1)]) {
    assert.throws(run, (err) => err instanceof GraphIvrError && err instanceof Error && err.name === 'GraphIvrError');
  }
  call.free();
  assert.throws(() => call.snapshot(), (err) => err instanceof GraphIvrError && err.code === 'invalidState');
});

test('what handle() causes is visible without advancing: takeDeliveries() and nextTimeout', () => {
  const call = new CallSimulator({ callId: 'c' });
  call.handle(buildPlayPrompt({ callId: 'c', prompts: ['https://a.example/p.wav'] }));
  assert.equal(call.nextTimeout, 3000, 'the prompt ends at 3 s');
  call.handle(buildCancelMediaProcessing({ callId: 'c' }));
  assert.equal(call.nextTimeout, call.now, 'a waiting delivery makes the next timeout now');
  const taken = call.takeDeliveries();
  assert.equal(taken.length, 1);
  assert.equal(taken[0].value.value[0].resourceData.resultInfo.subcode, 8508);
  assert.equal(call.nextTimeout, undefined, 'nothing is left');
  assert.deepEqual(call.takeDeliveries(), []);
});

test('handle() answers the same whatever shape the request has: built, pretty body, odd headers, no prototype', () => {
  const answer = (request) => {
    const call = new CallSimulator({ seed: 7 });
    const req = typeof request === 'function' ? request(call.callId) : request;
    const response = call.handle(req);
    call.free();
    return response;
  };
  const built = (callId) => buildPlayPrompt({ callId, prompts: ['https://cdn.contoso.com/a.wav'], clientContext: 'c\nd' });
  const expected = answer(built);
  assert.equal(expected.status, 200);
  const variants = {
    'pretty body with newlines': (callId) => ({ ...built(callId), body: JSON.stringify(JSON.parse(built(callId).body), null, 2) }),
    'an object without a prototype': (callId) => Object.assign(Object.create(null), built(callId)),
    'headers with more keys': (callId) => ({ ...built(callId), headers: { ...built(callId).headers, 'x-a\nb': 'v\n' } }),
  };
  for (const [name, request] of Object.entries(variants)) {
    const got = answer(request);
    assert.equal(got.status, expected.status, name);
    assert.deepEqual(JSON.parse(got.body), JSON.parse(expected.body), name);
    assert.deepEqual(got.headers, expected.headers, name);
  }
  // A newline in the URL or the method is read as part of it, whatever path the request takes.
  for (const key of ['url', 'method']) {
    const got = answer((callId) => ({ ...built(callId), [key]: `${built(callId)[key]}\nPOST` }));
    assert.equal(got.status, 400, key);
    assert.equal(JSON.parse(got.body).error.code, 'BadRequest', key);
  }
  // Headers that are not an object, a body that is not text or is missing: refused.
  assert.equal(answer((callId) => ({ ...built(callId), headers: 'application/json' })).status, 400);
  assert.equal(answer((callId) => ({ ...built(callId), body: undefined })).status, 400);
  assert.equal(answer((callId) => ({ ...built(callId), body: JSON.parse(built(callId).body) })).status, 400);
});
