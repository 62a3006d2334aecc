// The bad-input catalog: hostile or careless arguments through the public JS API. Each case
// must end in a thrown Error with a stable code (builders, simulator) or an issue in a report
// (validators) — never a panic, a wasm trap, a hang or a silently wrong result — and the module
// must keep working for the next call.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as ivr from 'graph-ivr';

const callId = '57dab8b1-894c-409a-b240-bd8beae78896';
const throwingGetter = (key) => Object.defineProperty({ callId }, key, { enumerable: true, get() { throw new Error('getter says no'); } });
const trapProxy = new Proxy({ callId }, { ownKeys() { throw new Error('ownKeys trap'); } });
const lyingProxy = new Proxy({}, { ownKeys: () => ['callId'], getOwnPropertyDescriptor: () => ({ enumerable: true, configurable: true, value: 1 }), get: (_, key) => (key === 'callId' ? { toString: () => 'x' } : undefined) });
const deep = (n) => { let v = {}; const root = v; for (let i = 0; i < n; i++) { v.a = {}; v = v.a; } return root; };
const big = 'x'.repeat(10 * 1024 * 1024);
const wrongTypes = [42, null, undefined, Symbol('s'), 10n, [], [callId], () => 1, true];
const ok = { status: 200, headers: { Location: `https://graph.microsoft.com/v1.0/communications/calls/${callId}/operations/${callId}`, 'Content-Type': 'application/json' } };

/** [name, run, expected]: expected is { throws: code, path? } or { issue: code, path? } or a check function. */
const cases = [];
const refuse = (name, run, code = 'invalidArgument', path) => cases.push([name, run, { throws: code, path }]);
const report = (name, run, code, path) => cases.push([name, run, { issue: code, path }]);
const check = (name, run, verify) => cases.push([name, run, verify]);

// Builders: wrong JS types for the whole argument and for each option.
for (const [builder, extra] of [['buildCancelMediaProcessing', {}], ['buildPlayPrompt', { prompts: ['https://a.example/x.wav'] }], ['buildRecordResponse', {}], ['buildSubscribeToTone', {}]]) {
  for (const bad of wrongTypes) refuse(`${builder}(${typeof bad}${Array.isArray(bad) ? ' array' : ''})`, () => ivr[builder](bad), 'invalidArgument', '');
  refuse(`${builder} with a throwing getter`, () => ivr[builder](Object.defineProperty({ callId, ...extra }, 'clientContext', { enumerable: true, get() { throw new Error('getter says no'); } })), 'invalidArgument', '/clientContext');
  refuse(`${builder} with a throwing Proxy`, () => ivr[builder](trapProxy), 'invalidArgument', '');
}
refuse('a Proxy whose callId is an object', () => ivr.buildSubscribeToTone(lyingProxy), 'invalidArgument', '/callId');
for (const bad of [1, null, Symbol('id'), 10n, ['a'], {}, '']) refuse(`callId ${String(typeof bad)} ${String(bad?.toString?.() ?? bad)}`, () => ivr.buildCancelMediaProcessing({ callId: bad }), 'invalidArgument', '/callId');
for (const id of ['..', '.', 'a\r\nb', 'a\u0000', '\u0085', 'x'.repeat(1025)]) refuse(`callId ${JSON.stringify(id.slice(0, 12))}`, () => ivr.buildCancelMediaProcessing({ callId: id }), 'invalidArgument', '/callId');
for (const [id, encoded] of [['a/b', 'a%2Fb'], ['../x', '..%2Fx'], ['a?b', 'a%3Fb'], ['a#b', 'a%23b'], ['a%2Fb', 'a%252Fb'], ['é🙂', '%C3%A9%F0%9F%99%82']]) {
  check(`callId ${id} stays one segment`, () => ivr.buildCancelMediaProcessing({ callId: id }).url, (url) => assert.equal(url, `https://graph.microsoft.com/v1.0/communications/calls/${encoded}/cancelMediaProcessing`));
}
for (const token of ['a\r\nX-Injected: 1', 'a\n', 'a\r', 'tök', 'a\u0000', '']) refuse(`accessToken ${JSON.stringify(token)}`, () => ivr.buildSubscribeToTone({ callId, accessToken: token }), 'invalidArgument', '/accessToken');
for (const t of [NaN, Infinity, -Infinity, -1, 0, 0.5, 120.5, 121, 1e300, 2 ** 53, '5', null === 1 ? 0 : [5]]) refuse(`maxRecordDurationInSeconds ${String(t)}`, () => ivr.buildRecordResponse({ callId, maxRecordDurationInSeconds: t }), 'invalidArgument', '/maxRecordDurationInSeconds');
refuse('a 10 MB clientContext', () => ivr.buildCancelMediaProcessing({ callId, clientContext: big }), 'invalidArgument', '/clientContext');
refuse('a 10 MB prompt uri', () => ivr.buildPlayPrompt({ callId, prompts: [`https://a.example/${big}`] }), 'invalidArgument', '/prompts/0');
refuse('a 10 MB token', () => ivr.buildPlayPrompt({ callId, prompts: ['https://a.example/x.wav'], accessToken: big }), 'invalidArgument', '/accessToken');
refuse('10,000-deep options', () => ivr.buildCancelMediaProcessing({ callId, clientContext: deep(10_000) }), 'invalidArgument');
refuse('a million prompts', () => ivr.buildPlayPrompt({ callId, prompts: new Array(1_000_000).fill('https://a.example/x.wav') }), 'invalidArgument', '/prompts');
refuse('a lone surrogate in clientContext', () => ivr.buildSubscribeToTone({ callId, clientContext: 'a\ud800b' }), 'invalidArgument', '/clientContext');
refuse('an own __proto__ option', () => ivr.buildSubscribeToTone(JSON.parse(`{"callId":"x","__proto__":{"accessToken":"t"}}`)), 'invalidArgument', '/__proto__');
refuse('a constructor option', () => ivr.buildSubscribeToTone({ callId, constructor: 'x' }), 'invalidArgument', '/constructor');
refuse('classifyResult(undefined)', () => ivr.classifyResult(undefined), 'invalidArgument', '');
refuse('classifyResult with a string code', () => ivr.classifyResult({ code: '400', subcode: 8508 }), 'invalidArgument', '/code');

