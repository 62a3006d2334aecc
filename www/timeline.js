// The timeline of a simulated call: a recorder that turns the simulator's snapshots and
// deliveries into lanes (one per media operation: queued, its phases, its end) and markers
// (tones, speech, hang-up, the bot's cancel, every notification), and an SVG drawing of it.
// No chart library: a few rects, lines and texts.

const SVG = 'http://www.w3.org/2000/svg';
const CALL = '#microsoft.graph.call';

export class CallRecorder {
  /** `sameId`: the package's (operation ids come back in another GUID spelling). */
  constructor(sameId) {
    this.sameId = sameId;
    /** @type {Map<string, Lane>} op id → lane, in the order operations were first seen */
    this.lanes = new Map();
    this.markers = [];
    this.notifications = [];
    this.last = null;
    /** When Graph ends the call without a keepAlive (a GraphSimulator's call), if it will. */
    this.keepAliveDeadline = null;
    this.faultsSeen = 0;
  }

  /** What a snapshot says: operations queued or running, the running one's phase, speech. */
  observe(snap) {
    for (const op of snap.queue) this.lane(op, snap.now);
    const running = snap.running;
    if (running) {
      const lane = this.lane(running, running.startedAt);
      lane.startedAt ??= running.startedAt;
      const open = lane.segments.at(-1);
      if (!open || open.phase !== running.phase || open.from !== running.phaseStartedAt) {
        if (open && open.to === null) open.to = running.phaseStartedAt;
        lane.segments.push({ phase: running.phase, from: running.phaseStartedAt, to: null });
      }
    }
    const present = new Set([...snap.queue.map((op) => op.id), running?.id].filter(Boolean));
    for (const lane of this.lanes.values()) {
      if (lane.endedAt === null && !present.has(lane.id)) this.end(lane, snap.now);
    }
    if (this.last && this.last.speaking !== snap.speaking) this.markers.push({ kind: snap.speaking ? 'speak' : 'quiet', at: snap.now, label: snap.speaking ? 'speaks' : 'silent' });
    if (this.last && this.last.callState !== 'terminated' && snap.callState === 'terminated') this.markers.push({ kind: 'hangup', at: snap.now, label: 'call ended' });
    // What Graph's faults did: a request refused, a notification lost or late.
    const faults = snap.faults ?? [];
    for (const fault of faults.slice(this.faultsSeen)) this.markers.push({ kind: 'fault', at: fault.at, label: `${fault.kind}: ${fault.detail}`, fault: fault.kind });
    this.faultsSeen = faults.length;
    this.keepAliveDeadline = snap.keepAliveDeadline ?? null;
    this.last = snap;
  }

  /** What happened outside the queue: the caller's key (`tone`), the bot's cancel or
   *  subscription. */
  action(kind, at, label) {
    this.markers.push({ kind, at, label });
  }

  /** A notification (with its validation report): a marker, and an operation's outcome. */
  delivery(delivery, report) {
    const index = this.notifications.length;
    this.notifications.push({ at: delivery.at, body: delivery.body, report });
    this.markers.push({ kind: 'notification', at: delivery.at, index, label: `notification ${index + 1}` });
    for (const item of delivery.value.value) {
      const data = item.resourceData;
      if (!data || Array.isArray(data)) continue;
      if (data['@odata.type'] === CALL) continue;
      const lane = typeof data.id === 'string' ? [...this.lanes.values()].find((l) => this.sameId(l.id, data.id)) : undefined;
      if (lane && (data.status === 'completed' || data.status === 'failed')) {
        lane.outcome = { status: data.status, resultInfo: data.resultInfo ?? null, completionReason: data.completionReason ?? null, at: delivery.at };
        this.end(lane, delivery.at);
      }
    }
  }

  lane(op, at) {
    let lane = this.lanes.get(op.id);
    if (!lane) {
      lane = { id: op.id, operation: op.operation, clientContext: op.clientContext, queuedAt: at, startedAt: null, segments: [], endedAt: null, outcome: null };
      this.lanes.set(op.id, lane);
    }
    return lane;
  }

  end(lane, at) {
    lane.endedAt ??= at;
    const open = lane.segments.at(-1);
    if (open && open.to === null) open.to = lane.endedAt;
  }
}

const el = (tag, attrs = {}, text) => {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
};

/** What an ended operation's outcome reads as: `canceled 400/8508`. */
function outcomeText(outcome, classify) {
  if (!outcome) return 'ended';
  const r = outcome.resultInfo;
  const kind = r ? classify(r) : outcome.status;
  return r ? `${kind} ${r.code}/${r.subcode}` : kind;
}

const WIDTH = 1000;
const LEFT = 8;
const LANE = 34;
const TOP = 56;

/**
 * Draws `recorder` into `svg` up to `now`. `cursor` (a time, or null for live) dims what comes
 * after it; `onSelect(index)` is called when a notification marker is chosen.
 */
