// verifyCallbackToken side by side with jose, the JOSE library a JS user trusts: hundreds of
// crafted tokens (forged, unsigned, algorithm-confused, extension headers, bad kids and key
// sets, altered signatures, JWE-shaped, odd encodings, every claim and time boundary), each
// checked by both. graph-ivr must never accept what jose (RS256 only, Graph's two issuers, the
// audience, 300 s tolerance, plus the tenant rule) refuses; where graph-ivr is the stricter one,
// the token's class must be one the README names as stricter.
import test from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { createCallbackSigner, verifyCallbackToken } from 'graph-ivr';

const APP = '5ab2ac4a-0d5f-4c2b-9a35-1f4a3b6f2d10';
const TENANT = '57dab8b1-894c-409a-b240-bd8beae78896';
const OTHER_TENANT = '0fe0623f-d628-42ed-b4bd-8ac290072cc5';
const TENANT_CLAIM = 'http://schemas.microsoft.com/identity/claims/tenantid';
const ISSUERS = ['https://graph.microsoft.com', 'https://api.botframework.com'];
// A wall clock with milliseconds: whole seconds and the instants between them both matter.
const NOW_MS = 1_800_000_000_600;
const NOW = Math.floor(NOW_MS / 1000);

/** Where graph-ivr refuses what jose accepts, on purpose (README: "Stricter than jose"). */
const STRICTER = new Set(['noKid', 'noExp', 'padding', 'expInMilliseconds', 'duplicateKeys', 'byteOrderMark', 'deepNesting', 'hugeExp', 'crit', 'b64', 'privateKeyInSet']);

const b64 = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const rsa = () => crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const main = rsa();
const other = rsa();
const small = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ed = crypto.generateKeyPairSync('ed25519');
const publicJwk = (pair, extra) => ({ ...pair.publicKey.export({ format: 'jwk' }), ...extra });
const baseKeys = [publicJwk(main, { kid: 'main', use: 'sig', alg: 'RS256' }), publicJwk(small, { kid: 'small' }), publicJwk(ec, { kid: 'ec' })];
const jwksOf = (...replace) => ({ keys: [...baseKeys.slice(0, 0), ...replace, ...baseKeys.slice(1)] });
const JWKS = { keys: baseKeys };

