// `npm run bench`: graph-ivr against named baselines, side by side in one process (tinybench:
// warm-up, then timed samples; medians). Prints a table and writes bench/results.json.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Bench } from 'tinybench';
import Ajv from 'ajv';
import * as ivr from 'graph-ivr';
import { corpus } from './corpus.mjs';
import { traffic } from './workload.mjs';
import { notificationsSchema } from './schema.mjs';
import { fixturesPath } from '../scripts/contract.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const TIME = quick ? 150 : 1500;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Rounds of a side-by-side measure (1 for --quick): tinybench times one task after another,
 *  so a slow spell of the shared machine lands on one side only; the median over rounds drops
 *  such a round (one full run once measured the ajv baseline at 60 % of its usual speed). */
const ROUNDS = quick ? 1 : 3;

async function measure(tasks) {
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    const bench = new Bench({ time: TIME, warmupTime: quick ? 50 : 300 });
    for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn);
    await bench.run();
    rounds.push(bench.tasks);
  }
  // Median latency of one call, in ms: each round's median, then the median of the rounds.
  return Object.fromEntries(
    Object.keys(tasks).map((name) => [name, median(rounds.map((tasks) => tasks.find((t) => t.name === name).result.latency.p50))]),
  );
}

// ---- 1. validation: validateNotifications(text) vs JSON.parse + ajv ------------------------
const fixtures = fixturesPath();
const { all, valid, invalid } = corpus(fixtures);
const ajvValidate = new Ajv({ allErrors: true, discriminator: true, strict: false }).compile(notificationsSchema);
// Both sides must agree on which payloads are valid, or the comparison means nothing.
const disagreements = all.filter((text) => ivr.validateNotifications(text).valid !== ajvValidate(JSON.parse(text))).length;
// `value` is parsed on first read: the main measure reads it (what a bot does), the verdict-only
// one reads `valid` and `issues`. Bytes in is what a webhook holds; its baseline decodes them.
const bytes = all.map((text) => Buffer.from(text));
const decoder = new TextDecoder();
const validation = await measure({
  'graph-ivr validateNotifications, value read': () => {
    for (const text of all) ivr.validateNotifications(text).value;
  },
  'graph-ivr validateNotifications, verdict only': () => {
    for (const text of all) {
      const report = ivr.validateNotifications(text);
      report.valid && report.issues;
    }
  },
  'graph-ivr validateNotifications(Buffer), value read': () => {
    for (const b of bytes) ivr.validateNotifications(b).value;
  },
  'JSON.parse + ajv': () => {
    for (const text of all) ajvValidate(JSON.parse(text));
  },
  'decode + JSON.parse + ajv': () => {
    for (const b of bytes) ajvValidate(JSON.parse(decoder.decode(b)));
  },
});
const perSec = (key) => (all.length / validation[key]) * 1000;
const ivrPerSec = perSec('graph-ivr validateNotifications, value read');
const ajvPerSec = perSec('JSON.parse + ajv');

// ---- 2. simulator: notifications/s through the JS API, vs JSON.stringify of them ------------
const CALLS = 50;
const produced = [];
const perRun = traffic(ivr, CALLS, produced);
const simulator = await measure({
  'graph-ivr simulated calls': () => traffic(ivr, CALLS),
  'JSON.stringify of the same notifications': () => {
    for (const value of produced) JSON.stringify(value);
  },
});
const simPerNotification = simulator['graph-ivr simulated calls'] / perRun;
const stringifyPerNotification = simulator['JSON.stringify of the same notifications'] / produced.length;

// Memory of 10,000 live simulators with 3 queued operations each, in a fresh process.
const memory = JSON.parse(execFileSync(process.execPath, ['--expose-gc', join(root, 'bench', 'memory.mjs')], { encoding: 'utf8' }));

// ---- 3. builders vs a hand-written template literal -------------------------------------------
const callId = '57dab8b1-894c-409a-b240-bd8beae78896';
const uri = 'https://cdn.contoso.com/welcome.wav';
const template = (id, u, context) => ({
  method: 'POST',
  url: `https://graph.microsoft.com/v1.0/communications/calls/${encodeURIComponent(id)}/playPrompt`,
  headers: { 'Content-Type': 'application/json' },
  body: `{"clientContext":${JSON.stringify(context)},"prompts":[{"@odata.type":"#microsoft.graph.mediaPrompt","mediaInfo":{"@odata.type":"#microsoft.graph.mediaInfo","uri":${JSON.stringify(u)}}}]}`,
  operation: 'playPrompt',
  idempotent: false,
});
if (JSON.stringify(template(callId, uri, 'c')) !== JSON.stringify(ivr.buildPlayPrompt({ callId, prompts: [uri], clientContext: 'c' }))) {
  throw new Error('the template baseline must build the same request');
}
const builders = await measure({
  'graph-ivr buildPlayPrompt': () => ivr.buildPlayPrompt({ callId, prompts: [uri], clientContext: 'c' }),
  'template literal': () => template(callId, uri, 'c'),
});

