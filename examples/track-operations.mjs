import { CallSimulator, OperationTracker, buildPlayPrompt, buildRecordResponse, buildSubscribeToTone } from 'graph-ivr';

// Live Graph: a record still running at hang-up never reports (comms-samples #376).
const call = new CallSimulator({ seed: 4, profile: 'observed', dropFinalRecordNotification: true });
const callId = call.callId;
const tracker = new OperationTracker();

// What the bot sent, with what Graph answered.
for (const request of [
  buildSubscribeToTone({ callId }),
  buildPlayPrompt({ callId, prompts: ['https://cdn.contoso.com/menu.wav'], clientContext: 'menu' }),
  buildRecordResponse({ callId, maxRecordDurationInSeconds: 30, clientContext: 'message' }),
]) {
  tracker.sent(request, call.handle(request));
}

// What arrived: in reverse order, and the first POST twice.
const deliveries = [...call.advance(4000), ...call.pressTone('1'), ...call.hangUp()];
for (const delivery of [...deliveries.reverse(), deliveries[0]]) {
  for (const event of tracker.received(delivery.body)) {
    if (event.type === 'tone') console.log(`tone ${event.key} (sequenceId ${event.sequenceId})`);
    else if (event.type === 'callState') console.log(`call ${event.state}`);
    else if (event.type === 'duplicate' || event.type === 'unmatched') console.log(event.type);
    else console.log(`${event.type} ${event.clientContext ?? event.operation}${event.outcome ? ` (${event.outcome})` : ''}`);
  }
}

// The state is plain JSON: a stateless bot stores it between callbacks.
const stored = JSON.stringify(tracker);
console.log(`${new OperationTracker(stored).pending().length} pending, ${stored.length} bytes of state`);
