import { BotExplorer, buildPlayPrompt, buildSubscribeToTone } from 'graph-ivr';

// A bot as first written: it answers each call once and starts its menu once, and hangs up
// when the caller presses a key — on every POST of that key, and Graph may POST one twice.
const accessToken = 'app-token'; // the bot's Graph token (in production, from its app registration)
const answered = new Set();
const started = new Set();
async function bot(explorer, { callId, value: { value } }) {
  const call = `https://graph.microsoft.com/v1.0/communications/calls/${callId}`;
  const post = (request) => explorer.fetch(request.url, request);
  for (const n of value) {
    const data = n.resourceData;
    if (data.state === 'incoming' && !answered.has(callId)) {
      answered.add(callId);
      await explorer.fetch(`${call}/answer`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${accessToken}` },
        body: JSON.stringify({ acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } }),
      });
    } else if (data.state === 'established' && !data.toneInfo && !started.has(callId)) {
      started.add(callId);
      await post(buildSubscribeToTone({ callId, accessToken }));
      await post(buildPlayPrompt({ callId, accessToken, prompts: ['https://bot.example/menu.wav'], clientContext: 'menu' }));
    } else if (data.toneInfo) {
      await explorer.fetch(call, { method: 'DELETE', headers: { Authorization: `Bearer ${accessToken}` } });
    }
  }
}

// In-process: each callback goes to the bot's handler (a bot on HTTP gets callbackUri instead).
const explorer = new BotExplorer({ runs: 100, seed: 3, maxFailures: 1, deliver: (delivery) => bot(explorer, delivery) });
const { runs, failures } = await explorer.run();
console.log(`${runs} runs, ${failures.length} failure`);
for (const failure of failures) {
  console.log(`${failure.invariant}: ${failure.message}`);
  console.log(`the caller: ${JSON.stringify(failure.scenario.calls[0].steps ?? [])}`);
  console.log(failure.timeline);
}
