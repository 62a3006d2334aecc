// Bot recipes: small bots, written as a bot author writes them (plain fetch and JSON, no
// graph-ivr in them), that the page runs against GraphSimulator through graph.fetch while a
// scripted caller acts. The page shows each bot's own source beside the timeline.

const GRAPH = 'https://graph.microsoft.com/v1.0';
const JSON_HEADERS = { 'Content-Type': 'application/json', Authorization: 'Bearer app-token' };
const prompt = (uri) => ({ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri } });

/** Voicemail: answer, greet, record until # or silence, download the recording, hang up. */
export function voicemail(fetch) {
  const post = (url, body) => fetch(url, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body) });
  return async function onNotification(n) {
    const call = `${GRAPH}${n.resourceUrl.replace(/\/operations\/.*$/, '')}`;
    const data = n.resourceData ?? {};
    if (data.state === 'incoming') {
      await post(`${call}/answer`, { callbackUri: 'https://bot.example/api/calls', acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } });
    } else if (data.state === 'established' && !data.toneInfo) { // a tone's update carries the state too
      await post(`${call}/playPrompt`, { clientContext: 'greeting', prompts: [prompt('https://cdn.contoso.com/greeting.wav')] });
      await post(`${call}/recordResponse`, { clientContext: 'message', stopTones: ['#'], maxSilenceTimeoutInSeconds: 3, maxRecordDurationInSeconds: 30 });
    } else if (data.clientContext === 'message' && data.status === 'completed') {
      await fetch(data.recordingLocation, { headers: { Authorization: `Bearer ${data.recordingAccessToken}` } });
      await fetch(call, { method: 'DELETE', headers: JSON_HEADERS });
    }
  };
}

/** A DTMF menu with barge-in: the menu plays; a key barges in with a record of that option. */
export function dtmfMenu(fetch) {
  const post = (url, body) => fetch(url, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body) });
  let chosen = null; // the first digit picks; later keys (the record's # included) do not
  return async function onNotification(n) {
    const call = `${GRAPH}${n.resourceUrl.replace(/\/operations\/.*$/, '')}`;
    const data = n.resourceData ?? {};
    if (data.state === 'incoming') {
      await post(`${call}/answer`, { callbackUri: 'https://bot.example/api/calls', acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } });
    } else if (data.state === 'established' && !data.toneInfo) { // a tone's update carries the state too
      await post(`${call}/subscribeToTone`, { clientContext: 'keys' });
      await post(`${call}/playPrompt`, { clientContext: 'menu', prompts: [prompt('https://cdn.contoso.com/menu.wav')] });
    } else if (data.toneInfo && !chosen && /^tone\d$/.test(data.toneInfo.tone)) {
      // bargeInAllowed: the record jumps the queue and ends the menu that is still playing.
      const option = (chosen = data.toneInfo.tone.replace('tone', ''));
      await post(`${call}/recordResponse`, { clientContext: `option-${option}`, bargeInAllowed: true, playBeep: true, stopTones: ['#'], prompts: [prompt(`https://cdn.contoso.com/option-${option}.wav`)] });
    } else if (data.clientContext?.startsWith('option-') && data.status === 'completed') {
      await fetch(call, { method: 'DELETE', headers: JSON_HEADERS });
    }
  };
}

/** Cancel and transfer: hold music until the caller presses 0, then cancel it and transfer. */
export function cancelAndTransfer(fetch) {
  const post = (url, body) => fetch(url, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body) });
  return async function onNotification(n) {
    const call = `${GRAPH}${n.resourceUrl.replace(/\/operations\/.*$/, '')}`;
    const data = n.resourceData ?? {};
    if (data.state === 'incoming') {
      await post(`${call}/answer`, { callbackUri: 'https://bot.example/api/calls', acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } });
    } else if (data.state === 'established' && !data.toneInfo) { // a tone's update carries the state too
      await post(`${call}/subscribeToTone`, { clientContext: 'keys' });
      await post(`${call}/playPrompt`, { clientContext: 'hold', prompts: [prompt('https://cdn.contoso.com/hold-music.wav')] });
      await post(`${call}/playPrompt`, { clientContext: 'still-holding', prompts: [prompt('https://cdn.contoso.com/still-holding.wav')] });
    } else if (data.toneInfo?.tone === 'tone0') {
      await post(`${call}/cancelMediaProcessing`, { clientContext: 'to-operator' });
      const transfer = await post(`${call}/transfer`, { transferTarget: { endpointType: 'default', identity: { user: { id: 'operator' } } } });
      if (!transfer.ok) {
        // graph-ivr answers 501 for what it does not simulate: the bot says sorry and hangs up.
        await post(`${call}/playPrompt`, { clientContext: 'sorry', prompts: [prompt('https://cdn.contoso.com/sorry.wav')] });
      }
    } else if (data.clientContext === 'sorry' && data.status === 'completed') {
      await fetch(call, { method: 'DELETE', headers: JSON_HEADERS });
    }
  };
}

