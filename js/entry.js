// The package entry's own code, shared by the Node (CommonJS) and browser (ES module)
// entries that scripts/build.mjs writes around the generated bindings: the GraphIvrError
// class, and guards that refuse a freed object before wasm-bindgen's glue sees it.
// Plain declarations only (no import/export), so one text serves both module systems.

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
const encoder = new TextEncoder();
/** Payloads up to this many bytes (or UTF-16 units) cross as UTF-8 bytes; larger ones take the
 *  general path, which refuses them with the same issue. */
const BYTES_PATH_LIMIT = 1 << 20;
/** Reused for encoding strings of up to 16 Ki units (a notification is about 1 KiB). */
let scratch = new Uint8Array(3 * 16 * 1024);

/** A well-formed string as UTF-8 bytes, in the scratch buffer when it fits. */
function encoded(text) {
  const target = text.length * 3 <= scratch.length ? scratch : new Uint8Array(text.length * 3);
  return target.subarray(0, encoder.encodeInto(text, target).written);
}

/** A copy of bytes the caller may reuse before `value` is read (Uint8Array's own slice copies;
 *  a Buffer's is a view). */
const copied = (bytes) => Uint8Array.prototype.slice.call(bytes);

/** `validateNotifications` over the module's `__validateNotifications*`, with a lazy `value`.
 *  Well-formed strings and bytes cross as UTF-8 (`…Utf8`, which answers `true` for a valid
 *  payload without issues whose value is its own text); without options they are written
 *  straight into the module's input area (`…Input`: no allocation, no copy of their own).
 *  Anything else takes the general path (lone surrogates, objects, oversized payloads: the
 *  module reports them). */
function validatorsOf(bindings) {
  let area = null;
  /** A view of the module's input area of at least `size` bytes (made again after the memory
   *  grows, which detaches the old view). */
  const inputArea = (size) => {
    if (area === null || area.view.byteLength < size || area.view.buffer !== area.memory.buffer) {
      const capacity = Math.max(size, area === null ? 64 * 1024 : area.view.byteLength);
      const at = bindings.__inputBuffer(capacity);
      const memory = bindings.__memory();
      area = { memory, view: new Uint8Array(memory.buffer, at, capacity) };
    }
    return area.view;
  };
  return {
    validateNotifications(payload, options) {
      if (typeof payload === 'string') {
        const own = () => payload;
        if (payload.length <= BYTES_PATH_LIMIT && typeof payload.isWellFormed === 'function' && payload.isWellFormed()) {
          const answer =
            options === undefined
              ? bindings.__validateNotificationsInput(encoder.encodeInto(payload, inputArea(payload.length * 3)).written)
              : bindings.__validateNotificationsUtf8(encoded(payload), options);
          return reportOf(answer, own);
        }
        return reportOf(bindings.__validateNotifications(payload, options), own);
      }
      if (payload instanceof Uint8Array || payload instanceof ArrayBuffer) {
        const bytes = payload instanceof ArrayBuffer ? new Uint8Array(payload) : payload;
        const own = () => {
          const copy = copied(bytes);
          return () => utf8.decode(copy);
        };
        if (bytes.length > BYTES_PATH_LIMIT) return reportOf(bindings.__validateNotifications(payload, options), own);
        if (options === undefined) {
          inputArea(bytes.length).set(bytes);
          return reportOf(bindings.__validateNotificationsInput(bytes.length), own);
        }
        return reportOf(bindings.__validateNotificationsUtf8(bytes, options), own);
      }
      return reportOf(bindings.__validateNotifications(payload, options), undefined);
    },
  };
}

/** The report of a `__validateNotifications*` answer: `true` (valid, no issues, `value` the
 *  payload's own text), or one string — valid (`1`/`0`), the value's kind (`0` none, `1` the
 *  payload's own text, `2` JSON text after the issues and a newline), the issues' JSON.
 *  `ownText()` gives the payload's text (or a function giving it) when it is the value. */
