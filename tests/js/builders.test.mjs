// The builders through the public JS API: exact requests, and every refusal.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  buildCancelMediaProcessing,
  buildPlayPrompt,
  buildRecordResponse,
  buildSubscribeToTone,
} from 'graph-ivr';
import { assertRefused } from './helpers.mjs';

const callId = '57dab8b1-894c-409a-b240-bd8beae78896';

test('cancelMediaProcessing is the request the docs describe', () => {
  const req = buildCancelMediaProcessing({ callId, clientContext: 'clientContext-value', accessToken: 'eyJ0eXAi.x.y' });
  assert.deepEqual(req, {
    method: 'POST',
    url: `https://graph.microsoft.com/v1.0/communications/calls/${callId}/cancelMediaProcessing`,
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer eyJ0eXAi.x.y' },
    body: '{"clientContext":"clientContext-value"}',
    operation: 'cancelMediaProcessing',
    idempotent: false,
  });
  // The docs' example body, byte for byte apart from whitespace.
  assert.deepEqual(JSON.parse(req.body), { clientContext: 'clientContext-value' });
});

test('no token, no Authorization header; no clientContext, empty body', () => {
  const req = buildCancelMediaProcessing({ callId });
  assert.deepEqual(req.headers, { 'Content-Type': 'application/json' });
  assert.equal(req.body, '{}');
});

test('version, baseUrl and percent-encoding of the call id', () => {
  assert.equal(
    buildCancelMediaProcessing({ callId: 'a/b?c#d%2F é', version: 'beta', baseUrl: 'http://127.0.0.1:8080/' }).url,
    'http://127.0.0.1:8080/beta/communications/calls/a%2Fb%3Fc%23d%252F%20%C3%A9/cancelMediaProcessing',
  );
  assert.equal(
    buildSubscribeToTone({ callId: 'x', baseUrl: 'https://graph.microsoft.us' }).url,
    'https://graph.microsoft.us/v1.0/communications/calls/x/subscribeToTone',
  );
});

test('the four builders name their action', () => {
  const prompts = ['https://cdn.contoso.com/beep.wav'];
  assert.equal(buildPlayPrompt({ callId, prompts }).operation, 'playPrompt');
  assert.equal(buildRecordResponse({ callId }).operation, 'recordResponse');
  assert.equal(buildSubscribeToTone({ callId }).operation, 'subscribeToTone');
  assert.match(buildPlayPrompt({ callId, prompts }).url, /\/playPrompt$/);
});

