// deliverOverHttp's transport in Node: `node:http` (or `node:https`) with a keep-alive agent,
// in place of the platform's fetch. It pays for itself in BENCHMARKS.md ("Callbacks": a bot's
// callbacks through it against the same callbacks through fetch). Elsewhere there is none and
// deliveries go through fetch, as they do when the caller passes `deliverOverHttp({fetch})`.
//
// It takes what deliverOverHttp hands a fetch (a URL, `{method, headers, body, signal}`) and
// answers what deliverOverHttp reads of a Response (`status`, `text()`), nothing more.

/** A fetch-shaped POST over `node:http`, or `undefined` where Node's modules are not at hand.
 *  The modules and their agents are taken at the first POST: importing graph-ivr loads none. */
function nodePost() {
  const builtin = globalThis.process?.getBuiltinModule;
  if (typeof builtin !== 'function') return undefined;
  const transports = {};
  /** `{module, agent}` for `http:` or `https:`. Idle sockets are closed before a Node server's
   *  own keep-alive timeout would close them under a new request; the agent unrefs them, so
   *  they never keep a process alive. */
  const transportFor = (protocol) => {
    if (protocol !== 'http:' && protocol !== 'https:') return undefined;
    if (!transports[protocol]) {
      const module = builtin(protocol === 'http:' ? 'node:http' : 'node:https');
      transports[protocol] = { module, agent: new module.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }) };
    }
    return transports[protocol];
  };
  return function post(url, init) {
    const target = new URL(url);
    const transport = transportFor(target.protocol);
    if (!transport) return Promise.reject(new TypeError(`cannot POST to a ${target.protocol} URL`));
    const headers = {};
    for (const [name, value] of init.headers ?? []) headers[name] = value;
    const send = (retried) =>
      new Promise((resolve, reject) => {
        const request = transport.module.request(target, { method: init.method, headers, agent: transport.agent, signal: init.signal }, (response) => {
          const chunks = [];
          response.on('data', (chunk) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: response.statusCode, text: () => Promise.resolve(text) });
          });
        });
        request.on('error', (error) => {
          // A kept-alive socket the server closed as this request went out: once more on a
          // fresh one (what Node's documentation advises for `reusedSocket`).
          if (!retried && request.reusedSocket && error.code === 'ECONNRESET') resolve(send(true));
          else reject(error);
        });
        request.end(init.body);
      });
    return send(false);
  };
}

/** How long a kept-alive socket may sit idle: under the five seconds a Node server keeps one. */
const IDLE_SOCKET_MS = 4000;

export { nodePost };
