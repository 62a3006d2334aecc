// The emulator's dashboard: the calls, live (server-sent events from /_graph-ivr/events), each
// with the demo's timeline (timeline.js), its requests and callbacks (the journal), the caller's
// keypad, speech and hang-up, the clock, the delivery failures, scenarios and reset. Everything
// it does goes through the emulator's control API; it holds no state the emulator does not.
import { CallRecorder, drawTimeline } from './timeline.js'; // www/timeline.js, beside it in the package

const $ = (id) => document.getElementById(id);
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
/** Graph spells one GUID two ways: ids compared without hyphens or case. */
const canonical = (id) => String(id).replaceAll('-', '').toLowerCase();
const sameId = (a, b) => canonical(a) === canonical(b);
const seconds = (ms) => `${(ms / 1000).toFixed(3)} s`;

let state = { now: 0, calls: [], failures: 0, journal: 0, realtime: false, nextTimeout: null };
/** The call shown: its id, its timeline's recorder, the last journal entry read, speech. */
let shown = null;
let failuresSeen = -1;
let queue = Promise.resolve();
/** Runs `work` after what is running (views are refreshed in order, one at a time). */
const serially = (work) => (queue = queue.then(work).catch(showError));

function showError(err) {
  $('error').textContent = err?.message ?? String(err);
  $('error').hidden = false;
}

async function control(path, body) {
  $('error').hidden = true;
  const response = await fetch(`/_graph-ivr/${path}`, body === undefined ? {} : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const answer = await response.json();
  if (!response.ok) throw new Error(answer?.error?.message ?? `HTTP ${response.status}`);
  return answer;
}

function render() {
  $('now').textContent = seconds(state.now);
  $('realtime').setAttribute('aria-pressed', String(state.realtime));
  const list = $('calls');
  list.replaceChildren(
    ...state.calls.map((call) => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.testid = 'call';
      button.dataset.callId = call.callId;
      button.textContent = `${call.callId} — ${call.state}`;
      if (shown && sameId(shown.callId, call.callId)) button.setAttribute('aria-current', 'true');
      button.addEventListener('click', () => serially(() => show(call.callId)));
      item.append(button);
      return item;
    }),
  );
  $('no-calls').hidden = state.calls.length > 0;
  if (shown && !state.calls.some((c) => sameId(c.callId, shown.callId))) show(null);
  if (!shown && state.calls.length) return serially(() => show(state.calls.at(-1).callId));
  return serially(refresh);
}

/** Shows call `callId` (or none): a new recorder, read from the start of its journal. */
async function show(callId) {
  shown = callId === null ? null : { callId, recorder: new CallRecorder(sameId), after: 0, speaking: false };
  $('journal').replaceChildren();
  $('timeline').replaceChildren();
  $('call-id').textContent = callId ?? '—';
  $('call-state').textContent = '';
  $('speak').setAttribute('aria-pressed', 'false');
  for (const button of document.querySelectorAll('[data-testid="call"]')) {
    if (callId !== null && sameId(button.dataset.callId, callId)) button.setAttribute('aria-current', 'true');
    else button.removeAttribute('aria-current');
  }
  if (callId !== null) await refresh();
}

/** Reads what is new: the shown call's snapshot and journal entries, and the failures. */
async function refresh() {
  if (state.failures !== failuresSeen) {
    failuresSeen = state.failures;
    const failures = await control('failures');
    $('failures').replaceChildren(...failures.map((f) => item(`${seconds(f.at)}  ${f.message}`)));
  }
  if (!shown) return;
  const view = shown;
  const snapshot = await control(`calls/${encodeURIComponent(view.callId)}`).catch(() => null);
  const entries = await control(`journal?callId=${encodeURIComponent(view.callId)}&after=${view.after}`);
  if (shown !== view) return;
  for (const entry of entries) {
    view.after = entry.seq;
    $('journal').append(journalItem(entry));
    if (entry.kind === 'callback') {
      try {
        view.recorder.delivery({ at: entry.at, body: entry.body, value: JSON.parse(entry.body) }, { valid: true, issues: [] });
      } catch {
        // A body that is not JSON is in the journal as it was; the timeline skips it.
      }
    } else {
      const action = /\/(cancelMediaProcessing|subscribeToTone|keepAlive)$/.exec(new URL(entry.url).pathname)?.[1];
      const kind = { cancelMediaProcessing: 'cancel', subscribeToTone: 'subscribe', keepAlive: 'keepalive' }[action];
      if (kind) view.recorder.action(kind, entry.at, action);
    }
  }
  if (snapshot) {
    view.recorder.observe(snapshot);
    $('call-state').textContent = snapshot.callState ?? '';
  }
  drawTimeline($('timeline'), view.recorder, { now: state.now });
}

