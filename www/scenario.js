// A scenario — a seed, a profile, prompt play times and a list of steps — run against a
// CallSimulator. The demo page, its time travel and the <graph-ivr-call> element share it, so a
// scenario means the same thing (and gives the same bytes) everywhere.

export const DEFAULT_PROMPT_MS = 3000;

/** A fresh simulator for the scenario's call. */
export function simulatorFor(ivr, scenario) {
  return new ivr.CallSimulator({
    seed: scenario.seed ?? 1,
    profile: scenario.profile ?? 'docs',
    version: scenario.version ?? 'v1.0',
    promptDurationsMs: scenario.durations ?? {},
    defaultPromptMs: DEFAULT_PROMPT_MS,
  });
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
 * timer when time moves; with the request and response for a builder step). Throws a
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
  switch (step.t) {
    case 'advance': return advanceStepwise(sim, sim.now + step.ms, (deliveries) => see(deliveries));
    case 'tone': return see(sim.pressTone(step.key));
    case 'speak': return see(sim.startSpeaking());
    case 'quiet': return see(sim.stopSpeaking());
    case 'hangup': return see(sim.hangUp());
    default: throw new Error(`unknown step ${step.t}`);
  }
}

/** The scenario a page address (`#…`) or an attribute holds: encoded JSON or JSON. */
export function parseScenario(text) {
  if (!text) return null;
  const raw = text.startsWith('#') ? text.slice(1) : text;
  for (const candidate of [raw, safeDecode(raw)]) {
    try {
      const parsed = JSON.parse(candidate);
      if (parsed && Array.isArray(parsed.steps)) return parsed;
    } catch {
      // not this spelling
    }
  }
  return null;
}

function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
