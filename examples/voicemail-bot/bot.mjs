// A voicemail bot, written the way Teams calling bots are written: Graph through
// @microsoft/microsoft-graph-client, notifications at a node:http callback, every POST checked
// with validateNotifications after its token is checked with verifyCallbackToken. Nothing in
// it knows about the simulator: its tests point globalThis.fetch at graph.fetch, let
// GraphSimulator POST to the callback, and sign those POSTs with a test key.
//
// The call: answer → subscribe to tones → play a greeting → record a message (ends on #) →
// download the recording → hang up. Pressing 0 during the greeting cancels the queue (the
// greeting and the queued record fail 400/8508, as expected) and the bot says goodbye.
import http from 'node:http';
import { Client } from '@microsoft/microsoft-graph-client';
import { validateNotifications, classifyResult, verifyCallbackToken } from 'graph-ivr';

const GREETING = 'https://cdn.contoso.com/voicemail/greeting.wav';
const GOODBYE = 'https://cdn.contoso.com/voicemail/goodbye.wav';

/** Ids as keys: Graph writes one GUID both as 57DAB8B1894C… and 57dab8b1-894c-…. */
const key = (id) => id.toLowerCase().replaceAll('-', '');

/**
 * `auth`: `{audience, jwks}`, the bot's app id and the keys of Graph's OpenID configuration
 * (`jwks` is the key set or an async function that returns the cached one). Every callback
 * POST is checked with it; one that fails is answered 401 and not read.
 */
export async function startVoicemailBot({ accessToken = 'app-token', auth } = {}) {
  if (!auth) throw new Error('the bot needs auth: {audience, jwks}; it never skips token validation');
  const client = Client.init({ authProvider: (done) => done(null, accessToken) });
  const calls = new Map(); // key(callId) → what the bot knows of the call
  const log = [];
  let callbackUri;

  const graphCall = (id) => `/communications/calls/${id}`;
  const state = (id) => {
    if (!calls.has(key(id))) calls.set(key(id), { id, events: [], canceled: 0, tones: [], recording: null, ended: false });
    return calls.get(key(id));
  };

  async function onIncoming(id) {
    await client.api(`${graphCall(id)}/answer`).post({
      callbackUri,
      acceptedModalities: ['audio'],
      mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
    });
  }

  async function onEstablished(call) {
    if (call.started) return; // live Graph sends `established` twice
    call.started = true;
    await client.api(`${graphCall(call.id)}/subscribeToTone`).post({ clientContext: 'tones' });
    await client.api(`${graphCall(call.id)}/playPrompt`).post({
      clientContext: 'greeting',
      prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { uri: GREETING } }],
    });
    await client.api(`${graphCall(call.id)}/recordResponse`).post({
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
      await client.api(`${graphCall(call.id)}/cancelMediaProcessing`).post({ clientContext: 'operator' });
      await client.api(`${graphCall(call.id)}/playPrompt`).post({
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
    if (op.clientContext === 'voicemail' && op.status === 'completed' && op.recordingLocation) {
      // A failed record's recordingLocation is "" (the docs' cancel example): treat it as absent.
      const response = await fetch(op.recordingLocation, { headers: { Authorization: `Bearer ${op.recordingAccessToken}` } });
      call.recording = { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()) };
      await client.api(graphCall(call.id)).delete();
    }
    if (op.clientContext === 'goodbye') await client.api(graphCall(call.id)).delete();
  }

  async function onNotification(n) {
    const match = /\/calls\/([^/]+)/.exec(n.resourceUrl);
    if (!match) return;
    const call = state(decodeURIComponent(match[1]));
    const data = n.resourceData;
    if (Array.isArray(data) || !data) return;
    if (data['@odata.type'] === '#microsoft.graph.call') {
      if (n.changeType === 'created' && data.state === 'incoming') return onIncoming(call.id);
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
