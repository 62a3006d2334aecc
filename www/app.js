// The demo page: one call of a GraphSimulator driven by forms (the page is the bot), a keypad
// (the caller) and a virtual clock. What was done is the package's scenario format
// (graph.scenario()), kept in the URL hash, so a link replays it exactly (same bytes).
import init, * as ivr from './pkg/web/index.js';
import { PRESETS } from './presets.js';
import { RECIPES, runRecipe } from './recipes.js';
import { CallRecorder, drawTimeline } from './timeline.js';
import { DEFAULT_PROMPT_MS, DemoCall, advanceStepwise, linkOf, perform as performStep, readLink, simulatorFor } from './scenario.js';

const $ = (id) => document.getElementById(id);
const TICK_MS = 100;

/** The call's settings and the steps taken on it since it began (or since `base`). */
let scenario = { seed: 1, profile: 'docs', version: 'v1.0', durations: {}, faults: undefined, steps: [] };
/** A scenario the page was opened with (a link): the call starts as it says. */
let base = null;
/** Links are written asynchronously (compression): only the latest is kept. */
let linkWrites = 0;
let sim = null;
let timer = null;
let noteCount = 0;
/** What the timeline draws: the live call's history. */
let recorder = new CallRecorder(ivr.sameId);
/** Time travel: the instant shown and a replay of the scenario up to it (null when live). */
let past = null;
/** A bot recipe running in the page: its GraphSimulator and call (null when hand-driven). */
let recipe = null;

// ---- scenario state <-> URL -------------------------------------------------------------

/** The link of the call as it stands: its scenario, compactly encoded. */
function writeHash() {
  const write = ++linkWrites;
  const written = sim.scenario();
  linkOf(written).then((link) => {
    if (write !== linkWrites) return;
    history.replaceState(null, '', `#${link}`);
    document.body.dataset.link = String(write);
  });
}

// ---- running steps --------------------------------------------------------------------

/** The call as it began: the linked scenario (with the play times set since), or a new one. */
function simulator() {
  if (!base) return simulatorFor(ivr, scenario);
  return DemoCall.fromScenario(ivr, { ...base, promptDurationsMs: { ...(base.promptDurationsMs ?? {}), ...scenario.durations } });
}

function newCall() {
  sim?.free();
  leavePast();
  leaveRecipe();
  recorder = new CallRecorder(ivr.sameId);
  $('notifications').replaceChildren();
  noteCount = 0;
  $('count').textContent = '0';
  $('last-request').textContent = '(none yet)';
  $('last-response').textContent = '(none yet)';
  sim = simulator();
  recorder.observe(sim.snapshot());
}

/** Runs one step against `target` (see scenario.js) in this scenario's version. */
const perform = (target, step, see) => performStep(ivr, target, step, see, scenario.version);

/** Runs one step on the live call: its exchange, its notifications, the timeline's record. */
function run(step) {
  if (step.t === 'cancel' || step.t === 'subscribe') recorder.action(step.t, sim.now, step.t === 'cancel' ? 'cancelMediaProcessing' : 'subscribeToTone');
  if (step.t === 'tone') recorder.action('tone', sim.now, `key ${step.key}`);
  if (step.t === 'keepalive') recorder.action('keepalive', sim.now, 'keepAlive');
  perform(sim, step, (deliveries, exchange) => {
    if (exchange) showExchange(exchange.request, exchange.response);
    recorder.observe(sim.snapshot());
    show(deliveries);
    recorder.observe(sim.snapshot());
  });
}

/** Performs a user action: runs it, records it in the scenario, reports a refusal inline. An
 *  action while time-travelling returns to the live call first. */
function act(step) {
  if (recipe) {
    leaveRecipe();
    replay();
  }
  leavePast();
  clearError();
  try {
    run(step);
  } catch (err) {
    if (err?.name === 'GraphIvrError') return showError(err);
    throw err;
  }
  const last = scenario.steps.at(-1);
  if (step.t === 'advance' && last?.t === 'advance') last.ms += step.ms;
  else scenario.steps.push(step);
  writeHash();
  render();
}

