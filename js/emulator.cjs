#!/usr/bin/env node
'use strict';
// `npx graph-ivr-emulator`: Graph's calling endpoints on a loopback port, backed by one
// GraphSimulator, for bots in any language or HTTP stack. Notifications are POSTed, signed, to
// each call's callbackUri; the OpenID configuration and its keys are served so a bot's production
// token check works against it. Node's `http` only; no dependencies.
const http = require('node:http');
const ivr = require('../node/index.cjs');
// The module's own bindings (loaded by the entry above): the one dictionary check of options.
const bindings = require('../node/graph_ivr.js');

const USAGE = `usage: graph-ivr-emulator [--port 0] [--realtime] [--seed N] [--profile docs|observed] [--audience APP_ID] [--tenant TENANT_ID]
                          [--faults JSON]      GraphSimulator's faults, e.g. '{"throttle":{"rate":0.2}}'
                          [--scenario FILE]    a scenario (graph-ivr/schema/scenario.schema.json) to play

  Graph under /v1.0 and /beta; recordings under /recordings;
  GET  /.well-known/OpenIdConfiguration, GET /keys          the token keys
  POST /_graph-ivr/calls {callbackUri, callId?, from?}       an incoming call -> 201 {callId}
  POST /_graph-ivr/calls/{id}/pressTone {tone}               the caller presses a key
  POST /_graph-ivr/calls/{id}/startSpeaking | stopSpeaking | hangUp
  GET  /_graph-ivr/calls[/{id}]                              the calls, or one call's snapshot
  POST /_graph-ivr/advance {ms}                              move the virtual clock; 200 once delivered
  GET  /_graph-ivr/failures                                  callbacks the bot did not take
  POST /_graph-ivr/scenario {scenario}                       start over with this scenario
  GET  /_graph-ivr/scenario[?requests=false]                what was done so far, as a scenario
  GET  /_graph-ivr/journal[?callId=&since=&after=]          the bot's requests and its callbacks
  POST /_graph-ivr/reset {seed?, scenario?}                  start clean (same port, same keys)
  GET  /_graph-ivr/state, GET /_graph-ivr/events             the clock and the calls; live (SSE)
  POST /_graph-ivr/realtime {on}                             the clock follows the wall clock, or not
  GET  /                                                     the dashboard

  Control requests that make something happen (calls, caller actions, advance, scenario) answer
  once the bot is idle: its callbacks answered and no Graph request of its for a quiet period.
  {"settle": false} in the body (or ?settle=false) answers at once.`;

