// The JSON Schemas the package ships (graph-ivr/schema/*, derived from the Rust model): ajv reads
// them as they are, and on every docs fixture and every simulator payload they agree with the
// strict validators, except where a rule spans fields, listed below with why.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Ajv from 'ajv';
import {
  CallSimulator,
  buildCancelMediaProcessing,
  buildPlayPrompt,
  buildRecordResponse,
  buildSubscribeToTone,
  validateNotifications,
  validateOperationResponse,
  validateRequest,
} from 'graph-ivr';
import { fixturesDir, fixture, root } from './helpers.mjs';

const require = createRequire(import.meta.url);
const schema = (name) => require(`graph-ivr/schema/${name}.schema.json`);
const ajv = new Ajv({ allErrors: true });
const check = {
  notifications: ajv.compile(schema('commsNotifications')),
  operation: ajv.compile(schema('commsOperation')),
  playPrompt: ajv.compile(schema('playPrompt.request')),
  recordResponse: ajv.compile(schema('recordResponse.request')),
  subscribeToTone: ajv.compile(schema('subscribeToTone.request')),
  cancelMediaProcessing: ajv.compile(schema('cancelMediaProcessing.request')),
};

/** Where ajv and the strict validators part, and why: each is a rule a schema cannot state.
 *  (Others of that kind — `resourceUrl` naming the same resource as `@odata.id` and `id`, the
 *  base type where strict mode wants the subtype — no docs fixture happens to exercise.) */
const DISAGREEMENTS = {
  'beta.cancelmediaprocessing.response.json':
    'the body `id` differs from the operation id in the Location header (an idMismatch warning): the schema reads the body alone',
  'cancelmediaprocessing.response.json':
    'the body `id` differs from the operation id in the Location header (an idMismatch warning): the schema reads the body alone',
};

test('the package ships every schema, and the TypeScript declarations are generated from them', () => {
  const shipped = readdirSync(join(root, 'pkg', 'schema')).sort();
  assert.deepEqual(shipped, readdirSync(join(root, 'schema')).sort());
  for (const name of shipped) assert.equal(readFileSync(join(root, 'pkg', 'schema', name), 'utf8'), readFileSync(join(root, 'schema', name), 'utf8'));
  execFileSync(process.execPath, [join(root, 'scripts', 'types.mjs'), '--check']);
});

/** The fixtures of one kind, from tests/fixtures.tsv. */
function fixturesOf(kind) {
  return readFileSync(join(root, 'tests', 'fixtures.tsv'), 'utf8')
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split('\t'))
    .filter(([file, k]) => k === kind && file.endsWith('.json'))
    .map(([file]) => file);
}

const ACTION_OF = { playprompt: 'playPrompt', record: 'recordResponse', subscribetotone: 'subscribeToTone', cancelmediaprocessing: 'cancelMediaProcessing' };

