// The request journal (graph.journal(), expectRequest) and graph.reset(), through the public API:
// a node:http bot answers and plays a prompt; the journal holds its requests (credentials
// redacted) and the callbacks with its status; expectRequest finds one or names the nearest;
// reset starts over with the same fetch.
import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { GraphSimulator, GraphIvrError, deliverOverHttp, expectRequest, buildPlayPrompt } from 'graph-ivr';
import { assertRefused } from './helpers.mjs';

const GRAPH = 'https://graph.microsoft.com/v1.0';

async function startBot(fetchOf) {
  const bot = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      res.writeHead(202).end();
      for (const n of JSON.parse(body).value) {
        const call = `${GRAPH}${n.resourceUrl}`;
        const headers = { 'Content-Type': 'application/json', Authorization: 'Bearer secret-token' };
        if (n.resourceData.state === 'incoming') {
          await fetchOf()(`${call}/answer`, { method: 'POST', headers, body: JSON.stringify({ acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } }) });
        } else if (n.resourceData.state === 'established') {
          const callId = n.resourceUrl.split('/').pop();
          const request = buildPlayPrompt({ callId, accessToken: 'secret-token', prompts: ['https://cdn.contoso.com/hello.wav'], clientContext: 'hello' });
          await fetchOf()(request.url, request);
        }
      }
    });
  });
  await new Promise((resolve) => bot.listen(0, '127.0.0.1', resolve));
  return { bot, url: `http://127.0.0.1:${bot.address().port}/api/calls` };
}