/** Signs `input` as `alg` says, with `key` (a node:crypto key pair, or a secret for HS256). */
function signature(alg, input, pair = main) {
  const data = Buffer.from(input);
  switch (alg) {
    case 'RS256':
      return crypto.sign('sha256', data, pair.privateKey);
    case 'PS256':
      return crypto.sign('sha256', data, { key: pair.privateKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    case 'ES256':
      return crypto.sign('sha256', data, { key: ec.privateKey, dsaEncoding: 'ieee-p1363' });
    case 'EdDSA':
      return crypto.sign(null, data, ed.privateKey);
    case 'HS256':
      return crypto.createHmac('sha256', main.publicKey.export({ format: 'pem', type: 'spki' })).update(data).digest();
    default:
      return Buffer.alloc(0);
  }
}

const goodClaims = () => ({ iss: ISSUERS[0], aud: APP, iat: NOW - 10, nbf: NOW - 10, exp: NOW + 3600, tid: TENANT });
const goodHeader = () => ({ alg: 'RS256', typ: 'JWT', kid: 'main' });

/** A token from parts: header and claims as objects or raw JSON text, the signing algorithm
 *  and key, and its classes (what it tests; STRICTER ones may be refused by graph-ivr alone). */
function token({ header = goodHeader(), claims = goodClaims(), signWith = 'RS256', pair = main, headerText, claimsText, tamper, jwks = JWKS, classes = [] }) {
  const h = headerText !== undefined ? b64(headerText) : b64(header);
  const c = claimsText !== undefined ? b64(claimsText) : b64(claims);
  const input = `${h}.${c}`;
  let jwt = `${input}.${signature(signWith, input, pair).toString('base64url')}`;
  if (tamper) jwt = tamper(jwt);
  return { jwt, jwks, classes };
}

/** The classes of tokens the issue lists, each as one or more tokens. */
function crafted() {
  const list = [];
  const add = (name, spec) => list.push({ name, ...token({ ...spec, classes: [name, ...(spec.classes ?? [])] }) });
  add('valid', {});
  add('valid botframework issuer', { claims: { ...goodClaims(), iss: ISSUERS[1] } });
  add('valid long tenant claim', { claims: { ...goodClaims(), tid: undefined, [TENANT_CLAIM]: TENANT } });
  add('valid audience array', { claims: { ...goodClaims(), aud: ['someone', APP] } });
  // Algorithm confusion and unsigned tokens.
  add('alg none', { header: { ...goodHeader(), alg: 'none' }, signWith: 'none' });
  add('alg none, RS256 signature', { header: { ...goodHeader(), alg: 'none' } });
  add('HS256 keyed with the public key', { header: { ...goodHeader(), alg: 'HS256' }, signWith: 'HS256' });
  add('PS256', { header: { ...goodHeader(), alg: 'PS256' }, signWith: 'PS256' });
  add('ES256', { header: { ...goodHeader(), alg: 'ES256', kid: 'ec' }, signWith: 'ES256' });
  add('EdDSA', { header: { ...goodHeader(), alg: 'EdDSA' }, signWith: 'EdDSA' });
  add('no alg', { header: { typ: 'JWT', kid: 'main' } });
  add('alg lower case', { header: { ...goodHeader(), alg: 'rs256' } });
  // Keys the token brings along, and key ids.
  add('embedded jwk', { header: { ...goodHeader(), jwk: publicJwk(other, {}) }, pair: other });
  add('jku', { header: { ...goodHeader(), jku: 'https://evil.example/keys' }, pair: other });
  add('x5u', { header: { ...goodHeader(), x5u: 'https://evil.example/cert' }, pair: other });
  add('signed by another key', { pair: other });
  add('no kid', { header: { alg: 'RS256', typ: 'JWT' }, jwks: { keys: [baseKeys[0]] }, classes: ['noKid'] });
  add('unknown kid', { header: { ...goodHeader(), kid: 'nobody' } });
  add('kid a number', { header: { ...goodHeader(), kid: 7 } });
  add('kid of the EC key', { header: { ...goodHeader(), kid: 'ec' } });
  add('1024-bit key', { header: { ...goodHeader(), kid: 'small' }, pair: small });
  // Altered signatures and shapes.
  add('signature bit flipped', { tamper: (t) => t.slice(0, -6) + (t.at(-6) === 'A' ? 'B' : 'A') + t.slice(-5) });
  add('signature truncated', { tamper: (t) => t.slice(0, -10) });
  add('signature empty', { tamper: (t) => t.slice(0, t.lastIndexOf('.') + 1) });
  add('payload swapped', { tamper: (t) => { const [h, , s] = t.split('.'); return `${h}.${b64({ ...goodClaims(), aud: 'x' })}.${s}`; } });
  add('JWE-shaped', { tamper: (t) => `${b64({ alg: 'RSA-OAEP', enc: 'A256GCM', kid: 'main' })}.${t.split('.')[1]}.AAAA.BBBB.CCCC` });
  add('two parts', { tamper: (t) => t.split('.').slice(0, 2).join('.') });
  add('four parts', { tamper: (t) => `${t}.AAAA` });
  // Extension headers.
  add('crit exp', { header: { ...goodHeader(), crit: ['exp'], exp: NOW + 60 }, classes: ['crit'] });
  add('crit unknown', { header: { ...goodHeader(), crit: ['x-unknown'], 'x-unknown': 1 }, classes: ['crit'] });
  add('crit empty', { header: { ...goodHeader(), crit: [] }, classes: ['crit'] });
  add('crit b64 false', { header: { ...goodHeader(), crit: ['b64'], b64: false }, classes: ['crit', 'b64'] });
  add('crit b64 true', { header: { ...goodHeader(), crit: ['b64'], b64: true }, classes: ['crit'] });
  add('b64 false without crit', { header: { ...goodHeader(), b64: false }, classes: ['b64'] });
  add('b64 a string', { header: { ...goodHeader(), b64: 'no' }, classes: ['b64'] });
  add('b64 true', { header: { ...goodHeader(), b64: true } });
  // Encodings of the segments.
  add('duplicate header keys', { headerText: '{"alg":"RS256","typ":"JWT","kid":"nobody","kid":"main"}', classes: ['duplicateKeys'] });
  add('duplicate alg', { headerText: '{"alg":"none","alg":"RS256","kid":"main"}', classes: ['duplicateKeys'] });
  add('duplicate claim', { claimsText: JSON.stringify(goodClaims()).replace('{', `{"aud":"someone",`), classes: ['duplicateKeys'] });
  add('byte-order mark in the header', { headerText: `\ufeff${JSON.stringify(goodHeader())}`, classes: ['byteOrderMark'] });
  add('deeply nested claim', { claimsText: JSON.stringify({ ...goodClaims(), deep: JSON.parse('['.repeat(80) + ']'.repeat(80)) }), classes: ['deepNesting'] });
  add('header not an object', { headerText: '["RS256"]' });
  add('header not JSON', { headerText: '{alg:RS256}' });
  add('claims not an object', { claimsText: '"claims"' });
  add('claims not UTF-8', { tamper: (t) => { const [h, , s] = t.split('.'); return `${h}.${Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')}.${s}`; } });
  add('padded signature', { tamper: (t) => `${t}==`, classes: ['padding'] });
  add('whitespace in a segment', { tamper: (t) => t.replace('.', ' .') });
  add('standard base64 signature', { tamper: (t) => { const parts = t.split('.'); parts[2] = Buffer.from(parts[2], 'base64url').toString('base64').replace(/=+$/, ''); return parts.join('.'); } });
  // Issuers.
  for (const iss of ['https://graph.microsoft.com/', 'https://graph.microsoft.com//', 'https://GRAPH.microsoft.com', 'https://evil.example', '', 7, null, undefined]) {
    add(`iss ${JSON.stringify(iss)}`, { claims: { ...goodClaims(), iss } });
  }
  // Audiences.
  for (const aud of ['someone', [APP.toUpperCase()], [], 5, null, undefined, [5, APP]]) {
    add(`aud ${JSON.stringify(aud)}`, { claims: { ...goodClaims(), aud } });
  }
  // Tenants.
  const tenants = [
    ['tid only', { tid: TENANT }],
    ['tid in capitals without hyphens', { tid: TENANT.toUpperCase().replaceAll('-', '') }],
    ['long claim only', { tid: undefined, [TENANT_CLAIM]: TENANT }],
    ['both agree', { tid: TENANT, [TENANT_CLAIM]: TENANT }],
    ['tid wrong, long right', { tid: OTHER_TENANT, [TENANT_CLAIM]: TENANT }],
    ['tid right, long wrong', { tid: TENANT, [TENANT_CLAIM]: OTHER_TENANT }],
    ['no tenant', { tid: undefined }],
    ['tid a number', { tid: 57, [TENANT_CLAIM]: TENANT }],
  ];
  for (const [name, claims] of tenants) add(`tenant: ${name}`, { claims: { ...goodClaims(), ...claims } });
  // Times: every boundary at the exact second, both sides, with and without the tolerance.
  for (const offset of [-301, -300, -299, -1, 0, 1, 299, 300, 301]) {
    add(`exp now${offset >= 0 ? '+' : ''}${offset}`, { claims: { ...goodClaims(), exp: NOW + offset } });
    add(`nbf now${offset >= 0 ? '+' : ''}${offset}`, { claims: { ...goodClaims(), nbf: NOW + offset } });
  }
  add('exp fractional at the edge', { claims: { ...goodClaims(), exp: NOW - 300 + 0.5 }, classes: ['expInMilliseconds'] });
  add('nbf fractional at the edge', { claims: { ...goodClaims(), nbf: NOW + 300 + 0.5 } });
  add('no exp', { claims: { ...goodClaims(), exp: undefined }, classes: ['noExp'] });
  add('exp a string', { claims: { ...goodClaims(), exp: String(NOW + 60) } });
  add('nbf a string', { claims: { ...goodClaims(), nbf: 'now' } });
  add('iat a string', { claims: { ...goodClaims(), iat: 'today' } });
  add('iat in the future', { claims: { ...goodClaims(), iat: NOW + 86_400 } });
  add('exp huge', { claimsText: JSON.stringify(goodClaims()).replace(/"exp":\d+/, '"exp":1e400'), classes: ['hugeExp'] });
  add('exp 1e300', { claims: { ...goodClaims(), exp: 1e300 } });
  // Key sets.
  add('key_ops encrypt', { jwks: jwksOf({ ...baseKeys[0], key_ops: ['encrypt'] }) });
  add('key_ops verify', { jwks: jwksOf({ ...baseKeys[0], key_ops: ['verify'] }) });
  add('key_ops not an array', { jwks: jwksOf({ ...baseKeys[0], key_ops: 'verify' }) });
  add('use enc', { jwks: jwksOf({ ...baseKeys[0], use: 'enc' }) });
  add('use a number', { jwks: jwksOf({ ...baseKeys[0], use: 1 }), });
  add('key alg PS256', { jwks: jwksOf({ ...baseKeys[0], alg: 'PS256' }) });
  add('ext not a boolean', { jwks: jwksOf({ ...baseKeys[0], ext: 'yes' }) });
  add('key not RSA', { jwks: jwksOf({ ...publicJwk(ec, {}), kid: 'main' }) });
  add('same kid twice', { jwks: { keys: [baseKeys[0], { ...publicJwk(other, {}), kid: 'main' }] } });
  add('same kid twice, same key', { jwks: { keys: [baseKeys[0], baseKeys[0]] } });
  add('private key in the set', { jwks: { keys: [{ ...main.privateKey.export({ format: 'jwk' }), kid: 'main' }] }, classes: ['privateKeyInSet'] });
  add('a private key beside the public one', { jwks: { keys: [baseKeys[0], { ...other.privateKey.export({ format: 'jwk' }), kid: 'other' }] }, classes: ['privateKeyInSet'] });
  return list;
}

/** Random tokens: a valid one with a few of these changes, drawn from a seeded generator. */
function generated(count, seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const pick = (xs) => xs[Math.floor(next() * xs.length)];
  const changes = [
    (s) => ({ ...s, claims: { ...s.claims, exp: NOW + pick([-400, -300, -299, 0, 1, 299, 300, 3600]) } }),
    (s) => ({ ...s, claims: { ...s.claims, nbf: NOW + pick([-10, 0, 299, 300, 301, 600]) } }),
    (s) => ({ ...s, claims: { ...s.claims, iss: pick([...ISSUERS, `${ISSUERS[0]}/`, 'https://login.microsoftonline.com', undefined]) } }),
    (s) => ({ ...s, claims: { ...s.claims, aud: pick([APP, [APP], 'other', ['other'], undefined]) } }),
    (s) => ({ ...s, claims: { ...s.claims, tid: pick([TENANT, OTHER_TENANT, undefined]), [TENANT_CLAIM]: pick([TENANT, OTHER_TENANT, undefined]) } }),
    (s) => ({ ...s, header: { ...s.header, alg: pick(['RS256', 'RS384', 'PS256', 'none', 'HS256']) } }),
    (s) => ({ ...s, header: { ...s.header, kid: pick(['main', 'small', 'ec', 'x']) } }),
    (s) => ({ ...s, pair: pick([main, other]) }),
    (s) => ({ ...s, header: { ...s.header, crit: pick([undefined, ['b64'], ['exp']]), b64: pick([undefined, true, false]) }, classes: [...s.classes, 'crit', 'b64'] }),
    (s) => ({ ...s, jwks: jwksOf({ ...baseKeys[0], key_ops: pick([undefined, ['verify'], ['sign'], ['verify', 'sign']]), use: pick([undefined, 'sig', 'enc']) }) }),
  ];
  const list = [];
  for (let i = 0; i < count; i++) {
    let spec = { header: goodHeader(), claims: goodClaims(), pair: main, jwks: JWKS, classes: [] };
    const n = 1 + Math.floor(next() * 3);
    for (let k = 0; k < n; k++) spec = pick(changes)(spec);
    list.push({ name: `generated ${i}`, ...token(spec) });
  }
  return list;
}

/** jose's verdict, with the tenant rule graph-ivr applies on top of the claims jose checks:
 *  every tenant claim present names the tenant, and there is one. */
async function joseAccepts({ jwt, jwks }) {
  try {
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), { algorithms: ['RS256'], issuer: ISSUERS, audience: APP, clockTolerance: 300, currentDate: new Date(NOW_MS) });
    const named = [payload.tid, payload[TENANT_CLAIM]].filter((t) => t !== undefined);
    const same = (t) => typeof t === 'string' && t.replaceAll('-', '').toLowerCase() === TENANT.replaceAll('-', '');
    return named.length > 0 && named.every(same);
  } catch {
    return false;
  }
}

