// The demo's call: one call of a GraphSimulator, answered by the page acting as the bot, driven
// by steps (a builder's request, the caller's keys and voice, time). The demo page, its time
// travel and the <graph-ivr-call> element share it, so a call means the same thing (and gives
// the same bytes) everywhere. Links hold the package's scenario format (graph.scenario()),
// compactly encoded; the demo's older links (a seed and a list of steps) still play.

export const DEFAULT_PROMPT_MS = 3000;
/** Where the demo's call would POST its notifications: the page shows them instead. */
export const DEMO_CALLBACK = 'https://bot.example/graph-ivr-demo';
const ANSWER_BODY = JSON.stringify({ callbackUri: DEMO_CALLBACK, acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } });

/** One call of a GraphSimulator, with the synchronous face the page drives: `handle`,
 *  `advance`, the caller's actions (each returning the deliveries it caused), `snapshot`. */
export class DemoCall {
  constructor(graph) {
    this.graph = graph;
    this.pending = [];
  }

  /** A new call with the demo's settings `{seed, profile, version, durations, faults}`: it rings,
   *  the page answers it (again after Retry-After when Graph refuses), and it is established. */
  static start(ivr, settings) {
    const graph = new ivr.GraphSimulator({
      seed: settings.seed ?? 1,
      profile: settings.profile ?? 'docs',
      version: settings.version ?? 'v1.0',
      promptDurationsMs: settings.durations ?? {},
      defaultPromptMs: DEFAULT_PROMPT_MS,
      ...(settings.faults ? { faults: settings.faults } : {}),
    });
    const demo = new DemoCall(graph);
    const call = graph.incomingCall({ callbackUri: DEMO_CALLBACK });
    const url = `https://graph.microsoft.com/${settings.version ?? 'v1.0'}/communications/calls/${call.callId}/answer`;
    for (let tries = 0; tries < 20; tries++) {
      const answer = graph.handle({ method: 'POST', url, headers: { 'Content-Type': 'application/json' }, body: ANSWER_BODY });
      if (answer.status < 300) break;
      demo.pending.push(...graph.advance(Number(answer.headers['Retry-After'] ?? 1) * 1000));
    }
    advanceStepwise(demo, graph.now + 500, (deliveries) => demo.pending.push(...deliveries));
    return demo;
  }

  /** A scenario (graph.scenario()'s, or a link's), set up: advance it to its `durationMs`
   *  (step by step, to watch it). */
  static fromScenario(ivr, scenario) {
    return new DemoCall(ivr.GraphSimulator.fromScenario(scenario));
  }

  /** The caller's side of the call (kept: each read of `graph.calls` makes new handles). */
  get call() {
    this.caller ??= this.graph.calls[0];
    return this.caller;
  }
  get callId() {
    return this.call?.callId ?? '';
  }
  get now() {
    return this.graph.now;
  }
  get nextTimeout() {
    return this.pending.length ? this.graph.now : this.graph.nextTimeout;
  }
  handle(request) {
    return this.graph.handle(request);
  }
  takeDeliveries() {
    return [...this.pending.splice(0), ...this.graph.takeDeliveries()];
  }
  advance(ms) {
    return [...this.pending.splice(0), ...this.graph.advance(ms)];
  }
  act(action) {
    this.call[action]();
    return this.takeDeliveries();
  }
  pressTone(key) {
    this.call.pressTone(key);
    return this.takeDeliveries();
  }
  snapshot() {
    return this.call.snapshot();
  }
  scenario() {
    return this.graph.scenario();
  }
  free() {
    this.caller?.free();
    this.graph.free();
  }
}

/** A fresh call for the demo's settings. */
export function simulatorFor(ivr, settings) {
  return DemoCall.start(ivr, settings);
}

/**
 * Advances `sim` to `target` one timer at a time, calling `onStep(deliveries)` after each, so
 * whoever watches sees every phase change, not only the last state.
 */
export function advanceStepwise(sim, target, onStep) {
  for (let guard = 0; guard < 100000; guard++) {
    const next = sim.nextTimeout;
    if (next === undefined || next > target) break;
    const before = sim.now;
    const deliveries = sim.advance(next - sim.now);
    onStep(deliveries);
    if (next === before && deliveries.length === 0) break;
  }
  if (target > sim.now) onStep(sim.advance(target - sim.now));
}

/**
 * Runs one step against `sim`; `see(deliveries, exchange?)` gets what it produced (after each
 * timer when time moves; with the request and response for a request step). Throws a
 * GraphIvrError for a step the package refuses.
 */
export function perform(ivr, sim, step, see, version = 'v1.0') {
  const builders = { play: ivr.buildPlayPrompt, record: ivr.buildRecordResponse, subscribe: ivr.buildSubscribeToTone, cancel: ivr.buildCancelMediaProcessing };
  if (step.t in builders) {
    const request = builders[step.t]({ ...(step.options ?? {}), callId: sim.callId, version });
    const response = sim.handle(request);
    see(sim.advance(0), { request, response });
    return;
  }
  if (step.t === 'keepalive') {
    const request = { method: 'POST', url: `https://graph.microsoft.com/${version}/communications/calls/${sim.callId}/keepAlive`, headers: {}, body: '' };
    const response = sim.handle(request);
    see(sim.advance(0), { request, response });
    return;
  }
  switch (step.t) {
    case 'advance': return advanceStepwise(sim, sim.now + step.ms, (deliveries) => see(deliveries));
    case 'tone': return see(sim.pressTone(step.key));
    case 'speak': return see(sim.act('startSpeaking'));
    case 'quiet': return see(sim.act('stopSpeaking'));
    case 'hangup': return see(sim.act('hangUp'));
    default: throw new Error(`unknown step ${step.t}`);
  }
}

/**
 * What a page address (`#…`) or an attribute holds: `{scenario}` (the package's format: `z=`
 * and its deflated, base64url text, or plain JSON with `calls`), `{steps}` (the demo's older
 * links: a seed and a list of steps), or null.
 */
export async function readLink(text) {
  if (!text) return null;
  const raw = text.startsWith('#') ? text.slice(1) : text;
  if (raw.startsWith('z=')) {
    try {
      return { scenario: JSON.parse(await inflate(raw.slice(2))) };
    } catch {
      return null;
    }
  }
  for (const candidate of [raw, safeDecode(raw)]) {
    try {
      const parsed = JSON.parse(candidate);
      if (parsed && Array.isArray(parsed.calls)) return { scenario: parsed };
      if (parsed && Array.isArray(parsed.steps)) return { steps: parsed };
    } catch {
      // not this spelling
    }
  }
  return null;
}

/** `z=` and the scenario's JSON, deflated and base64url-encoded: what links hold. */
export async function linkOf(scenario) {
  const bytes = await transform(new TextEncoder().encode(JSON.stringify(scenario)), new CompressionStream('deflate-raw'));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `z=${btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

async function inflate(text) {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(await transform(bytes, new DecompressionStream('deflate-raw')));
}

async function transform(bytes, stream) {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