function reportOf(answer, ownText) {
  if (answer === true) return lazyReport(true, null, ownText());
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

/** Whether `value` is plain JSON that reads the same through JSON.stringify: finite numbers,
 *  well-formed strings, plain objects and dense arrays, nothing `undefined`, at most 32 deep. */
function plainJson(value, depth) {
  switch (typeof value) {
    case 'string':
      return typeof value.isWellFormed !== 'function' || value.isWellFormed();
    case 'number':
      return Number.isFinite(value);
    case 'boolean':
      return true;
    case 'object': {
      if (value === null) return true;
      if (depth >= 32) return false;
      if (Array.isArray(value)) {
        if (Object.getPrototypeOf(value) !== Array.prototype) return false;
        for (let i = 0; i < value.length; i++) if (!(i in value) || !plainJson(value[i], depth + 1)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key of Object.keys(value)) {
        const descriptor = Object.getOwnPropertyDescriptor(value, key);
        if (!descriptor || !('value' in descriptor) || !plainJson(descriptor.value, depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/** A plain-JSON object (see plainJson); a Proxy or a getter that throws is not, and takes the
 *  exact path, which reports it. */
function plainObject(value) {
  try {
    return value !== null && typeof value === 'object' && !Array.isArray(value) && plainJson(value, 0);
  } catch {
    return false;
  }
}

/** The four builders: plain-JSON options cross once as text; anything else takes the exact
 *  path of the module's own builder (which names the offending option). */
function buildersOf(bindings) {
  const fast = (operation, exact) => (options) => {
    if (!plainObject(options)) return exact(options);
    // `url \n body [\n authorization]` (see __buildFromJson).
    const built = bindings.__buildFromJson(operation, encoded(JSON.stringify(options)));
    const urlEnd = built.indexOf('\n');
    const bodyEnd = built.indexOf('\n', urlEnd + 1);
    const headers = { 'Content-Type': 'application/json' };
    if (bodyEnd !== -1) headers.Authorization = built.slice(bodyEnd + 1);
    const body = bodyEnd === -1 ? built.slice(urlEnd + 1) : built.slice(urlEnd + 1, bodyEnd);
    return { method: 'POST', url: built.slice(0, urlEnd), headers, body, operation, idempotent: false };
  };
  return {
    buildCancelMediaProcessing: fast('cancelMediaProcessing', bindings.buildCancelMediaProcessing),
    buildPlayPrompt: fast('playPrompt', bindings.buildPlayPrompt),
    buildRecordResponse: fast('recordResponse', bindings.buildRecordResponse),
    buildSubscribeToTone: fast('subscribeToTone', bindings.buildSubscribeToTone),
  };
}

/** `CallSimulator.handle` of a plain-JSON request (what the builders make) in one crossing:
 *  method, URL, headers (as JSON) and body as lines when method and URL are strings without a
 *  newline, headers an object and the body a string (it then crosses as it is, not escaped
 *  inside the request's JSON), else the request's JSON text. The answer is
 *  `status \n headers \n body`. */
function fastHandle(bindings) {
  const proto = bindings.CallSimulator.prototype;
  const exact = proto.handle;
  const json = proto.__handleJson;
  const parts = proto.__handleParts;
  proto.handle = function handle(request) {
    if (!plainObject(request)) return exact.call(this, request);
    const { method, url, headers, body } = request;
    const lines =
      typeof method === 'string' &&
      typeof url === 'string' &&
      typeof body === 'string' &&
      headers !== null &&
      typeof headers === 'object' &&
      !Array.isArray(headers) &&
      !method.includes('\n') &&
      !url.includes('\n');
    const answer = lines
      ? parts.call(this, encoded(`${method}\n${url}\n${JSON.stringify(headers)}\n${body}`))
      : json.call(this, encoded(JSON.stringify(request)));
    const statusEnd = answer.indexOf('\n');
    const headersEnd = answer.indexOf('\n', statusEnd + 1);
    return {
      status: Number(answer.slice(0, statusEnd)),
      headers: JSON.parse(answer.slice(statusEnd + 1, headersEnd)),
      body: answer.slice(headersEnd + 1),
    };
  };
}

const OPERATION_TYPES = new Set([
  '#microsoft.graph.cancelMediaProcessingOperation',
  '#microsoft.graph.playPromptOperation',
  '#microsoft.graph.recordOperation',
  '#microsoft.graph.subscribeToToneOperation',
  '#microsoft.graph.commsOperation',
]);
const CALL_TYPE = '#microsoft.graph.call';
const isObject = (x) => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Type guards over a validated `value` (where `@odata.type` is always written): plain
 *  functions, no crossing into the module. */
const guards = {
  isOperation: (x) => isObject(x) && OPERATION_TYPES.has(x['@odata.type']) && typeof x.status === 'string',
  isOperationNotification: (n) => isObject(n) && guards.isOperation(n.resourceData),
  isCallNotification: (n) => isObject(n) && isObject(n.resourceData) && n.resourceData['@odata.type'] === CALL_TYPE,
  isToneNotification: (n) =>
    guards.isCallNotification(n) &&
    isObject(n.resourceData.toneInfo) &&
    typeof n.resourceData.toneInfo.tone === 'string' &&
    typeof n.resourceData.toneInfo.sequenceId === 'number',
};

/** Hands the live module, in one call, what it builds results with (the error class, the
 *  deliveries decorator) and the platform's fetch as it is now, for deliverOverHttp. */
function register(bindings) {
  bindings.__register(GraphIvrError, deliveriesFrom, globalThis.fetch);
}

/** Guards every class of the bindings; registers with the module when it is live. */
function install(bindings, live) {
  // First replace handle, so that the guards wrap the method users call.
  fastHandle(bindings);
  for (const value of Object.values(bindings)) {
    if (typeof value === 'function' && value.prototype && typeof value.prototype.free === 'function') guardClass(value);
  }
  if (live) register(bindings);
  return GraphIvrError;
}