/** graph-ivr's verdict; a key set it refuses as an option (a private key) is a refusal. */
async function ivrAccepts({ jwt, jwks }) {
  try {
    const result = await verifyCallbackToken(`Bearer ${jwt}`, { jwks, audience: APP, tenantId: TENANT, now: NOW_MS });
    assert.equal(typeof result.valid, 'boolean');
    if (!result.valid) assert.equal(typeof result.reason, 'string');
    return result.valid;
  } catch (err) {
    assert.equal(err.code, 'invalidArgument', `only bad options reject: ${err}`);
    return false;
  }
}

test('graph-ivr never accepts a token jose refuses, and refuses one jose accepts only where the README says it is stricter', async () => {
  const tokens = [...crafted(), ...generated(400, 23)];
  assert.ok(tokens.length >= 500, `${tokens.length} tokens`);
  const acceptedOnlyByIvr = [];
  const refusedOnlyByIvr = [];
  let bothAccept = 0;
  for (const t of tokens) {
    const [jose, ivr] = await Promise.all([joseAccepts(t), ivrAccepts(t)]);
    if (ivr && !jose) acceptedOnlyByIvr.push(t.name);
    if (jose && !ivr && !t.classes.some((c) => STRICTER.has(c))) refusedOnlyByIvr.push(t.name);
    if (jose && ivr) bothAccept++;
  }
  assert.deepEqual(acceptedOnlyByIvr, [], 'graph-ivr accepted tokens jose refuses');
  assert.deepEqual(refusedOnlyByIvr, [], 'graph-ivr refused tokens jose accepts, outside the classes it is stricter on');
  // Not a verifier that refuses everything: the good tokens pass both.
  assert.ok(bothAccept >= 30, `${bothAccept} tokens accepted by both`);
});

