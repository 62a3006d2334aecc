// Fast paths of the package entry, opt-in (js/entry.js takes them in one place) and each paid
// for by a row of BENCHMARKS.md; src/wasm/fast.rs is their other half. Each hands the module
// UTF-8 bytes of text the caller already has, in one copy, instead of an object the module
// reads property by property, and takes the plain export whenever its input is anything else,
// so that both give the same answer (tests/js/fast-paths.test.mjs holds them to it).

const encoder = new TextEncoder();
/** Reused for encoding strings of up to 16 Ki UTF-16 units (a notification is about 1 KiB). */
const scratch = new Uint8Array(3 * 16 * 1024);

/** A well-formed string as UTF-8 bytes, in the scratch buffer when it fits. */
function encoded(text) {
  const target = text.length * 3 <= scratch.length ? scratch : new Uint8Array(text.length * 3);
  return target.subarray(0, encoder.encodeInto(text, target).written);
}

/** Strings up to this many UTF-16 units take the fast path; longer ones the plain export,
 *  which refuses them (over 1 MiB) with the same issue. */
const FAST_PAYLOAD_LIMIT = 1 << 20;

/** Whether `value` is plain JSON that reads the same through JSON.stringify: finite numbers,
 *  well-formed strings, plain objects and dense arrays, nothing `undefined`, at most 32 deep. */
function plainJson(value, depth) {
  switch (typeof value) {
    case 'string':
      return value.isWellFormed();
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
 *  plain export, which reports it. */
function plainObject(value) {
  try {
    return value !== null && typeof value === 'object' && !Array.isArray(value) && plainJson(value, 0);
  } catch {
    return false;
  }
}

/** A plain object whose every value is a string (headers the fast handle can carry). */
function stringValues(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value).every((v) => typeof v === 'string');
}

/** The fast forms of `validateNotifications` (of text: bytes gain too little to pay for a
 *  second path), the four builders and `CallSimulator.handle`,
 *  over the plain ones. `reportOf` and `ownTextOf` are the entry's (one answer shape). */
function fastPaths(bindings, plain, { reportOf, ownTextOf }) {
  function validateNotifications(payload, options) {
    if (typeof payload === 'string') {
      if (payload.length > FAST_PAYLOAD_LIMIT || !payload.isWellFormed()) return plain.validateNotifications(payload, options);
      return reportOf(bindings.__fastValidateNotifications(encoded(payload), options), ownTextOf(payload));
    }
    return plain.validateNotifications(payload, options);
  }

  const builder = (operation, exact) => (options) => {
    if (!plainObject(options)) return exact(options);
    // `url \n body [\n authorization]` (see src/wasm/fast.rs).
    const built = bindings.__fastBuild(operation, encoded(JSON.stringify(options)));
    const urlEnd = built.indexOf('\n');
    const bodyEnd = built.indexOf('\n', urlEnd + 1);
    const headers = { 'Content-Type': 'application/json' };
    if (bodyEnd !== -1) headers.Authorization = built.slice(bodyEnd + 1);
    const body = bodyEnd === -1 ? built.slice(urlEnd + 1) : built.slice(urlEnd + 1, bodyEnd);
    return { method: 'POST', url: built.slice(0, urlEnd), headers, body, operation, idempotent: false };
  };

  /** Replaces `CallSimulator.prototype.handle` (before the entry guards the class). */
  function installHandle() {
    const proto = bindings.CallSimulator.prototype;
    const exact = proto.handle;
    proto.handle = function handle(request) {
      if (!plainObject(request)) return exact.call(this, request);
      const { method, url, headers, body } = request;
      const lines =
        typeof method === 'string' &&
        typeof url === 'string' &&
        typeof body === 'string' &&
        stringValues(headers) &&
        !method.includes('\n') &&
        !url.includes('\n');
      if (!lines) return exact.call(this, request);
      const answer = this.__fastHandle(encoded(`${method}\n${url}\n${JSON.stringify(headers)}\n${body}`));
      const statusEnd = answer.indexOf('\n');
      const headersEnd = answer.indexOf('\n', statusEnd + 1);
      return {
        status: Number(answer.slice(0, statusEnd)),
        headers: JSON.parse(answer.slice(statusEnd + 1, headersEnd)),
        body: answer.slice(headersEnd + 1),
      };
    };
  }

  return {
    validateNotifications,
    buildCancelMediaProcessing: builder('cancelMediaProcessing', bindings.buildCancelMediaProcessing),
    buildPlayPrompt: builder('playPrompt', bindings.buildPlayPrompt),
    buildRecordResponse: builder('recordResponse', bindings.buildRecordResponse),
    buildSubscribeToTone: builder('subscribeToTone', bindings.buildSubscribeToTone),
    installHandle,
  };
}

export { fastPaths };