/** Reads the command line; throws an Error with the usage for anything it does not know. */
function parseArgs(argv) {
  const options = { port: 0, realtime: false, seed: 0, profile: 'docs', audience: undefined };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${flag} needs a value\n${USAGE}`);
      return argv[++i];
    };
    const whole = (text, max) => {
      const n = Number(text);
      if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`${flag} takes a whole number from 0 to ${max}, got ${text}\n${USAGE}`);
      return n;
    };
    if (flag === '--port') options.port = whole(value(), 65535);
    else if (flag === '--seed') options.seed = whole(value(), Number.MAX_SAFE_INTEGER);
    else if (flag === '--realtime') options.realtime = true;
    else if (flag === '--profile') {
      options.profile = value();
      if (!['docs', 'observed'].includes(options.profile)) throw new Error(`--profile is docs or observed\n${USAGE}`);
    } else if (flag === '--audience') options.audience = value();
    else if (flag === '--tenant') options.tenant = value();
    else if (flag === '--faults') {
      const text = value();
      try {
        options.faults = JSON.parse(text);
      } catch {
        throw new Error(`--faults takes a JSON object, got ${text}\n${USAGE}`);
      }
    }
    else if (flag === '--scenario') {
      const file = value();
      let text;
      try {
        text = require('node:fs').readFileSync(file, 'utf8');
      } catch (err) {
        throw new Error(`--scenario cannot read ${file}: ${err.message}\n${USAGE}`);
      }
      try {
        options.scenario = JSON.parse(text);
      } catch (err) {
        throw new Error(`--scenario ${file} is not JSON: ${err.message}\n${USAGE}`);
      }
    }
    else if (flag === '--help' || flag === '-h') options.help = true;
    else throw new Error(`unknown argument ${flag}\n${USAGE}`);
  }
  return options;
}

const MAX_BODY = 1024 * 1024;
/** Headers of the connection and its framing, not of the message Graph reads or writes. */
const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding']);
/** How long the bot must have sent nothing for a control request to call it idle. */
const DEFAULT_QUIET_MS = 60;
/** The longest a control request waits for a bot that never goes quiet. */
const SETTLE_LIMIT_MS = 10_000;
/** The dashboard's files, served from the package (pkg/dashboard/). */
const DASHBOARD = require('node:path').join(__dirname, '..', 'dashboard');
const DASHBOARD_FILES = {
  'dashboard.html': 'text/html; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
  'timeline.js': 'text/javascript; charset=utf-8',
  'timeline.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};
const json = (res, status, value) => {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).end(body);
};
const odataError = (res, status, code, message) => json(res, status, { error: { code, message } });

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    // An oversized body is read to its end and dropped, so the client hears the 413.
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY) reject(Object.assign(new Error('the request body is over 1 MiB'), { status: 413 }));
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

/** A JSON object body of a control request, or a 400. */
function controlBody(buffer) {
  if (buffer.length === 0) return {};
  let body;
  try {
    body = JSON.parse(buffer.toString('utf8'));
  } catch {
    throw Object.assign(new Error('the body is not JSON'), { status: 400 });
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw Object.assign(new Error('the body is a JSON object'), { status: 400 });
  return body;
}

/** Starts an emulator; resolves `{url, graph, signer, close()}` once it listens. */
async function startEmulator(options = {}) {
  // Read like every export's options: an unknown key is refused with a did-you-mean hint.
  bindings.__checkOptions(options, 'startEmulator', ['port', 'realtime', 'seed', 'profile', 'audience', 'tenant', 'faults', 'scenario', 'log', 'quietMs']);
  const { port = 0, realtime = false, seed = 0, profile = 'docs', audience, tenant, faults, scenario, log = () => {}, quietMs = DEFAULT_QUIET_MS } = options ?? {};
  const server = http.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  // Incoming calls are addressed to the bot: its app (--audience) in its tenant (--tenant).
  const bot = { ...(audience === undefined ? {} : { appId: audience }), ...(tenant === undefined ? {} : { tenantId: tenant }) };
  /** A scenario on this origin: one played keeps its recordings' URL when it names one (so
   *  that it replays byte for byte), and its faults give way to `faults` when both are given. */
  const scenarioOf = (played) => {
    const own = { baseUrl: origin, recordingsUrl: `${origin}/recordings` };
    if (played === undefined) return { seed, profile, ...bot, ...(faults === undefined ? {} : { faults }), ...own };
    if (played === null || typeof played !== 'object' || Array.isArray(played)) {
      throw Object.assign(new Error('a scenario is a JSON object (graph-ivr/schema/scenario.schema.json)'), { status: 400, code: 'invalidArgument', path: '' });
    }
    return { ...bot, ...played, ...own, ...(played.recordingsUrl === undefined ? {} : { recordingsUrl: played.recordingsUrl }), ...(faults === undefined ? {} : { faults }) };
  };
  const simulatorOf = (played) => ivr.GraphSimulator.fromScenario(scenarioOf(played));
  let graph;
  try {
    graph = simulatorOf(scenario);
  } catch (err) {
    server.close();
    throw err;
  }
  /** Starts over on the same simulator (its fetch, journal numbering and keys go on): from
   *  `scenario` (on this origin, as `simulatorOf` reads one), with another `seed`, or as the
   *  emulator started. The delivery failures go too. */
  const resetTo = ({ seed: newSeed, scenario: played, settle: _settle, ...unknown } = {}) => {
    const extra = Object.keys(unknown)[0];
    if (extra !== undefined) throw Object.assign(new Error(`reset takes {seed?, scenario?}, not ${extra}`), { status: 400, code: 'invalidArgument', path: `/${extra}` });
    graph.reset({ ...(newSeed === undefined ? {} : { seed: newSeed }), scenario: scenarioOf(played ?? scenario) });
    failures.length = 0;
  };
  const signer = await ivr.createCallbackSigner({ audience, ...(tenant === undefined ? {} : { tenantId: tenant }), jwksUri: `${origin}/keys` });
  const signed = ivr.deliverOverHttp({ signWith: signer });
  const failures = [];
  // A callback the bot does not take is logged and kept, never fatal: Graph moves on too.
  // The journal has the bot's status, or why the callback was not taken.
  const deliver = async (delivery) => {
    try {
      return await signed(delivery);
    } catch (err) {
      failures.push({ at: delivery.at, callId: delivery.callId, url: delivery.url, message: err.message });
      log(`graph-ivr emulator: ${err.message}`);
      changed();
      return { error: err.message };
    }
  };
  // Different calls' callbacks of one instant go out together, as deliverOverHttp's would.
  const CONCURRENCY = Symbol.for('graph-ivr.concurrency');
  deliver[CONCURRENCY] = signed[CONCURRENCY];
  // Each call may have a bot of its own: after a callback, run waits for that call's bot only
  // (requests of other bots meanwhile are no reaction to it, and never make it wait).
  deliver[Symbol.for('graph-ivr.botPerCall')] = true;

  // Deliveries go out one run at a time; a request that arrives meanwhile is answered at once
  // (the bot may be waiting on it inside a callback) and its notifications follow in order.
  let running = Promise.resolve();
  const serially = (work) => {
    const next = running.then(work);
    running = next.catch(() => {});
    return next;
  };
  const due = () => graph.nextTimeout !== undefined && graph.nextTimeout <= graph.now;
  let pumping = false;
  const pump = () => {
    if (pumping) return running;
    pumping = true;
    return serially(async () => {
      try {
        while (due()) {
          await graph.run(0, deliver);
          lastActivity = Date.now();
          changed();
        }
      } finally {
        pumping = false;
      }
    });
  };

  let clock;
  /** The clock follows the wall clock (`--realtime`, the dashboard's switch), or waits to be moved. */
  const setRealtime = (on) => {
    clearInterval(clock);
    clock = undefined;
    if (!on) return;
    let last = Date.now();
    clock = setInterval(() => {
      const now = Date.now();
      const elapsed = now - last;
      last = now;
      serially(() => graph.run(elapsed, deliver))
        .then(changed)
        .catch((err) => log(`graph-ivr emulator: ${err.message}`));
    }, 50);
  };
  setRealtime(realtime);

  // What the bot is doing, for settling: its Graph requests in flight, and when it last did
  // anything (a request, a callback answered).
  let inFlight = 0;
  let lastActivity = Date.now();
  /** Resolves once the bot is idle: nothing being delivered or due, no Graph request of its
   *  in flight, and none for `quietMs` (at most SETTLE_LIMIT_MS). */
  async function settle() {
    const started = Date.now();
    for (;;) {
      await pump();
      if (inFlight === 0 && !due() && Date.now() - lastActivity >= quietMs) return;
      if (Date.now() - started > SETTLE_LIMIT_MS) return;
      await new Promise((resolve) => setTimeout(resolve, Math.max(5, Math.min(quietMs, 20))));
    }
  }
  const settles = (query, body) => !(query.get('settle') === 'false' || body?.settle === false);

  // The dashboard's live view: a server-sent event whenever something changed (at most one
  // every 50 ms), with what GET /_graph-ivr/state says.
  const watchers = new Set();
  let announce;
  function changed() {
    if (watchers.size === 0 || announce) return;
    announce = setTimeout(() => {
      announce = undefined;
      const data = `event: state\ndata: ${JSON.stringify(stateOf())}\n\n`;
      for (const res of watchers) res.write(data);
    }, 50);
  }
  const stateOf = () => ({
    now: graph.now,
    nextTimeout: graph.nextTimeout ?? null,
    realtime: clock !== undefined,
    calls: graph.calls.map((c) => ({ callId: c.callId, state: c.state })),
    failures: failures.length,
    journal: graph.__journalSeq,
  });

  const openIdConfiguration = () => signer.openIdConfiguration;
  const callOf = (id) => {
    const call = graph.call(decodeURIComponent(id));
    if (!call) throw Object.assign(new Error(`no call ${id}`), { status: 404, code: 'ItemNotFound' });
    return call;
  };

  /** A control request: `path` under /_graph-ivr, `query` its search parameters. */
  async function control(req, res, path, query, body) {
    const segments = path.split('/').filter(Boolean); // ['calls', id?, action?] or ['advance']
    const method = req.method;
    if (segments[0] === 'calls' && segments.length === 1) {
      if (method === 'GET') return json(res, 200, graph.calls.map((c) => ({ callId: c.callId, state: c.state })));
      if (method !== 'POST') return odataError(res, 405, 'MethodNotAllowed', 'POST or GET');
      const given = controlBody(body);
      const { callbackUri, callId, from } = given;
      const call = graph.incomingCall({ callbackUri, ...(callId === undefined ? {} : { callId }), ...(from === undefined ? {} : { from }) });
      changed();
      if (settles(query, given)) await settle();
      else pump();
      return json(res, 201, { callId: call.callId });
    }
    if (segments[0] === 'calls' && segments.length === 2) {
      if (method !== 'GET') return odataError(res, 405, 'MethodNotAllowed', 'GET');
      return json(res, 200, callOf(segments[1]).snapshot());
    }
    if (segments[0] === 'calls' && segments.length === 3) {
      if (method !== 'POST') return odataError(res, 405, 'MethodNotAllowed', 'POST');
      const call = callOf(segments[1]);
      const action = segments[2];
      const given = controlBody(body);
      if (action === 'pressTone') call.pressTone(given.tone);
      else if (action === 'startSpeaking') call.startSpeaking();
      else if (action === 'stopSpeaking') call.stopSpeaking();
      else if (action === 'hangUp') call.hangUp();
      else return odataError(res, 404, 'NotFound', `no caller action ${action}`);
      changed();
      if (settles(query, given)) await settle();
      else pump();
      return json(res, 200, { callId: call.callId, state: call.state });
    }
    if (segments[0] === 'advance' && segments.length === 1) {
      if (method !== 'POST') return odataError(res, 405, 'MethodNotAllowed', 'POST');
      const given = controlBody(body);
      const { ms = 0 } = given;
      await pump();
      await serially(() => graph.run(ms, deliver));
      changed();
      if (settles(query, given)) await settle();
      return json(res, 200, { now: graph.now });
    }
    if (segments[0] === 'failures' && segments.length === 1 && method === 'GET') return json(res, 200, failures);
    if (segments[0] === 'journal' && segments.length === 1 && method === 'GET') {
      const number = (key) => (query.has(key) ? { [key]: Number(query.get(key)) } : {});
      return json(res, 200, graph.journal({ ...(query.has('callId') ? { callId: query.get('callId') } : {}), ...number('since'), ...number('after') }));
    }
    if (segments[0] === 'state' && segments.length === 1 && method === 'GET') return json(res, 200, stateOf());
    if (segments[0] === 'events' && segments.length === 1 && method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(`event: state\ndata: ${JSON.stringify(stateOf())}\n\n`);
      watchers.add(res);
      req.on('close', () => watchers.delete(res));
      return undefined;
    }
    if (segments[0] === 'realtime' && segments.length === 1) {
      if (method !== 'POST') return odataError(res, 405, 'MethodNotAllowed', 'POST');
      const { on } = controlBody(body);
      if (typeof on !== 'boolean') throw Object.assign(new Error('realtime takes {on: true | false}'), { status: 400, code: 'invalidArgument', path: '/on' });
      setRealtime(on);
      changed();
      return json(res, 200, { realtime: on, now: graph.now });
    }
    if (segments[0] === 'reset' && segments.length === 1) {
      if (method !== 'POST') return odataError(res, 405, 'MethodNotAllowed', 'POST');
      const given = controlBody(body);
      await serially(() => resetTo(given));
      changed();
      return json(res, 200, { now: graph.now, calls: [] });
    }
    if (segments[0] === 'scenario' && segments.length === 1) {
      if (method === 'GET') return json(res, 200, graph.scenario({ requests: query.get('requests') !== 'false' }));
      if (method !== 'POST') return odataError(res, 405, 'MethodNotAllowed', 'POST or GET');
      const played = controlBody(body);
      // What is being delivered finishes first; the new scenario starts on a fresh clock. A bad
      // scenario is refused at its pointer in the body that was posted.
      await serially(() => resetTo({ scenario: played })).catch((err) => {
        if (typeof err?.path === 'string' && err.path.startsWith('/scenario')) err.path = err.path.slice('/scenario'.length);
        throw err;
      });
      changed();
      if (settles(query, played)) await settle();
      else pump();
      return json(res, 200, { now: graph.now, calls: graph.calls.map((c) => ({ callId: c.callId, state: c.state })) });
    }
    return odataError(res, 404, 'NotFound', `no control endpoint ${path}`);
  }

  async function handle(req, res) {
    const url = new URL(req.url, origin);
    const path = url.pathname;
    if (req.method === 'GET' && (path === '/' || path.startsWith('/dashboard/'))) return dashboardFile(res, path === '/' ? 'dashboard.html' : path.slice('/dashboard/'.length));
    const body = await readBody(req);
    if (req.method === 'GET' && /^(\/v1)?\/\.well-known\/openidconfiguration$/i.test(path)) return json(res, 200, openIdConfiguration());
    if (req.method === 'GET' && /^(\/v1)?\/keys$/.test(path)) return json(res, 200, signer.jwks);
    if (path.startsWith('/_graph-ivr/')) return control(req, res, path.slice('/_graph-ivr'.length), url.searchParams, body);
    if (/^\/(v1\.0|beta)\//.test(path) || path.startsWith('/recordings/')) {
      const headers = [];
      const raw = req.rawHeaders;
      for (let i = 0; i < raw.length; i += 2) {
        if (!HOP_BY_HOP.has(raw[i].toLowerCase())) headers.push(raw[i], raw[i + 1]);
      }
      inFlight += 1;
      lastActivity = Date.now();
      try {
        // The simulator's fetch without a Request and a Response made on either side.
        const answer = graph.__serve(req.method, `${origin}${req.url}`, headers.join('\n'), body);
        const [status, given, bytes] = answer instanceof Promise ? await answer : answer;
        // Graph's headers but its framing: this server sends the whole body with its length.
        const out = [];
        for (let i = 0; i < given.length; i += 2) {
          if (!HOP_BY_HOP.has(given[i].toLowerCase())) out.push(given[i], given[i + 1]);
        }
        out.push('Content-Length', typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length);
        res.writeHead(status, out).end(bytes);
      } finally {
        inFlight -= 1;
        lastActivity = Date.now();
      }
      changed();
      return pump();
    }
    return odataError(res, 404, 'NotFound', `graph-ivr emulates /v1.0, /beta and /_graph-ivr; not ${path}`);
  }

  /** A file of the dashboard, with the demo page's CSP. */
  function dashboardFile(res, name) {
    const type = DASHBOARD_FILES[name];
    if (!type) return odataError(res, 404, 'NotFound', `no dashboard file ${name}`);
    let bytes;
    try {
      bytes = require('node:fs').readFileSync(require('node:path').join(DASHBOARD, name));
    } catch {
      return odataError(res, 404, 'NotFound', `the dashboard is not in this build (${name})`);
    }
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': bytes.length,
      'Cache-Control': 'no-cache',
      'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'",
      'X-Content-Type-Options': 'nosniff',
    });
    return res.end(bytes);
  }

  server.on('request', (req, res) => {
    handle(req, res).catch((err) => {
      log(`graph-ivr emulator: ${req.method} ${req.url}: ${err.message}`);
      if (res.headersSent) return;
      const status = err.status ?? (err.code === 'invalidArgument' || err.code === 'invalidState' ? 400 : 500);
      json(res, status, { error: { code: err.code ?? 'InternalServerError', message: err.message, ...(err.path === undefined ? {} : { path: err.path }) } });
    });
  });
  server.on('clientError', (err, socket) => socket.destroy());

  let closed = false;
  return {
    url: `${origin}/`,
    origin,
    /** The simulator behind it (a new one after `POST /_graph-ivr/scenario`). */
    get graph() {
      return graph;
    },
    signer,
    failures,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(clock);
      clearTimeout(announce);
      for (const res of watchers) res.end();
      watchers.clear();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await running;
      graph.free();
    },
  };
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let emulator;
  try {
    emulator = await startEmulator({ ...options, log: (line) => process.stderr.write(`${line}\n`) });
  } catch (err) {
    // Options the simulator refuses (a fault out of range) are bad arguments, like a bad flag.
    if (err?.code !== 'invalidArgument') throw err;
    process.stderr.write(`${err.message} (at ${err.path})\n${USAGE}\n`);
    process.exit(2);
  }
  // Handlers first: a client may signal as soon as it reads the address.
  const stop = () => emulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.stdout.write(`graph-ivr emulator: ${emulator.url}\n`);
}

module.exports = { startEmulator, parseArgs };
if (require.main === module) main();