test('each class graph-ivr is stricter on is refused by graph-ivr and accepted by jose (the README lists them)', async () => {
  const byClass = new Map();
  for (const t of crafted()) for (const c of t.classes) if (STRICTER.has(c)) byClass.set(c, [...(byClass.get(c) ?? []), t]);
  for (const c of STRICTER) assert.ok(byClass.has(c), `a token of class ${c}`);
  for (const [c, tokens] of byClass) {
    for (const t of tokens) assert.equal(await ivrAccepts(t), false, `${t.name} (${c})`);
    const joseTakes = await Promise.all(tokens.map(joseAccepts));
    // The class exists because jose accepts some of its tokens.
    assert.ok(joseTakes.some(Boolean), `jose accepts a token of class ${c}: ${tokens.map((t, i) => `${t.name} ${joseTakes[i]}`).join(', ')}`);
  }
});

test('the refusals name what is wrong', async () => {
  const reasons = new Map();
  for (const t of crafted()) {
    try {
      const r = await verifyCallbackToken(`Bearer ${t.jwt}`, { jwks: t.jwks, audience: APP, tenantId: TENANT, now: NOW_MS });
      reasons.set(t.name, r.valid ? 'valid' : `${r.reason}: ${r.message}`);
    } catch (err) {
      reasons.set(t.name, `${err.code} ${err.path}: ${err.message}`);
    }
  }
  assert.match(reasons.get('crit empty'), /^malformed: .*crit.*RFC 7515/);
  assert.match(reasons.get('b64 false without crit'), /^malformed: .*b64 is false/);
  assert.match(reasons.get('duplicate header keys'), /^malformed: the header repeats the key "kid"/);
  assert.match(reasons.get('duplicate claim'), /^malformed: the payload repeats the key "aud"/);
  assert.match(reasons.get('byte-order mark in the header'), /^malformed: the header starts with a byte-order mark/);
  assert.match(reasons.get('deeply nested claim'), /^malformed: the payload is not JSON: .*nest deeper than 64/);
  assert.match(reasons.get('header not an object'), /^malformed: the header is JSON but not an object/);
  assert.match(reasons.get('header not JSON'), /^malformed: the header is not JSON: /);
  assert.match(reasons.get('key_ops encrypt'), /^unknownKey: .*key_ops.*\["verify"\]/);
  assert.match(reasons.get('same kid twice'), /^unknownKey: .*more than one key "main"/);
  assert.match(reasons.get('private key in the set'), /^invalidArgument \/jwks\/keys\/0\/d: .*private key/);
  assert.match(reasons.get('a private key beside the public one'), /^invalidArgument \/jwks\/keys\/1\/d: /);
  assert.match(reasons.get('iss "https://graph.microsoft.com/"'), /^issuerMismatch/);
  assert.match(reasons.get('tenant: tid right, long wrong'), /^tenantMismatch/);
  assert.match(reasons.get('tenant: tid wrong, long right'), /^tenantMismatch/);
  assert.equal(reasons.get('tenant: both agree'), 'valid');
  assert.match(reasons.get('exp now-300'), /^expired/);
  assert.equal(reasons.get('exp now-299'), 'valid');
  assert.equal(reasons.get('nbf now+300'), 'valid');
  assert.match(reasons.get('nbf now+301'), /^notYetValid/);
  assert.match(reasons.get('iat a string'), /^malformed: iat is not a number/);
});

