// The package entry: graph-ivr's one export list, as an ES module (the browser build's
// index.js as it is). scripts/build.mjs derives the Node build's CommonJS entry from it (the
// import becomes a require, the export lists assignments to module.exports), so both module
// systems run this same text. It holds what is better done in JS: the GraphIvrError class,
// guards that refuse a freed object before wasm-bindgen's glue sees it, reports and deliveries
// whose `value` is parsed when first read, and type guards that need no crossing.
import * as bindings from './graph_ivr.js';
import { explorerClass } from './explorer.js';
import { fastPaths } from './fast.js';
import { nodePost } from './node-post.js';
import { expectRequestWith } from './expect-request.js';

/**
 * What every graph-ivr function throws for bad arguments or a bad state: a real Error with a
 * stable `code` ('invalidArgument', 'invalidState', …) and, for bad options, the JSON Pointer
 * `path` of the option.
 */
class GraphIvrError extends Error {
  constructor(code, message, path, hint) {
    super(message);
    this.name = 'GraphIvrError';
    this.code = code;
    if (path !== undefined) this.path = path;
    if (hint !== undefined) this.hint = hint;
  }
}

/** Wraps every method and getter of a generated class: a freed object, or `free()` called
 *  while one of the object's own methods runs, throws `invalidState`. */
function guardClass(Class) {
  const freed = new WeakSet();
  const running = new WeakMap();
  const name = Class.name;
  const refuseFreed = (self) => {
    if (freed.has(self)) throw new GraphIvrError('invalidState', `this ${name} was freed; create a new one`);
  };
  const guarded = (fn) =>
    function (...args) {
      refuseFreed(this);
      running.set(this, (running.get(this) ?? 0) + 1);
      try {
        return fn.apply(this, args);
      } finally {
        running.set(this, running.get(this) - 1);
      }
    };
  const proto = Class.prototype;
  const free = proto.free;
  const guardedFree = function () {
    refuseFreed(this);
    if (running.get(this)) {
      throw new GraphIvrError('invalidState', `this ${name} is busy: free() was called from inside one of its own calls`);
    }
    freed.add(this);
    return free.call(this);
  };
  for (const key of Reflect.ownKeys(proto)) {
    // The glue's own helpers (`__destroy_into_raw`, called by free) stay as they are.
    if (key === 'constructor' || (typeof key === 'string' && key.startsWith('__'))) continue;
    const descriptor = Object.getOwnPropertyDescriptor(proto, key);
    if (descriptor.value === free) descriptor.value = guardedFree;
    else if (typeof descriptor.value === 'function') descriptor.value = guarded(descriptor.value);
    if (descriptor.get) descriptor.get = guarded(descriptor.get);
    Object.defineProperty(proto, key, descriptor);
  }
}

/** Where an object with a lazy `value` keeps its text: a non-enumerable symbol, which
 *  JSON.stringify, spreading and deep equality all ignore. */
const LAZY = Symbol('graph-ivr lazy value');

/** `value`, parsed from the text (or `text()`) when first read, then the same object on every
 *  read, as an eager `JSON.parse` would have given. One descriptor shared by every object keeps
 *  them all on one hidden class: a per-object accessor costs more than the parse. */
const LAZY_VALUE = {
  enumerable: true,
  configurable: true,
  get() {
    const state = this[LAZY];
    if (state.value === undefined) state.value = JSON.parse(typeof state.text === 'function' ? state.text() : state.text);
    return state.value;
  },
  set(replacement) {
    this[LAZY].value = replacement;
  },
};

/** Gives `target` a lazy `value` (see LAZY_VALUE). */
function lazyValue(target, text) {
  Object.defineProperty(target, LAZY, { value: { text, value: undefined } });
  return Object.defineProperty(target, 'value', LAZY_VALUE);
}

/** Deliveries cross as one flat array `[at, callId, url, headers (JSON), body, …]`; `value`
 *  is their `body`, parsed when first read. */
function deliveriesFrom(flat) {
  const deliveries = [];
  let headersText;
  let headers;
  for (let i = 0; i < flat.length; i += 5) {
    if (flat[i + 3] !== headersText) {
      headersText = flat[i + 3];
      headers = JSON.parse(headersText);
    }
    const delivery = { at: flat[i], callId: flat[i + 1], url: flat[i + 2], headers: { ...headers }, body: flat[i + 4] };
    deliveries.push(lazyValue(delivery, delivery.body));
  }
  return deliveries;
}

/** A report whose `value` (when there is one) is parsed when first read; `issues` is JSON
 *  text, or null or '' for none. */
function lazyReport(valid, issues, text) {
  const report = { valid, issues: issues === null || issues === '' ? [] : JSON.parse(issues) };
  return text === undefined ? report : lazyValue(report, text);
}

const utf8 = new TextDecoder();

/** The report of a validator's answer (src/wasm/report.rs): `valid` (`1`/`0`), the value's
 *  kind (`0` none, `1` the payload's own text, `2` JSON text after the issues and a newline),
 *  then the issues' JSON. `ownText()` gives the payload's text (or a function giving it) when
 *  it is the value. */
function reportOf(answer, ownText) {
  const valid = answer.charCodeAt(0) === 49;
  switch (answer.charCodeAt(1)) {
    case 49:
      return lazyReport(valid, answer.slice(2), ownText());
    case 50: {
      const cut = answer.indexOf('\n', 2);
      return lazyReport(valid, answer.slice(2, cut), answer.slice(cut + 1));
    }
    default:
      return lazyReport(valid, answer.slice(2), undefined);
  }
}

/** The caller's own payload text, for a report whose `value` is it: a string as it is; bytes
 *  copied now (the caller may reuse them before `value` is read) and decoded when read. */
