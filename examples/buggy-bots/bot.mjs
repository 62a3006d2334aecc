// A menu bot written the usual way (graph-client over globalThis.fetch, notifications at a
// node:http callback), started with one of the classic bugs of calling bots — the ones that
// reach production because nobody wrote the test. `BotExplorer` must find each by itself
// (tests/js/explorer.test.mjs); with no bug it passes.
//
// The call: answer → subscribe to tones → play the menu, then its options (two operations) →
// "1": record a message until # (barging in), then hang up; "0": cancel, and once the options
// are canceled too, say goodbye and hang up; a caller who chooses nothing gets the menu once
// more, then the bot hangs up.
import http from 'node:http';
import { AuthenticationHandler, Client, CustomAuthenticationProvider, HTTPMessageHandler } from '@microsoft/microsoft-graph-client';
import { classifyResult } from 'graph-ivr';

export const BUGS = {
  /** Reads only the first notification of each POST (Graph batches them). */
  firstItemOnly: 'reads only value[0]',
  /** Takes the 400/8508 of a canceled operation for a crash, and stops taking callbacks. */
  cancelIsFatal: 'treats 8508 as fatal',
  /** Plays the menu again on a repeated `established` (Graph may POST it twice). */
  menuOnEveryEstablished: 'plays the menu on every established',
  /** Never hangs up when the caller says nothing. */
  neverHangsUp: 'never hangs up after silence',
  /** Answers after 20 seconds (Graph gives up at 15). */
  slowAnswer: 'answers after 20 s',
  /** Keys its state by the call id as each notification spells it (Graph spells one GUID two ways). */
  rawCallIds: 'call ids not canonicalized',
};

const MENU = 'https://cdn.contoso.com/menu.wav';
const OPTIONS = 'https://cdn.contoso.com/options.wav';
const GOODBYE = 'https://cdn.contoso.com/goodbye.wav';
const prompt = (uri) => [{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri } }];

/** Starts the bot with `bug` (a key of BUGS, or none); `sleep` is its timer. */
export async function startMenuBot({ bug, sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)) } = {}) {
  const client = Client.initWithMiddleware({
    middleware: [new AuthenticationHandler(new CustomAuthenticationProvider((done) => done(null, 'token'))), new HTTPMessageHandler()],
  });
  const calls = new Map();
  const log = [];
  /** The calls whose handler crashed (cancelIsFatal): their callbacks are answered 500. */
  const crashed = new Set();
  let callbackUri;
  const key = (id) => (bug === 'rawCallIds' ? id : id.toLowerCase().replaceAll('-', ''));
  const state = (id) => {
    if (!calls.has(key(id))) calls.set(key(id), { id, answered: false, menus: 0, seen: new Set(), done: false });
    return calls.get(key(id));
  };
  const path = (call, action = '') => `/communications/calls/${call.id}${action}`;
  const hangUp = async (call) => {
    if (call.done) return;
    call.done = true;
    await client.api(path(call)).delete();
  };

  async function playMenu(call) {
    call.menus += 1;
    await client.api(path(call, '/playPrompt')).post({ clientContext: `menu ${call.menus}`, prompts: prompt(MENU) });
    await client.api(path(call, '/playPrompt')).post({ clientContext: `options ${call.menus}`, prompts: prompt(OPTIONS) });
  }

  async function onNotification(n) {
    const id = /\/calls\/([^/]+)/.exec(n.resourceUrl)?.[1];
    const data = n.resourceData;
    if (!id || !data || Array.isArray(data)) return;
    const call = state(decodeURIComponent(id));
    // Each tone and each operation's end once (Graph may POST one twice).
    const once = data.toneInfo ? `tone ${data.toneInfo.sequenceId}` : n.changeType === 'deleted' && data.status ? n.resourceUrl.toLowerCase() : null;
    if (once !== null) {
      if (call.seen.has(once)) return;
      call.seen.add(once);
    }
    if (n.changeType === 'created' && data.state === 'incoming') {
      if (call.answered) return;
      call.answered = true;
      if (bug === 'slowAnswer') await sleep(20_000);
      await client.api(path(call, '/answer')).post({ callbackUri, acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } });
      return;
    }
    if (data.toneInfo) {
      if (call.done) return;
      if (data.toneInfo.tone === 'tone1' && !call.recording) {
        call.recording = true;
        await client.api(path(call, '/recordResponse')).post({ clientContext: 'message', bargeInAllowed: true, stopTones: ['#'], playBeep: false });
      } else if (data.toneInfo.tone === 'tone0' && !call.leaving && !call.recording) {
        call.leaving = true;
        await client.api(path(call, '/cancelMediaProcessing')).post({});
      }
      return;
    }
    if (data['@odata.type'] === '#microsoft.graph.call') {
      if (data.state === 'established' && !data.mediaState) {
        if (call.started && bug !== 'menuOnEveryEstablished') return;
        if (!call.answered && bug === 'rawCallIds') return; // not the call it answered, it thinks
        call.started = true;
        await client.api(path(call, '/subscribeToTone')).post({});
        await playMenu(call);
      }
      if (n.changeType === 'deleted') call.done = true;
      return;
    }
    if (n.changeType !== 'deleted' || !data.status) return;
    const outcome = data.resultInfo ? classifyResult(data.resultInfo) : data.status;
    const context = data.clientContext ?? '';
    if (outcome === 'canceled' && bug === 'cancelIsFatal') crashed.add(key(call.id));
    if (outcome === 'callEnded' || call.done) return;
    // The queue is empty once the options have ended: say goodbye when the caller chose to go.
    if (context === `options ${call.menus}` && call.leaving) {
      return client.api(path(call, '/playPrompt')).post({ clientContext: 'goodbye', prompts: prompt(GOODBYE) });
    }
    if (outcome === 'canceled') return;
    if (context === 'goodbye' || context === 'message') return hangUp(call);
    if (context === `options ${call.menus}` && !call.recording) {
      // Nobody chose: the menu once more, then goodbye.
      if (call.menus < 2) return playMenu(call);
      if (bug !== 'neverHangsUp') return hangUp(call);
    }
  }

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const { value } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const id = /\/calls\/([^/]+)/.exec(value[0]?.resourceUrl ?? '')?.[1];
      if (id && crashed.has(key(decodeURIComponent(id)))) {
        res.writeHead(500).end();
        return;
      }
      res.writeHead(202).end();
      const items = bug === 'firstItemOnly' ? value.slice(0, 1) : value;
      (async () => {
        for (const n of items) await onNotification(n);
      })().catch((err) => log.push(String(err?.message ?? err)));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  callbackUri = `http://127.0.0.1:${server.address().port}/api/calls`;
  return { callbackUri, log, close: () => new Promise((resolve) => server.close(resolve)) };
}