function replay() {
  newCall();
  // How the call began: it rang and the page answered it, or the link's scenario plays.
  show(sim.takeDeliveries());
  recorder.observe(sim.snapshot());
  if (base) run({ t: 'advance', ms: base.durationMs ?? 0 });
  for (const step of scenario.steps) run(step);
  $('selected').hidden = true;
  syncSettings();
  render();
}

// ---- rendering --------------------------------------------------------------------------

const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
};
const pretty = (text) => {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
};
const seconds = (ms) => `${(ms / 1000).toFixed(3)} s`;

function showExchange(request, response) {
  const headers = (h) => Object.entries(h).map(([k, v]) => `${k}: ${v}`).join('\n');
  $('last-request').textContent = `${request.method} ${request.url}\n${headers(request.headers)}\n\n${pretty(request.body)}`;
  $('last-response').textContent = `HTTP ${response.status}\n${headers(response.headers)}\n\n${pretty(response.body)}`;
}

function describe(data) {
  if (Array.isArray(data)) return `${data.length} entities`;
  if (data.toneInfo) return `tone ${data.toneInfo.tone} (sequenceId ${data.toneInfo.sequenceId})`;
  if (data['@odata.type'] === '#microsoft.graph.call') return `call ${data.state}`;
  const type = (data['@odata.type'] ?? '').replace('#microsoft.graph.', '');
  const result = data.resultInfo ? ` ${data.resultInfo.code}/${data.resultInfo.subcode}` : '';
  const reason = data.completionReason ? ` ${data.completionReason}` : '';
  return `${type} "${data.clientContext ?? ''}" ${data.status}${result}${reason}`;
}

function show(deliveries) {
  for (const delivery of deliveries) {
    const report = ivr.validateNotifications(delivery.body, { version: scenario.version });
    recorder.delivery(delivery, report);
    const item = delivery.value.value[0];
    const data = item.resourceData;
    const outcome = data?.resultInfo ? ivr.classifyResult(data.resultInfo) : null;
    const li = el('li', { className: data?.status ?? '' });
    li.dataset.testid = 'notification';
    li.append(
      el('div', {}, el('span', { className: 'at', textContent: `${seconds(delivery.at)} · ${item.changeType} · ` }), el('span', { className: 'what', textContent: describe(data) })),
      el('span', { className: `badge ${report.valid ? 'valid' : 'invalid'}`, textContent: report.valid ? 'valid' : `${report.issues.length} issues` }),
    );
    if (outcome) li.append(el('span', { className: 'badge outcome', textContent: `classifyResult: ${outcome}` }));
    if (report.issues.length) {
      li.append(el('ul', {}, ...report.issues.map((i) => el('li', { textContent: `${i.severity} ${i.code} at ${i.path || '(root)'}: ${i.message}` }))));
    }
    li.append(el('details', {}, el('summary', { textContent: 'JSON' }), el('pre', { textContent: pretty(delivery.body) })));
    li.id = `notification-${noteCount}`;
    li.dataset.body = delivery.body;
    $('notifications').append(li);
    noteCount += 1;
  }
  $('count').textContent = String(noteCount);
  $('notifications').lastElementChild?.scrollIntoView?.({ block: 'nearest' });
}

function render() {
  const snap = recipe ? recipe.snapshot : (past?.sim ?? sim).snapshot();
  renderState(snap);
  const live = recipe ? snap.now : sim.now;
  const scrub = $('scrub');
  scrub.max = String(live);
  scrub.value = String(past ? past.at : live);
  $('scrub-at').textContent = past ? `showing ${seconds(past.at)} of ${seconds(live)}` : 'live';
  $('live').hidden = !past;
  document.body.classList.toggle('in-past', Boolean(past));
  drawTimeline($('timeline'), recorder, { now: live, cursor: past ? past.at : null, onSelect: selectNotification, classify: ivr.classifyResult });
}

