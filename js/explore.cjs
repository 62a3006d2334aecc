#!/usr/bin/env node
'use strict';
// `npx graph-ivr-explore`: the bot explorer for bots in any language. Graph's calling endpoints
// on a loopback port (the bot's Graph base URL points there), each run's simulated Graph behind
// them; callbacks POSTed, signed, to the bot; every failure's shrunk timeline printed and its
// scenario written to --out. Exit 1 when an invariant failed, 0 when none did, 2 for bad
// arguments. Node's `http` only; no dependencies.
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const ivr = require('../node/index.cjs');

const USAGE = `usage: graph-ivr-explore --callback URL [--port 0] [--runs 100] [--seed 0] [--faults JSON|all] [--out DIR] [--audience APP_ID]

  --callback URL   where the bot takes Graph's callbacks (each run rings it there)
  --port P         Graph for the bot, at http://127.0.0.1:P/v1.0 (the OpenID configuration and
                   its keys at /.well-known/OpenIdConfiguration and /keys)
  --runs, --seed   how many runs, from which seed
  --faults         which of Graph's faults may be drawn: all, or JSON such as '{"throttle":0.2}'
  --out DIR        where each failure's shrunk scenario is written (invariant.json)`;

/** Reads the command line; throws an Error with the usage for anything it does not know. */
function parseArgs(argv) {
  const options = { port: 0, runs: 100, seed: 0, faults: undefined, out: undefined, callback: undefined, audience: undefined };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${flag} needs a value\n${USAGE}`);
      return argv[++i];
    };
    const whole = (text, min, max) => {
      const n = Number(text);
      if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${flag} takes a whole number from ${min} to ${max}, got ${text}\n${USAGE}`);
      return n;
    };
    if (flag === '--callback') options.callback = value();
    else if (flag === '--port') options.port = whole(value(), 0, 65535);
    else if (flag === '--runs') options.runs = whole(value(), 1, 1_000_000);
    else if (flag === '--seed') options.seed = whole(value(), 0, Number.MAX_SAFE_INTEGER);
    else if (flag === '--out') options.out = value();
    else if (flag === '--audience') options.audience = value();
    else if (flag === '--faults') {
      const text = value();
      if (text === 'all') options.faults = true;
      else {
        try {
          options.faults = JSON.parse(text);
        } catch {
          throw new Error(`--faults takes all or a JSON object, got ${text}\n${USAGE}`);
        }
      }
    } else if (flag === '--help' || flag === '-h') options.help = true;
    else throw new Error(`unknown argument ${flag}\n${USAGE}`);
  }
  if (!options.help && !options.callback) throw new Error(`--callback is required\n${USAGE}`);
  return options;
}

const json = (res, status, value) => {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).end(body);
};

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Explores the bot at `callback`: resolves the result, after printing and writing it. */
async function explore({ callback, port = 0, runs, seed, faults, out, audience, print = () => {} }) {
  const server = http.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  try {
    const signer = await ivr.createCallbackSigner({ audience, jwksUri: `${origin}/keys` });
    const explorer = new ivr.BotExplorer({
      callbackUri: callback,
      deliver: ivr.deliverOverHttp({ signWith: signer }),
      runs,
      seed,
      faults,
      simulator: { baseUrl: origin, recordingsUrl: `${origin}/recordings` },
      onProgress: ({ run, runs: total, failures }) => {
        if (run % 50 === 0 || run === total) print(`graph-ivr explore: ${run}/${total} runs, ${failures} failed`);
      },
    });
    server.on('request', (req, res) => {
      (async () => {
        const url = new URL(req.url, origin);
        if (req.method === 'GET' && /^(\/v1)?\/\.well-known\/openidconfiguration$/i.test(url.pathname)) return json(res, 200, signer.openIdConfiguration);
        if (req.method === 'GET' && /^(\/v1)?\/keys$/.test(url.pathname)) return json(res, 200, signer.jwks);
        const body = await readBody(req);
        const headers = Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length', 'transfer-encoding'].includes(k));
        const hasBody = !['GET', 'HEAD'].includes(req.method);
        const response = await explorer.fetch(`${origin}${req.url}`, { method: req.method, headers, body: hasBody ? body.toString('utf8') : undefined });
        const bytes = Buffer.from(await response.arrayBuffer());
        const answer = Object.fromEntries(response.headers);
        delete answer['transfer-encoding'];
        res.writeHead(response.status, { ...answer, 'Content-Length': bytes.length }).end(bytes);
      })().catch((err) => {
        if (!res.headersSent) json(res, err?.code === 'invalidState' ? 503 : 500, { error: { code: err?.code ?? 'InternalServerError', message: err?.message ?? String(err) } });
      });
    });
    print(`graph-ivr explore: Graph for the bot at ${origin}/v1.0, callbacks to ${callback}`);
    const result = await explorer.run();
    for (const failure of result.failures) {
      print(`\n${failure.invariant} (run ${failure.run}, seed ${failure.seed}): ${failure.message}\n${failure.timeline}`);
      if (out) {
        fs.mkdirSync(out, { recursive: true });
        const file = path.join(out, `${failure.invariant}.json`);
        fs.writeFileSync(file, `${JSON.stringify(failure.scenario, null, 2)}\n`);
        print(`scenario: ${file}`);
      }
    }
    print(`\ngraph-ivr explore: ${result.runs} runs, ${result.failures.length === 0 ? 'no invariant failed' : `${result.failures.length} invariant${result.failures.length === 1 ? '' : 's'} failed`}`);
    return result;
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let result;
  try {
    result = await explore({ ...options, print: (line) => process.stdout.write(`${line}\n`) });
  } catch (err) {
    if (err?.code !== 'invalidArgument') throw err;
    process.stderr.write(`${err.message}${err.path ? ` (at ${err.path})` : ''}\n${USAGE}\n`);
    process.exit(2);
  }
  process.exit(result.failures.length === 0 ? 0 : 1);
}

module.exports = { explore, parseArgs };
if (require.main === module) main();
