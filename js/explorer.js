// The bot explorer's driver: runs the bot against a simulated Graph once per generated scenario
// (src/explore: a caller within bounds, Graph's faults drawn, all from the seed and the run's
// index), keeps each run's trace, checks the invariants on it, and shrinks a failing scenario
// to the smallest that still fails the same way. The package entry makes the class.

const DRIVER_KEYS = ['callbackUri', 'deliver', 'invariants', 'onProgress', 'callbackTimeoutMs', 'shrinkRuns', 'maxFailures', 'requireBearer'];
const PLAN_KEYS = ['runs', 'seed', 'caller', 'faults', 'simulator'];
/** Statuses by which Graph refuses a request for the bot's own fault, not Graph's. */
const BOTS_OWN_REFUSALS = [400, 401, 403];
/** Where deliverOverHttp({signWith}) names its signer on the function it makes. */
const SIGNER = Symbol.for('graph-ivr.signer');
/** Graph lets a call ring this long before it gives up (call-answer's 15 s). */
const ANSWER_WINDOW_MS = 15_000;
/** A call still up this long after the caller's horizon, with no keepAlive, is leaked: past a
 *  keepAlive's 15 minutes (the interval the keepAlive page recommends). */
const LEAK_WINDOW_MS = 16 * 60_000;
/** The path of a request URL (`/v1.0/communications/calls/…`). */
const pathOf = (url) => url.replace(/^https?:\/\/[^/]+/, '');
/** Faults drawn request by request or POST by POST: more POSTs, or fewer, draw them anew. */
const ORDER_SENSITIVE = ['throttle', 'serverErrors', 'latencyMs', 'deliveryDelayMs', 'dropNotifications'];
/** A call id as a key: GUIDs in any of Graph's spellings alike. */
const key = (id) => id.toLowerCase().replace(/[-{}]/g, '');
const MEDIA_ACTIONS = /\/(playPrompt|recordResponse|subscribeToTone|cancelMediaProcessing)$/;