/** The state panels: the call, its queue, its timers, at the instant shown. */
function renderState(snap) {
  $('now').textContent = seconds(snap.now);
  $('call-id').textContent = snap.callId;
  $('call-state').textContent = snap.callState;
  $('tones').textContent = snap.toneSubscription.subscribed ? `subscribed (last sequenceId ${snap.toneSubscription.lastSequenceId})` : 'not subscribed';
  $('speaking').textContent = snap.speaking ? 'speaking' : 'silent';
  $('speak').textContent = snap.speaking ? 'Stop speaking' : 'Start speaking';
  const running = $('running');
  if (snap.running) {
    const r = snap.running;
    const span = r.phaseEndsAt === null ? null : r.phaseEndsAt - r.phaseStartedAt;
    const progress = el('progress', { max: span ?? 1, value: span ? snap.now - r.phaseStartedAt : 0 });
    progress.setAttribute('aria-label', `${r.phase} progress`);
    running.replaceChildren(
      el('div', { className: 'op', textContent: `${r.operation} "${r.clientContext ?? ''}"` }),
      el('div', { className: 'phase', textContent: `${r.phase}${r.remainingMs === null ? ' (waits on the caller or loops)' : ` · ${seconds(r.remainingMs)} left`} · ${r.id}` }),
      progress,
    );
  } else {
    running.replaceChildren(el('span', { className: 'empty', textContent: 'idle: nothing is playing or recording' }));
  }
  $('queue').replaceChildren(...snap.queue.map((op) => el('li', { textContent: `${op.operation} "${op.clientContext ?? ''}"` })));
  $('timers').replaceChildren(...snap.timers.map((t) => el('li', { textContent: `${t.name} at ${seconds(t.at)}` })));
}

/** A notification chosen on the timeline: its JSON and its report, and its place in the list. */
function selectNotification(index) {
  const note = recorder.notifications[index];
  if (!note) return;
  const box = $('selected');
  const issues = note.report.issues.map((i) => `${i.severity} ${i.code} at ${i.path || '(root)'}: ${i.message}`);
  box.replaceChildren(
    el('h3', { textContent: `Notification ${index + 1} at ${seconds(note.at)}: ${note.report.valid ? 'valid' : `${note.report.issues.length} issues`}` }),
    ...(issues.length ? [el('ul', {}, ...issues.map((text) => el('li', { textContent: text })))] : []),
    el('pre', { textContent: pretty(note.body), tabIndex: 0 }),
  );
  box.hidden = false;
  const item = document.getElementById(`notification-${index}`);
  if (item) {
    item.querySelector('details').open = true;
    item.scrollIntoView?.({ block: 'nearest' });
  }
}

// ---- time travel ------------------------------------------------------------------------

/** The call replayed from its scenario up to `at` (what happened at that instant included). */
function replayUntil(at) {
  const then = DemoCall.fromScenario(ivr, sim.scenario());
  advanceStepwise(then, at, () => {});
  return then;
}

function travel(at) {
  if (recipe) return render(); // a recipe's bot runs live: its history is the timeline
  if (at >= sim.now) return goLive();
  setSpeed(0);
  past?.sim.free();
  past = { at, sim: replayUntil(at) };
  render();
}

function leavePast() {
  if (!past) return;
  past.sim.free();
  past = null;
}

function goLive() {
  leavePast();
  render();
}

function showError(err) {
  const box = $('form-error');
  box.textContent = `${err.code}${err.path ? ` at ${err.path}` : ''}: ${err.message}`;
  box.hidden = false;
}

function clearError() {
  $('form-error').hidden = true;
}

function syncSettings() {
  $('seed').value = String(scenario.seed);
  $('profile').value = scenario.profile;
  $('version').value = scenario.version;
  $('faults').textContent = scenario.faults ? `faults: ${JSON.stringify(scenario.faults)}` : '';
}

// ---- forms ------------------------------------------------------------------------------

const text = (form, name) => form.elements[name].value.trim();
const number = (form, name) => (text(form, name) === '' ? undefined : Number(text(form, name)));

