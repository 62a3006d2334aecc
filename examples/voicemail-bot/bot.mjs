// A voicemail bot, written the way Teams calling bots are written: Graph through
// @microsoft/microsoft-graph-client, notifications at a node:http callback, every POST checked
// with validateNotifications after its token is checked with verifyCallbackToken. Nothing in
// it knows about the simulator: its tests point globalThis.fetch at graph.fetch, let
// GraphSimulator POST to the callback, and sign those POSTs with a test key.
//
// The call: answer → subscribe to tones → play a greeting → record a message (ends on #) →
// download the recording → hang up. Pressing 0 during the greeting cancels the queue (the
// greeting and the queued record fail 400/8508, as expected) and the bot says goodbye.
//
// Graph as it fails: a request answered 429, 503 or 504 is sent again once its Retry-After has
// passed; every call gets a keepAlive every 15 minutes (Graph ends a call after 45 without one),
// and a keepAlive answered 404 says the call ended even when its `deleted` notification never
// came. Waiting is `sleep` (timers in production; the simulator's virtual clock in the tests).
import http from 'node:http';
import { AuthenticationHandler, Client, CustomAuthenticationProvider, HTTPMessageHandler } from '@microsoft/microsoft-graph-client';
import { validateNotifications, classifyResult, verifyCallbackToken } from 'graph-ivr';

const GREETING = 'https://cdn.contoso.com/voicemail/greeting.wav';
const GOODBYE = 'https://cdn.contoso.com/voicemail/goodbye.wav';

const wallClockSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref?.());

/** Ids as keys: Graph writes one GUID both as 57DAB8B1894C… and 57dab8b1-894c-…. */
const key = (id) => id.toLowerCase().replaceAll('-', '');

/**
 * `auth`: `{audience, jwks}`, the bot's app id and the keys of Graph's OpenID configuration
 * (`jwks` is the key set or an async function that returns the cached one). Every callback
 * POST is checked with it; one that fails is answered 401 and not read.
 */