test('the journal holds every request and callback, without credentials; expectRequest finds one or names the nearest', async () => {
  const graph = new GraphSimulator({ seed: 5 });
  const { bot, url } = await startBot(() => graph.fetch);
  try {
    const call = graph.incomingCall({ callbackUri: url, callId: '57DAB8B1-894C-409A-B240-BD8BEAE78896' });
    const other = graph.incomingCall({ callbackUri: url });
    await graph.run(10_000, deliverOverHttp());
    const journal = graph.journal();
    assert.deepEqual(journal.map((e) => e.seq), journal.map((_, i) => i + 1));
    const requests = journal.filter((e) => e.kind === 'request');
    const callbacks = journal.filter((e) => e.kind === 'callback');
    assert.equal(requests.length, 4, 'answer and playPrompt, for each call');
    assert.ok(callbacks.length >= 6);
    for (const r of requests) {
      assert.equal(r.headers.authorization, 'Bearer redacted');
      assert.doesNotMatch(JSON.stringify(r), /secret-token/);
      assert.equal(typeof r.wallTime, 'number');
      assert.ok(r.latencyMs >= 0);
      assert.ok(r.answeredAt >= r.at);
    }
    assert.ok(callbacks.every((c) => c.status === 202 && c.method === 'POST' && c.url === url && c.latencyMs >= 0));
    const mine = graph.journal({ callId: '57dab8b1894c409ab240bd8beae78896' });
    assert.ok(mine.length > 0 && mine.every((e) => e.callId.toLowerCase().replaceAll('-', '') === '57dab8b1894c409ab240bd8beae78896'));
    assert.deepEqual(graph.journal({ after: journal.at(-2).seq }), [journal.at(-1)]);
    const late = journal.at(-1).at;
    assert.deepEqual(graph.journal({ since: late }), journal.filter((e) => e.at >= late), 'sent at or after a virtual time');
    assert.deepEqual(graph.journal({ since: graph.now + 1 }), []);

    const play = expectRequest(mine, { method: 'POST', path: `/v1.0/communications/calls/${call.callId}/playPrompt`, body: { clientContext: 'hello', prompts: [{ mediaInfo: { uri: 'https://cdn.contoso.com/hello.wav' } }] } });
    assert.equal(play.status, 200);
    assert.equal(JSON.parse(play.response).status, 'running');
    assert.equal(expectRequest(journal, { method: 'post', path: `/communications/calls/${other.callId}/answer` }).kind, 'request');
    assert.equal(expectRequest(journal, { method: 'POST', path: '/v1.0/communications/calls/{id}/playPrompt' }).seq, requests.find((r) => r.url.endsWith('/playPrompt')).seq, 'a {name} segment stands for any');
    assert.throws(() => expectRequest(journal, { method: 'POST', path: '/v1.0/communications/calls/{id}' }), /none matched/);
    assert.throws(
      () => expectRequest(mine, { method: 'POST', path: `/v1.0/communications/calls/${call.callId}/playPrompt`, body: { clientContext: 'goodbye' } }),
      (err) => {
        assert.ok(err instanceof GraphIvrError);
        assert.equal(err.code, 'expectationFailed');
        assert.match(err.message, /none matched\. The nearest:\n {2}#\d+ at \d+ ms: POST \/v1\.0\/communications\/calls\/.+\/playPrompt .*hello.* → 200 {2}\(another body\)/);
        assert.equal(err.nearest[0].seq, play.seq);
        return true;
      },
    );
    assert.throws(() => expectRequest(journal, { method: 'DELETE', path: '/v1.0/communications/calls/x' }), /none matched/);
    assertRefused(() => expectRequest('journal', { method: 'POST', path: '/x' }), 'invalidArgument', '/journal');
    assertRefused(() => expectRequest(journal, { method: 'POST', path: 'x' }), 'invalidArgument', '/match/path');
    assertRefused(() => expectRequest(journal, { method: 'POST', path: '/x', headers: {} }), 'invalidArgument', '/match/headers');
    assertRefused(() => graph.journal({ since: -1 }), 'invalidArgument', '/since');
    assertRefused(() => graph.journal({ after: 'x' }), 'invalidArgument', '/after');
    assertRefused(() => graph.journal({ call: 'x' }), 'invalidArgument', '/call');

    // A callback the bot refuses is in the journal with why.
    const refusing = http.createServer((req, res) => {
      req.resume();
      res.writeHead(503).end();
    });
    await new Promise((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    graph.incomingCall({ callbackUri: `http://127.0.0.1:${refusing.address().port}/cb`, callId: 'refused' });
    await assert.rejects(graph.run(0, deliverOverHttp()));
    const [refused] = graph.journal({ callId: 'refused' });
    assert.equal(refused.status, undefined);
    assert.match(refused.error, /HTTP 503/);
    refusing.close();
  } finally {
    bot.close();
    graph.free();
  }
});

test('reset starts over with the same fetch: no calls, the clock at 0, an empty journal whose seq goes on', async () => {
  const graph = new GraphSimulator({ seed: 5, profile: 'observed' });
  const fetch = graph.fetch;
  const { bot, url } = await startBot(() => fetch);
  try {
    graph.incomingCall({ callbackUri: url, callId: 'first' });
    await graph.run(5_000, deliverOverHttp());
    const last = graph.journal().at(-1).seq;
    graph.reset();
    assert.equal(graph.now, 0);
    assert.deepEqual(graph.calls, []);
    assert.deepEqual(graph.journal(), []);
    assert.equal(graph.scenario().profile, 'observed', 'as it was made');
    assert.equal(graph.fetch, fetch, 'the same fetch');
    graph.incomingCall({ callbackUri: url, callId: 'second' });
    await graph.run(5_000, deliverOverHttp());
    assert.equal(graph.calls[0].state, 'established');
    assert.ok(graph.journal()[0].seq > last, 'seq goes on');
    assert.ok(graph.journal().every((e) => e.callId === 'second'));

    graph.reset({ seed: 9 });
    assert.equal(graph.scenario().seed, 9);
    graph.reset({ scenario: { seed: 2, calls: [{ callbackUri: url, callId: 'scripted' }] } });
    await graph.run(5_000, deliverOverHttp());
    assert.deepEqual(graph.calls.map((c) => [c.callId, c.state]), [['scripted', 'established']]);
    assertRefused(() => graph.reset({ sead: 1 }), 'invalidArgument', '/sead');
    assertRefused(() => graph.reset({ scenario: { calls: 'x' } }), 'invalidArgument', '/scenario/calls');
  } finally {
    bot.close();
    graph.free();
  }
});

test("requests answered by graph.handle are in the journal too", () => {
  const graph = new GraphSimulator({ seed: 1 });
  const call = graph.incomingCall({ callbackUri: 'https://bot.example/cb', callId: 'h-1' });
  graph.advance(0);
  const answered = graph.handle({ method: 'POST', url: `${GRAPH}/communications/calls/h-1/answer`, headers: { 'content-type': 'application/json', authorization: 'Bearer t' }, body: '{"mediaConfig":{"@odata.type":"#microsoft.graph.serviceHostedMediaConfig"}}' });
  assert.equal(answered.status, 202);
  const [entry] = graph.journal({ callId: call.callId });
  assert.deepEqual([entry.kind, entry.method, entry.status, entry.headers.authorization], ['request', 'POST', 202, 'Bearer redacted']);
  assert.throws(() => graph.handle({ method: 'GET', url: 'https://elsewhere.example/x' }), /not Graph/);
  assert.match(graph.journal().at(-1).error, /another host/);
  graph.free();
});
