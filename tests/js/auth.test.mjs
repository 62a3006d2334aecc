// Callback authentication through the public JS API: tokens signed by an independent
// implementation (node:crypto, by hand) verify; every failure reason comes from a crafted token;
// the signer's tokens verify both here and with node:crypto; deliverOverHttp signs every POST.
import test from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { createCallbackSigner, verifyCallbackToken, deliverOverHttp, GraphSimulator } from 'graph-ivr';
import { assertRefused } from './helpers.mjs';

const b64 = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const now = Math.floor(Date.now() / 1000);
const APP = '5ab2ac4a-0d5f-4c2b-9a35-1f4a3b6f2d10';
const TENANT = '57dab8b1-894c-409a-b240-bd8beae78896';
const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const small = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwks = {
  keys: [
    { ...publicKey.export({ format: 'jwk' }), kid: 'main', use: 'sig', x5t: 'main' },
    { ...small.publicKey.export({ format: 'jwk' }), kid: 'small' },
    { ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec' },
  ],
};

/** A JWT signed by node:crypto: what Graph's callback carries, made without graph-ivr. */
function token({ header = {}, claims = {}, key = privateKey } = {}) {
  const h = { alg: 'RS256', typ: 'JWT', kid: 'main', x5t: 'main', ...header };
  const c = { iss: 'https://api.botframework.com', aud: APP, exp: now + 3600, nbf: now - 10, 'http://schemas.microsoft.com/identity/claims/tenantid': TENANT, ...claims };
  const input = `${b64(h)}.${b64(c)}`;
  return `${input}.${crypto.sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}
const options = { jwks, audience: APP, tenantId: TENANT };
const verify = (authorization, extra = {}) => verifyCallbackToken(authorization, { ...options, ...extra });

test('a token signed by node:crypto verifies, with its claims', async () => {
  const result = await verify(`Bearer ${token()}`);
  assert.equal(result.valid, true, result.message);
  assert.equal(result.claims.aud, APP);
  assert.equal((await verify(`bearer  ${token({ claims: { iss: 'https://graph.microsoft.com', tid: TENANT.toUpperCase() } })}`)).valid, true);
  assert.equal((await verify(`Bearer ${token({ claims: { aud: ['other', APP] } })}`)).valid, true);
  assert.equal((await verifyCallbackToken(`Bearer ${token()}`, { jwks, audience: APP })).valid, true, 'no tenant asked');
});

test('every failure reason, each from a crafted token', async () => {
  const hs256 = (() => {
    const input = `${b64({ alg: 'HS256', kid: 'main' })}.${b64({ iss: 'https://api.botframework.com', aud: APP, exp: now + 60 })}`;
    const secret = publicKey.export({ format: 'pem', type: 'spki' });
    return `${input}.${crypto.createHmac('sha256', secret).update(input).digest('base64url')}`;
  })();
  const tampered = (() => {
    const [h, , s] = token().split('.');
    return `${h}.${b64({ iss: 'https://api.botframework.com', aud: APP, exp: now + 3600, tid: TENANT, admin: true })}.${s}`;
  })();
  const cases = {
    missing: [undefined, null, '', '   '],
    malformed: [
      'Basic dXNlcjpwYXNz',
      `Bearer ${token().split('.').slice(0, 2).join('.')}`,
      'Bearer a.b.c',
      `Bearer ${b64('not json')}.${b64({})}.${b64('sig')}`,
      `Bearer ${b64({ alg: 'RS256', kid: 'main' })}.${b64([1, 2])}.${b64('sig')}`,
      `Bearer ${'a'.repeat(17 * 1024)}`,
      `Bearer ${token({ claims: { exp: undefined } })}`,
      `Bearer ${token({ claims: { exp: 'tomorrow' } })}`,
      `Bearer ${token().split('.').slice(0, 2).join('.')}.`,
      42,
    ],
    unsupportedAlgorithm: [`Bearer ${b64({ alg: 'none', kid: 'main' })}.${b64({ aud: APP })}.`, `Bearer ${hs256}`, `Bearer ${token({ header: { alg: 'PS256' } })}`],
    unknownKey: [
      `Bearer ${token({ header: { kid: undefined } })}`,
      `Bearer ${token({ header: { kid: 'rotated-away' } })}`,
      `Bearer ${token({ header: { kid: 'small' }, key: small.privateKey })}`,
      `Bearer ${token({ header: { kid: 'ec' } })}`,
    ],
    badSignature: [`Bearer ${token({ key: other.privateKey })}`, `Bearer ${tampered}`],
    expired: [`Bearer ${token({ claims: { exp: now - 400 } })}`],
    notYetValid: [`Bearer ${token({ claims: { nbf: now + 400 } })}`],
    issuerMismatch: [`Bearer ${token({ claims: { iss: 'https://login.microsoftonline.com/x/v2.0' } })}`],
    audienceMismatch: [`Bearer ${token({ claims: { aud: 'another-bot' } })}`],
    tenantMismatch: [`Bearer ${token({ claims: { 'http://schemas.microsoft.com/identity/claims/tenantid': '0fe0623f-d628-42ed-b4bd-8ac290072cc5' } })}`],
  };
  for (const [reason, tokens] of Object.entries(cases)) {
    for (const authorization of tokens) {
      const result = await verify(authorization);
      assert.equal(result.valid, false, `${reason}: ${String(authorization).slice(0, 60)}`);
      assert.equal(result.reason, reason, `${String(authorization).slice(0, 60)}: ${result.message}`);
      assert.ok(result.message.length > 5);
      // Claims are only given once the signature holds.
      if (['missing', 'unsupportedAlgorithm', 'unknownKey', 'badSignature'].includes(reason)) assert.equal('claims' in result, false, reason);
      if (['expired', 'notYetValid', 'issuerMismatch', 'audienceMismatch', 'tenantMismatch'].includes(reason)) assert.equal('claims' in result, true, reason);
    }
  }
  // Skew and `now` are the caller's to set.
  assert.equal((await verify(`Bearer ${token({ claims: { exp: now - 30 } })}`, { clockSkewSeconds: 0 })).reason, 'expired');
  assert.equal((await verify(`Bearer ${token({ claims: { exp: now - 30 } })}`)).valid, true, 'within 300 s of skew');
  assert.equal((await verify(`Bearer ${token()}`, { now: (now + 7200) * 1000 })).reason, 'expired');
  assert.equal((await verify(`Bearer ${token()}`, { now: now + 7200 })).reason, 'expired', 'seconds, as JWT claims count');
  assert.equal((await verify(`Bearer ${token()}`, { now: now - 7200 })).reason, 'notYetValid');
  assert.equal((await verify(`Bearer ${token()}`, { now })).valid, true);
  assert.equal((await verify(`Bearer ${token()}`, { issuers: ['https://graph.microsoft.com'] })).reason, 'issuerMismatch');
});

test('bad options reject with the option named; the token itself never throws', async () => {
  const refused = async (opts, path) => {
    await assert.rejects(verifyCallbackToken(`Bearer ${token()}`, opts), (err) => err.name === 'GraphIvrError' && err.code === 'invalidArgument' && err.path === path);
  };
  await refused(undefined, '');
  await refused({ audience: APP }, '/jwks');
  await refused({ jwks: [], audience: APP }, '/jwks');
  await refused({ jwks }, '/audience');
  await refused({ ...options, issuers: 'https://graph.microsoft.com' }, '/issuers');
  await refused({ ...options, issuers: [7] }, '/issuers/0');
  await refused({ ...options, now: 'now' }, '/now');
  await refused({ ...options, clockSkewSeconds: -1 }, '/clockSkewSeconds');
  await refused({ ...options, audiance: APP }, '/audiance');
});

test('createCallbackSigner: its tokens verify here and with node:crypto; overrides; its own key', async () => {
  const signer = await createCallbackSigner({ audience: APP, tenantId: TENANT, issuer: 'https://api.botframework.com' });
  const [key] = signer.jwks.keys;
  assert.deepEqual([key.kty, key.alg, key.use, key.kid === key.x5t], ['RSA', 'RS256', 'sig', true]);
  const thumbprint = crypto.createHash('sha256').update(JSON.stringify({ e: key.e, kty: 'RSA', n: key.n })).digest('base64url');
  assert.equal(key.kid, thumbprint, 'kid is the RFC 7638 thumbprint');
  assert.equal(signer.openIdConfiguration.issuer, 'https://api.botframework.com');
  assert.match(signer.openIdConfiguration.jwks_uri, /^https:\/\//);
  const jwt = await signer.sign();
  const [h, c, s] = jwt.split('.');
  assert.deepEqual(JSON.parse(Buffer.from(h, 'base64url')), { alg: 'RS256', typ: 'JWT', kid: key.kid, x5t: key.kid });
  const independent = crypto.verify('sha256', Buffer.from(`${h}.${c}`), crypto.createPublicKey({ key, format: 'jwk' }), Buffer.from(s, 'base64url'));
  assert.equal(independent, true, 'node:crypto verifies the signer');
  assert.equal((await verifyCallbackToken(`Bearer ${jwt}`, { jwks: signer.jwks, audience: APP, tenantId: TENANT })).valid, true);
  const expired = await signer.sign({ exp: now - 1000 });
  assert.equal((await verifyCallbackToken(`Bearer ${expired}`, { jwks: signer.jwks, audience: APP })).reason, 'expired');
  const noTenant = await signer.sign({ tid: null });
  assert.equal('tid' in JSON.parse(Buffer.from(noTenant.split('.')[1], 'base64url')), false);
  assert.equal((await verifyCallbackToken(`Bearer ${noTenant}`, { jwks: signer.jwks, audience: APP, tenantId: TENANT })).reason, 'tenantMismatch');
  const another = await createCallbackSigner({ audience: APP });
  assert.notEqual(another.jwks.keys[0].kid, key.kid);
  assert.equal((await verifyCallbackToken(`Bearer ${await another.sign()}`, { jwks: signer.jwks, audience: APP })).reason, 'unknownKey');

  // A key the test owns: the same kid every run, tokens node:crypto can check.
  const own = await createCallbackSigner({ privateKey: privateKey.export({ format: 'jwk' }), audience: APP });
  const ownToken = await own.sign();
  assert.equal((await verifyCallbackToken(`Bearer ${ownToken}`, { jwks: own.jwks, audience: APP })).valid, true);
  assert.equal((await verifyCallbackToken(`Bearer ${ownToken}`, { jwks: { keys: [{ ...jwks.keys[0], kid: own.jwks.keys[0].kid }] }, audience: APP })).valid, true);

  await assert.rejects(createCallbackSigner({ privateKey: publicKey.export({ format: 'jwk' }) }), (err) => err.code === 'invalidArgument' && err.path === '/privateKey');
  await assert.rejects(createCallbackSigner({ audience: '' }), (err) => err.code === 'invalidArgument' && err.path === '/audience');
  await assert.rejects(createCallbackSigner({ issuers: [] }), (err) => err.code === 'invalidArgument' && err.path === '/issuers');
  await assert.rejects(signer.sign('claims'), (err) => err.code === 'invalidArgument' && err.path === '');
  await assert.rejects(signer.sign(5), (err) => err.code === 'invalidArgument');
});

test("the signer's NumericDates are integers; one second's tokens are the same token, other claims another", async () => {
  const signer = await createCallbackSigner({ audience: APP });
  // Signed within one wall-clock second (retried across a second's edge): RS256 is
  // deterministic, so the same claims give byte-identical tokens whether signed or reused.
  let first;
  let second;
  do {
    const before = Math.floor(Date.now() / 1000);
    first = await signer.sign();
    second = await signer.sign();
    if (Math.floor(Date.now() / 1000) === before) break;
  } while (true);
  assert.equal(first, second);
  const payload = Buffer.from(first.split('.')[1], 'base64url').toString();
  assert.match(payload, /"iat":\d+,/, 'iat is written as an integer');
  assert.doesNotMatch(payload, /\d\.0[,}]/, 'no NumericDate written as a float');
  const claims = JSON.parse(payload);
  assert.equal(claims.exp - claims.iat, 3600);
  const other = await signer.sign({ aud: 'someone-else' });
  assert.notEqual(other, first);
  assert.equal(JSON.parse(Buffer.from(other.split('.')[1], 'base64url')).aud, 'someone-else');
  const again = await signer.sign();
  const [h, c, sig] = again.split('.');
  const [key] = signer.jwks.keys;
  assert.equal(crypto.verify('sha256', Buffer.from(`${h}.${c}`), crypto.createPublicKey({ key, format: 'jwk' }), Buffer.from(sig, 'base64url')), true);
});

test('deliverOverHttp({signWith}) signs every POST; a bot that checks rejects unsigned ones', async () => {
  const signer = await createCallbackSigner({ audience: APP });
  const seen = [];
  const server = http.createServer(async (req, res) => {
    req.resume();
    const result = await verifyCallbackToken(req.headers.authorization, { jwks: signer.jwks, audience: APP });
    seen.push(result.valid ? 'valid' : result.reason);
    res.writeHead(result.valid ? 202 : 401).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const callbackUri = `http://127.0.0.1:${server.address().port}/api/calls`;
  try {
    const graph = new GraphSimulator({ seed: 2 });
    graph.incomingCall({ callbackUri });
    await graph.run(100, deliverOverHttp({ signWith: signer }));
    assert.deepEqual(seen, ['valid']);
    graph.incomingCall({ callbackUri });
    await assert.rejects(graph.run(100, deliverOverHttp()), (err) => err.code === 'deliveryFailed' && /401/.test(err.message));
    assert.deepEqual(seen, ['valid', 'missing']);
    const failing = { sign: () => Promise.reject(new Error('vault down')) };
    graph.incomingCall({ callbackUri });
    await assert.rejects(graph.run(100, deliverOverHttp({ signWith: failing })), (err) => err.code === 'deliveryFailed');
    assertRefused(() => deliverOverHttp({ signWith: {} }), 'invalidArgument', '/signWith');
    assertRefused(() => deliverOverHttp({ signwith: signer }), 'invalidArgument', '/signwith');
    graph.free();
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test("a simulator given a signer serves its OpenID configuration and keys through fetch, where the configuration says", async () => {
  const signer = await createCallbackSigner({ audience: APP });
  const graph = new GraphSimulator({ seed: 1, signer });
  const config = await (await graph.fetch('https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration')).json();
  assert.deepEqual(config, signer.openIdConfiguration);
  const keys = await graph.fetch(config.jwks_uri);
  assert.equal(keys.status, 200);
  assert.equal(keys.headers.get('content-type'), 'application/json');
  assert.deepEqual(await keys.json(), signer.jwks);
  assert.equal((await graph.fetch('https://api.aps.skype.com/.well-known/openidconfiguration')).status, 200);
  await assert.rejects(graph.fetch('https://api.aps.skype.com/v1/other'), TypeError);
  await assert.rejects(graph.fetch(config.jwks_uri, { method: 'POST', body: '{}' }), TypeError);
  assert.equal('signer' in graph.scenario(), false, 'a signer is not part of a scenario');
  graph.free();

  // A signer of the user's own jwksUri: served there.
  const own = await createCallbackSigner({ jwksUri: 'https://keys.example/tenant/keys.json' });
  const elsewhere = new GraphSimulator({ signer: own });
  assert.deepEqual(await (await elsewhere.fetch('https://keys.example/tenant/keys.json?v=2')).json(), own.jwks);
  assert.equal((await elsewhere.fetch('https://keys.example/v1/.well-known/OpenIdConfiguration')).status, 200);
  elsewhere.free();

  // Without the option, run() with deliverOverHttp({signWith}) registers the signer.
  const server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(202).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const later = new GraphSimulator();
  await assert.rejects(later.fetch(config.jwks_uri), TypeError, 'not served before');
  later.incomingCall({ callbackUri: `http://127.0.0.1:${server.address().port}/api/calls` });
  await later.run(0, deliverOverHttp({ signWith: signer }));
  assert.deepEqual(await (await later.fetch(config.jwks_uri)).json(), signer.jwks);
  later.free();
  server.closeAllConnections();
  server.close();

  assertRefused(() => new GraphSimulator({ signer: {} }), 'invalidArgument', '/signer');
  assertRefused(() => new GraphSimulator({ signer: 'key' }), 'invalidArgument', '/signer');
  assertRefused(() => new GraphSimulator({ signer: { jwks: { keys: [] }, openIdConfiguration: { jwks_uri: 'keys' } } }), 'invalidArgument', '/signer');
});

test("requireBearer: Graph answers a request without the bot's Bearer token 401 InvalidAuthenticationToken", async () => {
  const graph = new GraphSimulator({ seed: 2, requireBearer: true });
  const call = graph.incomingCall({ callbackUri: 'https://bot.example/api/calls', callId: 'c-1' });
  const answer = (headers) =>
    graph.fetch('https://graph.microsoft.com/v1.0/communications/calls/c-1/answer', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'client-request-id': '11111111-2222-4333-8444-555555555555', ...headers },
      body: JSON.stringify({ callbackUri: 'https://bot.example/api/calls', acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } }),
    });
  for (const [headers, message] of [[{}, 'Access token is empty.'], [{ Authorization: 'Basic dXNlcg==' }, /CompactToken/], [{ Authorization: 'Bearer ' }, 'Access token is empty.']]) {
    const refused = await answer(headers);
    assert.equal(refused.status, 401);
    assert.match(refused.headers.get('www-authenticate'), /^Bearer /);
    assert.equal(refused.headers.get('client-request-id'), '11111111-2222-4333-8444-555555555555');
    const { error } = await refused.json();
    assert.equal(error.code, 'InvalidAuthenticationToken');
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    assert.equal(typeof error.innerError['request-id'], 'string');
  }
  assert.equal(call.state, 'incoming', 'a refused request changes nothing');
  assert.equal((await answer({ Authorization: 'Bearer eyJ0eXAiOiJKV1QifQ.e30.sig' })).status, 202);
  assert.equal(graph.scenario().requireBearer, true, 'a scenario keeps the check');
  graph.free();
  const open = new GraphSimulator();
  open.incomingCall({ callbackUri: 'https://bot.example/api/calls', callId: 'c-2' });
  const unsigned = await open.fetch('https://graph.microsoft.com/v1.0/communications/calls/c-2', {});
  assert.equal(unsigned.status, 200, 'off by default');
  open.free();
  assertRefused(() => new GraphSimulator({ requireBearer: 'yes' }), 'invalidArgument', '/requireBearer');
});