// ---- 4. footprint --------------------------------------------------------------------------
const wasm = readFileSync(join(root, 'pkg', 'node', 'graph_ivr_bg.wasm'));
const packDir = mkdtempSync(join(tmpdir(), 'graph-ivr-pack-'));
const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', packDir], { cwd: join(root, 'pkg'), encoding: 'utf8' }))[0];
const tarballBytes = statSync(join(packDir, packed.filename)).size;
rmSync(packDir, { recursive: true, force: true });
function requireMs(specifier) {
  const code = `const t = process.hrtime.bigint(); require(${JSON.stringify(specifier)}); console.log(Number(process.hrtime.bigint() - t) / 1e6);`;
  const runs = [];
  for (let i = 0; i < (quick ? 5 : 21); i++) {
    const r = spawnSync(process.execPath, ['-e', code], { cwd: root, encoding: 'utf8' });
    runs.push(Number(r.stdout));
  }
  return median(runs);
}
const importIvr = requireMs('graph-ivr');
const importGraphClient = requireMs('@microsoft/microsoft-graph-client');

// ---- 5. callbacks: a bot's callbacks through the driver, against a plain fetch loop -----------
// One call's callbacks (its ring, answer, tone subscription and 300 tones), delivered one at a
// time by graph.run to a node:http bot answering 202, against a plain loop POSTing the same
// bodies with the platform's fetch to the same server; and the driver with fetch as its
// transport (deliverOverHttp({fetch})), what js/node-post.js is measured against.
const http = await import('node:http');
const platformFetchForBench = globalThis.fetch;
const sink = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(202).end());
});
await new Promise((resolve) => sink.listen(0, '127.0.0.1', resolve));
const sinkUrl = `http://127.0.0.1:${sink.address().port}/api/calls`;
const TONES = quick ? 100 : 300;
/** A simulator holding one answered call's callbacks, queued at one instant (the ring and the
 *  answer were taken by `advance`: the tones and the subscription's result are what is timed). */
function oneCallsCallbacks() {
  const graph = new ivr.GraphSimulator({ seed: 3 });
  const call = graph.incomingCall({ callbackUri: sinkUrl, callId: '6f1e0a00-0000-4000-8000-000000000001' });
  const at = `/communications/calls/${call.callId}`;
  const post = (path, body) => graph.handle({ method: 'POST', url: `https://graph.microsoft.com/v1.0${at}${path}`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  post('/answer', { callbackUri: sinkUrl, acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } });
  graph.advance(1000);
  post('/subscribeToTone', { clientContext: 'bench' });
  for (let i = 0; i < TONES; i++) call.pressTone(String(i % 10));
  return graph;
}
const callbackBodies = (() => {
  const graph = oneCallsCallbacks();
  const bodies = [...graph.advance(0)].map((d) => d.body);
  graph.free();
  return bodies;
})();
async function timedRounds(fn) {
  await fn(); // warm-up: connections open, code compiled
  const times = [];
  for (let round = 0; round < (quick ? 1 : 5); round++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return median(times);
}
const viaDriver = (deliver) => async () => {
  const graph = oneCallsCallbacks();
  await graph.run(0, deliver);
  graph.free();
};
const callbacks = {
  driver: await timedRounds(viaDriver(ivr.deliverOverHttp())),
  driverOverFetch: await timedRounds(viaDriver(ivr.deliverOverHttp({ fetch: platformFetchForBench }))),
  fetchLoop: await timedRounds(async () => {
    for (const body of callbackBodies) {
      const response = await platformFetchForBench(sinkUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await response.text();
    }
  }),
};
// 1,000 calls ringing at one instant: their callbacks through the driver (deliverOverHttp's
// default concurrency) against a pool of 50 concurrent plain fetches of the same bodies.
const RINGING = quick ? 200 : 1000;
const ringing = () => {
  const graph = new ivr.GraphSimulator({ seed: 3 });
  for (let i = 0; i < RINGING; i++) graph.incomingCall({ callbackUri: sinkUrl });
  return graph;
};
const ringBodies = (() => {
  const graph = ringing();
  const bodies = graph.advance(0).map((d) => d.body);
  graph.free();
  return bodies;
})();
const concurrentDeliver = ivr.deliverOverHttp();
callbacks.concurrentDriver = await timedRounds(async () => {
  const graph = ringing();
  await graph.run(0, concurrentDeliver);
  graph.free();
});
callbacks.fetchPool = await timedRounds(async () => {
  let next = 0;
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (next < ringBodies.length) {
        const body = ringBodies[next++];
        const response = await platformFetchForBench(sinkUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await response.text();
      }
    }),
  );
});
sink.closeAllConnections();
await new Promise((resolve) => sink.close(resolve));

// ---- 6. the emulator under many clients -------------------------------------------------------
// 50 concurrent clients (node:http, kept-alive) sending the four media actions to 50 established
// calls of the emulator, which answers each and POSTs what it causes to a loopback bot, against a
// node:http server answering the same requests with one canned JSON body.
const { startEmulator } = await import('graph-ivr/emulator');
const emulatorSink = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(202).end());
});
await new Promise((resolve) => emulatorSink.listen(0, '127.0.0.1', resolve));
const emulatorCallback = `http://127.0.0.1:${emulatorSink.address().port}/api/calls`;
const emulator = await startEmulator({ seed: 2 });
const loadAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const send = (origin, method, path, body) =>
  new Promise((resolve, reject) => {
    const request = http.request(`${origin}${path}`, { method, agent: loadAgent, headers: { 'content-type': 'application/json', authorization: 'Bearer bench' } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
    });
    request.on('error', reject);
    request.end(body);
  });