test("createCallbackSigner's tokens verify with jose against the signer's jwks; weak or mismatched keys are refused", async () => {
  const signer = await createCallbackSigner({ audience: APP, tenantId: TENANT });
  const jwt = await signer.sign();
  const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(signer.jwks), { algorithms: ['RS256'], issuer: ISSUERS, audience: APP });
  assert.equal(protectedHeader.kid, signer.jwks.keys[0].kid);
  for (const claim of ['iat', 'nbf', 'exp']) assert.ok(Number.isInteger(payload[claim]), `${claim} is an integer`);
  assert.doesNotMatch(Buffer.from(jwt.split('.')[1], 'base64url').toString(), /\.0[,}]/);
  // The signer's own key, given as a JWK, signs tokens jose takes too.
  const own = await createCallbackSigner({ privateKey: main.privateKey.export({ format: 'jwk' }), audience: APP });
  await jwtVerify(await own.sign(), createLocalJWKSet(own.jwks), { algorithms: ['RS256'], audience: APP });

  await assert.rejects(createCallbackSigner({ privateKey: small.privateKey.export({ format: 'jwk' }) }), (err) => err.code === 'invalidArgument' && err.path === '/privateKey/n' && /1024 bits/.test(err.message));
  const mismatched = { ...main.privateKey.export({ format: 'jwk' }), n: other.publicKey.export({ format: 'jwk' }).n };
  await assert.rejects(createCallbackSigner({ privateKey: mismatched }), (err) => err.code === 'invalidArgument' && err.path.startsWith('/privateKey'));
  await assert.rejects(signer.sign(5), (err) => err.code === 'invalidArgument');
});
