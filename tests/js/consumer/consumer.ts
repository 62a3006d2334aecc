// Type-checked with `tsc --noEmit --strict` against the installed package: the public types are
// precise (a wrong option is an error, results are typed, nothing is `any`).
import {
  CallSimulator,
  buildCancelMediaProcessing,
  buildPlayPrompt,
  buildRecordResponse,
  buildSubscribeToTone,
  validateNotifications,
  validateOperationResponse,
  validateRequest,
  type GraphRequest,
  type Report,
  type CommsNotifications,
  type Delivery,
  GraphIvrError,
  GraphSimulator,
  SimulatedCall,
  deliverOverHttp,
  type SimSnapshot,
} from 'graph-ivr';

const callId = 'c';
const requests: GraphRequest[] = [
  buildCancelMediaProcessing({ callId, clientContext: 'x' }),
  buildPlayPrompt({ callId, prompts: ['https://a/b.wav', { uri: 'https://a/c.wav', resourceId: 'r' }] }),
  buildRecordResponse({ callId, maxRecordDurationInSeconds: 10, stopTones: ['#'] }),
  buildSubscribeToTone({ callId, version: 'beta', baseUrl: 'http://127.0.0.1:1' }),
];
const method: 'POST' = requests[0].method;
const idempotent: false = requests[0].idempotent;

// @ts-expect-error callId is required
buildCancelMediaProcessing({});
// @ts-expect-error version is 'v1.0' | 'beta'
buildSubscribeToTone({ callId, version: 'v2' });
// @ts-expect-error timers are numbers
buildRecordResponse({ callId, maxSilenceTimeoutInSeconds: '5' });

const report: Report<CommsNotifications> = validateNotifications('{}', { mode: 'tolerant' });
const codes: string[] = report.issues.map((i) => `${i.code}@${i.path}:${i.severity}`);
const status: string | undefined = validateOperationResponse({ status: 200, body: null }).value?.status;
const operation: 'cancelMediaProcessing' | 'playPrompt' | 'recordResponse' | 'subscribeToTone' | undefined =
  validateRequest({ method: 'POST', url: '' }).value?.operation;
// @ts-expect-error mode is 'strict' | 'tolerant'
validateNotifications('{}', { mode: 'lenient' });

const sim = new CallSimulator({ seed: 1, profile: 'observed' });
const now: number = sim.now;
const response = sim.handle(requests[1]);
const code: number = response.status;
const deliveries: Delivery[] = sim.advance(1000);
const first: string | undefined = deliveries[0]?.value.value[0]?.resourceUrl;
const snapshot: SimSnapshot = sim.snapshot();
const phase: string | undefined = snapshot.running?.phase;
function describe(err: unknown): string {
  // The exported class narrows without a cast.
  if (err instanceof GraphIvrError) return `${err.code} ${err.path ?? ''} ${err.message}`;
  return String(err);
}
const bytes: boolean = validateNotifications(new TextEncoder().encode('{}')).valid;
const waiting: Delivery[] = sim.takeDeliveries();
// @ts-expect-error version is 'v1.0' | 'beta'
validateNotifications('{}', { version: 'v2' });

sim.free();

async function botTest(): Promise<string> {
  const graph = new GraphSimulator({ seed: 1, profile: 'observed', faults: { batch: true, duplicate: 5 } });
  const fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response> = graph.fetch;
  const call: SimulatedCall = graph.incomingCall({ callbackUri: 'http://127.0.0.1:1/cb' });
  call.pressTone('#');
  const deliver: (d: Delivery) => Promise<void> = deliverOverHttp({ timeoutMs: 500 });
  await graph.run(1000, deliver);
  const first: Delivery | undefined = graph.takeDeliveries()[0];
  const where: string | undefined = first?.url;
  const next: number | undefined = graph.nextTimeout;
  const state: string = graph.calls[0]?.state ?? call.state;
  const found: SimulatedCall | undefined = graph.call(call.callId);
  // @ts-expect-error faults.batch is a boolean
  new GraphSimulator({ faults: { batch: 'yes' } });
  await fetch('https://graph.microsoft.com/v1.0/communications/calls');
  return `${where} ${next} ${state} ${found?.callId}`;
}

export { botTest, method, idempotent, codes, status, operation, now, code, first, phase, describe, bytes, waiting };

// Narrowing what arrives (issue #13): Report<T> with `valid: true` has `value`; operations are
// a union on `@odata.type`; guards narrow notifications; stop tones are the 16 DTMF keys.
import {
  OperationTracker,
  parseResourceUrl,
  sameId,
  isOperation,
  isToneNotification,
  type CommsOperation,
  type DtmfKey,
  type TrackerEvent,
  type TrackerState,
  type RecordOperation,
} from 'graph-ivr';

const checked = validateNotifications('{}');
if (checked.valid) {
  const items: CommsNotifications['value'] = checked.value.value;
  for (const n of items) {
    if (isToneNotification(n)) {
      const sequenceId: number = n.resourceData.toneInfo.sequenceId;
    }
    const data = n.resourceData;
    if (isOperation(data)) {
      const st: 'notStarted' | 'running' | 'completed' | 'failed' = data.status;
      if (data['@odata.type'] === '#microsoft.graph.recordOperation') {
        const where: string | null | undefined = data.recordingLocation;
      }
    }
  }
}
// @ts-expect-error value may be absent when the report is not valid
const notNarrowed: CommsNotifications = checked.value;
const keys: DtmfKey[] = ['#', '0', 'D'];
buildRecordResponse({ callId, stopTones: keys });
// @ts-expect-error a stop tone is one of the 16 DTMF keys
buildRecordResponse({ callId, stopTones: ['#', 'x'] });
function recordOnly(op: CommsOperation): RecordOperation | undefined {
  return op['@odata.type'] === '#microsoft.graph.recordOperation' ? op : undefined;
}

const tracker = new OperationTracker();
const events: TrackerEvent[] = tracker.sent(requests[1], { status: 200, headers: {}, body: '' });
for (const e of tracker.received('{}')) {
  switch (e.type) {
    case 'tone': {
      const k: DtmfKey | undefined = e.key;
      break;
    }
    case 'unmatched': {
      const why: 'unknownOperation' | 'otherCall' | 'malformed' = e.reason;
      break;
    }
    case 'duplicate':
      break;
    case 'callState': {
      const state: string = e.state;
      const where: number | undefined = e.index;
      break;
    }
    default: {
      const status: string = e.status;
      const opId: string | undefined = e.operationId;
    }
  }
}
const state: TrackerState = tracker.toJSON();
const again = new OperationTracker(JSON.stringify(state));
const ids = parseResourceUrl('/communications/calls/a/operations/b');
const same: boolean = sameId(ids?.callId ?? '', 'a');
