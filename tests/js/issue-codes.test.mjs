// One case per issue code, through the public API: the smallest input that raises it, and the
// exact code@path it gives. A meta-test checks that every code of the IssueCode type has a case.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateNotifications, validateOperationResponse, validateRequest } from 'graph-ivr';
import { root } from './helpers.mjs';

const call = '57dab8b1-894c-409a-b240-bd8beae78896';
const op = '0fe0623f-d628-42ed-b4bd-8ac290072cc5';
const opUrl = `/communications/calls/${call}/operations/${op}`;
const location = `https://graph.microsoft.com/v1.0${opUrl}`;

const notification = (item, root = {}) => ({
  '@odata.type': '#microsoft.graph.commsNotifications',
  value: [{ '@odata.type': '#microsoft.graph.commsNotification', changeType: 'deleted', resourceUrl: opUrl, ...item }],
  ...root,
});
const opData = (extra = {}) => ({ '@odata.type': '#microsoft.graph.playPromptOperation', id: op, status: 'completed', ...extra });
const response = (body, extra = {}) => ({ status: 200, headers: { Location: location, 'Content-Type': 'application/json' }, body, ...extra });
const cancelBody = { '@odata.type': '#microsoft.graph.cancelMediaProcessingOperation', id: op, status: 'completed' };
const request = (action, body, extra = {}) => ({
  method: 'POST',
  url: `https://graph.microsoft.com/v1.0/communications/calls/${call}/${action}`,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
  ...extra,
});
const notify = (payload, mode) => validateNotifications(payload, { mode });
const respond = (r, operation = 'cancelMediaProcessing', mode) => validateOperationResponse(r, { operation, callId: call, mode });