/** Each recipe: its bot, the prompts' play times, and what the caller does when (ms). */
export const RECIPES = {
  voicemail: {
    title: 'Voicemail bot',
    bot: voicemail,
    durations: { 'https://cdn.contoso.com/greeting.wav': 3000 },
    caller: [{ at: 4200, t: 'speak' }, { at: 7000, t: 'quiet' }, { at: 7500, t: 'tone', key: '#' }],
    until: 10000,
  },
  'dtmf-menu': {
    title: 'DTMF menu with barge-in',
    bot: dtmfMenu,
    durations: { 'https://cdn.contoso.com/menu.wav': 6000, 'https://cdn.contoso.com/option-2.wav': 1500 },
    caller: [{ at: 2500, t: 'tone', key: '2' }, { at: 5000, t: 'speak' }, { at: 6500, t: 'quiet' }, { at: 7000, t: 'tone', key: '#' }],
    until: 10000,
  },
  'cancel-and-transfer': {
    title: 'Cancel and transfer',
    bot: cancelAndTransfer,
    durations: { 'https://cdn.contoso.com/hold-music.wav': 20000, 'https://cdn.contoso.com/sorry.wav': 2000 },
    caller: [{ at: 3000, t: 'tone', key: '0' }],
    until: 8000,
  },
};

/**
 * Runs a recipe: a GraphSimulator, its incoming call, the bot answering every notification
 * through `graph.fetch`, and the caller's script, timer by timer so every phase is seen.
 * Hooks: `delivery(d)` before the bot reads it, `snapshot(s)` after every change, `action(kind,
 * at, label)` for the caller's keys, `exchange({method, url, status})` for the bot's requests.
 * Resolves `{graph, call}` at the recipe's end.
 */
export async function runRecipe(ivr, recipe, hooks) {
  const graph = new ivr.GraphSimulator({ seed: 1, promptDurationsMs: recipe.durations });
  const fetch = async (url, init = {}) => {
    const response = await graph.fetch(url, init);
    hooks.exchange({ method: init.method ?? 'GET', url: String(url), status: response.status });
    return response;
  };
  const onNotification = recipe.bot(fetch);
  const call = graph.incomingCall({ callbackUri: 'https://bot.example/api/calls' });
  const observe = () => hooks.snapshot(call.snapshot());
  const deliver = async (delivery) => {
    hooks.delivery(delivery);
    observe();
    for (const n of delivery.value.value) await onNotification(n);
    observe();
  };
  const runTo = async (target) => {
    for (let guard = 0; guard < 10000; guard++) {
      const next = graph.nextTimeout;
      if (next === undefined || next > target) break;
      const before = graph.now;
      await graph.run(next - graph.now, deliver);
      observe();
      if (graph.now === before && graph.nextTimeout === before) break;
    }
    if (target > graph.now) await graph.run(target - graph.now, deliver);
    observe();
  };
  observe();
  for (const step of recipe.caller) {
    await runTo(step.at);
    if (call.state === 'terminated') break;
    if (step.t === 'tone') {
      hooks.action('tone', graph.now, `key ${step.key}`);
      call.pressTone(step.key);
    } else if (step.t === 'speak') call.startSpeaking();
    else if (step.t === 'quiet') call.stopSpeaking();
    else if (step.t === 'hangup') call.hangUp();
    observe();
  }
  await runTo(recipe.until);
  return { graph, call };
}
