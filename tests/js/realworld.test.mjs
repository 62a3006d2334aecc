// Payloads shaped like live traffic (REALWORLD.md; written here from those facts, not copied):
// what strict mode says of them, and that tolerant mode accepts them with warnings.
import test from 'node:test';
import assert from 'node:assert/strict';
import { validateNotifications, validateOperationResponse } from 'graph-ivr';
import { summary } from './helpers.mjs';

const call = 'a3c0f2d4-1b2e-4c6a-9d8f-0e1f2a3b4c5d';
const op = '6b9d7e21-3c4f-4a5b-8c7d-9e0f1a2b3c4d';
const root = (items) => ({ '@odata.type': '#microsoft.graph.commsNotifications', value: items });
const item = (extra) => ({ '@odata.type': '#microsoft.graph.commsNotification', ...extra });
const both = (payload) => [summary(validateNotifications(payload)), summary(validateNotifications(payload, { mode: 'tolerant' }))];
const clean = { valid: true, errors: [], warnings: [] };

test('a 2023 playPrompt completion: legacy resource beside resourceUrl, lowercase GUIDs, echoed prompts', () => {
  const payload = root([item({
    changeType: 'deleted',
    resource: `/app/calls/${call}/operations/${op}`,
    resourceUrl: `/communications/calls/${call}/operations/${op}`,
    resourceData: {
      '@odata.type': '#microsoft.graph.playPromptOperation',
      id: op,
      status: 'completed',
      completionReason: 'completedSuccessfully',
      resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', code: 200, subcode: 0, message: 'Action completed successfully.' },
      prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri: 'https://bot.example/hello.wav' } }],
    },
  })]);
  assert.deepEqual(both(payload), [clean, clean]);
  assert.deepEqual(validateNotifications(payload).value.value[0].resourceData.prompts, payload.value[0].resourceData.prompts);
});

test('a tone as live traffic sends it: no call id, sequenceId counted across the call', () => {
  const payload = root([item({
    changeType: 'updated',
    resource: `/app/calls/${call}`,
    resourceUrl: `/communications/calls/${call}`,
    resourceData: { '@odata.type': '#microsoft.graph.call', state: 'established', toneInfo: { '@odata.type': '#microsoft.graph.toneInfo', sequenceId: 6, tone: 'tone3' } },
  })]);
  assert.deepEqual(both(payload), [clean, clean]);
});

test('partial call updates with extra properties, a hang-up, and a participant roster array', () => {
  const callUrl = `/communications/calls/${call}`;
  const payload = root([
    item({ changeType: 'updated', resourceUrl: callUrl, resourceData: { '@odata.type': '#microsoft.graph.call', state: 'establishing', callChainId: 'chain-1', direction: 'incoming' } }),
    item({ changeType: 'updated', resourceUrl: callUrl, resourceData: { '@odata.type': '#microsoft.graph.call', state: 'established', callChainId: 'chain-1', mediaState: { '@odata.type': '#microsoft.graph.callMediaState', audio: 'active' }, meetingCapability: { '@odata.type': '#microsoft.graph.meetingCapability' }, coOrganizers: [] } }),
    item({ changeType: 'updated', resourceUrl: `${callUrl}/participants`, resourceData: [{ '@odata.type': '#microsoft.graph.participant', id: 'p1', isInLobby: false }] }),
    item({ changeType: 'deleted', resourceUrl: callUrl, resourceData: { '@odata.type': '#microsoft.graph.call', state: 'terminated', resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', code: 200, subcode: 5002, message: 'The conversation has ended. DiagCode: 0#5002.@' } } }),
  ]);
  assert.deepEqual(both(payload), [clean, clean]);
  const value = validateNotifications(payload).value;
  assert.equal(value.value[1].resourceData.callChainId, 'chain-1');
  assert.deepEqual(value.value[2].resourceData, payload.value[2].resourceData);
});

test('a 2018 notification: only resource, the old root type, no item @odata.type', () => {
  const payload = { '@odata.type': '#Microsoft.Graph.Notifications', value: [{ changeType: 'updated', resource: `/app/calls/${call}`, resourceData: { '@odata.type': '#microsoft.graph.call', state: 'established' } }] };
  const [strict, tolerant] = both(payload);
  assert.deepEqual(strict.errors, ['unexpectedODataType@/@odata.type', 'missingODataType@/value/0/@odata.type', 'legacyProperty@/value/0/resource']);
  assert.deepEqual(tolerant, { valid: true, errors: [], warnings: strict.errors });
  const normalized = validateNotifications(payload, { mode: 'tolerant' }).value;
  assert.equal(normalized['@odata.type'], '#microsoft.graph.commsNotifications');
  assert.equal(normalized.value[0].resourceUrl, `/communications/calls/${call}`);
});

test('PascalCase values as the .NET SDK logs them: errors when strict, warnings with hints when tolerant', () => {
  const payload = root([
    item({ changeType: 'Updated', resourceUrl: `/communications/calls/${call}`, resourceData: { '@odata.type': '#microsoft.graph.call', state: 'Established' } }),
    item({ changeType: 'Deleted', resourceUrl: `/communications/calls/${call}/operations/${op}`, resourceData: { '@odata.type': '#microsoft.graph.recordOperation', status: 'Completed', id: op } }),
  ]);
  const [strict, tolerant] = both(payload);
  const casing = ['enumCasing@/value/0/changeType', 'enumCasing@/value/0/resourceData/state', 'enumCasing@/value/1/changeType', 'enumCasing@/value/1/resourceData/status'];
  assert.deepEqual(strict, { valid: false, errors: casing, warnings: [] });
  assert.deepEqual(tolerant, { valid: true, errors: [], warnings: casing });
  const report = validateNotifications(payload, { mode: 'tolerant' });
  assert.match(report.issues[1].hint, /did you mean "established"/);
  assert.equal(report.value.value[0].resourceData.state, 'established');
});

test('error bodies with and without the OData envelope are failures that say why', () => {
  const bare = validateOperationResponse({ status: 400, headers: {}, body: '{"message":"The prompt URL is malformed."}' });
  assert.deepEqual(summary(bare).errors, ['httpStatus@/status']);
  assert.match(bare.issues[0].message, /400: The prompt URL is malformed\./);
  const server = validateOperationResponse({ status: 500, body: { error: { code: 'UnknownError', message: '' } } });
  assert.match(server.issues[0].message, /500: UnknownError/);
});