/** Records a prompt's play time in the call's configuration (a new uri only). */
function usePrompt(uri, ms) {
  if (!uri || ms === undefined) return true;
  const known = scenario.durations[uri];
  if (known === ms) return true;
  if (known !== undefined || scenario.steps.some((s) => JSON.stringify(s).includes(JSON.stringify(uri)))) {
    showError({ code: 'invalidArgument', path: '/prompts/0', message: `${uri} already plays ${known ?? DEFAULT_PROMPT_MS} ms in this call; use another uri for another play time` });
    return false;
  }
  scenario.durations = { ...scenario.durations, [uri]: ms };
  replay();
  return true;
}

$('play-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  clearError();
  const prompts = [text(form, 'uri'), text(form, 'uri2')].filter(Boolean);
  if (!usePrompt(prompts[0], number(form, 'ms'))) return;
  const options = { prompts, clientContext: text(form, 'clientContext') || undefined };
  if (form.elements.loop.checked) options.loop = true;
  act({ t: 'play', options });
});

$('record-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  clearError();
  const uri = text(form, 'uri');
  if (!usePrompt(uri, number(form, 'ms'))) return;
  const options = {
    prompts: uri ? [uri] : undefined,
    initialSilenceTimeoutInSeconds: number(form, 'initialSilenceTimeoutInSeconds'),
    maxSilenceTimeoutInSeconds: number(form, 'maxSilenceTimeoutInSeconds'),
    maxRecordDurationInSeconds: number(form, 'maxRecordDurationInSeconds'),
    playBeep: form.elements.playBeep.checked,
    bargeInAllowed: form.elements.bargeInAllowed.checked,
    stopTones: text(form, 'stopTones') ? text(form, 'stopTones').split(/[\s,]+/).filter(Boolean) : undefined,
    clientContext: text(form, 'clientContext') || undefined,
  };
  act({ t: 'record', options: JSON.parse(JSON.stringify(options)) });
});

$('subscribe').addEventListener('click', () => act({ t: 'subscribe' }));
$('cancel').addEventListener('click', () => act({ t: 'cancel' }));
$('keepalive').addEventListener('click', () => act({ t: 'keepalive' }));
$('speak').addEventListener('click', () => act({ t: sim.snapshot().speaking ? 'quiet' : 'speak' }));
$('hangup').addEventListener('click', () => act({ t: 'hangup' }));

for (const key of ['1', '2', '3', 'A', '4', '5', '6', 'B', '7', '8', '9', 'C', '*', '0', '#', 'D']) {
  const button = el('button', { type: 'button', textContent: key });
  button.dataset.testid = `key-${key}`;
  button.setAttribute('aria-label', `Press ${key}`);
  button.addEventListener('click', () => act({ t: 'tone', key }));
  $('keypad').append(button);
}

for (const [name, preset] of Object.entries(PRESETS)) {
  const button = el('button', { type: 'button', textContent: name });
  button.dataset.testid = `preset-${name.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  button.addEventListener('click', () => {
    setSpeed(0);
    clearError();
    base = null;
    scenario = { ...scenario, seed: preset.seed ?? scenario.seed, durations: { ...preset.durations }, faults: preset.faults, steps: structuredClone(preset.steps) };
    replay();
    writeHash();
  });
  $('presets').append(button);
}

$('reset').addEventListener('click', () => {
  setSpeed(0);
  clearError();
  const seed = Number($('seed').value);
  base = null;
  scenario = { seed: Number.isSafeInteger(seed) && seed >= 0 ? seed : 1, profile: $('profile').value, version: $('version').value, durations: {}, faults: undefined, steps: [] };
  replay();
  writeHash();
});

// ---- bot recipes ------------------------------------------------------------------------

async function startRecipe(name) {
  const chosen = RECIPES[name];
  setSpeed(0);
  clearError();
  newCall();
  const token = {};
  recipe = { name, token, snapshot: sim.snapshot(), graph: null };
  recorder = new CallRecorder(ivr.sameId);
  $('hand').hidden = true;
  $('recipe').hidden = false;
  $('recipe-title').textContent = chosen.title;
  $('bot-code').textContent = chosen.bot.toString();
  $('bot-requests').replaceChildren();
  $('recipe-status').textContent = 'running…';
  history.replaceState(null, '', `#${encodeURIComponent(JSON.stringify({ recipe: name }))}`);
  const current = () => recipe?.token === token;
  const { graph } = await runRecipe(ivr, chosen, {
    delivery: (d) => current() && show([d]),
    snapshot: (snap) => {
      if (!current()) return;
      recorder.observe(snap);
      recipe.snapshot = snap;
      render();
    },
    action: (kind, at, label) => current() && recorder.action(kind, at, label),
    exchange: ({ method, url, status }) => {
      if (!current()) return;
      const path = url.replace(/^https:\/\/graph\.microsoft\.com/, '');
      $('bot-requests').append(el('li', { textContent: `${method} ${path} → ${status}` }));
    },
  });
  if (!current()) return graph.free();
  recipe.graph = graph;
  $('recipe-status').textContent = `done at ${seconds(graph.now)}: the call is ${recipe.snapshot.callState}`;
  document.body.dataset.recipe = 'done';
  render();
}

