// The voicemail bot's own tests, as a bot author writes them: the real bot, its real HTTP
// client (graph-client over globalThis.fetch) and its real callback server on loopback, against
// GraphSimulator. The only glue: `globalThis.fetch = graph.fetch`, `graph.run(ms, deliver)`, and a
// test key that signs every callback, which the bot checks as it checks Graph's in production.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { GraphSimulator, createCallbackSigner, deliverOverHttp } from 'graph-ivr';
import { startVoicemailBot } from './bot.mjs';

const platformFetch = globalThis.fetch;
test.afterEach(() => {
  globalThis.fetch = platformFetch;
});

const APP_ID = '9c5e5f2a-1d2b-4c3d-8e4f-5a6b7c8d9e0f';
const signer = await createCallbackSigner({ audience: APP_ID });

async function setUp(options) {
  const graph = new GraphSimulator({ seed: 7, ...options });
  globalThis.fetch = graph.fetch;
  // The bot waits (Retry-After, its keepAlive timer) on the simulator's virtual clock.
  const bot = await startVoicemailBot({ auth: { audience: APP_ID, jwks: async () => signer.jwks }, sleep: (ms) => graph.sleep(ms) });
  return { graph, bot, deliver: deliverOverHttp({ signWith: signer }) };
}

/** The bot against a scenario file of ./scenarios, its one call ringing at the bot's callback. */
async function fromScenarioFile(name) {
  const scenario = JSON.parse(readFileSync(new URL(`./scenarios/${name}`, import.meta.url), 'utf8'));
  let graph;
  const bot = await startVoicemailBot({ auth: { audience: APP_ID, jwks: async () => signer.jwks }, sleep: (ms) => graph.sleep(ms) });
  graph = GraphSimulator.fromScenario({ ...scenario, calls: scenario.calls.map((call) => ({ ...call, callbackUri: bot.callbackUri })) });
  globalThis.fetch = graph.fetch;
  return { graph, bot, call: graph.calls[0], deliver: deliverOverHttp({ signWith: signer }) };
}

for (const [file, fault] of [
  ['throttled.json', 'Graph throttles (429 + Retry-After)'],
  ['server-errors.json', 'Graph has a bad minute (503, 504)'],
  ['latency.json', 'Graph answers late'],
  ['late-callbacks.json', 'callbacks arrive late'],
]) {
  test(`${fault}: the message is still left, downloaded, and the call hung up (${file})`, async () => {
    const { graph, bot, call, deliver } = await fromScenarioFile(file);
    try {
      await graph.run(60_000, deliver);
      const seen = bot.call(call.callId);
      assert.deepEqual(seen.events, ['greeting:completed', 'voicemail:completed'], JSON.stringify(bot.log));
      assert.equal(seen.recording?.status, 200);
      assert.equal(call.state, 'terminated', 'the bot hung up');
      if (file === 'throttled.json' || file === 'server-errors.json') assert.ok(seen.retries > 0, 'the fault was met and retried');
      assert.deepEqual(bot.log, []);
    } finally {
      await bot.close();
      graph.free();
    }
  });
}

test('the end of the call never arrives (dropTerminated): the bot learns it from keepAlive 404 (silent-end.json)', async () => {
  const { graph, bot, call, deliver } = await fromScenarioFile('silent-end.json');
  try {
    await graph.run(60_000, deliver);
    assert.equal(call.state, 'terminated', 'the caller hung up during the greeting');
    const seen = bot.call(call.callId);
    assert.equal(seen.ended, false, 'no deleted notification came');
    await graph.run(16 * 60_000, deliver);
    assert.equal(seen.ended, true);
    assert.equal(seen.endedBy, 'keepAlive');
    assert.deepEqual(bot.log, []);
  } finally {
    await bot.close();
    graph.free();
  }
});

test('a long silent call is kept alive every 15 minutes, past the 45 Graph allows without (long-call.json)', async () => {
  const { graph, bot, call, deliver } = await fromScenarioFile('long-call.json');
  try {
    await graph.run(50 * 60_000, deliver);
    const seen = bot.call(call.callId);
    assert.deepEqual(seen.events, ['greeting:completed', 'voicemail:failed'], 'nobody spoke');
    assert.equal(seen.keepAlives, 3);
    assert.equal(call.state, 'established');
    assert.deepEqual(bot.log, []);
  } finally {
    await bot.close();
    graph.free();
  }
});