test('playPrompt writes each prompt in the wire shape', () => {
  const req = buildPlayPrompt({
    callId,
    clientContext: 'c',
    prompts: ['https://cdn.contoso.com/a.wav', { uri: 'https://cdn.contoso.com/b.wav', resourceId: '1D6DE2D4' }],
  });
  assert.deepEqual(JSON.parse(req.body), {
    clientContext: 'c',
    prompts: [
      // Both discriminators, as in the docs' playPrompt example.
      { '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri: 'https://cdn.contoso.com/a.wav' } },
      { '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri: 'https://cdn.contoso.com/b.wav', resourceId: '1D6DE2D4' } },
    ],
  });
});

test('recordResponse sends only what the caller set', () => {
  assert.equal(buildRecordResponse({ callId }).body, '{}');
  const req = buildRecordResponse({ callId, bargeInAllowed: true, maxRecordDurationInSeconds: 10, playBeep: false, stopTones: ['#', '1', '*'] });
  assert.deepEqual(JSON.parse(req.body), { bargeInAllowed: true, maxRecordDurationInSeconds: 10, playBeep: false, stopTones: ['#', '1', '*'] });
});

test('refusals: callId', () => {
  assertRefused(() => buildCancelMediaProcessing({}), 'invalidArgument', '/callId', /required/);
  assertRefused(() => buildCancelMediaProcessing({ callId: '' }), 'invalidArgument', '/callId', /empty/);
  assertRefused(() => buildCancelMediaProcessing({ callId: 'a\u0000b' }), 'invalidArgument', '/callId', /control/);
  assertRefused(() => buildCancelMediaProcessing({ callId: 'a\nb' }), 'invalidArgument', '/callId', /control/);
  assertRefused(() => buildCancelMediaProcessing({ callId: '..' }), 'invalidArgument', '/callId');
  assertRefused(() => buildCancelMediaProcessing({ callId: 42 }), 'invalidArgument', '/callId', /string, got 42/);
});

test('refusals: clientContext over 256 characters', () => {
  assert.doesNotThrow(() => buildCancelMediaProcessing({ callId, clientContext: 'x'.repeat(256) }));
  assertRefused(() => buildCancelMediaProcessing({ callId, clientContext: 'x'.repeat(257) }), 'invalidArgument', '/clientContext', /256.*257/);
  assertRefused(() => buildSubscribeToTone({ callId, clientContext: '😀'.repeat(129) }), 'invalidArgument', '/clientContext');
});

test('refusals: tokens that would split the header', () => {
  assertRefused(() => buildCancelMediaProcessing({ callId, accessToken: 'abc\r\nX-Evil: 1' }), 'invalidArgument', '/accessToken', /CR or LF/);
  assertRefused(() => buildCancelMediaProcessing({ callId, accessToken: 'abc\n' }), 'invalidArgument', '/accessToken');
  assertRefused(() => buildCancelMediaProcessing({ callId, accessToken: 'Bearer abc' }), 'invalidArgument', '/accessToken', /prefix/);
});

test('refusals: version, baseUrl, unknown options, non-objects', () => {
  assertRefused(() => buildCancelMediaProcessing({ callId, version: 'v2' }), 'invalidArgument', '/version');
  assertRefused(() => buildCancelMediaProcessing({ callId, baseUrl: 'https://graph.microsoft.com/v1.0' }), 'invalidArgument', '/baseUrl', /origin/);
  assertRefused(() => buildCancelMediaProcessing({ callId, baseUrl: 'ftp://x' }), 'invalidArgument', '/baseUrl');
  assertRefused(() => buildCancelMediaProcessing({ callId, clientcontext: 'typo' }), 'invalidArgument', '/clientcontext', /unknown option/);
  assertRefused(() => buildCancelMediaProcessing(null), 'invalidArgument', '', /object/);
  assertRefused(() => buildCancelMediaProcessing('57dab8b1'), 'invalidArgument', '');
});

test('refusals: prompts', () => {
  assertRefused(() => buildPlayPrompt({ callId }), 'invalidArgument', '/prompts', /required/);
  assertRefused(() => buildPlayPrompt({ callId, prompts: [] }), 'invalidArgument', '/prompts', /1 to 20/);
  const many = Array.from({ length: 21 }, (_, i) => `https://cdn.contoso.com/${i}.wav`);
  assertRefused(() => buildPlayPrompt({ callId, prompts: many }), 'invalidArgument', '/prompts', /got 21/);
  assertRefused(() => buildPlayPrompt({ callId, prompts: ['https://a/b.wav', { uri: 'file:///etc/passwd' }] }), 'invalidArgument', '/prompts/1/uri', /http/);
  assertRefused(() => buildRecordResponse({ callId, prompts: ['https://a/1.wav', 'https://a/2.wav'] }), 'invalidArgument', '/prompts', /at most 1/);
  assertRefused(() => buildPlayPrompt({ callId, prompts: ['https://a/b.wav'], loop: true }), 'invalidArgument', '/loop', /beta/);
});

test('refusals: record timers and stop tones', () => {
  for (const bad of [0, 121, 1.5, -1, NaN, Infinity, '5']) {
    assertRefused(() => buildRecordResponse({ callId, maxSilenceTimeoutInSeconds: bad }), 'invalidArgument', '/maxSilenceTimeoutInSeconds');
  }
  assertRefused(() => buildRecordResponse({ callId, stopTones: ['#', '11'] }), 'invalidArgument', '/stopTones/1', /one DTMF character/);
  assertRefused(() => buildRecordResponse({ callId, stopTones: ['a'] }), 'invalidArgument', '/stopTones/0', /did you mean "A"/);
  assertRefused(() => buildRecordResponse({ callId, streamWhileRecording: true }), 'invalidArgument', '/streamWhileRecording', /beta/);
});

test('a throwing getter is a refusal, not an escaped exception', () => {
  const options = { callId };
  Object.defineProperty(options, 'clientContext', { enumerable: true, get() { throw new Error('boom'); } });
  assertRefused(() => buildCancelMediaProcessing(options), 'invalidArgument', '/clientContext', /boom/);
  // The module keeps working.
  assert.equal(buildCancelMediaProcessing({ callId }).method, 'POST');
});

test('baseUrl: national clouds and emulators pass; paths, queries, fragments and credentials do not', () => {
  for (const origin of ['https://graph.microsoft.us', 'https://dod-graph.microsoft.us', 'https://microsoftgraph.chinacloudapi.cn', 'http://localhost:3000', 'http://[::1]:8080']) {
    assert.ok(buildSubscribeToTone({ callId, baseUrl: origin }).url.startsWith(`${origin}/v1.0/`), origin);
  }
  for (const bad of ['https://graph.microsoft.com/beta', 'https://graph.microsoft.com?x=1', 'https://graph.microsoft.com#f', 'https://user:pw@graph.microsoft.com', 'graph.microsoft.com', 'https://graph.microsoft.com:70000', 'javascript:alert(1)']) {
    assertRefused(() => buildSubscribeToTone({ callId, baseUrl: bad }), 'invalidArgument', '/baseUrl');
  }
});

test('beta-only options pass under beta, in the wire shape too', () => {
  const play = buildPlayPrompt({
    callId,
    version: 'beta',
    loop: true,
    prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { uri: 'https://a.example/x.wav', resourceId: 'r1' }, loop: 5 }],
  });
  assert.deepEqual(JSON.parse(play.body), {
    prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri: 'https://a.example/x.wav', resourceId: 'r1' }, loop: 5 }],
    loop: true,
  });
  assert.equal(JSON.parse(buildRecordResponse({ callId, version: 'beta', streamWhileRecording: true }).body).streamWhileRecording, true);
  assertRefused(() => buildPlayPrompt({ callId, prompts: [{ mediaInfo: { uri: 'https://a.example/x.wav' }, loop: 2 }] }), 'invalidArgument', '/prompts/0/loop', /beta/);
});

