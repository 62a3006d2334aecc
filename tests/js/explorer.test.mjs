// The bot explorer finds a calling bot's bugs by itself: each classic bug of examples/buggy-bots
// is found, named by the right invariant and shrunk to a few caller steps; correct bots pass
// with every fault of Graph allowed; runs replay from the seed; options are refused by path.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { BotExplorer, GraphSimulator, createCallbackSigner, deliverOverHttp } from 'graph-ivr';
import { BUGS, startMenuBot } from '../../examples/buggy-bots/bot.mjs';
import { startVoicemailBot } from '../../examples/voicemail-bot/bot.mjs';
import { assertRefused, root } from './helpers.mjs';

const platformFetch = globalThis.fetch;
test.afterEach(() => {
  globalThis.fetch = platformFetch;
});

/** The menu bot with `bug`, explored: the result and the bot's own log. */
async function explore(bug, options) {
  let explorer;
  const bot = await startMenuBot({ bug, sleep: (ms) => explorer.sleep(ms) });
  try {
    explorer = new BotExplorer({ callbackUri: bot.callbackUri, seed: 1, ...options });
    globalThis.fetch = explorer.fetch;
    return await explorer.run();
  } finally {
    await bot.close();
  }
}

const EXPECTED = {
  firstItemOnly: 'sameUnderBatching',
  cancelIsFatal: 'callbacksAcknowledged',
  menuOnEveryEstablished: 'sameUnderDuplicates',
  neverHangsUp: 'noLeakedCalls',
  slowAnswer: 'answeredInTime',
  rawCallIds: 'noLeakedCalls',
};

