import http from 'node:http';
import { GraphSimulator, createCallbackSigner, deliverOverHttp, verifyCallbackToken } from 'graph-ivr';

// Production code: Graph's keys, from the OpenID configuration the comms samples name.
const OPEN_ID = 'https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration';
const appId = '9c5e5f2a-1d2b-4c3d-8e4f-5a6b7c8d9e0f';
async function fromGraph(authorization) {
  const config = await (await fetch(OPEN_ID)).json();
  const jwks = await (await fetch(config.jwks_uri)).json();
  return verifyCallbackToken(authorization, { jwks, audience: appId });
}
const bot = http.createServer(async (req, res) => {
  req.resume();
  const result = await fromGraph(req.headers.authorization);
  console.log(`bot: callback ${result.valid ? 'valid' : result.reason}`);
  res.writeHead(result.valid ? 202 : 401).end();
});
await new Promise((resolve) => bot.listen(0, '127.0.0.1', resolve));

// The test: Graph signs its callbacks, and its fetch serves the keys where production looks.
const signer = await createCallbackSigner({ audience: appId });
const graph = new GraphSimulator({ seed: 1, signer });
globalThis.fetch = graph.fetch;
graph.incomingCall({ callbackUri: `http://127.0.0.1:${bot.address().port}/api/calls` });
await graph.run(0, deliverOverHttp({ signWith: signer }));
console.log(`keys served at ${signer.openIdConfiguration.jwks_uri}`);
bot.close();