const LOADED_CALLS = 50;
const loadedIds = [];
for (let i = 0; i < LOADED_CALLS; i++) {
  const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  await send(emulator.origin, 'POST', '/_graph-ivr/calls', JSON.stringify({ callbackUri: emulatorCallback, callId: id, settle: false }));
  await send(emulator.origin, 'POST', `/v1.0/communications/calls/${id}/answer`, JSON.stringify({ callbackUri: emulatorCallback, acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } }));
  loadedIds.push(id);
}
await send(emulator.origin, 'POST', '/_graph-ivr/advance', JSON.stringify({ ms: 2000, settle: false }));
const mediaAction = (i) => {
  const callId = loadedIds[i % LOADED_CALLS];
  const request = [
    () => ivr.buildPlayPrompt({ callId, prompts: ['https://cdn.contoso.com/p.wav'], clientContext: `p${i}` }),
    () => ivr.buildRecordResponse({ callId, clientContext: `r${i}` }),
    () => ivr.buildSubscribeToTone({ callId }),
    () => ivr.buildCancelMediaProcessing({ callId }),
  ][i % 4]();
  return [request.method, new URL(request.url).pathname, request.body];
};
const canned = JSON.stringify({ '@odata.type': '#microsoft.graph.playPromptOperation', id: '0fe0623f-d628-42ed-b4bd-8ac290072cc5', status: 'running', clientContext: 'p' });
const cannedServer = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(canned) }).end(canned));
});
await new Promise((resolve) => cannedServer.listen(0, '127.0.0.1', resolve));
const cannedOrigin = `http://127.0.0.1:${cannedServer.address().port}`;
/** Requests a second with 50 clients; and how many were answered 5xx (none may be). */
async function underLoad(origin, total) {
  let next = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (next < total) {
        const [method, path, body] = mediaAction(next++);
        if ((await send(origin, method, path, body)) >= 500) failed++;
      }
    }),
  );
  return { perSec: (total * 1000) / (performance.now() - started), failed };
}
// Stoplight Prism mocking an OpenAPI document of the four actions, their answers the docs'
// examples (the fixtures): what a user would pick for an HTTP mock. Installed on first use into
// bench/prism/ (bench/prism/package.json pins it; neither graph-ivr nor its tests depend on it).
const prismDir = join(root, 'bench', 'prism');
if (!existsSync(join(prismDir, 'node_modules', '.bin', 'prism'))) {
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent'], { cwd: prismDir, stdio: 'inherit' });
}
const fixture = (name) => JSON.parse(readFileSync(join(fixtures, name), 'utf8'));
const openApi = {
  openapi: '3.0.3',
  info: { title: 'Graph call media actions, from the docs examples', version: '1.0' },
  paths: Object.fromEntries(
    [
      ['playPrompt', 'playprompt'],
      ['recordResponse', 'record'],
      ['subscribeToTone', 'subscribetotone'],
      ['cancelMediaProcessing', 'cancelmediaprocessing'],
    ].map(([action, file]) => [
      `/v1.0/communications/calls/{id}/${action}`,
      {
        post: {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
          responses: { 200: { description: action, content: { 'application/json': { example: fixture(`${file}.response.json`) } } } },
        },
      },
    ]),
  ),
};
const prismTmp = mkdtempSync(join(tmpdir(), 'graph-ivr-prism-'));
writeFileSync(join(prismTmp, 'openapi.json'), JSON.stringify(openApi));
const prismPort = await new Promise((resolve) => {
  const probe = http.createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});
