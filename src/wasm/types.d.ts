/** The version of the Graph API a request targets or a payload follows. */
export type ApiVersion = 'v1.0' | 'beta';
export type Operation = 'cancelMediaProcessing' | 'playPrompt' | 'recordResponse' | 'subscribeToTone';

/** Options every builder takes. */
export interface CommonOptions {
  /** The call id; percent-encoded as one path segment. */
  callId: string;
  /** Default 'v1.0'. */
  version?: ApiVersion;
  /** An http(s) origin; default https://graph.microsoft.com (national clouds and local emulators work). */
  baseUrl?: string;
  /** The bare token; sent as `Authorization: Bearer <token>`. */
  accessToken?: string;
}

/** A prompt: a .wav uri, `{uri, resourceId}`, or the wire shape. */
export type PromptInput =
  | string
  | { uri: string; resourceId?: string | null }
  | (Omit<MediaPrompt, '@odata.type'> & { '@odata.type'?: '#microsoft.graph.mediaPrompt' });

// A builder's options: where the request goes (CommonOptions) and the action's parameters, whose
// types are the wire bodies' (generated from the Rust model: payloads.d.ts), prompts in every form.
export interface CancelMediaProcessingOptions extends CommonOptions, CancelMediaProcessingBody {}
export interface SubscribeToToneOptions extends CommonOptions, SubscribeToToneBody {}
export interface PlayPromptOptions extends CommonOptions, Omit<PlayPromptBody, 'prompts'> {
  /** 1 to 20 prompts, played in order. */
  prompts: PromptInput[];
}
export interface RecordResponseOptions extends CommonOptions, Omit<RecordResponseBody, 'prompts'> {
  /** At most one prompt, played before the beep. */
  prompts?: PromptInput[];
}

/** An HTTP request: `fetch(req.url, req)` sends it. */
export interface GraphRequest {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  body: string;
  operation: Operation;
  idempotent: false;
}

export type IssueCode =
  | 'invalidJson' | 'payloadTooLarge' | 'nestingTooDeep' | 'duplicateKey' | 'wrongType' | 'missingProperty'
  | 'missingODataType' | 'unexpectedODataType' | 'unknownEnumValue' | 'enumCasing' | 'outOfRange'
  | 'legacyProperty' | 'legacyPath' | 'legacyFormat' | 'invalidResourceUrl' | 'resourceMismatch' | 'httpStatus'
  | 'operationFailed' | 'unexpectedStatus' | 'missingLocation' | 'invalidLocation' | 'callIdMismatch'
  | 'idMismatch' | 'contentType' | 'invalidMethod' | 'invalidUrl' | 'unknownAction' | 'unknownParameter'
  | 'unsupportedInput' | 'internal';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface Issue {
  /** JSON Pointer into the payload; '' is the root. */
  path: string;
  code: IssueCode;
  severity: 'error' | 'warning';
  message: string;
  expected?: JsonValue;
  actual?: JsonValue;
  hint?: string;
}
/** The outcome of a validation: `valid` (no issue of severity 'error') implies `value`. */
export type Report<T> = ValidReport<T> | InvalidReport<T>;
export interface ValidReport<T> {
  valid: true;
  /** Warnings only. */
  issues: Issue[];
  /** The typed, normalized payload. */
  value: T;
}
export interface InvalidReport<T> {
  valid: false;
  issues: Issue[];
  /** As far as it could be read. */
  value?: T;
}
export interface ValidateOptions {
  /** 'strict' (default): every deviation is an error; 'tolerant': known real-world variants are warnings. */
  mode?: 'strict' | 'tolerant';
  /** The contract to check against; by default what either version declares is accepted.
   *  'v1.0' reads beta-only properties (completionReason) as undeclared dynamic ones;
   *  'beta' checks them against beta's enums. Any other value is reported at /options/version. */
  version?: ApiVersion;
}
export interface RequestValidateOptions {
  mode?: 'strict' | 'tolerant';
}

/** What a resultInfo means: 200/8515 is a record that hit its maximum; 400/8508 a cancel. */
export type ResultOutcome = 'completed' | 'maxRecordDurationReached' | 'canceled' | 'callEnded' | 'failed';

