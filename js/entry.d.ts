import type { CallResource, CommsNotification, CommsOperation, Delivery, JournalEntry, Scenario, ToneInfo } from './graph_ivr.js';


/** What every graph-ivr function throws for bad arguments or a bad state. */
export declare class GraphIvrError extends Error {
  constructor(code: GraphIvrErrorCode, message: string, path?: string, hint?: string);
  name: 'GraphIvrError';
  /** Stable: branch on it, not on the message. */
  code: GraphIvrErrorCode;
  /** JSON Pointer to the refused option (for 'invalidArgument'). */
  path?: string;
  /** A likely fix for the refusal (`did you mean "audience"?`), also said in the message. */
  hint?: string;
}
export type GraphIvrErrorCode = 'invalidArgument' | 'invalidState' | 'deliveryFailed' | 'expectationFailed';

// The generated classes have `[Symbol.dispose]()` (`using sim = new CallSimulator()`); this
// declares the symbol for projects whose `lib` predates esnext.disposable, as @types/node does.
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

/** A notification about a media operation. */
export type OperationNotification = CommsNotification & { resourceData: CommsOperation };
/** A notification about the call itself: its state, a hang-up, a tone. */
export type CallNotification = CommsNotification & { resourceData: CallResource };
/** A DTMF tone the caller pressed (after subscribeToTone). */
export type ToneNotification = CommsNotification & { resourceData: CallResource & { toneInfo: ToneInfo } };
/** Whether `x` is a commsOperation (any of the four subtypes, or the base type). Meant for a
 *  validated `value`, where `@odata.type` is always written. */
export declare function isOperation(x: unknown): x is CommsOperation;
export declare function isOperationNotification(n: CommsNotification): n is OperationNotification;
export declare function isCallNotification(n: CommsNotification): n is CallNotification;
/** `n.resourceData.toneInfo` is there. */
export declare function isToneNotification(n: CommsNotification): n is ToneNotification;

/** What a run of the explorer did: its scenario, every request of the bot with what Graph
 *  answered, every callback with whether the bot took it, the calls at the end, and the run as
 *  a scenario (`recorded`: the calls and what their callers did; the bot's requests are in
 *  `requests`). */
export interface RunTrace {
  scenario: Scenario;
  /** `callId`: the call a request is about (null for a download); `told`: what the bot had
   *  been told of that call when it sent the request. */
  requests: { at: number; method: string; path: string; callId: string | null; body: string; status?: number; answeredAt?: number; told: { established?: boolean; ended?: boolean } | null }[];
  /** `rings`: the POST says a call is ringing (an incoming call's `created`). */
  deliveries: { at: number; callId: string; body: string; rings: boolean; acknowledged?: boolean }[];
  refused: { at: number; callId: string; message: string }[];
  calls: { callId: string; state: string; snapshot: unknown }[];
  recorded: Scenario | null;
}
/** An invariant a run broke, shrunk to the smallest scenario that still breaks it. */
export interface ExploreFailure {
  invariant: string;
  message: string;
  seed: number;
  run: number;
  /** Replays the failure against the bot (a scenario file: graph-ivr/schema/scenario.schema.json). */
  scenario: Scenario;
  /** The run, one line an event, virtual time first. */
  timeline: string;
  /** The demo page at the run (relative to the page: `index.html#…`). */
  link: string;
}
export interface ExploreResult {
  /** The runs made (fewer than asked when maxFailures stopped it). */
  runs: number;
  failures: ExploreFailure[];
}
export interface BotExplorerOptions {
  /** The bot's callback: each run's callbacks are POSTed there (deliverOverHttp). */
  callbackUri?: string;
  /** Or another way to give the bot each callback. */
  deliver?: (delivery: Delivery) => unknown;
  /** How many runs (default 100), from which seed (default 0). */
  runs?: number;
  seed?: number;
  /** The generated caller's bounds. */
  caller?: { keys?: string; maxSteps?: number; horizonMs?: number; hangUp?: number; speech?: number; calls?: number };
  /** Which of Graph's faults may be drawn: true for all, or each with the share of runs. */
  faults?: boolean | Partial<Record<'throttle' | 'serverErrors' | 'latencyMs' | 'deliveryDelayMs' | 'dropNotifications' | 'dropTerminated' | 'duplicate' | 'batch' | 'outOfOrder', boolean | number>>;
  /** The simulator every run shares: profile, version, prompt play times. */
  simulator?: { profile?: 'docs' | 'observed'; version?: 'v1.0' | 'beta'; promptDurationsMs?: Record<string, number>; defaultPromptMs?: number; failingPrompts?: string[]; baseUrl?: string; recordingsUrl?: string };
  /** The user's own invariants, or a built-in one turned off with false. */
  invariants?: Record<string, ((trace: RunTrace) => true | string | Promise<true | string>) | false>;
  onProgress?: (progress: { run: number; runs: number; failures: number }) => void;
  /** How long the bot has to acknowledge a callback (default 10,000 ms). */
  callbackTimeoutMs?: number;
  /** The runs a failure's shrinking may take (default 200). */
  shrinkRuns?: number;
  /** Stop once this many invariants have failed (default: every run is made). */
  maxFailures?: number;
  /** Graph answers a request without `Authorization: Bearer <token>` 401
   *  `InvalidAuthenticationToken` (each run's scenario says `requireBearer`); default true. */
  requireBearer?: boolean;
}
/** Finds a calling bot's bugs by itself: runs it against generated callers and Graph's faults,
 *  checks the invariants, and shrinks each failure to a replayable scenario. */
export declare class BotExplorer {
  constructor(options: BotExplorerOptions);
  /** Set once as the bot's fetch: it answers from the current run's simulated Graph. */
  readonly fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  /** A wait in the current run's virtual time (`graph.sleep`): the bot's timer in exploration. */
  sleep(ms: number): Promise<void>;
  run(): Promise<ExploreResult>;
}
/** What `expectRequest` looks for: the method, the URL path (its `/v1.0` or `/beta` may be left
 *  out; a `{name}` segment stands for any), and members the JSON body must hold (deeply; arrays and values equal). */
export interface RequestMatch {
  method: string;
  path: string;
  body?: unknown;
}
/** WireMock's `verify` for a request journal (`graph.journal()`, `GET /_graph-ivr/journal`):
 *  the first request that matches, or a `GraphIvrError` of code `expectationFailed` whose
 *  message lists the nearest requests the bot did send (also on its `nearest`). */
export declare function expectRequest(journal: JournalEntry[], match: RequestMatch): JournalEntry;