test('refusals: the shape of each prompt', () => {
  const p = (prompt) => () => buildPlayPrompt({ callId, prompts: [prompt] });
  assertRefused(p({ uri: 'https://a.example/x.wav', resourceId: '' }), 'invalidArgument', '/prompts/0/resourceId');
  assertRefused(p({ uri: 'https://a.example/x.wav', resourceId: 7 }), 'invalidArgument', '/prompts/0/resourceId');
  assertRefused(p({ url: 'https://a.example/x.wav' }), 'invalidArgument', '/prompts/0/url', /unknown property/);
  assertRefused(p({ '@odata.type': '#microsoft.graph.prompt', mediaInfo: { uri: 'https://a.example/x.wav' } }), 'invalidArgument', '/prompts/0/@odata.type');
  assertRefused(p({ '@odata.type': '#microsoft.graph.mediaPrompt' }), 'invalidArgument', '/prompts/0/mediaInfo');
  assertRefused(p({ mediaInfo: { uri: 'https://a.example/x y.wav' } }), 'invalidArgument', '/prompts/0/mediaInfo/uri', /whitespace/);
  assertRefused(p('https:///x.wav'), 'invalidArgument', '/prompts/0', /host/);
  assertRefused(p(null), 'invalidArgument', '/prompts/0');
  assertRefused(() => buildPlayPrompt({ callId, prompts: 'https://a.example/x.wav' }), 'invalidArgument', '/prompts', /array/);
});

test('refusals: booleans are booleans', () => {
  for (const key of ['bargeInAllowed', 'playBeep']) {
    for (const bad of ['true', 1, {}]) {
      assertRefused(() => buildRecordResponse({ callId, [key]: bad }), 'invalidArgument', `/${key}`, /boolean/);
    }
  }
  assertRefused(() => buildPlayPrompt({ callId, version: 'beta', prompts: ['https://a.example/x.wav'], loop: 'yes' }), 'invalidArgument', '/loop');
  assertRefused(() => buildRecordResponse({ callId, stopTones: '#' }), 'invalidArgument', '/stopTones', /array/);
});

test('null and undefined options mean "not given"', () => {
  assert.equal(buildRecordResponse({ callId, prompts: null, playBeep: undefined, clientContext: null }).body, '{}');
});

test('plain-JSON options (one crossing as text) and any other options give the same request or refusal', () => {
  const calls = [
    [buildPlayPrompt, { callId, prompts: ['https://cdn.contoso.com/a.wav', { uri: 'https://cdn.contoso.com/b.wav', resourceId: 'r' }], accessToken: 'tok' }],
    [buildRecordResponse, { callId, maxRecordDurationInSeconds: 120, stopTones: ['#', '1'], version: 'beta', streamWhileRecording: true }],
    [buildCancelMediaProcessing, { callId, baseUrl: 'http://127.0.0.1:3000/' }],
    [buildSubscribeToTone, { callId: '..' }],
    [buildRecordResponse, { callId, maxRecordDurationInSeconds: 121 }],
    [buildPlayPrompt, { callId, prompts: [] }],
    [buildPlayPrompt, { callId, prompts: ['https://a/b.wav'], clientContxt: 'x' }],
  ];
  const outcome = (build, options) => {
    try {
      return build(options);
    } catch (err) {
      return { code: err.code, path: err.path, message: err.message, instance: err.constructor.name };
    }
  };
  for (const [build, options] of calls) {
    // An `undefined` member (here clientContext, which means "not given") is not plain JSON:
    // those options take the property-by-property path.
    const exact = outcome(build, { ...options, clientContext: undefined });
    assert.deepEqual(outcome(build, options), exact, JSON.stringify(options));
  }
});