/** An HTTP response as a validator reads it; `body` is JSON text, a parsed object, or null. */
export interface OperationResponseInput {
  status: number;
  headers?: Record<string, string>;
  body?: string | object | null;
}
export interface OperationResponseOptions {
  /** The action the request was; read from the body's @odata.type when absent. */
  operation?: Operation;
  /** The call the request was sent to; Location must name it. */
  callId?: string;
  mode?: 'strict' | 'tolerant';
}
export interface RequestInput {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | null;
}
export interface ParsedRequest {
  version: ApiVersion;
  callId: string;
  operation: Operation;
  body: { [key: string]: JsonValue };
}

export interface CallSimulatorOptions {
  /** Same seed + same inputs = byte-identical outputs. Default 0. */
  seed?: number;
  /** The bot's application id and tenant, as `GraphSimulatorOptions` says. */
  appId?: string;
  tenantId?: string;
  /** Default: a GUID drawn from the seed. */
  callId?: string;
  version?: ApiVersion;
  /** Play time per prompt uri, in ms. */
  promptDurationsMs?: Record<string, number>;
  /** Play time of any other prompt; default 3000 ms. */
  defaultPromptMs?: number;
  /** 'docs' (default) follows the docs' examples; 'observed' follows live traffic. */
  profile?: 'docs' | 'observed';
  /** Reproduce the live-traffic loss of a running record's last notification on hang-up. */
  dropFinalRecordNotification?: boolean;
  /** Prompt uris the media service cannot fetch: operations playing them fail when they start. */
  failingPrompts?: string[];
  /** Where deliveries say they go; default the docs' https://bot.contoso.com/api/calls. */
  callbackUri?: string;
  /** The Graph origin `fetch` answers for; default https://graph.microsoft.com. */
  baseUrl?: string;
  /** Where recordings are downloaded from (`{recordingsUrl}/{id}`); default the docs'
   *  https://file.location. On the `baseUrl` origin, `fetch` serves them there too. */
  recordingsUrl?: string;
}
export interface GraphSimulatorOptions {
  /** Same seed + same inputs = byte-identical outputs. Default 0. */
  seed?: number;
  /** The bot's application id: an incoming call's `targets[0].identity.application.id` (the
   *  docs' placeholder by default). */
  appId?: string;
  /** The bot's tenant: an incoming call's `tenantId` and its caller's. */
  tenantId?: string;
  /** 'docs' (default) follows the docs' examples; 'observed' follows live traffic (and drops a
   *  hung-up record's final notification, as live Graph does). */
  profile?: 'docs' | 'observed';
  version?: ApiVersion;
  /** The Graph origin `fetch` answers for; default https://graph.microsoft.com. */
  baseUrl?: string;
  /** Where recordings are downloaded from (`{recordingsUrl}/{id}`); default the docs'
   *  https://file.location. On the `baseUrl` origin, `fetch` serves them there too. */
  recordingsUrl?: string;
  promptDurationsMs?: Record<string, number>;
  defaultPromptMs?: number;
  failingPrompts?: string[];
  /** Faults a bot must survive; all off by default, seeded. */
  faults?: {
    /** Notifications of one call due at the same instant share one POST. */
    batch?: boolean;
    /** Every Nth POST is delivered twice. */
    duplicate?: number;
    /** A record still running at hang-up never reports (on by default in 'observed'). */
    dropFinalRecordNotification?: boolean;
    /** `established` arrives before `establishing`. */
    outOfOrder?: boolean;
    /** A share (0–1) of the requests that change something (POST, DELETE) is answered
     *  `429` with `Retry-After` (default 5 s), and so is every retry before it has passed. */
    throttle?: { rate: number; retryAfterSeconds?: number };
    /** A share (0–1) of the requests that change something fails, without effect, with one of
     *  `statuses` (default 500, 502, 503, 504; a 503 carries `Retry-After`). */
    serverErrors?: { rate: number; statuses?: Array<500 | 502 | 503 | 504> };
    /** A share (0–1) of notifications never delivered; the calls' state moves on anyway. */
    dropNotifications?: number;
    /** The notification that says a call ended is never delivered (GET and keepAlive tell). */
    dropTerminated?: boolean;
    /** Each callback POST comes this many virtual ms after its cause (drawn per notification);
     *  a call's notifications keep their order unless `outOfOrder`, calls interleave. */
    deliveryDelayMs?: { min: number; max: number };
    /** Graph answers each request this many virtual ms later (drawn per request): `fetch`
     *  resolves when the clock (`run`, `advance`) gets there, and what it causes starts then. */
    latencyMs?: { min: number; max: number };
    /** Graph ends a call that had no `keepAlive` for 45 minutes (documented; on by default):
     *  `false` turns it off. */
    keepAlive?: boolean;
  };
  /** Graph answers a request without `Authorization: Bearer <token>` 401
   *  `InvalidAuthenticationToken`, so a bot whose token handling broke fails its tests.
   *  Default false (the explorer turns it on). */
  requireBearer?: boolean;
  /** A callback signer whose OpenID configuration and key set `fetch` serves, at the URLs the
   *  configuration names (`…/v1/.well-known/OpenIdConfiguration` and its `jwks_uri` on that
   *  host): the bot's production verification finds them. `run` with a
   *  `deliverOverHttp({signWith})` registers its signer too. Not part of a scenario. */
  signer?: CallbackSigner;
  /** Set up and script the simulator with a scenario (then the only option given). */
  scenario?: Scenario;
  /** A scenario's calls and steps may be given here too (see `Scenario`). */
  calls?: Scenario['calls'];
  steps?: Scenario['steps'];
}
/** One entry of a `GraphSimulator`'s request journal (`graph.journal()`, the emulator's
 *  `GET /_graph-ivr/journal`). */