const prism = spawn(join(prismDir, 'node_modules', '.bin', 'prism'), ['mock', join(prismTmp, 'openapi.json'), '-h', '127.0.0.1', '-p', String(prismPort), '--errors', 'false'], { stdio: ['ignore', 'pipe', 'pipe'] });
const prismOrigin = `http://127.0.0.1:${prismPort}`;
await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('Prism did not start within 60 s')), 60_000);
  const ready = (chunk) => {
    if (/Prism is listening/.test(String(chunk))) {
      clearTimeout(timer);
      resolve();
    }
  };
  prism.stdout.on('data', ready);
  prism.stderr.on('data', ready);
});

// The emulator's way into its simulator (graph.__serve: a server's request parts in, the
// answer's parts out) against graph.fetch (a Request made, a Response read) for the same media
// actions on the same 50 calls, in process: the row that pays for that second path.
const wayIn = {};
for (const way of ['serve', 'fetch']) {
  const graph = new ivr.GraphSimulator({ seed: 2, baseUrl: 'http://127.0.0.1:1' });
  for (const callId of loadedIds) {
    graph.incomingCall({ callbackUri: emulatorCallback, callId });
    graph.handle({ method: 'POST', url: `http://127.0.0.1:1/v1.0/communications/calls/${callId}/answer`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ callbackUri: emulatorCallback, acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } }) });
  }
  graph.advance(2000);
  wayIn[way] = graph;
}
let wayInNext = 0;
const wayInRequests = () => Array.from({ length: 4 }, () => mediaAction(wayInNext++)).map(([method, path, body]) => [method, `http://127.0.0.1:1${path}`, body]);
const ways = await measure({
  'graph.__serve': () => {
    for (const [method, url, body] of wayInRequests()) wayIn.serve.__serve(method, url, 'content-type\napplication/json\nauthorization\nBearer bench', Buffer.from(body));
    wayIn.serve.takeDeliveries();
  },
  'graph.fetch': async () => {
    for (const [method, url, body] of wayInRequests()) await (await wayIn.fetch.fetch(url, { method, headers: { 'content-type': 'application/json', authorization: 'Bearer bench' }, body })).text();
    wayIn.fetch.takeDeliveries();
  },
});
for (const graph of Object.values(wayIn)) graph.free();

const LOAD = quick ? 2000 : 8000;
await underLoad(cannedOrigin, LOAD / 4);
await underLoad(emulator.origin, LOAD / 4);
await underLoad(prismOrigin, LOAD / 4);
const loadRounds = [];
for (let round = 0; round < (quick ? 1 : 3); round++) loadRounds.push([await underLoad(cannedOrigin, LOAD), await underLoad(emulator.origin, LOAD), await underLoad(prismOrigin, LOAD)]);
prism.kill();
rmSync(prismTmp, { recursive: true, force: true });
// The same load with the dashboard open on one call: its live events and, on each, the call's
// snapshot and its new journal entries (what dashboard/dashboard.js reads) — whether the
// control API slows Graph's side.
const getText = (path) =>
  new Promise((resolve, reject) => {
    http.get(`${emulator.origin}${path}`, { agent: loadAgent }, (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve(text));
    }).on('error', reject);
  });
async function withDashboard(load) {
  const callId = loadedIds[0];
  let after = 0;
  let reads = 0;
  let open = true;
  let reading = Promise.resolve();
  const events = await new Promise((resolve) => http.get(`${emulator.origin}/_graph-ivr/events`, { agent: false }, resolve));
  events.on('data', () => {
    reading = reading.then(async () => {
      if (!open) return;
      await getText(`/_graph-ivr/calls/${callId}`);
      const entries = JSON.parse(await getText(`/_graph-ivr/journal?callId=${callId}&after=${after}`));
      after = entries.at(-1)?.seq ?? after;
      reads++;
    });
  });
  const measured = await load();
  open = false;
  events.destroy();
  await reading;
  return { ...measured, reads };
}
const dashboardRounds = [];
for (let round = 0; round < (quick ? 1 : 3); round++) dashboardRounds.push([await underLoad(emulator.origin, LOAD), await withDashboard(() => underLoad(emulator.origin, LOAD))]);
const dashboardClosed = median(dashboardRounds.map(([closed]) => closed.perSec));
const dashboardOpen = median(dashboardRounds.map(([, open]) => open.perSec));
const dashboardReads = median(dashboardRounds.map(([, open]) => open.reads));
const plainLoad = median(loadRounds.map(([plain]) => plain.perSec));
const emulatorLoad = median(loadRounds.map(([, emulated]) => emulated.perSec));
const prismLoad = median(loadRounds.map(([, , mocked]) => mocked.perSec));
const prismFailed = loadRounds.reduce((n, [, , mocked]) => n + mocked.failed, 0);
const emulatorFailed = loadRounds.reduce((n, [, emulated]) => n + emulated.failed, 0);
loadAgent.destroy();
await emulator.close();
cannedServer.close();
emulatorSink.closeAllConnections();
emulatorSink.close();