export async function startVoicemailBot({ accessToken = 'app-token', auth, sleep = wallClockSleep, keepAliveEveryMs = 15 * 60_000 } = {}) {
  if (!auth) throw new Error('the bot needs auth: {audience, jwks}; it never skips token validation');
  // graph-client's own retry handler waits on the wall clock; this bot retries itself, with `sleep`.
  const client = Client.initWithMiddleware({
    middleware: [new AuthenticationHandler(new CustomAuthenticationProvider((done) => done(null, accessToken))), new HTTPMessageHandler()],
  });
  const calls = new Map(); // key(callId) → what the bot knows of the call
  const log = [];
  let callbackUri;

  const graphCall = (id) => `/communications/calls/${id}`;
  const state = (id) => {
    if (!calls.has(key(id))) calls.set(key(id), { id, events: [], canceled: 0, tones: [], recording: null, ended: false, retries: 0, keepAlives: 0, seen: new Set() });
    return calls.get(key(id));
  };

  /** A POST (or DELETE) to Graph, sent again after Retry-After while Graph is throttling or
   *  unavailable (Graph's throttling guidance); any other failure is thrown. */
  async function send(call, path, body, method = 'post') {
    for (let attempt = 1; ; attempt++) {
      // Once the bot heard the call ended (maybe while it waited to retry), nothing is left to send.
      if (call.ended && !path.endsWith('/keepAlive')) return undefined;
      try {
        return method === 'delete' ? await client.api(path).delete() : await client.api(path).post(body);
      } catch (err) {
        if (![429, 503, 504].includes(err?.statusCode) || attempt === 8) throw err;
        call.retries += 1;
        const seconds = Number(err.headers?.get?.('Retry-After'));
        await sleep(Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 2 ** attempt * 1000);
      }
    }
  }

  /** keepAlive every `keepAliveEveryMs` while the call lasts; a 404 means it has ended. */
  async function keepAlive(call) {
    while (!call.ended) {
      await sleep(keepAliveEveryMs);
      if (call.ended) return;
      try {
        await send(call, `${graphCall(call.id)}/keepAlive`, {});
        call.keepAlives += 1;
      } catch (err) {
        if (err?.statusCode !== 404) throw err;
        call.ended = true; // the `deleted` notification never came: keepAlive told
        call.endedBy = 'keepAlive';
      }
    }
  }

  async function onIncoming(call) {
    if (call.answered) return; // Graph may deliver a POST twice
    call.answered = true;
    await send(call, `${graphCall(call.id)}/answer`, {
      callbackUri,
      acceptedModalities: ['audio'],
      mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
    });
    keepAlive(call).catch((err) => log.push({ error: String(err?.message ?? err) }));
  }

  async function onEstablished(call) {
    if (call.started) return; // live Graph sends `established` twice
    call.started = true;
    await send(call, `${graphCall(call.id)}/subscribeToTone`, { clientContext: 'tones' });
    await send(call, `${graphCall(call.id)}/playPrompt`, {
      clientContext: 'greeting',
      prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { uri: GREETING } }],
    });
    await send(call, `${graphCall(call.id)}/recordResponse`, {
      clientContext: 'voicemail',
      maxRecordDurationInSeconds: 30,
      maxSilenceTimeoutInSeconds: 3,
      playBeep: true,
      stopTones: ['#'],
    });
  }

  async function onTone(call, tone) {
    call.tones.push(tone);
    if (tone === 'tone0' && !call.operator) {
      call.operator = true;
      await send(call, `${graphCall(call.id)}/cancelMediaProcessing`, { clientContext: 'operator' });
      await send(call, `${graphCall(call.id)}/playPrompt`, {
        clientContext: 'goodbye',
        prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { uri: GOODBYE } }],
      });
    }
  }

  async function onOperationEnded(call, op) {
    const outcome = op.resultInfo ? classifyResult(op.resultInfo) : op.status;
    call.events.push(`${op.clientContext}:${outcome}`);
    if (outcome === 'canceled') {
      call.canceled += 1;
      return;
    }
    if (outcome === 'callEnded') return; // the call ended under it: nobody is there to hear more
    if (op.clientContext === 'voicemail' && op.status === 'completed' && op.recordingLocation) {
      // A failed record's recordingLocation is "" (the docs' cancel example): treat it as absent.
      const response = await fetch(op.recordingLocation, { headers: { Authorization: `Bearer ${op.recordingAccessToken}` } });
      call.recording = { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()) };
      await send(call, graphCall(call.id), undefined, 'delete');
    }
    if (op.clientContext === 'goodbye') await send(call, graphCall(call.id), undefined, 'delete');
  }

  async function onNotification(n) {
    const match = /\/calls\/([^/]+)/.exec(n.resourceUrl);
    if (!match) return;
    const call = state(decodeURIComponent(match[1]));
    const data = n.resourceData;
    if (Array.isArray(data) || !data) return;
    // Graph may POST a notification twice: each tone (by sequenceId) and each operation's end
    // (by its resource) is handled once.
    const once = data.toneInfo ? `tone ${data.toneInfo.sequenceId}` : n.changeType === 'deleted' && data.status ? key(n.resourceUrl) : null;
    if (once !== null) {
      if (call.seen.has(once)) return;
      call.seen.add(once);
    }
    if (data['@odata.type'] === '#microsoft.graph.call') {
      if (n.changeType === 'created' && data.state === 'incoming') return onIncoming(call);
      if (data.toneInfo) return onTone(call, data.toneInfo.tone);
      if (data.state === 'established') return onEstablished(call);
      if (n.changeType === 'deleted') call.ended = true;
      return;
    }
    if (n.changeType === 'deleted' && data.status) return onOperationEnded(call, data);
  }

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const jwks = typeof auth.jwks === 'function' ? await auth.jwks() : auth.jwks;
      const token = await verifyCallbackToken(req.headers.authorization, { jwks, audience: auth.audience });
      if (!token.valid) {
        log.push({ unauthorized: token.reason });
        res.writeHead(401).end();
        return;
      }
      const report = validateNotifications(Buffer.concat(chunks), { mode: 'tolerant' });
      if (report.issues.some((issue) => issue.code === 'legacyFormat')) {
        res.writeHead(204).end(); // Graph sends it again in the Graph format
        return;
      }
      if (!report.valid) {
        log.push({ rejected: report.issues });
        res.writeHead(400).end();
        return;
      }
      // Acknowledge at once, then work: Graph does not wait for the bot's reactions.
      res.writeHead(202).end();
      (async () => {
        for (const n of report.value.value) await onNotification(n); // a POST can carry several
      })().catch((err) => log.push({ error: String(err?.message ?? err) }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  callbackUri = `http://127.0.0.1:${server.address().port}/api/calls`;
  return {
    callbackUri,
    calls,
    log,
    call: (id) => calls.get(key(id)),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
