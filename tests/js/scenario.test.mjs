// Scenarios as data: one JSON format that GraphSimulator.fromScenario, new GraphSimulator({scenario})
// and the emulator read and graph.scenario() writes; a hand-driven call saved and replayed byte
// for byte; callers' steps on the call's events; bad scenarios refused by JSON Pointer.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import Ajv from 'ajv';
import { GraphSimulator, buildPlayPrompt, buildRecordResponse, buildSubscribeToTone, classifyResult, OperationTracker } from 'graph-ivr';
import { startEmulator } from 'graph-ivr/emulator';
import { assertRefused, root, runEmulator } from './helpers.mjs';

const BOT = 'https://bot.example/callback';
const MENU = 'https://bot.example/menu.wav';
const answerBody = JSON.stringify({ callbackUri: BOT, acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } });
const schema = JSON.parse(readFileSync(join(root, 'pkg', 'schema', 'scenario.schema.json'), 'utf8'));
const validScenario = new Ajv({ allErrors: true, strict: false }).compile(schema);

const urlAndInit = (request) => [request.url, request];

/** A call driven by hand through graph.fetch and the caller's methods; every delivery's bytes. */
async function handDriven(graph) {
  const bodies = [];
  const take = (deliveries) => bodies.push(...deliveries.map((d) => `${d.at} ${d.callId} ${d.body}`));
  const call = graph.incomingCall({ callbackUri: BOT, from: 'Ada' });
  take(graph.takeDeliveries());
  // Graph answers after its latency: the clock moves on while the bot waits.
  const send = async (url, init) => {
    const response = graph.fetch(url, init);
    take(graph.advance(100));
    return (await response).status;
  };
  const answered = await send(`https://graph.microsoft.com/v1.0/communications/calls/${call.callId}/answer`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer not-to-be-saved' }, body: answerBody });
  assert.equal(answered, 202);
  take(graph.advance(600));
  assert.equal(await send(...urlAndInit(buildSubscribeToTone({ callId: call.callId }))), 200);
  assert.equal(await send(...urlAndInit(buildPlayPrompt({ callId: call.callId, prompts: [MENU] }))), 200);
  take(graph.advance(1000));
  call.pressTone('2');
  assert.equal(await send(...urlAndInit(buildRecordResponse({ callId: call.callId, stopTones: ['#'], playBeep: true }))), 200);
  take(graph.advance(4000));
  call.startSpeaking();
  take(graph.advance(1500));
  call.pressTone('#');
  take(graph.advance(2000));
  call.hangUp();
  take(graph.advance(1000));
  return bodies;
}

/** Everything a fresh simulator replays of `scenario` until `until`. */
function replayed(graph, until) {
  const bodies = graph.takeDeliveries().map((d) => `${d.at} ${d.callId} ${d.body}`);
  while (graph.now < until) bodies.push(...graph.advance(Math.min(500, until - graph.now)).map((d) => `${d.at} ${d.callId} ${d.body}`));
  return bodies;
}

test('a hand-driven call, saved by graph.scenario(), replays byte for byte in a fresh simulator and in the emulator', async () => {
  const graph = new GraphSimulator({ seed: 17, profile: 'observed', faults: { latencyMs: { min: 0, max: 80 } } });
  const original = await handDriven(graph);
  const scenario = graph.scenario();
  assert.ok(validScenario(scenario), JSON.stringify(validScenario.errors));
  assert.doesNotMatch(JSON.stringify(scenario), /not-to-be-saved/, 'Authorization is left out');
  const end = graph.now;
  assert.deepEqual(replayed(GraphSimulator.fromScenario(scenario), end), original);
  assert.deepEqual(replayed(new GraphSimulator({ scenario: JSON.parse(JSON.stringify(scenario)) }), end), original, 'as JSON, through the constructor');

  // The emulator plays it at the bots' callbackUri: here it has none, so the POSTs fail and are
  // kept as failures; what it would have sent is the same bytes.
  const emulator = await startEmulator({ scenario });
  try {
    const advanced = await fetch(`${emulator.origin}/_graph-ivr/advance`, { method: 'POST', body: JSON.stringify({ ms: end }) });
    assert.equal(advanced.status, 200);
    const again = GraphSimulator.fromScenario(await (await fetch(`${emulator.origin}/_graph-ivr/scenario`)).json());
    assert.deepEqual(replayed(again, end), original, 'the scenario the emulator played writes itself back the same');
    assert.equal(emulator.failures.length, original.length, 'every POST was attempted, in order');
  } finally {
    await emulator.close();
  }
});

test("a caller's steps wait for the call's events: when the menu plays, press 2; on recording, after 2 s, press #", async () => {
  const graph = GraphSimulator.fromScenario({
    seed: 3,
    promptDurationsMs: { [MENU]: 4000 },
    calls: [{ callbackUri: BOT, steps: [
      { on: 'prompt', uri: MENU, after: 1000, pressTone: '2' },
      { on: 'recording', after: 2000, pressTone: '#' },
      { on: 'recorded', after: 500, hangUp: true },
    ] }],
  });
  const tracker = new OperationTracker();
  const heard = [];
  await graph.run(20_000, async (d) => {
    for (const event of tracker.received(d.body)) {
      if (event.type === 'tone') heard.push(`${event.key}@${d.at}`);
      if (event.type === 'completed') heard.push(`${event.completionReason ?? event.outcome}@${d.at}`);
    }
    for (const n of d.value.value) {
      const callId = d.callId;
      if (n.resourceData.state === 'incoming') await graph.fetch(`https://graph.microsoft.com/v1.0/communications/calls/${callId}/answer`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: answerBody });
      if (n.resourceData.state === 'established' && !n.resourceData.toneInfo) {
        for (const request of [buildSubscribeToTone({ callId }), buildPlayPrompt({ callId, prompts: [MENU] }), buildRecordResponse({ callId, stopTones: ['#'], playBeep: false })]) {
          tracker.sent(request, await graph.fetch(request.url, request).then(async (r) => ({ status: r.status, headers: Object.fromEntries(r.headers), body: await r.text() })));
        }
      }
      if (n.resourceData.state === 'terminated') heard.push(`terminated@${d.at}`);
    }
  });
  // Established at 500: the menu plays 500-4500 ("2" at 1500), recording starts at 4500 ("#" at 6500).
  assert.deepEqual(heard, ['2@1500', 'completed@4500', '#@6500', 'stopToneDetected@6500', 'terminated@7000']);
  graph.free();
});

