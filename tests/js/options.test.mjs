// Every export reads its options through one dictionary: a non-object is refused, and so is an
// unknown key, with a did-you-mean hint when a known key is near (in `err.hint` and at the end
// of the message; validators report it as an issue's `hint`).
import assert from 'node:assert/strict';
import test from 'node:test';
import {
  CallSimulator,
  GraphIvrError,
  GraphSimulator,
  buildPlayPrompt,
  createCallbackSigner,
  deliverOverHttp,
  validateNotifications,
  validateOperationResponse,
  verifyCallbackToken,
} from 'graph-ivr';
import { startEmulator } from 'graph-ivr/emulator';

const callId = '57dab8b1-894c-409a-b240-bd8beae78896';

async function refusal(run) {
  try {
    await run();
  } catch (err) {
    assert.ok(err instanceof GraphIvrError, `a GraphIvrError, got ${err}`);
    return { code: err.code, path: err.path, hint: err.hint, message: err.message };
  }
  assert.fail('expected a refusal');
}

test('a near miss gets a hint, whichever export reads the options', async () => {
  const graph = new GraphSimulator();
  const cases = [
    [() => buildPlayPrompt({ callId, prompts: ['https://a.example/x.wav'], clientContxt: 'c' }), '/clientContxt', 'clientContext'],
    [() => buildPlayPrompt({ callId, prompts: [{ uri: 'https://a.example/x.wav', resourceID: 'r' }] }), '/prompts/0/resourceID', 'resourceId'],
    [() => new CallSimulator({ sede: 1 }), '/sede', 'seed'],
    [() => new GraphSimulator({ faults: { duplicat: 2 } }), '/faults/duplicat', 'duplicate'],
    [() => graph.incomingCall({ callbackUri: 'https://bot.example/cb', callID: 'x' }), '/callID', 'callId'],
    [() => deliverOverHttp({ timeoutMS: 5 }), '/timeoutMS', 'timeoutMs'],
    [() => verifyCallbackToken('Bearer x', { jwks: { keys: [] }, audience: 'a', tenantID: 't' }), '/tenantID', 'tenantId'],
    [() => createCallbackSigner({ audiance: 'a' }), '/audiance', 'audience'],
    [() => startEmulator({ prot: 0 }), '/prot', 'port'],
  ];
  for (const [run, path, near] of cases) {
    const got = await refusal(run);
    assert.equal(got.code, 'invalidArgument', got.message);
    assert.equal(got.path, path, got.message);
    assert.equal(got.hint, `did you mean "${near}"?`, got.message);
    assert.ok(got.message.startsWith('unknown '), got.message);
    assert.ok(got.message.endsWith(got.hint), got.message);
  }
  graph.free();
});

test('a key nothing is near is refused without a hint', async () => {
  const got = await refusal(() => new CallSimulator({ zzzzzzzzzz: 1 }));
  assert.deepEqual([got.code, got.path, got.hint], ['invalidArgument', '/zzzzzzzzzz', undefined]);
  assert.match(got.message, /CallSimulator takes seed, /);
});

test('options that are not an object are refused by every reader', async () => {
  for (const run of [() => new CallSimulator(5), () => startEmulator('fast'), () => deliverOverHttp([1])]) {
    const got = await refusal(run);
    assert.equal(got.code, 'invalidArgument', got.message);
    assert.equal(got.path, '', got.message);
  }
});

test('validators report an unknown option as an issue with the hint', () => {
  const notifications = validateNotifications('{"value":[]}', { mdoe: 'strict' });
  assert.deepEqual(
    notifications.issues.map((i) => [i.code, i.path, i.hint]),
    [['unsupportedInput', '/options/mdoe', 'did you mean "mode"?']],
  );
  const response = validateOperationResponse({ status: 204, headers: {}, body: null }, { operaton: 'playPrompt' });
  assert.deepEqual(response.issues.map((i) => [i.path, i.hint]), [['/options/operaton', 'did you mean "operation"?']]);
});