function explorerClass(bindings, ivr) {
  const { GraphSimulator, GraphIvrError, deliverOverHttp, sameId, parseResourceUrl } = ivr;
  /** The invariants built in: each a check of a run's trace, `true` or what went wrong. */
  const BUILT_IN = {
    answeredInTime,
    actionsWhileEstablished,
    callbacksAcknowledged,
    sameUnderDuplicates: differential('duplicate', 2),
    sameUnderBatching: differential('batch', true),
    noLeakedCalls,
    recordingsFetchedInTime,
  };

  /**
   * Finds a calling bot's bugs by itself: each run rings the bot with a generated caller and
   * Graph's faults, and every invariant is checked on what happened.
   */
  class BotExplorer {
    constructor(options = {}) {
      bindings.__checkOptions(options, 'BotExplorer', [...DRIVER_KEYS, ...PLAN_KEYS]);
      const { callbackUri, deliver, invariants = {}, onProgress, callbackTimeoutMs = 10_000, shrinkRuns = 200, maxFailures = Infinity, requireBearer = true } = options ?? {};
      for (const [name, value, least] of [['callbackTimeoutMs', callbackTimeoutMs, 1], ['shrinkRuns', shrinkRuns, 0], ['maxFailures', maxFailures, 1]]) {
        if (!(value === Infinity || (Number.isSafeInteger(value) && value >= least))) throw new GraphIvrError('invalidArgument', `${name} must be a whole number from ${least}, got ${value}`, `/${name}`);
      }
      if (deliver === undefined && typeof callbackUri !== 'string') {
        throw new GraphIvrError('invalidArgument', 'BotExplorer needs callbackUri (where the bot takes callbacks) or deliver (a function that gives it each one)', '/callbackUri');
      }
      if (deliver !== undefined && typeof deliver !== 'function') throw new GraphIvrError('invalidArgument', 'deliver must be a function (delivery) => Promise', '/deliver');
      if (typeof requireBearer !== 'boolean') throw new GraphIvrError('invalidArgument', `requireBearer must be true or false, got ${typeof requireBearer}`, '/requireBearer');
      if (onProgress !== undefined && typeof onProgress !== 'function') throw new GraphIvrError('invalidArgument', 'onProgress must be a function', '/onProgress');
      if (invariants === null || typeof invariants !== 'object') throw new GraphIvrError('invalidArgument', 'invariants is an object of name → (trace) => true | string, or of a built-in name → false to turn it off', '/invariants');
      const checks = { ...BUILT_IN };
      for (const [name, check] of Object.entries(invariants)) {
        if (check === false && name in BUILT_IN) delete checks[name];
        else if (typeof check === 'function') checks[name] = check;
        else throw new GraphIvrError('invalidArgument', `invariant ${name} must be a function (trace) => true | string${name in BUILT_IN ? ', or false to turn it off' : ''}`, `/invariants/${name}`);
      }
      const plan = {};
      for (const name of PLAN_KEYS) if (options[name] !== undefined) plan[name] = options[name];
      this.plan = new bindings.__ExplorePlan(plan);
      this.checks = checks;
      // Graph refuses a request without the bot's token (401): each run's scenario says so.
      this.requireBearer = requireBearer;
      this.callbackUri = callbackUri ?? 'https://bot.invalid/callback';
      this.deliverTo = deliver ?? deliverOverHttp({ timeoutMs: callbackTimeoutMs });
      this.onProgress = onProgress;
      this.shrinkRuns = shrinkRuns;
      this.maxFailures = maxFailures;
      this.current = null;
      const explorer = this;
      /** Set once as the bot's fetch: it answers from the current run's simulated Graph. */
      this.fetch = function fetch(input, init) {
        if (!explorer.current) return Promise.reject(new GraphIvrError('invalidState', "no run is in progress: the explorer's fetch answers during run()"));
        return explorer.current.fetch(input, init);
      };
    }

    /** A call id no earlier play of this explorer used. */
    nextCallId() {
      this.plays = (this.plays ?? 0) + 1;
      const prefix = (this.plan.seed % 0x100000000).toString(16).padStart(8, '0');
      return `${prefix}-0000-4000-8000-${this.plays.toString(16).padStart(12, '0')}`;
    }

    /** A wait of the bot's own in the current run's virtual time (`graph.sleep`): pass it as
     *  the bot's timer, as the bot's fetch is `fetch`. */
    sleep(ms) {
      if (!this.current) return Promise.reject(new GraphIvrError('invalidState', "no run is in progress: the explorer's sleep waits during run()"));
      return this.current.sleep(ms);
    }

    /** Explores: `{runs, failures: [{invariant, message, seed, run, scenario, timeline, link}]}`,
     *  one failure per invariant, each shrunk. */
    async run() {
      const runs = this.plan.runs;
      const failures = [];
      const failed = new Set();
      for (let run = 0; run < runs; run++) {
        const scenario = this.scenarioOf(run);
        const verdict = await this.check(scenario);
        if (verdict && !failed.has(verdict.invariant)) {
          failed.add(verdict.invariant);
          failures.push(await this.shrink(verdict, run));
        }
        this.onProgress?.({ run: run + 1, runs, failures: failures.length });
        if (failures.length >= this.maxFailures) return { runs: run + 1, failures };
      }
      return { runs, failures };
    }

    /** Run `run`'s scenario: the plan's, with Graph's token check when it is on. */
    scenarioOf(run) {
      const scenario = this.plan.scenario(run, this.callbackUri);
      return this.requireBearer ? { requireBearer: true, ...scenario } : scenario;
    }

    /** One run of `scenario`, then the first invariant it breaks (`null` when none). */
    async check(scenario) {
      const trace = await this.play(scenario);
      for (const [invariant, check] of Object.entries(this.checks)) {
        const said = await check(trace, this);
        if (said !== true && said !== undefined) return { invariant, message: String(said), scenario, trace };
      }
      return null;
    }

    /** Plays `scenario` with the bot: the trace of the run. Each play's calls get ids of
     *  their own (a bot keeps state by call id: a rerun must not meet a call it knows). The
     *  run written as a scenario holds the bot's requests only when `full` (a failure's link). */
    async play(scenario, full = false) {
      const calls = (scenario.calls ?? []).map((call) => (call.outbound || call.callId ? call : { ...call, callId: this.nextCallId() }));
      const graph = GraphSimulator.fromScenario({ ...scenario, calls });
      const trace = { scenario, requests: [], deliveries: [], refused: [], calls: [], recorded: null };
      const told = new Map(); // callId → what the bot was told: {established, ended}
      this.current = {
        fetch: async (input, init) => {
          const request = new Request(input, init);
          // The call it is about, read once (none for a recording's download).
          const callId = parseResourceUrl(request.url)?.callId ?? null;
          const body = typeof init?.body === 'string' ? init.body : '';
          const entry = { at: graph.now, method: request.method, path: pathOf(request.url), callId, body, told: callId ? { ...(told.get(key(callId)) ?? {}) } : null };
          trace.requests.push(entry);
          const response = await graph.fetch(input, init);
          entry.status = response.status;
          entry.answeredAt = graph.now;
          return response;
        },
        sleep: (ms) => graph.sleep(ms),
      };
      const deliver = async (delivery) => {
        const items = delivery.value.value;
        const rings = items.some((n) => n.changeType === 'created' && n.resourceData?.state === 'incoming');
        const entry = { at: delivery.at, callId: delivery.callId, body: delivery.body, rings };
        trace.deliveries.push(entry);
        // What the bot knows of the call once this POST reaches it.
        const known = told.get(key(delivery.callId)) ?? {};
        for (const n of items) {
          if (n.resourceData?.state === 'established') known.established = true;
          if (n.changeType === 'deleted' && n.resourceData?.['@odata.type'] === '#microsoft.graph.call') known.ended = true;
        }
        told.set(key(delivery.callId), known);
        try {
          await this.deliverTo(delivery);
          entry.acknowledged = true;
        } catch (err) {
          entry.acknowledged = false;
          trace.refused.push({ at: delivery.at, callId: delivery.callId, message: err?.message ?? String(err) });
        }
      };
      // A deliverOverHttp({signWith}) names its signer: the bot finds its keys in this run's Graph.
      const signer = this.deliverTo[SIGNER];
      if (signer !== undefined) deliver[SIGNER] = signer;
      try {
        await graph.run(this.plan.horizonMs + LEAK_WINDOW_MS, deliver);
        trace.calls = graph.calls.map((call) => ({ callId: call.callId, state: call.state, snapshot: call.snapshot() }));
        trace.recorded = full ? graph.scenario() : graph.scenario({ requests: false });
      } finally {
        this.current = null;
        graph.free();
      }
      return trace;
    }

    /** The smallest scenario, from `verdict`'s, that still breaks the same invariant. */
    async shrink(verdict, run) {
      let smallest = verdict;
      let budget = this.shrinkRuns;
      let shrinking = true;
      while (shrinking && budget > 0) {
        shrinking = false;
        for (const candidate of this.plan.smaller(smallest.scenario)) {
          if (budget-- <= 0) break;
          const again = await this.check(candidate);
          if (again?.invariant === verdict.invariant) {
            smallest = again;
            shrinking = true;
            break;
          }
        }
      }
      // The smallest run once more, written whole: what the timeline and the link show.
      const trace = await this.play(smallest.scenario, true);
      return {
        invariant: verdict.invariant,
        message: smallest.message,
        seed: this.plan.seed,
        run,
        scenario: smallest.scenario,
        timeline: timelineOf(trace),
        link: `index.html#${encodeURIComponent(JSON.stringify(trace.recorded))}`,
      };
    }
  }

  /** `answeredInTime`: the bot answers or rejects every call within the 15 s Graph allows —
   *  it sends its answer in time (Graph refusing it, or answering late, is Graph's doing), unless
   *  the caller hung up first. */
  function answeredInTime(trace) {
    const calls = trace.recorded?.calls ?? [];
    for (const ring of trace.deliveries.filter((d) => d.rings)) {
      // An answer Graph refused for the bot's own reasons (malformed, no token, forbidden) is
      // no answer.
      const attempts = trace.requests.filter((r) => r.method === 'POST' && /\/(answer|reject)$/.test(r.path) && r.callId && sameId(r.callId, ring.callId) && !BOTS_OWN_REFUSALS.includes(r.status));
      const place = trace.calls.findIndex((call) => sameId(call.callId, ring.callId));
      const gaveUp = (trace.recorded?.steps ?? []).some((step) => step.call === place && step.hangUp && step.at <= ring.at + ANSWER_WINDOW_MS);
      if (gaveUp || place >= calls.length) continue;
      if (!attempts.some((r) => r.at <= ring.at + ANSWER_WINDOW_MS)) {
        return `call ${ring.callId} rang at ${ms(ring.at)} and the bot ${attempts.length ? `first answered at ${ms(attempts[0].at)}` : 'never answered or rejected it'}: Graph gives up after 15 s`;
      }
    }
    return true;
  }

  /** `actionsWhileEstablished`: no media action before the bot heard `established`, and no
   *  request but GET or keepAlive once it heard the call ended. */
  function actionsWhileEstablished(trace) {
    for (const r of trace.requests) {
      if (!r.told) continue;
      if (MEDIA_ACTIONS.test(r.path) && !r.told.established) return `${r.method} ${r.path} at ${ms(r.at)}, before the call was established`;
      const harmless = r.method === 'GET' || /\/keepAlive$/.test(r.path);
      if (r.told.ended && !harmless) return `${r.method} ${r.path} at ${ms(r.at)}, after the bot was told the call had ended`;
    }
    return true;
  }

  /** `callbacksAcknowledged`: every callback POST answered 2xx in time. */
  function callbacksAcknowledged(trace) {
    const refused = trace.refused[0];
    return refused ? `a callback at ${ms(refused.at)} was not acknowledged: ${refused.message}` : true;
  }

  /** `sameUnderDuplicates`, `sameUnderBatching`: the bot sends the same requests when Graph
   *  duplicates (or batches) its POSTs as when it does not — a difference is a bug, whatever
   *  the bot does. */
  function differential(fault, setting) {
    return async function same(trace, explorer) {
      const faults = trace.scenario.faults ?? {};
      if (fault in faults) return true;
      // Faults drawn per request or per POST follow the order and number of what arrives,
      // which more POSTs may rightly change: the comparison holds only without them.
      if (ORDER_SENSITIVE.some((name) => name in faults)) return true;
      // Batching joins a call's notifications of one instant: a run that had no two of them
      // would be the same run batched.
      if (fault === 'batch' && !trace.deliveries.some((d, i) => i > 0 && trace.deliveries[i - 1].callId === d.callId && trace.deliveries[i - 1].at === d.at)) return true;
      const twin = await explorer.play({ ...trace.scenario, faults: { ...faults, [fault]: setting } });
      const mine = requestsOf(trace);
      const theirs = requestsOf(twin);
      const at = mine.findIndex((r, i) => r !== theirs[i]);
      if (at === -1 && mine.length === theirs.length) return true;
      const index = at === -1 ? Math.min(mine.length, theirs.length) : at;
      return `with ${fault === 'batch' ? 'batched' : 'duplicated'} callbacks the bot's request ${index + 1} was ${theirs[index] ?? '(none)'}, without them ${mine[index] ?? '(none)'}`;
    };
  }

  /** A run's requests as text, each call's id written as its place (`{call 0}`): the calls of
   *  two plays have ids of their own. */
  function requestsOf(trace) {
    const places = trace.calls.map((call) => key(call.callId));
    return trace.requests.map((r) => {
      const path = r.callId ? r.path.replace(/(\/calls\/)[^/?]+/, `$1{call ${places.indexOf(key(r.callId))}}`) : r.path;
      return `${r.method} ${path} ${r.body}`;
    });
  }

  /** `noLeakedCalls`: once the caller is done and the horizon passed, the call has ended, or
   *  the bot keeps it alive with keepAlive. */
  function noLeakedCalls(trace) {
    for (const call of trace.calls) {
      if (call.state === 'terminated') continue;
      const keptAlive = trace.requests.some((r) => /\/keepAlive$/.test(r.path) && r.callId && sameId(r.callId, call.callId));
      if (!keptAlive) return `call ${call.callId} is still ${call.state} ${ms(LEAK_WINDOW_MS)} after the caller's horizon, and the bot neither hung up nor kept it alive`;
    }
    return true;
  }

  /** `recordingsFetchedInTime`: a recording the bot downloads is there when it does. */
  function recordingsFetchedInTime(trace) {
    const late = trace.requests.find((r) => r.method === 'GET' && !r.callId && r.status === 404);
    return late ? `the bot downloaded ${late.path} at ${ms(late.at)}, after Graph had discarded it` : true;
  }

  return BotExplorer;
}