// Validators: never throw for a bad payload; they report.
for (const bad of [42, null, true, Symbol('p'), 10n, () => 1]) report(`validateNotifications(${typeof bad})`, () => ivr.validateNotifications(bad), bad === null || bad === 42 || bad === true ? 'wrongType' : 'unsupportedInput', '');
report('validateNotifications(undefined)', () => ivr.validateNotifications(undefined), 'unsupportedInput', '');
report('malformed JSON', () => ivr.validateNotifications('{"value": [1,]}'), 'invalidJson', '');
report('JSON with a trailing text', () => ivr.validateNotifications('{} {}'), 'invalidJson', '');
report('a lone surrogate in the text', () => ivr.validateNotifications('{"value":"\ud800"}'), 'unsupportedInput', '');
report('an escaped lone surrogate', () => ivr.validateNotifications('{"value":"\\ud800"}'), 'invalidJson', '');
report('a 10 MB payload', () => ivr.validateNotifications(big), 'payloadTooLarge', '');
report('10,000-deep nesting as text', () => ivr.validateNotifications('['.repeat(10_000) + ']'.repeat(10_000)), 'nestingTooDeep', '');
report('10,000-deep nesting as an object (JSON.stringify itself gives up)', () => ivr.validateNotifications(deep(10_000)), 'unsupportedInput', '');
report('100-deep nesting as an object', () => ivr.validateNotifications(deep(100)), 'nestingTooDeep', '');
report('a cyclic object', () => { const o = {}; o.o = o; return ivr.validateNotifications(o); }, 'unsupportedInput', '');
report('an object with a throwing getter', () => ivr.validateNotifications(throwingGetter('value')), 'unsupportedInput', '');
report('a throwing Proxy payload', () => ivr.validateNotifications(new Proxy({}, { ownKeys() { throw new Error('trap'); } })), 'unsupportedInput', '');
report('a huge number', () => ivr.validateNotifications('{"@odata.type":"#microsoft.graph.commsNotifications","value":[{"@odata.type":"#microsoft.graph.commsNotification","changeType":"updated","resourceUrl":"/communications/calls/a","resourceData":{"@odata.type":"#microsoft.graph.call","toneInfo":{"sequenceId":1e400,"tone":"tone1"}}}]}'), 'invalidJson', '');
report('a fractional sequenceId', () => ivr.validateNotifications({ '@odata.type': '#microsoft.graph.commsNotifications', value: [{ '@odata.type': '#microsoft.graph.commsNotification', changeType: 'updated', resourceUrl: '/communications/calls/a', resourceData: { '@odata.type': '#microsoft.graph.call', toneInfo: { sequenceId: 1.5, tone: 'tone1' } } }] }), 'outOfRange', '/value/0/resourceData/toneInfo/sequenceId');
check('__proto__, constructor and prototype keys stay data', () => ivr.validateNotifications('{"@odata.type":"#microsoft.graph.commsNotifications","value":[],"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"prototype":1}'), (r) => {
  assert.equal(r.valid, true);
  assert.equal(Object.getPrototypeOf(r.value), Object.prototype);
  assert.deepEqual(Object.keys(r.value), ['@odata.type', 'value', '__proto__', 'constructor', 'prototype']);
  assert.deepEqual(r.value.__proto__, { polluted: true });
  assert.equal({}.polluted, undefined);
  assert.equal(Object.prototype.polluted, undefined);
});
check('__proto__ keys survive normalization too', () => ivr.validateNotifications('{"value":[],"__proto__":{"polluted":true}}', { mode: 'tolerant' }), (r) => {
  assert.equal(r.valid, true);
  assert.deepEqual(Object.keys(r.value).sort(), ['@odata.type', '__proto__', 'value']);
  assert.equal({}.polluted, undefined);
});
report('validateNotifications with a bad mode', () => ivr.validateNotifications('{}', { mode: 'STRICT' }), 'unsupportedInput', '/options/mode');
report('validateNotifications with a numeric mode', () => ivr.validateNotifications('{}', { mode: 1 }), 'unsupportedInput', '/options/mode');
report('validateNotifications with an unknown version', () => ivr.validateNotifications('{}', { version: 'v2' }), 'unsupportedInput', '/options/version');
report('validateNotifications with an unknown option', () => ivr.validateNotifications('{}', { strict: true }), 'unsupportedInput', '/options/strict');
report('validateNotifications with options that are not an object', () => ivr.validateNotifications('{}', 'tolerant'), 'unsupportedInput', '/options');
report('validateOperationResponse with a numeric callId', () => ivr.validateOperationResponse({ ...ok, body: null }, { callId: 42 }), 'unsupportedInput', '/options/callId');
report('validateRequest with an unknown option', () => ivr.validateRequest({ method: 'POST', url: 'https://graph.microsoft.com/v1.0/communications/calls/c/subscribeToTone' }, { version: 'beta' }), 'unsupportedInput', '/options/version');
report('validateNotifications of bytes that are not UTF-8', () => ivr.validateNotifications(new Uint8Array([0x7b, 0xff, 0x7d])), 'unsupportedInput', '');
report('validateNotifications of a Map', () => ivr.validateNotifications(new Map([['value', []]])), 'unsupportedInput', '');
for (const bad of [undefined, null, 42, 'HTTP/1.1 200', Symbol('r')]) report(`validateOperationResponse(${typeof bad})`, () => ivr.validateOperationResponse(bad), 'unsupportedInput', '');
report('a status that is NaN', () => ivr.validateOperationResponse({ ...ok, status: NaN, body: null }), 'outOfRange', '/status');
report('a status of 99999', () => ivr.validateOperationResponse({ ...ok, status: 99999, body: null }), 'outOfRange', '/status');
report('a header that is a number', () => ivr.validateOperationResponse({ ...ok, headers: { ...ok.headers, 'Content-Type': 5 }, body: null }), 'wrongType', '/headers/Content-Type');
report('a body with a throwing getter', () => ivr.validateOperationResponse({ ...ok, body: throwingGetter('status') }), 'unsupportedInput', '/body');
report('a response whose status getter throws', () => ivr.validateOperationResponse(Object.defineProperty({}, 'status', { get() { throw new Error('no'); } })), 'unsupportedInput', '/status');
report('an unknown operation option', () => ivr.validateOperationResponse({ ...ok, body: null }, { operation: 'PlayPrompt' }), 'unsupportedInput', '/options/operation');
for (const bad of [undefined, 7, 'POST /x', [] ]) report(`validateRequest(${Array.isArray(bad) ? 'array' : typeof bad})`, () => ivr.validateRequest(bad), 'unsupportedInput', '');
report('a request url with ..', () => ivr.validateRequest({ method: 'POST', url: 'https://graph.microsoft.com/v1.0/communications/calls/../playPrompt', body: '{}' }), 'invalidUrl', '/url');
report('a request with a 10 MB body', () => ivr.validateRequest({ method: 'POST', url: `https://graph.microsoft.com/v1.0/communications/calls/${callId}/subscribeToTone`, headers: { 'Content-Type': 'application/json' }, body: big }), 'payloadTooLarge', '/body');