// ---- 7. the explorer -------------------------------------------------------------------------
// The voicemail bot over loopback, explored with every fault of Graph allowed, against the floor:
// the same bot driven through the same generated traffic by a plain replay (each run's scenario
// on a GraphSimulator with run(), no trace, no invariants, no differential reruns).
const { startVoicemailBot } = await import('../examples/voicemail-bot/bot.mjs');
const EXPLORE_RUNS = quick ? 60 : 400;
const signer = await ivr.createCallbackSigner({ audience: 'bench' });
const platformFetch = globalThis.fetch;
let timer = (ms) => Promise.reject(new Error(`no clock for ${ms} ms`));
const bot = await startVoicemailBot({ auth: { audience: 'bench', jwks: signer.jwks }, sleep: (ms) => timer(ms) });
const signed = ivr.deliverOverHttp({ signWith: signer });
const explorer = new ivr.BotExplorer({ callbackUri: bot.callbackUri, deliver: signed, runs: EXPLORE_RUNS, seed: 1, faults: true });
globalThis.fetch = explorer.fetch;
timer = (ms) => explorer.sleep(ms);
let started = performance.now();
const explored = await explorer.run();
const exploreMs = performance.now() - started;
started = performance.now();
for (let run = 0; run < EXPLORE_RUNS; run++) {
  const graph = ivr.GraphSimulator.fromScenario(explorer.scenarioOf(run));
  globalThis.fetch = graph.fetch;
  timer = (ms) => graph.sleep(ms);
  await graph.run(explorer.plan.horizonMs + 16 * 60_000, signed);
  graph.free();
}
const replayMs = performance.now() - started;
globalThis.fetch = platformFetch;
await bot.close();
if (explored.failures.length) throw new Error(`the voicemail bot must explore clean: ${explored.failures[0].message}`);

// ---- report -----------------------------------------------------------------------------------
const round = (x, digits = 3) => Number(x.toPrecision(digits));
const results = {
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGB: round(totalmem() / 2 ** 30), node: process.version, date: new Date().toISOString().slice(0, 10), quick },
  validation: {
    payloads: all.length,
    validPayloads: valid.length,
    invalidPayloads: invalid.length,
    verdictDisagreements: disagreements,
    graphIvrPayloadsPerSec: round(ivrPerSec),
    ajvPayloadsPerSec: round(ajvPerSec),
    ratioVsAjv: round(ivrPerSec / ajvPerSec),
    verdictOnlyPayloadsPerSec: round(perSec('graph-ivr validateNotifications, verdict only')),
    ratioVsAjvVerdictOnly: round(perSec('graph-ivr validateNotifications, verdict only') / ajvPerSec),
    bytesPayloadsPerSec: round(perSec('graph-ivr validateNotifications(Buffer), value read')),
    ajvBytesPayloadsPerSec: round(perSec('decode + JSON.parse + ajv')),
    bytesRatioVsAjv: round(perSec('graph-ivr validateNotifications(Buffer), value read') / perSec('decode + JSON.parse + ajv')),
  },
  simulator: {
    notificationsPerRun: perRun,
    notificationsPerSec: round(1000 / simPerNotification),
    microsPerNotification: round(simPerNotification * 1000),
    stringifyMicrosPerNotification: round(stringifyPerNotification * 1000),
    costVsStringify: round(simPerNotification / stringifyPerNotification),
    memoryMBFor10k: round(memory.megabytes),
  },
  builders: {
    graphIvrRequestsPerSec: round(1000 / builders['graph-ivr buildPlayPrompt']),
    templateRequestsPerSec: round(1000 / builders['template literal']),
    ratioVsTemplate: round(builders['template literal'] / builders['graph-ivr buildPlayPrompt']),
  },
  harness: {
    callbacks: callbackBodies.length,
    callbacksPerSec: round((callbackBodies.length * 1000) / callbacks.driver),
    fetchLoopCallbacksPerSec: round((callbackBodies.length * 1000) / callbacks.fetchLoop),
    sequentialVsFetch: round(callbacks.fetchLoop / callbacks.driver),
    overFetchCallbacksPerSec: round((callbackBodies.length * 1000) / callbacks.driverOverFetch),
    nodeHttpVsFetchTransport: round(callbacks.driverOverFetch / callbacks.driver),
    concurrentCalls: ringBodies.length,
    concurrentCallbacksPerSec: round((ringBodies.length * 1000) / callbacks.concurrentDriver),
    fetchPoolCallbacksPerSec: round((ringBodies.length * 1000) / callbacks.fetchPool),
    concurrentVsFetch: round(callbacks.fetchPool / callbacks.concurrentDriver),
  },
  emulator: {
    clients: 50,
    requestsPerSec: round(emulatorLoad),
    nodeHttpRequestsPerSec: round(plainLoad),
    requestsVsNodeHttp: round(emulatorLoad / plainLoad),
    failedRequests: emulatorFailed,
    prismRequestsPerSec: round(prismLoad),
    prismFailedRequests: prismFailed,
    ratioVsPrism: round(emulatorLoad / prismLoad),
    serveRequestsPerSec: round(4000 / ways['graph.__serve']),
    fetchRequestsPerSec: round(4000 / ways['graph.fetch']),
    serveVsFetch: round(ways['graph.fetch'] / ways['graph.__serve']),
    dashboardOpenRequestsPerSec: round(dashboardOpen),
    dashboardClosedRequestsPerSec: round(dashboardClosed),
    dashboardRefreshes: dashboardReads,
    dashboardOpenVsClosed: round(dashboardOpen / dashboardClosed),
  },
  explorer: {
    runs: EXPLORE_RUNS,
    runsPerSec: round((EXPLORE_RUNS * 1000) / exploreMs),
    replayRunsPerSec: round((EXPLORE_RUNS * 1000) / replayMs),
    ratioVsReplay: round(replayMs / exploreMs),
  },
  footprint: {
    wasmBytes: wasm.length,
    wasmGzipBytes: gzipSync(wasm, { level: 9 }).length,
    tarballBytes,
    importMs: round(importIvr),
    graphClientRequireMs: round(importGraphClient),
    importRatioVsGraphClient: round(importIvr / importGraphClient),
  },
};

