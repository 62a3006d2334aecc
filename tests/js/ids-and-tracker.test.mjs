// What the dental-clinic trial asked for, through the public API: call-state events and the item
// index on every event of a batch, canonicalId as a Map key, one spelling of a call's id in the
// observed profile, and an incoming call addressed to the bot's app in its tenant.
import test from 'node:test';
import assert from 'node:assert/strict';
import { GraphSimulator, OperationTracker, buildPlayPrompt, buildSubscribeToTone, canonicalId, sameId } from 'graph-ivr';
import { startEmulator } from 'graph-ivr/emulator';
import { assertRefused } from './helpers.mjs';

const answer = (callId) => ({ method: 'POST', url: `https://graph.microsoft.com/v1.0/communications/calls/${callId}/answer`, headers: { 'content-type': 'application/json' }, body: '{"mediaConfig":{"@odata.type":"#microsoft.graph.serviceHostedMediaConfig"}}' });

test('the tracker: callState events for the call itself, and the index of every event in its batch', () => {
  const graph = new GraphSimulator({ seed: 3, faults: { batch: true } });
  const call = graph.incomingCall({ callbackUri: 'https://bot.example/cb' });
  const tracker = new OperationTracker();
  const events = [];
  for (const d of graph.advance(0)) events.push(...tracker.received(d.body));
  graph.handle(answer(call.callId));
  for (const d of graph.advance(2000)) events.push(...tracker.received(d.body));
  for (const request of [buildSubscribeToTone({ callId: call.callId }), buildPlayPrompt({ callId: call.callId, prompts: ['https://a.example/x.wav'], clientContext: 'x' })]) tracker.sent(request, graph.handle(request));
  for (const d of graph.advance(500)) events.push(...tracker.received(d.body));
  // Hanging up while the prompt plays: its end and the call's, one POST.
  call.hangUp();
  const batches = graph.advance(100);
  for (const d of batches) events.push(...tracker.received(d.body));
  const states = events.filter((e) => e.type === 'callState').map((e) => e.state);
  assert.deepEqual(states, ['incoming', 'establishing', 'established', 'terminated']);
  assert.ok(events.every((e) => Number.isInteger(e.index)), 'every event of received() has its index');
  const batched = batches.find((d) => JSON.parse(d.body).value.length > 1);
  assert.ok(batched, 'a batch of several notifications');
  const fromBatch = tracker.received(batched.body);
  const notifications = JSON.parse(batched.body).value;
  assert.deepEqual(fromBatch.map((e) => e.index), notifications.map((_, i) => i), 'one duplicate per notification, each with its index');
  assert.ok(fromBatch.every((e) => e.type === 'duplicate'), 'the same batch again: duplicates, each with its index');
  const ended = events.find((e) => e.type === 'callState' && e.state === 'terminated');
  assert.equal(ended.changeType, 'deleted');
  assert.equal(tracker.callEnded(call.callId).some((e) => 'index' in e), false, 'no index outside a batch');
  graph.free();
});

test('canonicalId keys a Map; the observed profile spells a call id one way, the docs profile as the docs do', () => {
  assert.equal(canonicalId('358DB290D1E941C4BD3F5FF8BC7BDDA6'), '358db290-d1e9-41c4-bd3f-5ff8bc7bdda6');
  assert.equal(canonicalId('{358db290-D1E9-41c4-bd3f-5ff8bc7bdda6}'), '358db290-d1e9-41c4-bd3f-5ff8bc7bdda6');
  assert.equal(canonicalId('call-1'), 'call-1');
  assertRefused(() => canonicalId(5), 'invalidArgument', '');
  const spellings = (profile) => {
    const graph = new GraphSimulator({ seed: 1, profile });
    const call = graph.incomingCall({ callbackUri: 'https://bot.example/cb' });
    const bodies = [...graph.advance(0)];
    graph.handle(answer(call.callId));
    bodies.push(...graph.advance(2000));
    graph.handle(buildSubscribeToTone({ callId: call.callId }));
    call.pressTone('1');
    bodies.push(...graph.advance(5000));
    call.hangUp();
    bodies.push(...graph.advance(100));
    const seen = new Set();
    for (const d of bodies) for (const [id] of d.body.matchAll(/[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}/gi)) if (sameId(id, call.callId)) seen.add(id);
    const byCall = new Map(bodies.map((d) => [canonicalId(JSON.parse(d.body).value[0].resourceUrl.split('/')[3]), true]));
    graph.free();
    return { seen: [...seen], keys: byCall.size };
  };
  const observed = spellings('observed');
  assert.equal(observed.seen.length, 1, `observed: ${observed.seen}`);
  const docs = spellings('docs');
  assert.equal(docs.seen.length, 2, 'docs: as the docs write it, two spellings');
  assert.equal(docs.keys, 1, 'one key with canonicalId');
});

test("an incoming call is addressed to the bot's app in its tenant (appId, tenantId; the emulator's --audience and --tenant)", async () => {
  const APP = '9c5e5f2a-1d2b-4c3d-8e4f-5a6b7c8d9e0f';
  const TENANT = '57dab8b1-894c-409a-b240-bd8beae78896';
  const graph = new GraphSimulator({ seed: 1, appId: APP, tenantId: TENANT });
  graph.incomingCall({ callbackUri: 'https://bot.example/cb' });
  const ring = JSON.parse(graph.advance(0)[0].body).value[0].resourceData;
  assert.equal(ring.targets[0].identity.application.id, APP);
  assert.equal(ring.tenantId, TENANT);
  assert.equal(ring.source.identity.user.tenantId, TENANT);
  assert.equal(graph.scenario().appId, APP);
  graph.free();
  assertRefused(() => new GraphSimulator({ appId: '' }), 'invalidArgument', '/appId');
  const emulator = await startEmulator({ audience: APP, tenant: TENANT });
  try {
    await fetch(`${emulator.origin}/_graph-ivr/calls`, { method: 'POST', body: JSON.stringify({ callbackUri: 'http://127.0.0.1:9/cb', callId: 'c', settle: false }) });
    const [callback] = (await (await fetch(`${emulator.origin}/_graph-ivr/journal`)).json()).filter((e) => e.kind === 'callback');
    const data = JSON.parse(callback.body).value[0].resourceData;
    assert.equal(data.targets[0].identity.application.id, APP);
    assert.equal(data.tenantId, TENANT);
  } finally {
    await emulator.close();
  }
});
