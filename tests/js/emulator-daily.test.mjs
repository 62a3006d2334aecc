// The emulator as a daily tool, through its control API, with no sleeps and no polling in the
// test: each control request answers once the bot has reacted (settle), the journal holds what
// the bot sent (expectRequest reads it over HTTP as in process), reset starts clean, and the
// dashboard's files and live events are served.
import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { expectRequest, buildPlayPrompt, buildSubscribeToTone } from 'graph-ivr';
import { startEmulator } from 'graph-ivr/emulator';

/** A bot on node:http with plain fetch to the emulator: it answers, subscribes to tones once
 *  established, and plays a prompt for each key; it acknowledges first and works after. */
async function startBot(origin) {
  const heard = [];
  const token = { Authorization: 'Bearer bot-token' };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      res.writeHead(202).end();
      for (const n of JSON.parse(body).value) {
        const callId = n.resourceUrl.split('/calls/')[1].split('/')[0];
        const data = n.resourceData;
        const send = (request) => fetch(request.url, request);
        if (data.state === 'incoming') {
          await fetch(`${origin}/v1.0/communications/calls/${callId}/answer`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...token }, body: JSON.stringify({ callbackUri: url, acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } }) });
        } else if (data.toneInfo) {
          heard.push(data.toneInfo.tone);
          // Work after an await, as real bots do: settle waits for it.
          await new Promise((resolve) => setImmediate(resolve));
          await send(buildPlayPrompt({ callId, baseUrl: origin, accessToken: 'bot-token', prompts: [`https://cdn.contoso.com/${data.toneInfo.tone}.wav`], clientContext: data.toneInfo.tone }));
        } else if (data.state === 'established') {
          await send(buildSubscribeToTone({ callId, baseUrl: origin, accessToken: 'bot-token' }));
        }
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/api/calls`;
  return { url, heard, close: () => new Promise((resolve) => server.close(resolve)) };
}

test('control requests answer once the bot has reacted; the journal over HTTP; reset; the dashboard', async () => {
  const emulator = await startEmulator({ seed: 4 });
  const bot = await startBot(emulator.origin);
  const control = async (path, body) => {
    const response = await fetch(`${emulator.origin}/_graph-ivr/${path}`, body === undefined ? {} : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: await response.json() };
  };
  try {
    const rung = await control('calls', { callbackUri: bot.url, callId: 'c-1' });
    assert.equal(rung.status, 201);
    // The ring was delivered and the bot answered before the control request answered.
    let journal = (await control('journal')).body;
    const answer = expectRequest(journal, { method: 'POST', path: '/v1.0/communications/calls/c-1/answer' });
    assert.equal(answer.status, 202);
    assert.equal(answer.headers.authorization, 'Bearer redacted');
    await control('advance', { ms: 1000 });
    journal = (await control('journal?callId=c-1')).body;
    expectRequest(journal, { method: 'POST', path: '/communications/calls/c-1/subscribeToTone' });
    const last = journal.at(-1).seq;

    const pressed = await control('calls/c-1/pressTone', { tone: '5' });
    assert.deepEqual(pressed, { status: 200, body: { callId: 'c-1', state: 'established' } });
    assert.deepEqual(bot.heard, ['tone5'], 'the key reached the bot before the control request answered');
    const since = (await control(`journal?after=${last}`)).body;
    assert.ok((await control(`journal?since=${since[0].at}`)).body.some((e) => e.seq === since[0].seq), 'since: a virtual time');
    const play = expectRequest(since, { method: 'POST', path: '/v1.0/communications/calls/c-1/playPrompt', body: { clientContext: 'tone5' } });
    assert.equal(play.status, 200);
    assert.ok(since.some((e) => e.kind === 'callback' && e.status === 202 && JSON.parse(e.body).value[0].resourceData.toneInfo?.tone === 'tone5'));
    assert.throws(() => expectRequest(since, { method: 'POST', path: '/v1.0/communications/calls/c-1/cancelMediaProcessing' }), /none matched\. The nearest:/);

    const state = (await control('state')).body;
    assert.deepEqual(state.calls, [{ callId: 'c-1', state: 'established' }]);
    assert.equal(state.journal, (await control('journal')).body.at(-1).seq);

    // Reset: no calls, an empty journal, the clock at 0; the same port and keys.
    assert.equal((await control('reset', {})).status, 200);
    assert.deepEqual((await control('calls')).body, []);
    assert.deepEqual((await control('journal')).body, []);
    assert.equal((await control('state')).body.now, 0);
    assert.equal((await control('reset', { sead: 1 })).status, 400);
    await control('calls', { callbackUri: bot.url, callId: 'c-2' });
    expectRequest((await control('journal')).body, { method: 'POST', path: '/v1.0/communications/calls/c-2/answer' });
    // settle: false answers at once, without waiting for the bot.
    const quick = await control('calls/c-2/hangUp', { settle: false });
    assert.equal(quick.status, 200);

    // The dashboard: the page with the demo's CSP, its scripts, its live events.
    const page = await fetch(emulator.url);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy'), /default-src 'self'/);
    assert.match(await page.text(), /<script type="module" src="\/dashboard\/dashboard.js">/);
    for (const file of ['dashboard.js', 'timeline.js', 'dashboard.css']) assert.equal((await fetch(`${emulator.origin}/dashboard/${file}`)).status, 200, file);
    assert.equal((await fetch(`${emulator.origin}/dashboard/../package.json`)).status, 404);
    assert.equal((await fetch(`${emulator.origin}/dashboard/secret.txt`)).status, 404);
    const events = await fetch(`${emulator.origin}/_graph-ivr/events`);
    assert.equal(events.headers.get('content-type'), 'text/event-stream');
    const reader = events.body.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    assert.match(first, /^event: state\ndata: \{"now":\d+/);
    await reader.cancel();
    assert.equal((await control('realtime', { on: true })).body.realtime, true);
    assert.equal((await control('state')).body.realtime, true);
    assert.equal((await control('realtime', { on: false })).body.realtime, false);
    assert.equal((await control('realtime', { on: 'yes' })).status, 400);
  } finally {
    await bot.close();
    await emulator.close();
  }
});