// [code, severity, path, report]
const cases = [
  ['invalidJson', 'error', '', () => notify('{"value": [')],
  ['payloadTooLarge', 'error', '', () => notify(' '.repeat(1024 * 1024 + 1))],
  ['nestingTooDeep', 'error', '', () => notify('['.repeat(65) + ']'.repeat(65))],
  ['duplicateKey', 'error', '/value/0', () => notify(`{"@odata.type":"#microsoft.graph.commsNotifications","value":[{"changeType":"deleted","changeType":"deleted","@odata.type":"#microsoft.graph.commsNotification","resourceUrl":"${opUrl}","resourceData":${JSON.stringify(opData())}}]}`)],
  ['wrongType', 'error', '/value', () => notify({ '@odata.type': '#microsoft.graph.commsNotifications', value: {} })],
  ['missingProperty', 'error', '/value/0/resourceData', () => notify(notification({}))],
  ['missingODataType', 'error', '/value/0/@odata.type', () => notify({ '@odata.type': '#microsoft.graph.commsNotifications', value: [{ changeType: 'deleted', resourceUrl: opUrl, resourceData: opData() }] })],
  ['unexpectedODataType', 'error', '/body/@odata.type', () => respond(response({ ...cancelBody, '@odata.type': '#microsoft.graph.recordOperation' }))],
  ['unknownEnumValue', 'error', '/value/0/changeType', () => notify(notification({ changeType: 'moved', resourceData: opData() }))],
  ['enumCasing', 'error', '/value/0/resourceData/status', () => notify(notification({ resourceData: opData({ status: 'Completed' }) }))],
  ['outOfRange', 'error', '/value/0/resourceData/resultInfo/code', () => notify(notification({ resourceData: opData({ resultInfo: { code: 2 ** 31, subcode: 0 } }) }))],
  ['legacyProperty', 'warning', '/value/0/resource', () => notify({ '@odata.type': '#microsoft.graph.commsNotifications', value: [{ '@odata.type': '#microsoft.graph.commsNotification', changeType: 'deleted', resource: opUrl, resourceData: opData() }] }, 'tolerant')],
  ['legacyFormat', 'error', '', () => notify({ callState: 'incoming', presentedModalityTypes: ['audio'] })],
  ['legacyPath', 'error', '/value/0/resourceUrl', () => notify(notification({ resourceUrl: `/app/calls/${call}/operations/${op}`, resourceData: opData() }))],
  ['invalidResourceUrl', 'error', '/value/0/resourceUrl', () => notify(notification({ resourceUrl: `/users/${call}`, resourceData: opData() }))],
  ['resourceMismatch', 'error', '/value/0/resourceData/@odata.id', () => notify(notification({ resourceData: opData({ '@odata.id': `/communications/calls/${call}/operations/17e3b46c-f61d-4f4d-9635-c626ef18e6ad` }) }))],
  ['httpStatus', 'error', '/status', () => respond(response('{"error":{"code":"UnknownError","message":"boom"}}', { status: 500 }))],
  ['operationFailed', 'warning', '/body/status', () => respond(response({ '@odata.type': '#microsoft.graph.playPromptOperation', id: op, status: 'failed' }), 'playPrompt')],
  ['unexpectedStatus', 'warning', '/body/status', () => respond(response({ ...cancelBody, status: 'running' }))],
  ['missingLocation', 'error', '/headers', () => respond({ status: 200, headers: { 'Content-Type': 'application/json' }, body: cancelBody })],
  ['invalidLocation', 'error', '/headers/Location', () => respond(response(cancelBody, { headers: { Location: 'https://graph.microsoft.com/v1.0/me', 'Content-Type': 'application/json' } }))],
  ['callIdMismatch', 'error', '/headers/Location', () => respond(response(cancelBody, { headers: { Location: location.replace(call, '11111111-2222-3333-4444-555555555555'), 'Content-Type': 'application/json' } }))],
  ['idMismatch', 'warning', '/body/id', () => respond(response({ ...cancelBody, id: '17e3b46c-f61d-4f4d-9635-c626ef18e6ad' }))],
  ['contentType', 'error', '/headers/Content-Type', () => respond(response(cancelBody, { headers: { Location: location, 'Content-Type': 'text/plain' } }))],
  ['invalidMethod', 'error', '/method', () => validateRequest(request('subscribeToTone', {}, { method: 'GET' }))],
  ['invalidUrl', 'error', '/url', () => validateRequest(request('subscribeToTone', {}, { url: 'https://graph.microsoft.com/v2.0/communications/calls/x/subscribeToTone' }))],
  ['unknownAction', 'error', '/url', () => validateRequest(request('keepAlive', {}))],
  ['unknownParameter', 'error', '/body/loop', () => validateRequest(request('playPrompt', { prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { uri: 'https://a/b.wav' } }], loop: true }))],
  ['unsupportedInput', 'error', '', () => notify(Symbol('payload'))],
  ['unsupportedInput', 'error', '/options/version', () => validateNotifications('{}', { version: 'v2' })],
];

for (const [code, severity, path, run] of cases) {
  test(`${code}: ${severity} at '${path}'`, () => {
    const report = run();
    const matching = report.issues.filter((i) => i.code === code);
    assert.equal(matching.length, 1, `exactly one ${code}: ${JSON.stringify(report.issues)}`);
    assert.equal(matching[0].severity, severity);
    assert.equal(matching[0].path, path);
    assert.equal(typeof matching[0].message, 'string');
    assert.equal(report.valid, !report.issues.some((i) => i.severity === 'error'));
  });
}

test('every IssueCode has a case here', () => {
  const dts = readFileSync(join(root, 'src', 'wasm', 'types.d.ts'), 'utf8');
  const union = /export type IssueCode =([^;]+);/.exec(dts)[1];
  const codes = [...union.matchAll(/'(\w+)'/g)].map((m) => m[1]).sort();
  // `internal` is a bug report of the Rust typed API (a payload that passed the checks but
  // whose typed model failed); the JS API never builds that model, and Rust tests cover it.
  assert.deepEqual([...new Set(cases.map((c) => c[0]))].sort(), codes.filter((c) => c !== 'internal'));
});