for (const [bug, invariant] of Object.entries(EXPECTED)) {
  test(`the explorer finds a bot that ${BUGS[bug]}: ${invariant}, shrunk to at most 3 caller steps`, async () => {
    const { runs, failures } = await explore(bug, { runs: 200, maxFailures: 1 });
    assert.equal(failures.length, 1, `found within ${runs} runs`);
    const [failure] = failures;
    assert.equal(failure.invariant, invariant, failure.message);
    const steps = failure.scenario.calls.flatMap((call) => call.steps ?? []);
    assert.ok(steps.length <= 3, `${steps.length} steps: ${JSON.stringify(steps)}`);
    assert.equal(failure.seed, 1);
    assert.match(failure.timeline, /^ +0\.000 s {2}Graph → bot: created call incoming$/m);
    assert.match(failure.link, /^index\.html#%7B/);
    // The shrunk scenario is a scenario: it loads, and the link's is the run as it happened.
    GraphSimulator.fromScenario(failure.scenario).free();
    GraphSimulator.fromScenario(JSON.parse(decodeURIComponent(failure.link.split('#')[1]))).free();
  });
}

test("the same bot without its bug passes (it does not retry: Graph's faults are the voicemail bot's test)", async () => {
  const { runs, failures } = await explore(undefined, { runs: 120 });
  assert.equal(runs, 120);
  assert.deepEqual(failures.map((f) => `${f.invariant}: ${f.message}`), []);
});

test('the voicemail bot passes 1,000 runs with every fault of Graph allowed (no invariant cries wolf)', async () => {
  const APP_ID = '9c5e5f2a-1d2b-4c3d-8e4f-5a6b7c8d9e0f';
  const signer = await createCallbackSigner({ audience: APP_ID });
  let explorer;
  const bot = await startVoicemailBot({ auth: { audience: APP_ID, jwks: async () => signer.jwks }, sleep: (ms) => explorer.sleep(ms) });
  try {
    const progress = [];
    explorer = new BotExplorer({ callbackUri: bot.callbackUri, deliver: deliverOverHttp({ signWith: signer }), runs: 1000, seed: 7, faults: true, onProgress: (p) => progress.push(p.run) });
    globalThis.fetch = explorer.fetch;
    const { runs, failures } = await explorer.run();
    assert.equal(runs, 1000);
    assert.deepEqual(failures.map((f) => `${f.invariant}: ${f.message}\n${f.timeline}`), []);
    assert.equal(progress.length, 1000);
  } finally {
    await bot.close();
  }
});

test("a bot that sends no token fails: Graph answers 401 without a Bearer token (requireBearer, on by default)", async () => {
  // Answers each call and hangs up once it is established, with plain fetch and no token.
  const graphCall = (n) => `https://graph.microsoft.com/v1.0${n.resourceUrl}`;
  const seen = new Set(); // a duplicated POST changes nothing
  const bot = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      res.writeHead(202).end();
      for (const n of JSON.parse(body).value) {
        if (n.resourceData?.['@odata.type'] !== '#microsoft.graph.call' || seen.has(`${n.resourceUrl.toLowerCase()} ${n.resourceData.state}`)) continue;
        seen.add(`${n.resourceUrl.toLowerCase()} ${n.resourceData.state}`);
        if (n.resourceData.state === 'incoming') await fetch(`${graphCall(n)}/answer`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } }) });
        if (n.resourceData.state === 'established') await fetch(graphCall(n), { method: 'DELETE' });
      }
    });
  });
  await new Promise((resolve) => bot.listen(0, '127.0.0.1', resolve));
  const callbackUri = `http://127.0.0.1:${bot.address().port}/api/calls`;
  const outcome = async (options) => {
    seen.clear(); // a new explorer's calls have the ids of the last one's
    const explorer = new BotExplorer({ callbackUri, runs: 10, seed: 3, caller: { maxSteps: 0 }, ...options });
    globalThis.fetch = explorer.fetch;
    return explorer.run();
  };
  try {
    const refused = await outcome({});
    assert.deepEqual(refused.failures.map((f) => f.invariant), ['answeredInTime']);
    const [failure] = refused.failures;
    assert.equal(failure.scenario.requireBearer, true, 'the shrunk scenario replays with the check');
    assert.match(failure.timeline, /bot → Graph: POST \/v1\.0\/communications\/calls\/[^ ]+\/answer → 401/);
    const replayed = GraphSimulator.fromScenario(failure.scenario);
    const answer = await replayed.fetch('https://graph.microsoft.com/v1.0/communications/calls/x/answer', { method: 'POST', body: '{}' });
    assert.equal(answer.status, 401);
    assert.equal((await answer.json()).error.code, 'InvalidAuthenticationToken');
    replayed.free();
    const unchecked = await outcome({ requireBearer: false });
    assert.deepEqual(unchecked.failures.map((f) => `${f.invariant}: ${f.message}`), []);
    assertRefused(() => new BotExplorer({ callbackUri, requireBearer: 'yes' }), 'invalidArgument', '/requireBearer');
  } finally {
    bot.close();
  }
});

test('runs replay from the seed: the same failures, the same shrunk scenarios', async () => {
  // Each exploration has a bot of its own, on a port of its own: the rest is the same.
  const portless = (result) => JSON.parse(JSON.stringify(result).replace(/127\.0\.0\.1(%3A|:)\d+/g, 'bot'));
  const first = await explore('menuOnEveryEstablished', { runs: 10 });
  const again = await explore('menuOnEveryEstablished', { runs: 10 });
  assert.ok(first.failures.length > 0);
  assert.deepEqual(portless(again), portless(first));
  const other = await explore('menuOnEveryEstablished', { runs: 10, seed: 99 });
  assert.notDeepEqual(other.failures.map((f) => f.scenario), first.failures.map((f) => f.scenario));
});

test("a user's own invariant sees the whole trace; a built-in one can be turned off", async () => {
  const seen = [];
  const { failures } = await explore('neverHangsUp', {
    runs: 5,
    invariants: {
      noLeakedCalls: false,
      menuPlaysFirst: (trace) => {
        seen.push(trace);
        const first = trace.requests.find((r) => /playPrompt$/.test(r.path));
        return !first || JSON.parse(first.body).clientContext === 'menu 1' || `the first prompt was ${first.body}`;
      },
      neverTwoMenus: (trace) => trace.requests.filter((r) => /playPrompt$/.test(r.path)).length < 3 || 'the menu played twice',
    },
  });
  assert.deepEqual(failures.map((f) => f.invariant), ['neverTwoMenus'], 'noLeakedCalls is off');
  assert.ok(seen.length >= 5);
  const [trace] = seen;
  assert.deepEqual(Object.keys(trace).sort(), ['calls', 'deliveries', 'recorded', 'refused', 'requests', 'scenario']);
  assert.ok(trace.requests.every((r) => typeof r.at === 'number' && typeof r.status === 'number'));
});

