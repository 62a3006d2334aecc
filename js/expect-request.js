// expectRequest: WireMock's `verify`, for a GraphSimulator's request journal. It finds the
// Graph request a test expects the bot to have sent, or throws an error that lists the nearest
// requests the bot did send, so that a failing test says what went wrong.

/** `expectRequest(journal, {method, path, body?})` with the package's error class. */
function expectRequestWith(GraphIvrError) {
  return function expectRequest(journal, match) {
    if (!Array.isArray(journal)) throw new GraphIvrError('invalidArgument', 'expectRequest takes a journal (graph.journal(), or GET /_graph-ivr/journal)', '/journal');
    if (match === null || typeof match !== 'object') throw new GraphIvrError('invalidArgument', 'expectRequest takes {method, path, body?}', '/match');
    const { method, path, body, ...unknown } = match;
    const extra = Object.keys(unknown)[0];
    if (extra !== undefined) throw new GraphIvrError('invalidArgument', `expectRequest matches on method, path and body, not ${extra}`, `/match/${extra}`);
    if (typeof method !== 'string' || !method) throw new GraphIvrError('invalidArgument', 'method is a string such as POST', '/match/method');
    if (typeof path !== 'string' || !path.startsWith('/')) throw new GraphIvrError('invalidArgument', 'path is a URL path such as /v1.0/communications/calls/{id}/playPrompt (a {name} segment stands for any; GUIDs in either spelling), or without its version', '/match/path');
    const requests = journal.filter((entry) => entry?.kind === 'request');
    const scored = requests.map((entry) => ({ entry, ...closeness(entry, method, path, body) }));
    const found = scored.find((s) => s.method && s.path && s.body);
    if (found) return found.entry;
    const nearest = scored
      .sort((a, b) => b.score - a.score || a.entry.seq - b.entry.seq)
      .slice(0, 5)
      .map(({ entry, why }) => `  #${entry.seq} at ${entry.at} ms: ${entry.method} ${pathOf(entry.url)} ${entry.body ? truncated(entry.body) : '(no body)'} → ${entry.status ?? 'no answer'}${why ? `  (${why})` : ''}`);
    const wanted = `${method} ${path}${body === undefined ? '' : ` with a body holding ${JSON.stringify(body)}`}`;
    const error = new GraphIvrError(
      'expectationFailed',
      `expected the bot to send ${wanted}; of its ${requests.length} requests none matched${nearest.length ? `. The nearest:\n${nearest.join('\n')}` : ''}`,
    );
    error.nearest = scored.slice(0, 5).map((s) => s.entry);
    throw error;
  };
}

/** How close `entry` is: which parts match, a score to rank by, and what differs. */
function closeness(entry, method, path, body) {
  const methodOk = entry.method.toUpperCase() === method.toUpperCase();
  // GUIDs compared canonically (Graph spells one id two ways); the version may be left out:
  // `/communications/calls/…` matches `/v1.0/communications/calls/…`.
  const own = canonical(pathOf(entry.url));
  const wanted = canonical(path);
  const pathOk = samePath(own, wanted) || samePath(own.replace(/^\/(v1\.0|beta)(?=\/)/, ''), wanted);
  let bodyOk = body === undefined;
  let parsed;
  if (!bodyOk) {
    try {
      parsed = JSON.parse(entry.body);
      bodyOk = holds(parsed, body);
    } catch {
      bodyOk = false;
    }
  }
  const why = [!methodOk && `method ${entry.method}`, !pathOk && 'another path', !bodyOk && 'another body'].filter(Boolean).join(', ');
  return { method: methodOk, path: pathOk, body: bodyOk, score: 4 * pathOk + 2 * methodOk + bodyOk, why };
}

/** Whether `value` holds `expected`: every member of an expected object (deeply), arrays and
 *  the rest equal. */
function holds(value, expected) {
  if (expected === null || typeof expected !== 'object') return Object.is(value, expected);
  if (Array.isArray(expected)) return Array.isArray(value) && value.length === expected.length && expected.every((item, i) => holds(value[i], item));
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.entries(expected).every(([key, item]) => Object.hasOwn(value, key) && holds(value[key], item));
}

/** Whether `path` is `pattern`, a `{name}` segment of the pattern standing for any one. */
function samePath(path, pattern) {
  const own = path.split('/');
  const wanted = pattern.split('/');
  return own.length === wanted.length && wanted.every((segment, i) => segment === own[i] || (/^\{[^/{}]*\}$/.test(segment) && own[i] !== ''));
}

const GUID = /[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}/gi;
const canonical = (path) => path.replace(GUID, (id) => id.replaceAll('-', '').toLowerCase());
const pathOf = (url) => {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
};
const truncated = (text) => (text.length > 120 ? `${text.slice(0, 117)}…` : text);

export { expectRequestWith };