const ms = (t) => `${(t / 1000).toFixed(3)} s`;

/** A run as text, one line an event, virtual time first. */
function timelineOf(trace) {
  const lines = [];
  for (const d of trace.deliveries) {
    for (const n of JSON.parse(d.body).value) {
      const data = n.resourceData ?? {};
      const what = data.toneInfo ? `tone ${data.toneInfo.tone}` : data.state ? `call ${data.state}` : `${(data['@odata.type'] ?? '').replace('#microsoft.graph.', '')} ${data.status ?? ''}${data.resultInfo ? ` ${data.resultInfo.code}/${data.resultInfo.subcode}` : ''}`;
      lines.push([d.at, `Graph → bot: ${n.changeType} ${what}${d.acknowledged === false ? ' (not acknowledged)' : ''}`]);
    }
  }
  for (const r of trace.requests) lines.push([r.at, `bot → Graph: ${r.method} ${r.path} → ${r.status ?? 'no answer'}`]);
  for (const step of trace.recorded?.steps ?? []) {
    const action = ['pressTone', 'startSpeaking', 'stopSpeaking', 'hangUp'].find((k) => k in step);
    if (action) lines.push([step.at, `caller: ${action}${action === 'pressTone' ? ` ${step.pressTone}` : ''}`]);
  }
  lines.sort((a, b) => a[0] - b[0]);
  return lines.map(([at, text]) => `${ms(at).padStart(10)}  ${text}`).join('\n');
}

export { explorerClass };