test('bad options are refused with their path', async () => {
  const ok = { callbackUri: 'http://127.0.0.1:9/cb' };
  for (const [options, path] of [
    [{}, '/callbackUri'],
    [{ ...ok, runs: 0 }, '/runs'],
    [{ ...ok, caller: { keys: 'x' } }, '/caller/keys'],
    [{ ...ok, caller: { hangUp: 2 } }, '/caller/hangUp'],
    [{ ...ok, faults: { throttel: true } }, '/faults/throttel'],
    [{ ...ok, faults: { throttle: 1.5 } }, '/faults/throttle'],
    [{ ...ok, simulator: { profile: 'live' } }, '/simulator/profile'],
    [{ ...ok, simulator: { seed: 1 } }, '/simulator/seed'],
    [{ ...ok, invariants: { mine: 'yes' } }, '/invariants/mine'],
    [{ ...ok, deliver: 'http' }, '/deliver'],
    [{ ...ok, maxFailures: 0 }, '/maxFailures'],
    [{ ...ok, rns: 5 }, '/rns'],
  ]) {
    assertRefused(() => new BotExplorer(options), 'invalidArgument', path);
  }
  const explorer = new BotExplorer(ok);
  await assert.rejects(explorer.fetch('https://graph.microsoft.com/v1.0/communications/calls'), (err) => err.code === 'invalidState');
});

test('npx graph-ivr-explore finds a Python bot\'s bug, writes its scenario, and exits 1; bad arguments exit 2', { skip: spawnSync('python3', ['--version']).status !== 0 && process.env.CI !== 'true' && 'python3 is not installed' }, async () => {
  const port = await new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address();
      probe.close(() => resolve(free));
    });
  });
  const bot = spawn('python3', [join(root, 'tests', 'python', 'menu_bot.py'), `http://127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const callback = await new Promise((resolve) => bot.stdout.once('data', (chunk) => resolve(String(chunk).trim())));
    const out = mkdtempSync(join(tmpdir(), 'graph-ivr-explore-'));
    const cli = join(root, 'pkg', 'bin', 'graph-ivr-explore.cjs');
    const run = spawnSync(process.execPath, [cli, '--callback', callback, '--port', String(port), '--runs', '20', '--seed', '4', '--out', out], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /^noLeakedCalls \(run \d+, seed 4\): call .* the bot neither hung up nor kept it alive$/m);
    assert.match(run.stdout, /bot → Graph: POST \/v1\.0\/communications\/calls\/\S+\/playPrompt → 200/);
    const scenario = JSON.parse(readFileSync(join(out, 'noLeakedCalls.json'), 'utf8'));
    assert.equal(scenario.calls[0].callbackUri, callback);
    GraphSimulator.fromScenario(scenario).free();
  } finally {
    bot.kill();
  }
  const cli = join(root, 'pkg', 'bin', 'graph-ivr-explore.cjs');
  for (const args of [[], ['--callback', 'http://127.0.0.1:9/cb', '--runs', 'x'], ['--callback', 'http://127.0.0.1:9/cb', '--faults', '{"throttle":7}'], ['--wat']]) {
    const bad = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
    assert.equal(bad.status, 2, `${args.join(' ')}: ${bad.stdout}${bad.stderr}`);
    assert.match(bad.stderr, /usage: graph-ivr-explore/);
  }
});

test('several calls at once: each run rings the bot as many times, each caller its own', async () => {
  const seen = [];
  const { failures } = await explore(undefined, {
    runs: 5,
    caller: { calls: 3, maxSteps: 2 },
    invariants: { threeCalls: (trace) => (seen.push(trace.calls.length), trace.calls.length === 3 || `${trace.calls.length} calls`) },
  });
  assert.deepEqual(failures.map((f) => f.message), []);
  assert.ok(seen.length >= 5 && seen.every((n) => n === 3));
});