// The simulator.
for (const ms of [NaN, -1, 1e300, Infinity, 0.5, '1', null, 10n]) refuse(`advance(${String(ms)})`, () => new ivr.CallSimulator().advance(ms), 'invalidArgument', '/ms');
for (const key of ['', '11', 'E', '#1', '\u0000', 1, null, Symbol('k')]) refuse(`pressTone(${String(key?.toString?.() ?? key)})`, () => new ivr.CallSimulator().pressTone(key), 'invalidArgument');
for (const bad of [42, 'x', Symbol('o'), 10n]) refuse(`new CallSimulator(${typeof bad})`, () => new ivr.CallSimulator(bad), 'invalidArgument', '');
refuse('new CallSimulator with seed 2**53', () => new ivr.CallSimulator({ seed: 2 ** 53 }), 'invalidArgument', '/seed');
refuse('new CallSimulator with callId ..', () => new ivr.CallSimulator({ callId: '..' }), 'invalidArgument', '/callId');
refuse('handle(undefined)', () => new ivr.CallSimulator().handle(undefined), 'invalidArgument', '');
refuse('handle with a throwing getter', () => new ivr.CallSimulator().handle(throwingGetter('url')), 'invalidArgument', '/url');
check('handle of a 10 MB body is a 400', () => { const s = new ivr.CallSimulator({ callId: 'c' }); return s.handle({ method: 'POST', url: 'https://graph.microsoft.com/v1.0/communications/calls/c/subscribeToTone', headers: { 'Content-Type': 'application/json' }, body: big }); }, (r) => assert.equal(r.status, 400));
check('advance to the edge of representable time, then one more ms', () => { const s = new ivr.CallSimulator(); s.advance(2 ** 53 - 1); return s; }, (s) => {
  assert.equal(s.now, 2 ** 53 - 1);
  assert.throws(() => s.advance(1), (e) => e.code === 'invalidArgument');
});
for (const method of ['advance', 'pressTone', 'startSpeaking', 'stopSpeaking', 'hangUp', 'snapshot', 'handle', 'free']) {
  refuse(`${method}() after free()`, () => { const s = new ivr.CallSimulator(); s.free(); return s[method](method === 'advance' ? 1 : '1'); }, 'invalidState');
}