function leaveRecipe() {
  if (!recipe) return;
  recipe.graph?.free();
  recipe = null;
  delete document.body.dataset.recipe;
  $('hand').hidden = false;
  $('recipe').hidden = true;
}

for (const [name, chosen] of Object.entries(RECIPES)) {
  const button = el('button', { type: 'button', textContent: chosen.title });
  button.dataset.testid = `recipe-${name}`;
  button.addEventListener('click', () => startRecipe(name));
  $('recipes').append(button);
}
$('leave-recipe').addEventListener('click', () => {
  leaveRecipe();
  replay();
  writeHash();
});

// ---- the clock ------------------------------------------------------------------------

function setSpeed(speed) {
  clearInterval(timer);
  timer = null;
  $('pause').setAttribute('aria-pressed', String(speed === 0));
  $('play1').setAttribute('aria-pressed', String(speed === 1));
  $('play10').setAttribute('aria-pressed', String(speed === 10));
  if (speed > 0) timer = setInterval(() => act({ t: 'advance', ms: TICK_MS * speed }), TICK_MS);
}

$('scrub').addEventListener('input', (event) => travel(Number(event.currentTarget.value)));
$('live').addEventListener('click', goLive);
$('pause').addEventListener('click', () => setSpeed(0));
$('play1').addEventListener('click', () => setSpeed(1));
$('play10').addEventListener('click', () => setSpeed(10));
$('step').addEventListener('click', () => act({ t: 'advance', ms: 500 }));
$('next').addEventListener('click', () => {
  const next = sim.nextTimeout;
  if (next !== undefined) act({ t: 'advance', ms: next - sim.now });
});

// ---- start ------------------------------------------------------------------------------

await init();
const linkedRecipe = (() => {
  try {
    return JSON.parse(decodeURIComponent(location.hash.slice(1))).recipe;
  } catch {
    return undefined;
  }
})();
const link = await readLink(location.hash.length < 2 ? '' : location.hash);
if (link?.scenario) {
  // The package's scenario format: the call plays as it says.
  base = link.scenario;
  scenario = { ...scenario, seed: base.seed ?? 0, profile: base.profile ?? 'docs', version: base.version ?? 'v1.0', faults: base.faults, durations: {}, steps: [] };
} else if (link?.steps) {
  // An older link: its settings and steps, played on the call as the buttons play them.
  scenario = { ...scenario, ...link.steps, durations: link.steps.durations ?? {} };
}
try {
  replay();
} catch (err) {
  // A hand-edited link that no longer replays: say so and start a new call.
  base = null;
  scenario = { ...scenario, durations: {}, faults: undefined, steps: [] };
  replay();
  showError(err?.name === 'GraphIvrError' ? err : { code: 'invalidState', message: String(err) });
}
if (link && !linkedRecipe) writeHash();
if (linkedRecipe in RECIPES) await startRecipe(linkedRecipe);
document.body.dataset.ready = 'true';
