// `npm start`: one simulated IVR call from greeting to hang-up, printing every request the bot
// sends, every response Graph gives, and every notification Graph POSTs back, on a virtual clock.
import {
  CallSimulator,
  buildPlayPrompt,
  buildRecordResponse,
  buildSubscribeToTone,
  buildCancelMediaProcessing,
  validateNotifications,
} from 'graph-ivr';

const seed = Number(process.env.SEED ?? 2026);
const call = new CallSimulator({
  seed,
  promptDurationsMs: {
    'https://cdn.contoso.com/welcome.wav': 2500,
    'https://cdn.contoso.com/menu.wav': 4000,
    'https://cdn.contoso.com/leave-message.wav': 1500,
  },
});
const callId = call.callId;
const time = (ms) => `[${(ms / 1000).toFixed(3).padStart(7)} s]`;
const show = (text, at = call.now) => console.log(`${time(at)} ${text}`);

function send(request) {
  show(`bot → Graph  ${request.method} ${request.url}`);
  show(`             ${request.body}`);
  const response = call.handle(request);
  show(`Graph → bot  ${response.status} ${response.body}`);
  return response;
}

function receive(deliveries) {
  for (const delivery of deliveries) {
    const report = validateNotifications(delivery.body);
    const n = delivery.value.value[0];
    const data = n.resourceData;
    const what = data.toneInfo
      ? `tone ${data.toneInfo.tone} #${data.toneInfo.sequenceId}`
      : data.state === 'terminated'
        ? `call terminated (${data.resultInfo.code}/${data.resultInfo.subcode})`
        : `${data['@odata.type'].replace('#microsoft.graph.', '')} "${data.clientContext ?? ''}" ${data.status}` +
          (data.resultInfo ? ` ${data.resultInfo.code}/${data.resultInfo.subcode}` : '') +
          (data.completionReason ? ` ${data.completionReason}` : '');
    show(`Graph POST   ${n.changeType} ${what}  [${report.valid ? 'valid' : 'INVALID'}]`, delivery.at);
    show(`             ${delivery.body}`, delivery.at);
  }
}

console.log(`A simulated Teams call ${callId} (seed ${seed}); times are virtual.\n`);
send(buildSubscribeToTone({ callId, clientContext: 'dtmf' }));
send(buildPlayPrompt({ callId, clientContext: 'greeting', prompts: ['https://cdn.contoso.com/welcome.wav', 'https://cdn.contoso.com/menu.wav'] }));
receive(call.advance(3000));
show('caller presses 2 during the menu');
receive(call.pressTone('2'));
send(buildCancelMediaProcessing({ callId, clientContext: 'skip-menu' }));
receive(call.advance(0));
send(buildRecordResponse({
  callId,
  clientContext: 'voicemail',
  prompts: ['https://cdn.contoso.com/leave-message.wav'],
  maxRecordDurationInSeconds: 30,
  maxSilenceTimeoutInSeconds: 3,
  stopTones: ['#'],
}));
receive(call.advance(2500));
show('caller starts speaking');
receive(call.startSpeaking());
receive(call.advance(6000));
show('caller presses # to finish');
receive(call.pressTone('#'));
show('caller hangs up');
receive(call.hangUp());
