// <graph-ivr-call>: a simulated call a docs page embeds with one module script and a tag.
//   <script type="module" src="graph-ivr-call.js"></script>
//   <graph-ivr-call scenario="cancel-during-record"></graph-ivr-call>
// `scenario` names a preset (presets.js) or holds a scenario as the demo's links do (graph-ivr's
// scenario format, as JSON or `z=…` compactly; or the demo's older step lists). The element
// draws the call's timeline and gives the caller's keypad; each element is its own call.
import init, * as ivr from './pkg/web/index.js';
import { PRESETS, preset, slug } from './presets.js';
import { DemoCall, perform, readLink, simulatorFor } from './scenario.js';
import { CallRecorder, drawTimeline } from './timeline.js';

const KEYS = ['1', '2', '3', 'A', '4', '5', '6', 'B', '7', '8', '9', 'C', '*', '0', '#', 'D'];
const here = (file) => new URL(file, import.meta.url).href;
let loaded;
const load = () => (loaded ??= init());

const node = (tag, props = {}, ...children) => {
  const el = document.createElement(tag);
  Object.assign(el, props);
  el.append(...children);
  return el;
};

class GraphIvrCall extends HTMLElement {
  static observedAttributes = ['scenario'];

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.sim = null;
  }

  async connectedCallback() {
    await load();
    if (!this.isConnected) return;
    this.build();
    this.start();
  }

  attributeChangedCallback() {
    if (this.svg) this.start();
  }

  disconnectedCallback() {
    this.sim?.free();
    this.sim = null;
  }

  /** The shadow tree: styles (linked: the page's CSP allows nothing inline), title, timeline,
   *  keypad, status. */
  build() {
    const root = this.shadowRoot;
    root.replaceChildren();
    for (const sheet of ['timeline.css', 'graph-ivr-call.css']) root.append(node('link', { rel: 'stylesheet', href: here(sheet) }));
    this.heading = node('p', { className: 'title' });
    this.svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    this.svg.setAttribute('class', 'timeline');
    this.svg.setAttribute('role', 'group');
    this.keypad = node('div', { className: 'keypad' });
    this.keypad.setAttribute('role', 'group');
    this.keypad.setAttribute('aria-label', "The caller's keypad");
    for (const key of KEYS) {
      const button = node('button', { type: 'button', textContent: key });
      button.setAttribute('aria-label', `Press ${key}`);
      button.dataset.key = key;
      button.addEventListener('click', () => this.step({ t: 'tone', key }));
      this.keypad.append(button);
    }
    const later = node('button', { type: 'button', textContent: '+1 s', className: 'wide' });
    later.title = 'Advance the call by one second';
    later.addEventListener('click', () => this.step({ t: 'advance', ms: 1000 }));
    const again = node('button', { type: 'button', textContent: 'Replay', className: 'wide' });
    again.addEventListener('click', () => this.start());
    this.status = node('p', { className: 'status' });
    this.status.setAttribute('aria-live', 'polite');
    root.append(this.heading, this.svg, node('div', { className: 'controls' }, this.keypad, node('div', { className: 'buttons' }, later, again)), this.status);
  }

  /** Replays the scenario from its seed: the same call, byte for byte, on every start. */
  async start() {
    const name = this.getAttribute('scenario') ?? '';
    const named = preset(name);
    const link = named ? null : await readLink(name);
    this.sim?.free();
    this.sim = null;
    if (!named && !link) {
      this.heading.textContent = `graph-ivr: no scenario "${name}" (presets: ${Object.keys(PRESETS).map(slug).join(', ')})`;
      this.dataset.ready = 'error';
      return;
    }
    const scenario = named ? { seed: 1, ...structuredClone(named) } : link.steps ?? { version: link.scenario.version, steps: [] };
    this.scenario = scenario;
    this.sim = link?.scenario ? DemoCall.fromScenario(ivr, link.scenario) : simulatorFor(ivr, scenario);
    this.recorder = new CallRecorder(ivr.sameId);
    this.recorder.observe(this.sim.snapshot());
    for (const delivery of this.sim.takeDeliveries()) this.recorder.delivery(delivery, ivr.validateNotifications(delivery.body));
    this.recorder.observe(this.sim.snapshot());
    if (link?.scenario) this.run({ t: 'advance', ms: link.scenario.durationMs ?? 0 });
    this.count = 0;
    const title = named ? Object.keys(PRESETS).find((n) => slug(n) === slug(name) || n === name) ?? name : 'A simulated call';
    this.heading.textContent = title;
    this.svg.setAttribute('aria-label', `Timeline: ${title}`);
    try {
      for (const step of scenario.steps) this.run(step);
    } catch (err) {
      this.status.textContent = `${err.code ?? 'error'}: ${err.message}`;
    }
    this.draw();
    this.dataset.ready = 'true';
  }

  run(step) {
    if (step.t === 'cancel' || step.t === 'subscribe') this.recorder.action(step.t, this.sim.now, step.t === 'cancel' ? 'cancelMediaProcessing' : 'subscribeToTone');
    if (step.t === 'tone') this.recorder.action('tone', this.sim.now, `key ${step.key}`);
    if (step.t === 'keepalive') this.recorder.action('keepalive', this.sim.now, 'keepAlive');
    perform(ivr, this.sim, step, (deliveries) => {
      this.recorder.observe(this.sim.snapshot());
      for (const delivery of deliveries) this.recorder.delivery(delivery, ivr.validateNotifications(delivery.body));
      this.recorder.observe(this.sim.snapshot());
    }, this.scenario.version);
  }

  /** A caller action on the live call; refusals (a key after hang-up) are shown, not thrown. */
  step(step) {
    if (!this.sim) return;
    try {
      this.run(step);
      this.status.textContent = '';
    } catch (err) {
      this.status.textContent = `${err.code ?? 'error'}: ${err.message}`;
    }
    this.draw();
  }

  draw() {
    drawTimeline(this.svg, this.recorder, {
      now: this.sim.now,
      classify: ivr.classifyResult,
      onSelect: (index) => {
        const note = this.recorder.notifications[index];
        this.status.textContent = `Notification ${index + 1} at ${(note.at / 1000).toFixed(3)} s (${note.report.valid ? 'valid' : 'invalid'}): ${note.body}`;
      },
    });
    const snap = this.sim.snapshot();
    this.status.dataset.now = String(snap.now);
  }
}

if (!customElements.get('graph-ivr-call')) customElements.define('graph-ivr-call', GraphIvrCall);