export interface JournalEntry {
  /** Its place in the journal, from 1 (it goes on across `reset`). */
  seq: number;
  /** A Graph request the bot sent, or a callback Graph POSTed to the bot. */
  kind: 'request' | 'callback';
  /** Virtual ms when it was sent, and when it was answered. */
  at: number;
  answeredAt?: number;
  /** Wall-clock ms (`Date.now()`) when it was sent, and how long its answer took. */
  wallTime: number;
  latencyMs?: number;
  /** The call it is about, as its URL or the callback names it. */
  callId?: string;
  method: string;
  url: string;
  /** Its headers; a credential is written `Bearer redacted`. */
  headers: Record<string, string>;
  body: string;
  /** Graph's status for a request; the bot's for a callback it took. */
  status?: number;
  /** Graph's answer to a request. */
  response?: string;
  /** Why a callback was not taken (the bot's status, a timeout, no connection). */
  error?: string;
}
export interface IncomingCallOptions {
  /** Where the bot receives this call's notifications. */
  callbackUri: string;
  /** Default: a GUID drawn from the seed. */
  callId?: string;
  /** The caller's display name. */
  from?: string;
}
export interface DeliverOverHttpOptions {
  /** How long the bot has to answer each POST; default 10,000 ms. */
  timeoutMs?: number;
  /** Signs every POST (`Authorization: Bearer <jwt>`): a `createCallbackSigner()` signer, or any
   *  object whose `sign()` resolves a token. */
  signWith?: { sign(): Promise<string> };
  /** How many calls' callbacks of one virtual instant `graph.run` POSTs at once (each call's
   *  still in order); default 16, 1 for one at a time. */
  concurrency?: number;
  /** POSTs with this fetch (a proxy's, a mock agent's) instead of the platform's transport:
   *  `node:http` in Node, the platform's `fetch` as graph-ivr loaded elsewhere. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
}
export interface GraphResponse {
  status: number;
  headers: Record<string, string>;
  /** '' when there is no body. */
  body: string;
}
export interface Delivery {
  /** Virtual ms when Graph would POST it. */
  at: number;
  /** The call it is about. */
  callId: string;
  /** The call's callbackUri: where Graph POSTs it. */
  url: string;
  /** The headers of a live callback POST (Content-Type, User-Agent). */
  headers: Record<string, string>;
  /** The exact JSON text of the POST. */
  body: string;
  value: CommsNotifications;
}
export interface SimOperationView {
  id: string;
  operation: Operation;
  clientContext: string | null;
}
export interface SimSnapshot {
  now: number;
  callId: string;
  callState: 'incoming' | 'establishing' | 'established' | 'terminated';
  speaking: boolean;
  running: (SimOperationView & {
    startedAt: number;
    phase: 'playing' | 'prompt' | 'beep' | 'recording' | 'recordingSpeech';
    phaseStartedAt: number;
    phaseEndsAt: number | null;
    remainingMs: number | null;
  }) | null;
  queue: SimOperationView[];
  timers: { name: string; at: number }[];
  toneSubscription: { subscribed: boolean; operationId: string | null; lastSequenceId: number };
  /** When Graph ends the call for want of a keepAlive (a GraphSimulator's calls). */
  keepAliveDeadline?: number;
  /** What the faults did to the call so far (a GraphSimulator's calls, when any did). */
  faults?: { at: number; kind: 'throttled' | 'serverError' | 'dropped' | 'delayed'; detail: string }[];
}