const item = (text, className) => {
  const li = document.createElement('li');
  li.textContent = text;
  if (className) li.className = className;
  return li;
};

function journalItem(entry) {
  const path = (() => {
    try {
      return new URL(entry.url).pathname;
    } catch {
      return entry.url;
    }
  })();
  if (entry.kind === 'callback') {
    let what = 'callback';
    try {
      what = JSON.parse(entry.body).value.map((n) => `${n.changeType} ${n.resourceData?.toneInfo ? `tone ${n.resourceData.toneInfo.tone}` : n.resourceData?.state ?? n.resourceData?.status ?? ''}`).join(', ');
    } catch {
      // Shown as a callback.
    }
    const answer = entry.error ? `not taken: ${entry.error}` : entry.status ?? '…';
    const li = item(`${seconds(entry.at)}  Graph → bot: ${what} → ${answer}`, entry.error ? 'callback refused' : 'callback');
    li.dataset.testid = 'journal-callback';
    return li;
  }
  const li = item(`${seconds(entry.at)}  bot → Graph: ${entry.method} ${path} → ${entry.status ?? entry.error ?? '…'}`, entry.status >= 400 ? 'refused' : 'request');
  li.dataset.testid = 'journal-request';
  li.title = entry.body;
  return li;
}

function act(action, body = {}) {
  if (!shown) return showError(new Error('choose a call first'));
  const callId = shown.callId;
  return serially(() => control(`calls/${encodeURIComponent(callId)}/${action}`, body));
}

for (const key of KEYS) {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = key;
  button.dataset.testid = `key-${key}`;
  button.setAttribute('aria-label', `Press ${key}`);
  button.addEventListener('click', () => act('pressTone', { tone: key }));
  $('keypad').append(button);
}
$('speak').addEventListener('click', () => {
  if (!shown) return showError(new Error('choose a call first'));
  shown.speaking = !shown.speaking;
  $('speak').setAttribute('aria-pressed', String(shown.speaking));
  return act(shown.speaking ? 'startSpeaking' : 'stopSpeaking');
});
$('hangup').addEventListener('click', () => act('hangUp'));
$('advance').addEventListener('click', () => serially(() => control('advance', { ms: 1000 })));
$('next').addEventListener('click', () => serially(() => control('advance', { ms: Math.max(0, (state.nextTimeout ?? state.now) - state.now) })));
$('realtime').addEventListener('click', () => serially(() => control('realtime', { on: !state.realtime })));
$('ring').addEventListener('submit', (event) => {
  event.preventDefault();
  const callbackUri = new FormData(event.target).get('callbackUri');
  serially(() => control('calls', { callbackUri }));
});
$('save').addEventListener('click', () =>
  serially(async () => {
    const scenario = await control('scenario');
    const text = JSON.stringify(scenario, null, 2);
    $('scenario-text').value = text;
    const link = $('download');
    if (link.href) URL.revokeObjectURL(link.href);
    link.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    link.hidden = false;
  }),
);
$('load').addEventListener('click', () =>
  serially(async () => {
    let scenario;
    try {
      scenario = JSON.parse($('scenario-text').value);
    } catch (err) {
      throw new Error(`the scenario is not JSON: ${err.message}`);
    }
    await show(null);
    await control('scenario', scenario);
  }),
);
$('reset').addEventListener('click', () =>
  serially(async () => {
    await show(null);
    await control('reset', {});
  }),
);

$('origin').textContent = location.host;
const events = new EventSource('/_graph-ivr/events');
events.addEventListener('state', (event) => {
  state = JSON.parse(event.data);
  render();
});
