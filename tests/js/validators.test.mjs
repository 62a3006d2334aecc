// The validators through the public JS API: the docs' fixtures, and broken variants, each
// fault reported once with its path and code.
import test from 'node:test';
import assert from 'node:assert/strict';
import { validateNotifications, validateOperationResponse, validateRequest, buildPlayPrompt } from 'graph-ivr';
import { fixturesDir, fixture, summary } from './helpers.mjs';

const dir = fixturesDir();
const callId = '57dab8b1-894c-409a-b240-bd8beae78896';

/** Splits an .http fixture into {status, headers, body}. */
function httpResponse(text) {
  const [head, ...rest] = text.split('\n\n');
  const [start, ...lines] = head.split('\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(start.split(' ')[1]), headers, body: rest.join('\n\n') || null };
}

test('every v1.0 notification fixture is valid, as text and as an object', { skip: !dir }, () => {
  for (const name of [
    'cancelmediaprocessing.notification.record-canceled.json',
    'playprompt.notification.completed.json',
    'record.notification.completed.json',
    'subscribetotone.notification.tone.json',
  ]) {
    const text = fixture(dir, name);
    const fromText = validateNotifications(text);
    assert.deepEqual(summary(fromText), { valid: true, errors: [], warnings: [] }, name);
    assert.deepEqual(fromText.value, JSON.parse(text), `${name}: value keeps everything`);
    assert.deepEqual(validateNotifications(JSON.parse(text)), fromText, `${name}: object input`);
  }
});

test('the cancel response is valid; its Location/body id mismatch is a warning', { skip: !dir }, () => {
  const response = httpResponse(fixture(dir, 'cancelmediaprocessing.response.http'));
  const report = validateOperationResponse(response, { operation: 'cancelMediaProcessing', callId });
  assert.deepEqual(summary(report), { valid: true, errors: [], warnings: ['idMismatch@/body/id'] });
  assert.equal(report.value.status, 'completed');
  assert.equal(report.value['@odata.type'], '#microsoft.graph.cancelMediaProcessingOperation');
  // The .json body with its object form gives the same report.
  const asObject = { ...response, body: JSON.parse(fixture(dir, 'cancelmediaprocessing.response.json')) };
  assert.deepEqual(validateOperationResponse(asObject, { operation: 'cancelMediaProcessing', callId }), report);
});

const cancelBody = {
  '@odata.type': '#microsoft.graph.cancelMediaProcessingOperation',
  status: 'completed',
  clientContext: 'c',
  id: '17e3b46c-f61d-4f4d-9635-c626ef18e6ad',
};
const location = `https://graph.microsoft.com/v1.0/communications/calls/${callId}/operations/17e3b46c-f61d-4f4d-9635-c626ef18e6ad`;
const ok = { status: 200, headers: { Location: location, 'Content-Type': 'application/json' } };

test('broken cancel responses: one issue per fault, all of them', () => {
  const cases = [
    [{ ...ok, body: { ...cancelBody, status: 'done' } }, ['unknownEnumValue@/body/status']],
    [{ ...ok, body: { ...cancelBody, status: 3 } }, ['wrongType@/body/status']],
    [{ ...ok, body: { ...cancelBody, '@odata.type': '#microsoft.graph.playPromptOperation' } }, ['unexpectedODataType@/body/@odata.type']],
    [{ ...ok, body: (({ '@odata.type': _, ...rest }) => rest)(cancelBody) }, ['missingODataType@/body/@odata.type']],
    [{ ...ok, status: 403, body: { error: { code: 'Forbidden', message: 'no' } } }, ['httpStatus@/status']],
    [{ ...ok, headers: { ...ok.headers, Location: 'https://graph.microsoft.com/v1.0/communications/calls/other-call/operations/1' }, body: cancelBody }, ['callIdMismatch@/headers/Location']],
    [{ ...ok, headers: { ...ok.headers, Location: `https://graph.microsoft.com/v1.0/communications/calls/${callId}` }, body: cancelBody }, ['invalidLocation@/headers/Location']],
    [{ status: 200, headers: { 'Content-Type': 'application/json' }, body: cancelBody }, ['missingLocation@/headers']],
    [{ ...ok, body: { ...cancelBody, status: 'done', clientContext: 5, resultInfo: { code: 'x' } } },
      ['wrongType@/body/clientContext', 'unknownEnumValue@/body/status', 'wrongType@/body/resultInfo/code', 'missingProperty@/body/resultInfo/subcode']],
    [{ ...ok, body: '{"status": "completed",' }, ['invalidJson@/body']],
  ];
  for (const [response, errors] of cases) {
    const report = validateOperationResponse(response, { operation: 'cancelMediaProcessing', callId });
    assert.equal(report.valid, false, JSON.stringify(response));
    assert.deepEqual(summary(report).errors, errors, JSON.stringify(report.issues));
  }
  const failed = validateOperationResponse({ ...ok, status: 403, body: '{"error":{"code":"Forbidden","message":"Application is not authorized"}}' });
  assert.match(failed.issues[0].message, /403: Forbidden — Application is not authorized/);
});

test('an enum typo gets a hint; PascalCase is tolerated only in tolerant mode', () => {
  const typo = validateOperationResponse({ ...ok, body: { ...cancelBody, status: 'complted' } });
  assert.equal(typo.issues[0].hint, 'did you mean "completed"?');
  const pascal = { ...ok, body: { ...cancelBody, status: 'Completed' } };
  assert.deepEqual(summary(validateOperationResponse(pascal)), { valid: false, errors: ['enumCasing@/body/status'], warnings: [] });
  const tolerant = validateOperationResponse(pascal, { mode: 'tolerant' });
  assert.deepEqual(summary(tolerant), { valid: true, errors: [], warnings: ['enumCasing@/body/status'] });
  assert.equal(tolerant.value.status, 'completed', 'normalized');
});

const canceled = () => ({
  '@odata.type': '#microsoft.graph.commsNotifications',
  value: [{
    '@odata.type': '#microsoft.graph.commsNotification',
    changeType: 'deleted',
    resourceUrl: '/communications/calls/57DAB8B1894C409AB240BD8BEAE78896/operations/0FE0623FD62842EDB4BD8AC290072CC5',
    resourceData: {
      '@odata.type': '#microsoft.graph.recordOperation',
      '@odata.id': '/communications/calls/57DAB8B1894C409AB240BD8BEAE78896/operations/0FE0623FD62842EDB4BD8AC290072CC5',
      id: '0fe0623f-d628-42ed-b4bd-8ac290072cc5',
      status: 'failed',
      resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', code: 400, subcode: 8508, message: 'Action failed, the operation was cancelled.' },
      recordingLocation: '',
      recordingAccessToken: '',
      completionReason: 'operationCanceled',
      vendorExtension: { kept: true },
    },
  }],
});

test('broken notifications: every issue of the payload, one per fault', () => {
  const n = canceled();
  const item = n.value[0];
  item.changeType = 'removed';
  item.resourceData.status = 'Failed';
  item.resourceData.id = '11111111-1111-1111-1111-111111111111';
  item.resourceData.resultInfo.subcode = 'x';
  delete item.resourceData['@odata.type'];
  const report = validateNotifications(n);
  assert.deepEqual(summary(report).errors, [
    'unknownEnumValue@/value/0/changeType',
    'missingODataType@/value/0/resourceData/@odata.type',
    'enumCasing@/value/0/resourceData/status',
    'wrongType@/value/0/resourceData/resultInfo/subcode',
    'resourceMismatch@/value/0/resourceData/id',
  ]);
});

test('unknown properties are kept in value; ids compare canonically', () => {
  const report = validateNotifications(canceled());
  assert.equal(report.valid, true);
  assert.deepEqual(report.value.value[0].resourceData.vendorExtension, { kept: true });
});

test('tolerant mode accepts live-traffic shapes with warnings and normalizes them', () => {
  const live = {
    value: [{
      changeType: 'Deleted',
      resource: '/app/calls/57dab8b1-894c-409a-b240-bd8beae78896/operations/0fe0623f-d628-42ed-b4bd-8ac290072cc5',
      resourceData: { '@odata.type': '#microsoft.graph.commsOperation', status: 'Completed', clientContext: 'c' },
    }],
  };
  assert.equal(validateNotifications(live).valid, false);
  const report = validateNotifications(JSON.stringify(live), { mode: 'tolerant' });
  assert.equal(report.valid, true);
  assert.deepEqual(report.issues.map((i) => i.code), ['missingODataType', 'missingODataType', 'enumCasing', 'legacyProperty', 'unexpectedODataType', 'enumCasing']);
  const item = report.value.value[0];
  assert.equal(item.resourceUrl, '/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896/operations/0fe0623f-d628-42ed-b4bd-8ac290072cc5');
  assert.equal(item.resource, live.value[0].resource, 'the legacy property stays');
  assert.equal(item.changeType, 'deleted');
});

test('limits and unreadable input give issues, never throws', () => {
  assert.deepEqual(summary(validateNotifications('[' .repeat(10000))).errors, ['nestingTooDeep@']);
  assert.deepEqual(summary(validateNotifications('x'.repeat(1024 * 1024 + 1))).errors, ['payloadTooLarge@']);
  assert.deepEqual(summary(validateNotifications('{"a":1,"a":2}')).errors[0], 'duplicateKey@');
  assert.deepEqual(summary(validateNotifications(10n)).errors, ['unsupportedInput@']);
  const cyclic = {};
  cyclic.self = cyclic;
  assert.deepEqual(summary(validateNotifications(cyclic)).errors, ['unsupportedInput@']);
  assert.deepEqual(summary(validateNotifications('')).errors, ['invalidJson@']);
  assert.deepEqual(summary(validateNotifications('{}', { mode: 'lenient' })).errors, ['unsupportedInput@/options/mode']);
});

test('validateRequest checks any client against the builders\' rules', () => {
  const built = buildPlayPrompt({ callId, prompts: ['https://cdn.contoso.com/a.wav'] });
  assert.deepEqual(summary(validateRequest(built)), { valid: true, errors: [], warnings: [] });
  assert.equal(validateRequest(built).value.operation, 'playPrompt');
  const pascal = { ...built, url: built.url.replace('playPrompt', 'PlayPrompt') };
  const report = validateRequest(pascal);
  assert.deepEqual(summary(report).errors, ['unknownAction@/url']);
  assert.match(report.issues[0].hint, /playPrompt/);
  const twoPrompts = {
    method: 'POST',
    url: `https://graph.microsoft.com/v1.0/communications/calls/${callId}/recordResponse`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ prompts: [{ mediaInfo: { uri: 'https://a/1.wav' } }, { '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { uri: 'https://a/2.wav' } }] }),
  };
  assert.deepEqual(summary(validateRequest(twoPrompts)).errors, ['outOfRange@/body/prompts', 'missingODataType@/body/prompts/0/@odata.type']);
});

test('value is parsed on first read: the same object after, and a reused Buffer does not change it', () => {
  const text = JSON.stringify({ '@odata.type': '#microsoft.graph.commsNotifications', value: [] });
  const bytes = Buffer.from(text);
  const report = validateNotifications(bytes);
  bytes.fill(0x20); // the webhook's buffer is reused
  assert.equal(report.valid, true);
  assert.deepEqual(report.value, JSON.parse(text));
  assert.equal(report.value, report.value, 'parsed once');
  assert.deepEqual(JSON.parse(JSON.stringify(report)), { valid: true, issues: [], value: JSON.parse(text) });
  const invalid = validateNotifications('not json');
  assert.equal('value' in invalid, false);
});

test('text, bytes and objects give one report: a valid payload, an invalid one, a normalized one, non-ASCII text', () => {
  const payloads = {
    valid: { '@odata.type': '#microsoft.graph.commsNotifications', value: [] },
    invalid: { '@odata.type': '#microsoft.graph.commsNotifications', value: [{ changeType: 'Deleted' }] },
    nonAscii: { '@odata.type': '#microsoft.graph.commsNotifications', value: [], note: 'Grüße ☎ 📞' },
  };
  for (const [name, payload] of Object.entries(payloads)) {
    const text = JSON.stringify(payload);
    const expected = JSON.parse(JSON.stringify(validateNotifications(text)));
    const inputs = {
      object: payload,
      Buffer: Buffer.from(text),
      Uint8Array: new TextEncoder().encode(text),
      ArrayBuffer: new TextEncoder().encode(text).buffer,
      view: new Uint8Array([0x20, ...new TextEncoder().encode(text), 0x20]).subarray(1, -1),
    };
    for (const [kind, input] of Object.entries(inputs)) {
      assert.deepEqual(JSON.parse(JSON.stringify(validateNotifications(input))), expected, `${name} as ${kind}`);
    }
    if (expected.valid) assert.deepEqual(expected.value, payload, name);
  }
  // Tolerant mode rewrites a legacy spelling: value is the normalized payload, from text or bytes.
  const legacy = JSON.stringify({ '@odata.type': '#microsoft.graph.commsNotifications', value: [{ changeType: 'Deleted', resource: '/app/calls/57dab8b1-894c-409a-b240-bd8beae78896', resourceData: {} }] });
  const fromText = validateNotifications(legacy, { mode: 'tolerant' });
  assert.equal(fromText.value.value[0].resourceUrl, '/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896');
  assert.deepEqual(validateNotifications(Buffer.from(legacy), { mode: 'tolerant' }).value, fromText.value);
  // Bad options are reported the same way whatever the payload is.
  assert.deepEqual(summary(validateNotifications(Buffer.from('{}'), { mode: 'lenient' })).errors, summary(validateNotifications('{}', { mode: 'lenient' })).errors);
});

test('a string with a lone surrogate and an oversized payload are reported, as text and as bytes', () => {
  const lone = validateNotifications('{"@odata.type":"#microsoft.graph.commsNotifications","value":[],"x":"\ud800"}');
  assert.deepEqual(summary(lone).errors, ['unsupportedInput@']);
  const big = `{"@odata.type":"#microsoft.graph.commsNotifications","value":[],"pad":"${'x'.repeat(1024 * 1024)}"}`;
  const fromText = summary(validateNotifications(big));
  assert.equal(fromText.valid, false);
  assert.deepEqual(summary(validateNotifications(Buffer.from(big))), fromText);
});

test('a valid report always has its value (the Report<T> type promises it)', { skip: !dir }, async () => {
  const { readdirSync } = await import('node:fs');
  let valid = 0;
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    for (const mode of ['strict', 'tolerant']) {
      const report = validateNotifications(fixture(dir, name), { mode });
      if (report.valid) {
        valid++;
        assert.ok(report.value !== undefined, `${name} (${mode})`);
      }
    }
  }
  assert.ok(valid >= 10, `${valid} valid reports`);
});

test('a notification in the pre-Graph callback format is one legacyFormat issue with the 204 hint', () => {
  const legacy = {
    id: '8a934f51-f25b-4ee1-9613-d4049491857b',
    participants: [{ identity: '29:1abc', languageId: 'en-US', originator: true }],
    isMultiparty: false,
    presentedModalityTypes: ['audio'],
    callState: 'incoming',
  };
  for (const mode of ['strict', 'tolerant']) {
    const report = validateNotifications(legacy, { mode });
    assert.equal(report.valid, false);
    assert.deepEqual(report.issues.map((i) => `${i.code}@${i.path}`), ['legacyFormat@']);
    assert.match(report.issues[0].hint, /204 No Content/);
    assert.equal('value' in report, false);
  }
  // A Graph payload that merely lacks `value` is still reported as such.
  assert.deepEqual(summary(validateNotifications({ '@odata.type': '#microsoft.graph.commsNotifications' })).errors, ['missingProperty@/value']);
});

test('payloads past the scratch buffer, memory growth in between, options whose getter validates again', () => {
  const make = (n) => JSON.stringify({ '@odata.type': '#microsoft.graph.commsNotifications', value: [], pad: 'é'.repeat(n) });
  // 'é' is 2 bytes of UTF-8: 200,000 of them overflow the entry's scratch buffer, and reading them
  // grows the module's memory (which detaches every view of it).
  for (const n of [10, 200_000, 30, 300_000, 5, 0]) {
    const text = make(n);
    assert.equal(validateNotifications(text).value.pad.length, n, `text of ${n}`);
    assert.equal(validateNotifications(Buffer.from(text)).value.pad.length, n, `bytes of ${n}`);
    assert.deepEqual(summary(validateNotifications(text.replace('"value":[]', '"value":{}'))).errors, ['wrongType@/value']);
  }
  // A getter of the options runs inside the call: it may validate another payload meanwhile.
  const options = {
    get mode() {
      assert.equal(validateNotifications(make(3)).value.pad.length, 3);
      return 'strict';
    },
  };
  assert.equal(validateNotifications(make(7), options).value.pad.length, 7);
  assert.equal(validateNotifications(Buffer.from(make(9)), options).value.pad.length, 9);
});