function ownTextOf(payload) {
  if (typeof payload === 'string') return () => payload;
  return () => {
    const bytes = payload instanceof ArrayBuffer ? new Uint8Array(payload) : payload;
    const copy = Uint8Array.prototype.slice.call(bytes);
    return () => utf8.decode(copy);
  };
}

/** Validates a commsNotifications payload: JSON text, the bytes a webhook received
 *  (`Uint8Array`/`Buffer`/`ArrayBuffer`, UTF-8), or a parsed object. Never throws for a bad
 *  payload or bad options: it reports. */
function validateNotifications(payload, options) {
  return reportOf(bindings.__validateNotifications(payload, options), ownTextOf(payload));
}

/** Validates an action's HTTP response `{status, headers, body}`. */
function validateOperationResponse(response, options) {
  return reportOf(bindings.__validateOperationResponse(response, options), undefined);
}

/** Validates a media-action request made by any client. */
function validateRequest(request, options) {
  return reportOf(bindings.__validateRequest(request, options), undefined);
}

/** What the module answers at registration: the `@odata.type`s the type guards compare with. */
let constants;
const isObject = (x) => typeof x === 'object' && x !== null && !Array.isArray(x);
const shared = () => constants ?? refuseUninitialized();
function refuseUninitialized() {
  throw new GraphIvrError('invalidState', 'graph-ivr is not initialized: await init() first (the browser build)');
}

/** Type guards over a validated `value` (where `@odata.type` is always written): plain
 *  functions, no crossing into the module. */
function isOperation(x) {
  return isObject(x) && shared().operationTypes.includes(x['@odata.type']) && typeof x.status === 'string';
}
function isOperationNotification(n) {
  return isObject(n) && isOperation(n.resourceData);
}
function isCallNotification(n) {
  return isObject(n) && isObject(n.resourceData) && n.resourceData['@odata.type'] === shared().callType;
}
function isToneNotification(n) {
  return (
    isCallNotification(n) &&
    isObject(n.resourceData.toneInfo) &&
    typeof n.resourceData.toneInfo.tone === 'string' &&
    typeof n.resourceData.toneInfo.sequenceId === 'number'
  );
}

/** Hands the live module, in one call, what it builds results with (the error class, the
 *  deliveries decorator) and the platform's transport as it is now, for deliverOverHttp:
 *  `node:http` in Node (js/node-post.js), the platform's fetch elsewhere. */
function register() {
  constants = bindings.__register(GraphIvrError, deliveriesFrom, nodePost() ?? globalThis.fetch);
}

// Fast paths (js/fast.js, src/wasm/fast.rs), opt-in here and only here: each pays for itself
// in BENCHMARKS.md. Without these lines the plain functions are exported, with the same answers.
const fast = fastPaths(bindings, { validateNotifications }, { reportOf, ownTextOf });
fast.installHandle();
const fastValidateNotifications = fast.validateNotifications;
const fastBuildCancelMediaProcessing = fast.buildCancelMediaProcessing;
const fastBuildPlayPrompt = fast.buildPlayPrompt;
const fastBuildRecordResponse = fast.buildRecordResponse;
const fastBuildSubscribeToTone = fast.buildSubscribeToTone;

/** WireMock's `verify` for the request journal (js/expect-request.js). */
const expectRequest = expectRequestWith(GraphIvrError);

/** The bot explorer (js/explorer.js): a driver in JS over the plan of src/explore. */
const BotExplorer = explorerClass(bindings, {
  GraphSimulator: bindings.GraphSimulator,
  GraphIvrError,
  deliverOverHttp: (...args) => bindings.deliverOverHttp(...args),
  sameId: (a, b) => bindings.sameId(a, b),
  parseResourceUrl: (url) => bindings.parseResourceUrl(url),
});

// Every class of the bindings is guarded (their prototypes exist before the module is live).
for (const value of Object.values(bindings)) {
  if (typeof value === 'function' && value.prototype && typeof value.prototype.free === 'function') guardClass(value);
}

// The Node build instantiates the module as it loads; the browser build waits for init().
const instantiate = typeof bindings.default === 'function' ? bindings.default : undefined;
if (instantiate === undefined) register();

/** Instantiates the module (the browser build; once), and resolves when every export is
 *  ready. The Node build is ready as it loads: there it resolves at once. */
async function init(input) {
  if (instantiate === undefined) return undefined;
  const exports = await instantiate(input);
  register();
  return exports;
}

/** Instantiates the module synchronously from its bytes or a compiled module (the browser
 *  build; the Node build is ready as it loads). */
function initSync(input) {
  if (instantiate === undefined) return undefined;
  const exports = bindings.initSync(input);
  register();
  return exports;
}

export {
  CallSimulator,
  CallbackSigner,
  GraphSimulator,
  OperationTracker,
  SimulatedCall,
  canonicalId,
  classifyResult,
  createCallbackSigner,
  deliverOverHttp,
  parseResourceUrl,
  sameId,
  verifyCallbackToken,
} from './graph_ivr.js';
export {
  BotExplorer,
  GraphIvrError,
  expectRequest,
  fastValidateNotifications as validateNotifications,
  validateOperationResponse,
  validateRequest,
  isOperation,
  isOperationNotification,
  isCallNotification,
  isToneNotification,
  fastBuildCancelMediaProcessing as buildCancelMediaProcessing,
  fastBuildPlayPrompt as buildPlayPrompt,
  fastBuildRecordResponse as buildRecordResponse,
  fastBuildSubscribeToTone as buildSubscribeToTone,
  init as default,
  initSync,
};