/**
 * Validates a commsNotifications payload: JSON text, the bytes a webhook received
 * (`Uint8Array`/`Buffer`/`ArrayBuffer`, UTF-8), or a parsed object. Never throws for a bad
 * payload or bad options: it reports. `value` is computed when first read.
 */
export function validateNotifications(payload: string | Uint8Array | ArrayBuffer | object, options?: ValidateOptions): Report<CommsNotifications>;
/**
 * Validates an action's HTTP response `{status, headers, body}`. Never throws for a bad
 * response or bad options: it reports. `value` is computed when first read.
 */
export function validateOperationResponse(response: OperationResponseInput, options?: OperationResponseOptions | null): Report<CommsOperation>;
/**
 * Validates a media-action request made by any client. Never throws for a bad request or bad
 * options: it reports. `value` is computed when first read.
 */
export function validateRequest(request: RequestInput, options?: RequestValidateOptions | null): Report<ParsedRequest>;

/** What `parseResourceUrl` reads from a Graph URL or a notification's `resourceUrl`. */
export interface ResourceIds {
  /** `v1.0` or `beta`, when the URL was absolute. */
  version?: string;
  callId: string;
  operationId?: string;
  participantId?: string;
}

/** One media operation the bot sent, and what is known of it. */
export interface TrackedOperation {
  /** As the bot's request wrote it. */
  callId: string;
  /** From the action's response, or the first notification that named it. */
  operationId?: string;
  clientContext?: string;
  operation: Operation;
  /** `orphaned`: the call ended while it was open and no outcome came. */
  status: 'sent' | 'notStarted' | 'running' | 'completed' | 'failed' | 'orphaned';
  resultInfo?: ResultInfo;
  /** `classifyResult(resultInfo)`. */
  outcome?: ResultOutcome;
  /** The HTTP status of an action Graph refused (no operation was created). */
  httpStatus?: number;
  completionReason?: string;
  recordingLocation?: string;
  recordingAccessToken?: string;
}
/** Where an event of `received` comes from: the index of its notification in the batch
 *  (absent when the payload could not be read as a batch, and on events of `sent`/`callEnded`). */
export interface InBatch {
  index?: number;
}
/** What the tracker tells a bot. */
export type TrackerEvent = InBatch &
  (
    /** Queued (`notStarted`) or running. */
    | ({ type: 'started' } & TrackedOperation)
    /** Ended 2xx (200/8515 included: a record that hit its maximum). */
    | ({ type: 'completed' } & TrackedOperation)
    /** Ended 400/8508: a cancelMediaProcessing ended it. Expected, not an error. */
    | ({ type: 'canceled' } & TrackedOperation)
    /** Ended with any other resultInfo, or Graph refused the action (`httpStatus`). */
    | ({ type: 'failed' } & TrackedOperation)
    /** The call ended while it was open, and no outcome came. */
    | ({ type: 'orphaned' } & TrackedOperation)
    | ToneEvent
    | CallStateEvent
    | DuplicateEvent
    | UnmatchedEvent
  );