test(`the catalog has at least 60 cases (${cases.length})`, () => assert.ok(cases.length >= 60));

// OperationTracker: a request it cannot read is refused with its path; a payload it cannot read
// is one `unmatched` event; a state it cannot read is refused with its path.
const tracker = new ivr.OperationTracker();
const unmatched = (events) => {
  assert.equal(events.length, 1);
  assert.equal(events[0].type, 'unmatched');
  assert.equal(events[0].reason, 'malformed');
};
for (const bad of wrongTypes) refuse(`tracker.sent(${typeof bad})`, () => tracker.sent(bad), 'invalidArgument');
refuse('tracker.sent with a throwing getter', () => tracker.sent(throwingGetter('url')), 'invalidArgument', '/url');
refuse('tracker.sent with a throwing Proxy', () => tracker.sent(trapProxy), 'invalidArgument', '');
refuse('tracker.sent with a throwing response', () => tracker.sent(ivr.buildSubscribeToTone({ callId }), throwingGetter('status')), 'invalidArgument', '/response/status');
for (const bad of [42, null, Symbol('p'), 10n, () => 1, undefined, new Set([1]), big, '{"value":"\ud800"}', 'a\ud800', deep(100), '['.repeat(10_000)]) {
  check(`tracker.received(${typeof bad === 'string' ? JSON.stringify(bad.slice(0, 12)) : typeof bad})`, () => tracker.received(bad), unmatched);
}
check('tracker.received of a cyclic object', () => { const o = {}; o.o = o; return tracker.received(o); }, unmatched);
for (const bad of [42, Symbol('s'), 10n, () => 1, [], '[]', '{"format":7}', big, deep(10_000)]) {
  refuse(`new OperationTracker(${typeof bad})`, () => new ivr.OperationTracker(bad), 'invalidArgument');
}
refuse('a state with a throwing getter', () => new ivr.OperationTracker(throwingGetter('format')), 'invalidArgument', '');
refuse('a state with an own __proto__', () => new ivr.OperationTracker(JSON.parse('{"format":"graph-ivr.tracker/1","operations":[],"calls":[],"__proto__":{}}')), 'invalidArgument', '/__proto__');
for (const bad of [undefined, 42, '', null]) refuse(`tracker.callEnded(${String(bad)})`, () => tracker.callEnded(bad), 'invalidArgument', '');
refuse('parseResourceUrl(undefined)', () => ivr.parseResourceUrl(undefined), 'invalidArgument', '');
check('parseResourceUrl of a 10 MB string', () => ivr.parseResourceUrl(`/communications/calls/${big}`), (ids) => assert.equal(ids.callId.length, big.length));
refuse('sameId(1, 2)', () => ivr.sameId(1, 2), 'invalidArgument', '/0');

