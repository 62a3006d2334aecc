import { verifyCallbackToken } from 'graph-ivr';
import { startEmulator } from 'graph-ivr/emulator';

// Production code: the keys of Graph's OpenID configuration, fetched and kept for two hours
// (as the comms samples' AuthenticationProvider does), and one check per callback POST.
let cached;
async function graphKeys(openIdConfiguration) {
  if (cached?.until > Date.now()) return cached.jwks;
  const config = await (await fetch(openIdConfiguration)).json();
  const jwks = await (await fetch(config.jwks_uri)).json();
  cached = { jwks, until: Date.now() + 2 * 60 * 60 * 1000 };
  return jwks;
}
async function fromGraph(authorization, appId, openIdConfiguration) {
  const jwks = await graphKeys(openIdConfiguration);
  return verifyCallbackToken(authorization, { jwks, audience: appId });
}

// In a test, the emulator signs like Graph and serves its own OpenID configuration.
const appId = '9c5e5f2a-1d2b-4c3d-8e4f-5a6b7c8d9e0f';
const emulator = await startEmulator({ audience: appId });
const openId = `${emulator.origin}/.well-known/OpenIdConfiguration`; // production: https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration
const signed = `Bearer ${await emulator.signer.sign()}`;
for (const [what, header] of [['signed', signed], ['unsigned', undefined], ['for another bot', `Bearer ${await emulator.signer.sign({ aud: 'someone-else' })}`]]) {
  const result = await fromGraph(header, appId, openId);
  console.log(`${what}: ${result.valid ? 'valid' : result.reason}`);
}
await emulator.close();