/** A call-state notification, the first time it arrives. */
export interface CallStateEvent {
  type: 'callState';
  callId: string;
  /** As the notification says it; `terminated` for the call's `deleted`. */
  state: CallState;
  changeType: 'created' | 'updated' | 'deleted';
}
export interface ToneEvent {
  type: 'tone';
  callId: string;
  tone: Tone;
  /** The DTMF key; absent for `flash`. */
  key?: DtmfKey;
  sequenceId: number;
  /** Sequence ids skipped since the highest one heard before. */
  gap: number;
  /** A higher sequence id arrived first. */
  late: boolean;
}
export interface DuplicateEvent {
  type: 'duplicate';
  callId: string;
  of: 'operation' | 'tone' | 'call';
  operationId?: string;
  status?: string;
  sequenceId?: number;
  /** The notification's index in its batch. */
  index: number;
}
export interface UnmatchedEvent {
  type: 'unmatched';
  /** `unknownOperation`: a known call, an unknown operation; `otherCall`: a call never heard of;
   *  `malformed`: it does not validate (see `issues`). */
  reason: 'unknownOperation' | 'otherCall' | 'malformed';
  callId?: string;
  operationId?: string;
  resourceUrl?: string;
  /** The notification's index in its batch; absent when the whole payload is unreadable. */
  index?: number;
  issues?: Issue[];
}
/** The tracker's state: plain JSON, for a stateless bot to keep anywhere. */
export interface TrackerState {
  format: 'graph-ivr.tracker/1';
  operations: TrackedOperation[];
  calls: { callId: string; ended: boolean; tones: number[]; seen: string[] }[];
}

/** A JSON Web Key (RFC 7517), as a JWKS lists it. */
export interface Jwk {
  kty: string;
  kid?: string;
  use?: string;
  alg?: string;
  n?: string;
  e?: string;
  [member: string]: unknown;
}
/** A JSON Web Key Set: what an OpenID configuration's `jwks_uri` serves. */
export interface Jwks {
  keys: Jwk[];
}
/** Why `verifyCallbackToken` refused a token. */
export type TokenFailure =
  | 'missing' | 'malformed' | 'unsupportedAlgorithm' | 'unknownKey' | 'badSignature' | 'expired'
  | 'notYetValid' | 'issuerMismatch' | 'audienceMismatch' | 'tenantMismatch';
export interface VerifyCallbackTokenOptions {
  /** The keys, fetched and cached by the bot from the OpenID configuration's `jwks_uri`. */
  jwks: Jwks;
  /** The bot's app id: the token's `aud`. */
  audience: string;
  /** Default: https://graph.microsoft.com and https://api.botframework.com. */
  issuers?: string[];
  /** When given, `tid` (or the tenantid claim of real tokens) must name it. */
  tenantId?: string;
  /** The current time: milliseconds since the epoch like `Date.now()` (the default), or the
   *  seconds JWT claims use (a value under 10^11 is read as seconds). */
  now?: number;
  /** Default 300. */
  clockSkewSeconds?: number;
}
export type TokenVerification =
  | { valid: true; claims: Record<string, JsonValue> }
  | { valid: false; reason: TokenFailure; message: string; claims?: Record<string, JsonValue> };
export interface CallbackSignerOptions {
  /** Default https://graph.microsoft.com. */
  issuer?: string;
  /** The bot's app id (`aud`); default a placeholder GUID. */
  audience?: string;
  /** `tid`; default the zero GUID. */
  tenantId?: string;
  /** What the OpenID configuration names as `jwks_uri`; default Graph's. */
  jwksUri?: string;
  /** An RSA private JWK to sign with; default a fresh 2048-bit key. */
  privateKey?: Jwk;
}
export interface OpenIdConfiguration {
  issuer: string;
  jwks_uri: string;
  id_token_signing_alg_values_supported: string[];
  [member: string]: unknown;
}