test('ajv and the strict validators agree on every docs fixture, or the difference is listed', { skip: !fixturesDir() }, () => {
  const dir = fixturesDir();
  const parted = {};
  const compare = (file, schemaSays, strictSays) => {
    if (schemaSays !== strictSays) parted[file] = { schema: schemaSays, strict: strictSays };
  };
  const notifications = fixturesOf('Notification');
  assert.ok(notifications.length >= 10, 'every notification fixture');
  for (const file of notifications) {
    const text = fixture(dir, file);
    compare(file, check.notifications(JSON.parse(text)), validateNotifications(text).valid);
  }
  for (const file of fixturesOf('Response')) {
    const text = fixture(dir, file);
    const body = JSON.parse(text);
    const http = fixture(dir, file.replace(/\.json$/, '.http'));
    const headers = Object.fromEntries(http.split('\n\n')[0].split('\n').slice(1).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
    const report = validateOperationResponse({ status: 200, headers, body: text });
    compare(file, check.operation(body), !report.issues.some((issue) => issue.path.startsWith('/body')));
  }
  for (const file of fixturesOf('Request')) {
    const operation = ACTION_OF[file.split('.').at(-3)];
    const text = fixture(dir, file);
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const prefix = file.startsWith('beta') ? 'beta' : 'v1.0';
    const url = `https://graph.microsoft.com/${prefix}/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896/${operation}`;
    const report = validateRequest({ method: 'POST', url, headers: { 'Content-Type': 'application/json' }, body: text });
    compare(file, body !== undefined && check[operation](body), report.valid && !report.issues.length);
  }
  const unexplained = Object.keys(parted).filter((f) => !DISAGREEMENTS[f]);
  assert.deepEqual(unexplained.map((f) => [f, parted[f]]), [], 'each disagreement is listed with its reason');
  const stale = Object.keys(DISAGREEMENTS).filter((f) => !parted[f]);
  assert.deepEqual(stale, [], 'every listed disagreement still happens');
});

test('every payload the simulator writes and every request the builders make is valid for its schema', () => {
  for (const profile of ['docs', 'observed']) {
    for (const version of ['v1.0', 'beta']) {
      const call = new CallSimulator({ seed: 9, profile, version });
      const callId = call.callId;
      const requests = [
        buildSubscribeToTone({ callId, version, clientContext: 't' }),
        buildPlayPrompt({ callId, version, prompts: ['https://a.example/1.wav', { uri: 'https://a.example/2.wav', resourceId: 'r' }] }),
        buildRecordResponse({ callId, version, stopTones: ['#', '1'], maxRecordDurationInSeconds: 5, playBeep: false, bargeInAllowed: true }),
        buildPlayPrompt({ callId, version, prompts: ['https://a.example/3.wav'] }),
        buildCancelMediaProcessing({ callId, version }),
      ];
      for (const request of requests) {
        const body = JSON.parse(request.body);
        assert.ok(check[request.operation](body), `${request.operation}: ${ajv.errorsText(check[request.operation].errors)}`);
        const response = call.handle(request);
        assert.ok(check.operation(JSON.parse(response.body)), `${request.operation} response: ${ajv.errorsText(check.operation.errors)}`);
        if (request.operation === 'playPrompt') call.advance(100);
      }
      const deliveries = [...call.advance(7000), ...call.pressTone('5'), ...call.hangUp()];
      assert.ok(deliveries.length >= 3);
      for (const d of deliveries) {
        assert.ok(check.notifications(d.value), `${profile} ${version}: ${ajv.errorsText(check.notifications.errors)}\n${d.body}`);
      }
    }
  }
});

test('broken payloads are refused by the schema as by the validator', () => {
  const good = { '@odata.type': '#microsoft.graph.commsNotifications', value: [{ '@odata.type': '#microsoft.graph.commsNotification', changeType: 'deleted', resourceUrl: '/communications/calls/c/operations/o', resourceData: { '@odata.type': '#microsoft.graph.playPromptOperation', status: 'completed' } }] };
  assert.ok(check.notifications(good));
  const broken = [
    (p) => (p.value[0].changeType = 'Deleted'),
    (p) => delete p.value[0].resourceUrl,
    (p) => (p.value[0].resourceData.status = 'done'),
    (p) => delete p.value[0].resourceData['@odata.type'],
    (p) => (p.value[0].resourceData.resultInfo = { code: 'x', subcode: 0 }),
    (p) => (p.value = {}),
  ];
  for (const breakIt of broken) {
    const p = structuredClone(good);
    breakIt(p);
    assert.equal(check.notifications(p), false, JSON.stringify(p));
    assert.equal(validateNotifications(p).valid, false, JSON.stringify(p));
  }
  assert.equal(check.recordResponse({ stopTones: ['x'] }), false);
  assert.equal(check.recordResponse({ maxSilenceTimeoutInSeconds: 121 }), false);
  assert.equal(check.playPrompt({ prompts: [] }), false);
  assert.equal(check.playPrompt({ clientContext: 'x'.repeat(257), prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { uri: 'https://a/b.wav' } }] }), false);
});
