// The entry's fast paths (js/fast.js) give what the plain exports give. Inputs the fast paths
// do not take (an ArrayBuffer, options or requests with a getter) reach the plain ones through
// the same public functions, so each pair is compared as a user would call it.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import test from 'node:test';
import {
  CallSimulator,
  GraphIvrError,
  buildCancelMediaProcessing,
  buildPlayPrompt,
  buildRecordResponse,
  buildSubscribeToTone,
  validateNotifications,
} from 'graph-ivr';
import { fixture, fixturesDir } from './helpers.mjs';

/** The same object, its properties behind getters: not plain JSON, so the plain path reads it. */
function behindGetters(object) {
  const copy = {};
  for (const [key, value] of Object.entries(object)) Object.defineProperty(copy, key, { get: () => value, enumerable: true });
  return copy;
}

const report = (r) => ({ valid: r.valid, issues: r.issues, value: r.value });

test('validateNotifications: text (fast) reads as bytes and an ArrayBuffer (plain) read', () => {
  const dir = fixturesDir();
  if (!dir) return;
  const texts = readdirSync(dir)
    .filter((name) => name.includes('.notification.') && name.endsWith('.json'))
    .map((name) => fixture(dir, name));
  texts.push('{"value":[]}', '{"value": [', '[]', '{"value":[{"changeType":"updated"}]}', ' {"a":1,"a":2} ');
  assert.ok(texts.length > 10);
  for (const text of texts) {
    const bytes = new TextEncoder().encode(text);
    const plain = report(validateNotifications(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)));
    assert.deepEqual(report(validateNotifications(text)), plain, text);
    assert.deepEqual(report(validateNotifications(bytes)), plain, text);
  }
});

test('builders: plain-JSON options (fast) and options behind getters (plain) build and refuse alike', () => {
  const callId = '57dab8b1-894c-409a-b240-bd8beae78896';
  const cases = [
    [buildPlayPrompt, { callId, prompts: ['https://cdn.contoso.com/a.wav', { uri: 'https://cdn.contoso.com/b.wav', resourceId: 'r' }], clientContext: 'c' }],
    [buildRecordResponse, { callId, stopTones: ['#'], maxRecordDurationInSeconds: 30, accessToken: 'tok', version: 'beta', streamWhileRecording: true }],
    [buildCancelMediaProcessing, { callId, baseUrl: 'https://graph.example.test' }],
    [buildSubscribeToTone, { callId, clientContext: 'x' }],
    [buildPlayPrompt, { callId, prompts: [] }],
    [buildRecordResponse, { callId, maxRecordDurationInSeconds: 0 }],
    [buildSubscribeToTone, { callId, clientContxt: 'typo' }],
    [buildPlayPrompt, { callId: 'a/b', prompts: ['https://a/x.wav'] }],
  ];
  const outcome = (build, options) => {
    try {
      return { built: build(options) };
    } catch (err) {
      assert.ok(err instanceof GraphIvrError);
      return { code: err.code, path: err.path, message: err.message, hint: err.hint };
    }
  };
  for (const [build, options] of cases) {
    assert.deepEqual(outcome(build, options), outcome(build, behindGetters(options)), JSON.stringify(options));
  }
});

test('CallSimulator.handle: plain requests (fast) and requests behind getters (plain) are answered alike', () => {
  const answers = (wrap) => {
    const call = new CallSimulator({ seed: 3 });
    const callId = call.callId;
    const requests = [
      buildSubscribeToTone({ callId }),
      buildPlayPrompt({ callId, prompts: ['https://cdn.contoso.com/a.wav'] }),
      { ...buildPlayPrompt({ callId, prompts: ['https://cdn.contoso.com/a.wav'] }), body: '{"prompts":' },
      { ...buildCancelMediaProcessing({ callId }), url: `https://graph.microsoft.com/v1.0/communications/calls/${callId}/cancelmediaprocessing` },
      buildCancelMediaProcessing({ callId: 'other' }),
    ];
    const out = requests.map((request) => call.handle(wrap(request)));
    out.push(call.takeDeliveries().map((d) => d.body));
    call.free();
    return out;
  };
  assert.deepEqual(answers((r) => r), answers(behindGetters));
});

test('CallSimulator.handle reads only Content-Type among the headers, whatever the others hold', () => {
  const call = new CallSimulator({ seed: 4 });
  const request = buildSubscribeToTone({ callId: call.callId });
  // Not all strings: the plain path reads this request, as validateRequest reads it.
  const odd = { ...request.headers, 'x-attempt': 2, 'x-retry': false, 'x-bad': { a: 1 } };
  assert.equal(call.handle({ ...request, headers: odd }).status, 200);
  assert.equal(call.handle({ ...request, headers: { ...odd, 'Content-Type': 5 } }).status, 400);
  call.free();
});