const rows = [
  ['validation', 'payloads/s, value read', results.validation.graphIvrPayloadsPerSec, results.validation.ajvPayloadsPerSec, 'JSON.parse + ajv', `ratioVsAjv ${results.validation.ratioVsAjv}`],
  ['validation', 'payloads/s, verdict only', results.validation.verdictOnlyPayloadsPerSec, results.validation.ajvPayloadsPerSec, 'JSON.parse + ajv', `ratioVsAjvVerdictOnly ${results.validation.ratioVsAjvVerdictOnly}`],
  ['validation', 'payloads/s, Buffer in', results.validation.bytesPayloadsPerSec, results.validation.ajvBytesPayloadsPerSec, 'decode + JSON.parse + ajv', `bytesRatioVsAjv ${results.validation.bytesRatioVsAjv}`],
  ['simulator', 'µs/notification', results.simulator.microsPerNotification, results.simulator.stringifyMicrosPerNotification, 'JSON.stringify', `costVsStringify ${results.simulator.costVsStringify}`],
  ['simulator', 'MB for 10k calls', results.simulator.memoryMBFor10k, '', '', ''],
  ['builders', 'requests/s', results.builders.graphIvrRequestsPerSec, results.builders.templateRequestsPerSec, 'template literal', `ratioVsTemplate ${results.builders.ratioVsTemplate}`],
  ['harness', 'callbacks/s, one call, one at a time', results.harness.callbacksPerSec, results.harness.fetchLoopCallbacksPerSec, 'plain fetch loop', `sequentialVsFetch ${results.harness.sequentialVsFetch}`],
  ['harness', 'callbacks/s, 1,000 calls at once', results.harness.concurrentCallbacksPerSec, results.harness.fetchPoolCallbacksPerSec, '50 concurrent plain fetches', `concurrentVsFetch ${results.harness.concurrentVsFetch}`],
  ['harness', 'callbacks/s, fetch as transport', results.harness.overFetchCallbacksPerSec, results.harness.callbacksPerSec, 'node:http transport', `nodeHttpVsFetchTransport ${results.harness.nodeHttpVsFetchTransport}`],
  ['emulator', 'requests/s, 50 clients', results.emulator.requestsPerSec, results.emulator.nodeHttpRequestsPerSec, 'node:http, canned JSON', `requestsVsNodeHttp ${results.emulator.requestsVsNodeHttp}`],
  ['emulator', 'requests/s, 50 clients', results.emulator.requestsPerSec, results.emulator.prismRequestsPerSec, 'Stoplight Prism mock', `ratioVsPrism ${results.emulator.ratioVsPrism}`],
  ['emulator', 'requests/s, dashboard open', results.emulator.dashboardOpenRequestsPerSec, results.emulator.dashboardClosedRequestsPerSec, 'dashboard closed', `dashboardOpenVsClosed ${results.emulator.dashboardOpenVsClosed}`],
  ['emulator', 'requests/s in process', results.emulator.serveRequestsPerSec, results.emulator.fetchRequestsPerSec, 'graph.fetch', `serveVsFetch ${results.emulator.serveVsFetch}`],
  ['explorer', 'runs/s (voicemail bot)', results.explorer.runsPerSec, results.explorer.replayRunsPerSec, 'replay of the same traffic', `ratioVsReplay ${results.explorer.ratioVsReplay}`],
  ['footprint', '.wasm bytes (gzip)', `${results.footprint.wasmBytes} (${results.footprint.wasmGzipBytes})`, '', '', ''],
  ['footprint', 'tarball bytes', results.footprint.tarballBytes, '', '', ''],
  ['footprint', 'import ms', results.footprint.importMs, results.footprint.graphClientRequireMs, 'require graph-client', `importRatioVsGraphClient ${results.footprint.importRatioVsGraphClient}`],
];
console.table(rows.map(([area, metric, ours, base, baseline, ratio]) => ({ area, metric, 'graph-ivr': ours, baseline: base, 'baseline is': baseline, ratio })));
if (disagreements) console.log(`note: graph-ivr and ajv disagree on ${disagreements} of ${all.length} payloads`);
if (!quick) {
  writeFileSync(join(root, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
  // The table of BENCHMARKS.md is this run's; the prose around it is written by hand.
  const doc = join(root, 'BENCHMARKS.md');
  const table = [
    `Latest full run: ${results.machine.date}, ${results.machine.cpus} × ${results.machine.cpu}, ${results.machine.memoryGB} GiB, Node ${results.machine.node}.`,
    '',
    '| Area | Metric | graph-ivr | Baseline | Baseline is | Ratio (key in results.json) | Target | Met |',
    '|---|---|---|---|---|---|---|---|',
    `| Validation | payloads/s, \`value\` read (${all.length} payloads) | ${results.validation.graphIvrPayloadsPerSec} | ${results.validation.ajvPayloadsPerSec} | JSON.parse + ajv | ${results.validation.ratioVsAjv} (validation.ratioVsAjv) | ≥ 0.25 (guard) | ${results.validation.ratioVsAjv >= 0.25 ? 'yes' : 'no'} |`,
    `| Validation | payloads/s, verdict only | ${results.validation.verdictOnlyPayloadsPerSec} | ${results.validation.ajvPayloadsPerSec} | JSON.parse + ajv | ${results.validation.ratioVsAjvVerdictOnly} (validation.ratioVsAjvVerdictOnly) | — | — |`,
    `| Validation | payloads/s, Buffer in, \`value\` read | ${results.validation.bytesPayloadsPerSec} | ${results.validation.ajvBytesPayloadsPerSec} | TextDecoder + JSON.parse + ajv | ${results.validation.bytesRatioVsAjv} (validation.bytesRatioVsAjv) | — | — |`,
    `| Simulator | µs per notification | ${results.simulator.microsPerNotification} | ${results.simulator.stringifyMicrosPerNotification} | JSON.stringify of it | ${results.simulator.costVsStringify} (simulator.costVsStringify) | ≤ 15 (guard) | ${results.simulator.costVsStringify <= 15 ? 'yes' : 'no'} |`,
    `| Simulator | MB for 10,000 calls, 3 ops each | ${results.simulator.memoryMBFor10k} | | | (simulator.memoryMBFor10k) | < 100 | ${results.simulator.memoryMBFor10k < 100 ? 'yes' : 'no'} |`,
    `| Builders | requests/s | ${results.builders.graphIvrRequestsPerSec} | ${results.builders.templateRequestsPerSec} | template literal | ${results.builders.ratioVsTemplate} (builders.ratioVsTemplate) | ≥ 0.06 (guard) | ${results.builders.ratioVsTemplate >= 0.06 ? 'yes' : 'no'} |`,
    `| Callbacks | callbacks/s, one call's ${results.harness.callbacks} one at a time by \`graph.run\` to a \`node:http\` bot answering 202 | ${results.harness.callbacksPerSec} | ${results.harness.fetchLoopCallbacksPerSec} | a plain \`fetch\` loop POSTing the same bodies | ${results.harness.sequentialVsFetch} (harness.sequentialVsFetch) | ≥ 0.8 | ${results.harness.sequentialVsFetch >= 0.8 ? 'yes' : 'no'} |`,
    `| Callbacks | callbacks/s, ${results.harness.concurrentCalls} calls ringing at one instant, by \`graph.run\` (\`deliverOverHttp()\`'s concurrency) | ${results.harness.concurrentCallbacksPerSec} | ${results.harness.fetchPoolCallbacksPerSec} | 50 concurrent plain \`fetch\`es of the same bodies | ${results.harness.concurrentVsFetch} (harness.concurrentVsFetch) | ≥ 0.8 | ${results.harness.concurrentVsFetch >= 0.8 ? 'yes' : 'no'} |`,
    `| Callbacks | the same, \`deliverOverHttp({fetch})\` against the \`node:http\` transport (js/node-post.js) | ${results.harness.overFetchCallbacksPerSec} | ${results.harness.callbacksPerSec} | \`deliverOverHttp()\` in Node | node:http is ${results.harness.nodeHttpVsFetchTransport}× as fast (harness.nodeHttpVsFetchTransport) | pays for node-post.js | ${results.harness.nodeHttpVsFetchTransport > 1.1 ? 'yes' : 'no'} |`,
    `| Emulator | requests/s, 50 concurrent clients sending the four media actions (${results.emulator.failedRequests} answered 5xx) | ${results.emulator.requestsPerSec} | ${results.emulator.nodeHttpRequestsPerSec} | a \`node:http\` server answering canned JSON | ${results.emulator.requestsVsNodeHttp} (emulator.requestsVsNodeHttp) | ≥ 0.5 | ${results.emulator.requestsVsNodeHttp >= 0.5 ? 'yes' : 'no'} |`,
    `| Emulator | the same load | ${results.emulator.requestsPerSec} | ${results.emulator.prismRequestsPerSec} | Stoplight Prism mocking the four actions from the docs' examples (${results.emulator.prismFailedRequests} answered 5xx) | ${results.emulator.ratioVsPrism} (emulator.ratioVsPrism) | ≥ 1.0 | ${results.emulator.ratioVsPrism >= 1 ? 'yes' : 'no'} |`,
    `| Emulator | the same load with the dashboard open on one call (its live events; on each, the call's snapshot and new journal entries: ${results.emulator.dashboardRefreshes} refreshes) | ${results.emulator.dashboardOpenRequestsPerSec} | ${results.emulator.dashboardClosedRequestsPerSec} | the same load, dashboard closed | ${results.emulator.dashboardOpenVsClosed} (emulator.dashboardOpenVsClosed) | ≥ 0.9: the control API does not slow Graph's side | ${results.emulator.dashboardOpenVsClosed >= 0.9 ? 'yes' : 'no'} |`,
    `| Emulator | requests/s into the simulator, in process: the emulator's way in (\`graph.__serve\`, parts in and out) | ${results.emulator.serveRequestsPerSec} | ${results.emulator.fetchRequestsPerSec} | \`graph.fetch\` (a Request made, a Response read) | ${results.emulator.serveVsFetch}× as fast (emulator.serveVsFetch) | pays for src/wasm/serve.rs | ${results.emulator.serveVsFetch > 1.1 ? 'yes' : 'no'} |`,
    `| Explorer | runs/s, the voicemail bot over loopback, every fault allowed (${results.explorer.runs} runs) | ${results.explorer.runsPerSec} | ${results.explorer.replayRunsPerSec} | the same bot, the same traffic replayed | ${results.explorer.ratioVsReplay} (explorer.ratioVsReplay; explorer.runsPerSec) | ≥ 100 runs/s | ${results.explorer.runsPerSec >= 100 ? 'yes' : 'no'} |`,
    `| Footprint | .wasm bytes, gzipped | ${results.footprint.wasmGzipBytes} (raw ${results.footprint.wasmBytes}) | | | (footprint.wasmGzipBytes) | ≤ 190,000 (guard) | ${results.footprint.wasmGzipBytes <= 190000 ? 'yes' : 'no'} |`,
    `| Footprint | npm pack tarball bytes | ${results.footprint.tarballBytes} | | | (footprint.tarballBytes) | — | — |`,
    `| Footprint | import + instantiate, ms (median of fresh processes) | ${results.footprint.importMs} | ${results.footprint.graphClientRequireMs} | require('@microsoft/microsoft-graph-client') | ${results.footprint.importRatioVsGraphClient} (footprint.importRatioVsGraphClient) | ≤ 0.6 (guard) | ${results.footprint.importRatioVsGraphClient <= 0.6 ? 'yes' : 'no'} |`,
  ].join('\n');
  const text = readFileSync(doc, 'utf8').replace(/<!-- results:start -->[\s\S]*<!-- results:end -->/, `<!-- results:start -->\n${table}\n<!-- results:end -->`);
  writeFileSync(doc, text);
}
console.log(quick ? 'quick run: bench/results.json left as it was' : 'wrote bench/results.json');
