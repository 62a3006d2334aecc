import {
  CallSimulator,
  buildPlayPrompt,
  buildRecordResponse,
  buildSubscribeToTone,
  buildCancelMediaProcessing,
  validateNotifications,
} from 'graph-ivr';

// A simulated Teams call: no tenant, no tokens, a virtual clock.
const call = new CallSimulator({ seed: 42 });
const callId = call.callId;

// Queue a prompt and a record, and subscribe to DTMF tones.
const requests = [
  buildPlayPrompt({ callId, prompts: ['https://cdn.contoso.com/welcome.wav'], clientContext: 'welcome' }),
  buildRecordResponse({ callId, maxRecordDurationInSeconds: 10, stopTones: ['#'], clientContext: 'voicemail' }),
  buildSubscribeToTone({ callId, clientContext: 'tones' }),
];
for (const request of requests) {
  const response = call.handle(request); // what fetch(request.url, request) would get back
  console.log(`${request.operation}: ${response.status} ${JSON.parse(response.body).status}`);
}

call.advance(1000); // one second into the welcome prompt, the bot changes its mind
const cancel = call.handle(buildCancelMediaProcessing({ callId }));
console.log(`cancelMediaProcessing: ${cancel.status} ${JSON.parse(cancel.body).status}`);

// Graph now POSTs one notification per canceled operation: both fail with 400/8508.
for (const delivery of call.advance(0)) {
  const report = validateNotifications(delivery.body);
  const op = report.value.value[0].resourceData;
  console.log(`${op.clientContext}: ${op.status} ${op.resultInfo.code}/${op.resultInfo.subcode} (valid: ${report.valid})`);
}

// The tone subscription is not part of the media queue: it survives the cancel.
for (const delivery of call.pressTone('5')) {
  const { toneInfo } = delivery.value.value[0].resourceData;
  console.log(`tone ${toneInfo.tone} (sequenceId ${toneInfo.sequenceId})`);
}
