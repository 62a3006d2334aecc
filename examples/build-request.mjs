import { buildRecordResponse } from 'graph-ivr';

const request = buildRecordResponse({
  callId: '57dab8b1-894c-409a-b240-bd8beae78896',
  accessToken: process.env.GRAPH_TOKEN || 'eyJ0eXAiOiJKV1Qi.placeholder',
  prompts: ['https://cdn.contoso.com/leave-a-message.wav'],
  maxRecordDurationInSeconds: 60,
  stopTones: ['#'],
  clientContext: 'voicemail',
});
console.log(request.method, request.url);
console.log(request.body);
// await fetch(request.url, request) sends it as is.

try {
  buildRecordResponse({ callId: 'any', maxSilenceTimeoutInSeconds: 300 });
} catch (err) {
  console.log(`${err.name} ${err.code} at ${err.path}: ${err.message}`);
}