test('a caller leaves a message: answer, greeting, record until #, download, hang up', async () => {
  const { graph, bot, deliver } = await setUp({ promptDurationsMs: { 'https://cdn.contoso.com/voicemail/greeting.wav': 4000 } });
  try {
    const call = graph.incomingCall({ callbackUri: bot.callbackUri });
    await graph.run(1000, deliver);
    assert.equal(call.state, 'established');
    assert.equal(call.snapshot().running?.operation, 'playPrompt', 'the greeting plays');
    assert.equal(call.snapshot().queue[0]?.operation, 'recordResponse', 'the record waits behind it');
    await graph.run(5000, deliver); // greeting ends, beep, recording starts
    call.startSpeaking();
    await graph.run(4000, deliver);
    call.stopSpeaking();
    call.pressTone('#');
    await graph.run(1000, deliver);
    const seen = bot.call(call.callId);
    assert.deepEqual(seen.events, ['greeting:completed', 'voicemail:completed']);
    assert.equal(seen.recording.status, 200);
    assert.equal(new TextDecoder().decode(seen.recording.bytes.slice(0, 4)), 'RIFF');
    // Recording began after the greeting (0.5 s answer + 4 s) and the beep (0.5 s), at 5 s;
    // # at 10 s: 5 s of 16 kHz 16-bit mono.
    assert.equal(seen.recording.bytes.length, 44 + 5000 * 32);
    assert.equal(call.state, 'terminated', 'the bot hung up');
    assert.ok(seen.ended);
    assert.deepEqual(bot.log, []);
  } finally {
    await bot.close();
    graph.free();
  }
});

test('the caller presses 0 during the greeting: the queue is canceled (8508 twice) and tones still arrive', async () => {
  const { graph, bot, deliver } = await setUp();
  try {
    const call = graph.incomingCall({ callbackUri: bot.callbackUri });
    await graph.run(1000, deliver);
    call.pressTone('0');
    await graph.run(100, deliver);
    const seen = bot.call(call.callId);
    assert.equal(seen.canceled, 2, 'the greeting and the queued record');
    assert.deepEqual(seen.events.slice(0, 2), ['greeting:canceled', 'voicemail:canceled']);
    call.pressTone('5'); // subscribeToTone is never canceled
    await graph.run(5000, deliver);
    assert.deepEqual(seen.tones, ['tone0', 'tone5']);
    assert.equal(call.state, 'terminated', 'goodbye played, then the bot hung up');
    assert.deepEqual(bot.log, []);
  } finally {
    await bot.close();
    graph.free();
  }
});

test('the caller hangs up during the record (observed profile): the record never reports', async () => {
  const { graph, bot, deliver } = await setUp({ profile: 'observed' });
  try {
    const call = graph.incomingCall({ callbackUri: bot.callbackUri });
    await graph.run(6000, deliver); // greeting (3 s) and beep done: recording
    assert.equal(call.snapshot().running?.phase, 'recording');
    call.hangUp();
    await graph.run(1000, deliver);
    const seen = bot.call(call.callId);
    assert.deepEqual(seen.events, ['greeting:completed'], 'no notification for the record');
    assert.ok(seen.ended);
    assert.equal(seen.recording, null);
  } finally {
    await bot.close();
    graph.free();
  }
});

test('batched and duplicated notifications: the bot reads every item of every POST', async () => {
  const { graph, bot, deliver } = await setUp({ faults: { batch: true, duplicate: 3 } });
  const posts = [];
  try {
    const call = graph.incomingCall({ callbackUri: bot.callbackUri });
    await graph.run(1000, deliver);
    call.pressTone('0');
    await graph.run(100, async (d) => {
      posts.push(d.value.value.length);
      await deliver(d);
    });
    assert.ok(posts.some((n) => n > 1), `a POST carried several notifications: ${posts}`);
    const seen = bot.call(call.callId);
    assert.ok(seen.canceled >= 2, 'both cancellations were read from one POST');
    assert.deepEqual(bot.log, []);
  } finally {
    await bot.close();
    graph.free();
  }
});

test('every callback is checked: unsigned or foreign POSTs are refused before they are read', async () => {
  const { graph, bot } = await setUp();
  try {
    graph.incomingCall({ callbackUri: bot.callbackUri });
    await assert.rejects(graph.run(1000, deliverOverHttp()), (err) => err.code === 'deliveryFailed' && /401/.test(err.message));
    const stranger = await createCallbackSigner({ audience: APP_ID });
    graph.incomingCall({ callbackUri: bot.callbackUri });
    await assert.rejects(graph.run(1000, deliverOverHttp({ signWith: stranger })), (err) => err.code === 'deliveryFailed');
    assert.deepEqual(bot.log, [{ unauthorized: 'missing' }, { unauthorized: 'unknownKey' }]);
    assert.equal(bot.calls.size, 0, 'nothing was read');
  } finally {
    await bot.close();
    graph.free();
  }
});

test('a first notification in the legacy format is answered 204, as the docs ask', async () => {
  const { bot } = await setUp();
  try {
    const response = await fetchWith(bot.callbackUri, JSON.stringify({ callState: 'incoming', presentedModalityTypes: ['audio'] }));
    assert.equal(response.status, 204);
  } finally {
    await bot.close();
  }
});

/** A signed POST through the platform's fetch (the bot's server is real). */
async function fetchWith(url, body) {
  return platformFetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await signer.sign()}` }, body });
}