for (const [name, run, expected] of cases) {
  test(name, () => {
    if (expected.throws) {
      let thrown;
      try {
        run();
      } catch (err) {
        thrown = err;
      }
      assert.ok(thrown instanceof Error, `a real Error, got ${String(thrown)}`);
      assert.equal(thrown.name, 'GraphIvrError', thrown.message);
      assert.equal(thrown.code, expected.throws, thrown.message);
      if (expected.path !== undefined) assert.equal(thrown.path, expected.path, thrown.message);
      assert.ok(thrown.message.length > 10);
    } else if (expected.issue) {
      const r = run();
      const issue = r.issues.find((i) => i.code === expected.issue);
      assert.ok(issue, `${expected.issue} in ${JSON.stringify(r.issues)}`);
      if (expected.path !== undefined) assert.equal(issue.path, expected.path);
      assert.equal(r.valid, false);
    } else {
      expected(run());
    }
    // The module keeps working.
    assert.equal(ivr.buildSubscribeToTone({ callId: 'still-alive' }).url, 'https://graph.microsoft.com/v1.0/communications/calls/still-alive/subscribeToTone');
    assert.equal(ivr.validateNotifications('{"@odata.type":"#microsoft.graph.commsNotifications","value":[]}').valid, true);
  });
}

test('a megabyte-long enum value is reported briefly and without a hint', () => {
  const status = 'x'.repeat(1_000_000);
  const report = ivr.validateOperationResponse({ ...ok, body: { '@odata.type': '#microsoft.graph.cancelMediaProcessingOperation', id: callId, status } });
  const issue = report.issues.find((i) => i.code === 'unknownEnumValue');
  assert.ok(issue.message.length < 300, `${issue.message.length} characters`);
  assert.equal(issue.hint, undefined);
  assert.equal(issue.actual.length, status.length, 'the value itself is kept');
});