test('bad scenarios are refused with the JSON Pointer of the problem', () => {
  const call = { callbackUri: BOT };
  for (const [scenario, path] of [
    [[], ''],
    [{ calls: [{ callbackUri: BOT, steps: [{ on: 'menu', pressTone: '1' }] }] }, '/calls/0/steps/0/on'],
    [{ calls: [{ callbackUri: BOT, steps: [{ at: 1, pressTone: '12' }] }] }, '/calls/0/steps/0/pressTone'],
    [{ calls: [{}] }, '/calls/0/callbackUri'],
  ]) {
    const refused = assertRefused(() => GraphSimulator.fromScenario(scenario), 'invalidArgument', path);
    assert.equal(validScenario(scenario), false, `the schema refuses it too: ${refused.message}`);
  }
  // What a schema cannot say: an index beyond calls, a range upside down.
  assertRefused(() => GraphSimulator.fromScenario({ calls: [call], steps: [{ at: 0, call: 3, hangUp: true }] }), 'invalidArgument', '/steps/0/call');
  assertRefused(() => GraphSimulator.fromScenario({ faults: { latencyMs: { min: 9, max: 1 } } }), 'invalidArgument', '/faults/latencyMs/max');
  assertRefused(() => new GraphSimulator({ scenario: { calls: [{}] } }), 'invalidArgument', '/scenario/calls/0/callbackUri');
  assertRefused(() => new GraphSimulator({ scenario: {}, seed: 1 }), 'invalidArgument', '/seed');
});

test('a hang-up cuts an operation short: callEnded (classifyResult) and orphaned (tracker), in both profiles', async () => {
  assert.equal(classifyResult({ code: 410, subcode: 0 }), 'callEnded');
  assert.equal(classifyResult({ code: 410, subcode: 301005 }), 'failed');
  for (const profile of ['docs', 'observed']) {
    const graph = GraphSimulator.fromScenario({ seed: 1, profile, calls: [{ callbackUri: BOT, steps: [{ on: 'recording', after: 1000, hangUp: true }] }] });
    const tracker = new OperationTracker();
    const events = [];
    await graph.run(10_000, async (d) => {
      events.push(...tracker.received(d.body).map((e) => e.type));
      const n = d.value.value[0];
      if (n.resourceData.state === 'incoming') await graph.fetch(`https://graph.microsoft.com/v1.0/communications/calls/${d.callId}/answer`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: answerBody });
      if (n.resourceData.state === 'established' && !n.resourceData.mediaState) {
        const request = buildRecordResponse({ callId: d.callId, playBeep: false });
        const r = await graph.fetch(request.url, request);
        tracker.sent(request, { status: r.status, headers: Object.fromEntries(r.headers), body: await r.text() });
      }
    });
    assert.ok(events.includes('orphaned'), `${profile}: ${events}`);
    assert.ok(!events.includes('failed'), `${profile}: a hang-up is not the bot's failure: ${events}`);
    graph.free();
  }
});

test('the emulator plays --scenario FILE and POST /_graph-ivr/scenario; a bad one is refused (exit 2, or 400 at its pointer)', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'graph-ivr-scenario-'));
  const good = join(dir, 'good.json');
  const bad = join(dir, 'bad.json');
  writeFileSync(good, JSON.stringify({ seed: 2, calls: [{ callbackUri: 'http://127.0.0.1:9/cb', callId: 'from-file' }] }));
  writeFileSync(bad, JSON.stringify({ calls: [{ callbackUri: 'http://127.0.0.1:9/cb', steps: [{ on: 'never', hangUp: true }] }] }));
  const run = runEmulator;
  const started = await run(['--scenario', good]);
  assert.ok(started.url, started.err);
  try {
    const calls = await (await fetch(`${started.url}_graph-ivr/calls`)).json();
    assert.deepEqual(calls, [{ callId: 'from-file', state: 'incoming' }], 'the call rang at 0');
    const refused = await fetch(`${started.url}_graph-ivr/scenario`, { method: 'POST', body: JSON.stringify({ calls: [{ callbackUri: 'ftp://nope' }] }) });
    assert.equal(refused.status, 400);
    assert.equal((await refused.json()).error.path, '/calls/0/callbackUri');
    const replaced = await fetch(`${started.url}_graph-ivr/scenario`, { method: 'POST', body: JSON.stringify({ calls: [{ callbackUri: 'http://127.0.0.1:9/cb', callId: 'posted' }] }) });
    assert.equal(replaced.status, 200);
    assert.deepEqual((await replaced.json()).calls, [{ callId: 'posted', state: 'incoming' }]);
  } finally {
    started.child.kill('SIGTERM');
  }
  for (const args of [['--scenario', bad], ['--scenario', join(dir, 'missing.json')]]) {
    const failed = await run(args);
    assert.equal(failed.code, 2, failed.err);
    assert.match(failed.err, /usage: graph-ivr-emulator/);
  }
});
