import { GraphSimulator, buildPlayPrompt, buildRecordResponse, buildSubscribeToTone } from 'graph-ivr';

// Who calls and what the caller does, as data: "when the menu plays, press 2; once recording,
// speak for 3 s then press #". Graph answers each request 100-300 ms late (virtual time).
const scenario = {
  seed: 7,
  promptDurationsMs: { 'https://bot.example/menu.wav': 4000 },
  faults: { latencyMs: { min: 100, max: 300 } },
  calls: [{ callbackUri: 'https://bot.example/calls', steps: [
    { on: 'prompt', uri: 'https://bot.example/menu.wav', after: 1500, pressTone: '2' },
    { on: 'recording', after: 500, startSpeaking: true },
    { at: 9000, pressTone: '#' },
  ] }],
};
const graph = GraphSimulator.fromScenario(scenario);

// A bot, as small as it gets: answer, subscribe, play the menu, record after "2".
const send = (request) => graph.fetch(request.url, request);
await graph.run(15_000, async ({ at, callId, value }) => {
  for (const n of value.value) {
    const what = n.resourceData.toneInfo?.tone ?? n.resourceData.state ?? n.resourceData.status;
    console.log(`${at} ms: ${what}`);
    if (n.resourceData.state === 'incoming') {
      await graph.fetch(`https://graph.microsoft.com/v1.0${n.resourceUrl}/answer`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } }),
      });
    } else if (n.resourceData.state === 'established' && !n.resourceData.toneInfo) {
      await send(buildSubscribeToTone({ callId }));
      await send(buildPlayPrompt({ callId, prompts: ['https://bot.example/menu.wav'] }));
    } else if (n.resourceData.toneInfo?.tone === 'tone2') {
      await send(buildRecordResponse({ callId, stopTones: ['#'], playBeep: false }));
    }
  }
});

// What happened, written back as a scenario: the same notifications, byte for byte, anywhere.
const saved = graph.scenario();
console.log(`saved: ${saved.calls.length} call, ${saved.steps.length} steps`);