export function drawTimeline(svg, recorder, { now, cursor = null, onSelect = () => {}, classify = (r) => `${r.code}` }) {
  const lanes = [...recorder.lanes.values()];
  const end = Math.max(now, 4000);
  const x = (t) => LEFT + (t / end) * (WIDTH - 2 * LEFT);
  const height = TOP + lanes.length * LANE + 28;
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${height}`);
  svg.replaceChildren();
  const later = (t) => cursor !== null && t > cursor;

  // The time axis: a tick per second (per 5 s on long calls).
  const axis = el('g', { class: 'axis' });
  const step = end > 30000 ? 5000 : 1000;
  for (let t = 0; t <= end; t += step) {
    axis.append(el('line', { x1: x(t), x2: x(t), y1: 14, y2: height - 20, class: 'tick' }));
    axis.append(el('text', { x: x(t) + 2, y: height - 6, class: 'tick-label' }, `${t / 1000}s`));
  }
  svg.append(axis);

  // One lane per media operation.
  lanes.forEach((lane, i) => {
    const y = TOP + i * LANE;
    const g = el('g', { class: `lane ${lane.operation}`, 'data-testid': 'lane', 'data-operation': lane.operation, 'data-outcome': lane.outcome ? outcomeText(lane.outcome, classify).split(' ')[0] : 'open' });
    const stop = lane.endedAt ?? now;
    const queuedUntil = lane.startedAt ?? stop;
    if (queuedUntil > lane.queuedAt) g.append(el('rect', { x: x(lane.queuedAt), y: y + 14, width: Math.max(1, x(queuedUntil) - x(lane.queuedAt)), height: 12, class: 'queued' }));
    for (const seg of lane.segments) {
      const to = seg.to ?? stop;
      const rect = el('rect', { x: x(seg.from), y: y + 12, width: Math.max(2, x(to) - x(seg.from)), height: 16, class: `phase phase-${seg.phase}${later(seg.from) ? ' future' : ''}` });
      rect.append(el('title', {}, `${seg.phase} ${(seg.from / 1000).toFixed(3)}–${(to / 1000).toFixed(3)} s`));
      g.append(rect);
    }
    const label = `${lane.operation} "${lane.clientContext ?? ''}"`;
    g.append(el('text', { x: x(lane.queuedAt) + 2, y: y + 9, class: 'lane-label' }, label));
    if (lane.endedAt !== null) {
      const kind = lane.outcome ? outcomeText(lane.outcome, classify) : 'ended';
      g.append(el('line', { x1: x(lane.endedAt), x2: x(lane.endedAt), y1: y + 8, y2: y + 32, class: `end end-${kind.split(' ')[0]}${later(lane.endedAt) ? ' future' : ''}` }));
      g.append(el('text', { x: Math.min(x(lane.endedAt) + 4, WIDTH - 150), y: y + 25, class: `end-label end-${kind.split(' ')[0]}` }, kind));
    }
    svg.append(g);
  });

  // Markers: what happened to the call, and every notification (focusable, selectable).
  const rows = { notification: 44, tone: 30, speak: 30, quiet: 30, hangup: 30, cancel: 16, subscribe: 16, keepalive: 16, fault: 16 };
  const taken = new Map(); // markers of one row at one instant sit side by side
  for (const marker of recorder.markers) {
    const slot = `${rows[marker.kind] ?? 30}:${Math.round(x(marker.at))}`;
    const shift = taken.get(slot) ?? 0;
    taken.set(slot, shift + 1);
    const mx = x(marker.at) + (marker.kind === 'notification' ? shift * 12 : 0);
    const y = rows[marker.kind] ?? 30;
    const g = el('g', { class: `marker marker-${marker.kind}${later(marker.at) ? ' future' : ''}`, 'data-testid': 'marker', 'data-kind': marker.kind });
    g.append(el('title', {}, `${marker.label} at ${(marker.at / 1000).toFixed(3)} s`));
    if (marker.kind === 'notification') {
      g.append(el('circle', { cx: mx, cy: y, r: 5 }));
      g.setAttribute('tabindex', '0');
      g.setAttribute('role', 'button');
      g.setAttribute('aria-label', `${marker.label} at ${(marker.at / 1000).toFixed(3)} s`);
      const choose = () => onSelect(marker.index);
      g.addEventListener('click', choose);
      g.addEventListener('keydown', (e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), choose()));
    } else if (marker.kind === 'fault') {
      g.setAttribute('data-fault', marker.fault);
      g.append(el('path', { d: `M${mx - 4} ${y - 4}L${mx + 4} ${y + 4}M${mx + 4} ${y - 4}L${mx - 4} ${y + 4}` }));
      g.append(el('text', { x: mx + 6, y: y + 4 }, marker.label));
    } else if (marker.kind === 'hangup' || marker.kind === 'cancel') {
      g.append(el('line', { x1: mx, x2: mx, y1: y - 6, y2: height - 20 }));
      g.append(el('text', { x: mx + 3, y: y + 3 }, marker.label));
    } else {
      g.append(el('rect', { x: mx - 4, y: y - 4, width: 8, height: 8, transform: `rotate(45 ${mx} ${y})` }));
      g.append(el('text', { x: mx + 6, y: y + 4 }, marker.label));
    }
    svg.append(g);
  }
  // Graph ends the call at its keepAlive deadline: a line when it is in view, else a note.
  const deadline = recorder.keepAliveDeadline;
  if (deadline !== null && recorder.last?.callState !== 'terminated') {
    const g = el('g', { class: 'deadline', 'data-testid': 'keepalive-deadline' });
    const text = `keepAlive deadline at ${clock(deadline)}`;
    if (deadline <= end) {
      g.append(el('line', { x1: x(deadline), x2: x(deadline), y1: 4, y2: height - 20 }));
      g.append(el('text', { x: x(deadline) - 4, y: 10, 'text-anchor': 'end' }, text));
    } else {
      g.append(el('text', { x: WIDTH - LEFT, y: 10, 'text-anchor': 'end' }, `${text} →`));
    }
    svg.append(g);
  }
  if (cursor !== null) svg.append(el('line', { x1: x(cursor), x2: x(cursor), y1: 4, y2: height - 16, class: 'cursor', 'data-testid': 'cursor' }));
}

/** `45:00.5` for 2,700,500 ms. */
function clock(ms) {
  const minutes = Math.floor(ms / 60000);
  const seconds = ((ms % 60000) / 1000).toFixed(1).replace(/\.0$/, '');
  return `${minutes}:${seconds.padStart(seconds.includes('.') ? 4 : 2, '0')}`;
}
