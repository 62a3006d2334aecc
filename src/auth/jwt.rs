//! A compact JWS (`header.payload.signature`, base64url) read as far as can be without a key:
//! its header, claims, signing input and signature, and the JWK its `kid` names.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{Map, Value};

use super::{Refusal, TokenFailure};

/// Longer `Authorization` values are refused unread (Graph's tokens are 1–2 KiB).
pub const MAX_TOKEN_BYTES: usize = 16 * 1024;
/// RSA keys shorter than this are refused (RS256 keys are 2048 bits or more).
pub const MIN_RSA_BITS: usize = 2048;

/// The size in bits of an RSA modulus written as a JWK's `n`, or `None` if it is not base64url.
pub fn modulus_bits(n: &str) -> Option<usize> {
    let modulus = decode(n).ok()?;
    Some(
        modulus
            .iter()
            .position(|b| *b != 0)
            .map_or(0, |first| (modulus.len() - first) * 8 - modulus[first].leading_zeros() as usize),
    )
}

/// A token ready for its signature check.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// `header.payload`, the bytes RS256 signs.
    pub signing_input: String,
    pub signature: Vec<u8>,
    /// The public key to check it with, as a JWK WebCrypto imports: `{kty, n, e}`.
    pub key: Map<String, Value>,
    pub claims: Map<String, Value>,
}

/// Reads `Bearer <token>` and finds its key in `jwks` (`{keys: [JWK…]}`).
pub fn prepare(authorization: Option<&str>, jwks: &Value) -> Result<Prepared, Refusal> {
    let malformed = |why: &str| Refusal::new(TokenFailure::Malformed, why);
    let header = authorization.map(str::trim).unwrap_or_default();
    if header.is_empty() {
        return Err(Refusal::new(TokenFailure::Missing, "the callback has no Authorization header"));
    }
    if header.len() > MAX_TOKEN_BYTES {
        return Err(malformed(&format!(
            "the Authorization header has {} bytes; at most {MAX_TOKEN_BYTES} are read",
            header.len()
        )));
    }
    let token = match header.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
        _ => return Err(malformed("expected `Bearer <token>`")),
    };
    let parts: Vec<&str> = token.split('.').collect();
    let [head, payload, signature] = parts[..] else {
        return Err(malformed(&format!("a JWT has three dot-separated parts, this has {}", parts.len())));
    };
    let header = object_segment(head, "header")?;
    check_extensions(&header)?;
    match header.get("alg") {
        Some(Value::String(alg)) if alg == "RS256" => {}
        Some(Value::String(alg)) => {
            return Err(Refusal::new(
                TokenFailure::UnsupportedAlgorithm,
                format!("alg {alg:?}: only RS256 is accepted"),
            ))
        }
        _ => return Err(malformed("the header has no alg")),
    }
    let claims = object_segment(payload, "payload")?;
    let signature = decode(signature).map_err(|_| malformed("the signature is not base64url"))?;
    if signature.is_empty() {
        return Err(malformed("the signature is empty"));
    }
    let Some(Value::String(kid)) = header.get("kid") else {
        return Err(Refusal::new(TokenFailure::UnknownKey, "the header names no kid"));
    };
    let key = key_for(jwks, kid)?;
    Ok(Prepared { signing_input: signing_input(head, payload), signature, key, claims })
}

/// `header.payload` of encoded segments.
pub fn signing_input(header: &str, payload: &str) -> String {
    format!("{header}.{payload}")
}

/// base64url without padding, as JWS writes every segment.
pub fn encode_segment(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn decode(segment: &str) -> Result<Vec<u8>, base64::DecodeError> {
    URL_SAFE_NO_PAD.decode(segment)
}

/// Header parameters that change how a token must be read: `crit` lists extensions a verifier
/// must understand or refuse (RFC 7515 §4.1.11; graph-ivr understands none, and an empty list is
/// itself invalid), and `b64: false` (RFC 7797) signs the payload unencoded, which a JWT never
/// does.
fn check_extensions(header: &Map<String, Value>) -> Result<(), Refusal> {
    let malformed = |why: String| Refusal::new(TokenFailure::Malformed, why);
    if let Some(crit) = header.get("crit") {
        return Err(malformed(format!(
            "the header's crit ({crit}) names extensions graph-ivr does not understand (RFC 7515 §4.1.11)"
        )));
    }
    match header.get("b64") {
        None | Some(Value::Bool(true)) => Ok(()),
        Some(b64) => {
            Err(malformed(format!("the header's b64 is {b64}: a JWT's payload is always base64url (RFC 7797)")))
        }
    }
}

/// A segment that must be base64url of a JSON object.
fn object_segment(segment: &str, what: &str) -> Result<Map<String, Value>, Refusal> {
    let malformed = |why: String| Refusal::new(TokenFailure::Malformed, why);
    let bytes = decode(segment).map_err(|_| malformed(format!("the {what} is not base64url without padding")))?;
    let text = std::str::from_utf8(&bytes).map_err(|_| malformed(format!("the {what} is not UTF-8")))?;
    if text.starts_with('\u{feff}') {
        return Err(malformed(format!("the {what} starts with a byte-order mark (RFC 8259 §8.1 forbids one)")));
    }
    match graph_ivr_json::read(text) {
        // A repeated key is refused: which of the two a verifier reads is not defined.
        Ok(parsed) => match parsed.duplicates.first() {
            Some((_, key)) => Err(malformed(format!("the {what} repeats the key {key:?}"))),
            None => match parsed.value.to_json() {
                Value::Object(map) => Ok(map),
                _ => Err(malformed(format!("the {what} is JSON but not an object"))),
            },
        },
        Err(failure) => Err(malformed(format!("the {what} is not JSON: {failure}"))),
    }
}

/// The RSA signing key `kid` names, as `{kty, n, e}`.
fn key_for(jwks: &Value, kid: &str) -> Result<Map<String, Value>, Refusal> {
    let unknown = |why: String| Refusal::new(TokenFailure::UnknownKey, why);
    let keys = jwks.get("keys").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let mut named = keys.iter().filter(|k| k.get("kid").and_then(Value::as_str) == Some(kid));
    let Some(jwk) = named.next() else {
        return Err(unknown(format!("no key {kid:?} in the JWKS (keys rotate: refresh it)")));
    };
    if named.next().is_some() {
        return Err(unknown(format!("the JWKS has more than one key {kid:?}: which one signed is not known")));
    }
    let text = |name: &str| jwk.get(name).and_then(Value::as_str);
    if text("kty") != Some("RSA") {
        return Err(unknown(format!("key {kid:?} is {}, not an RSA key", text("kty").unwrap_or("untyped"))));
    }
    let is = |name: &str, wanted: &str| jwk.get(name).is_none_or(|v| v.as_str() == Some(wanted));
    if !is("use", "sig") || !is("alg", "RS256") || !jwk.get("ext").is_none_or(Value::is_boolean) {
        return Err(unknown(format!("key {kid:?} is not for RS256 signatures")));
    }
    // key_ops, when present, must allow verifying (RFC 7517 §4.3), and a public RSA signing
    // key can do nothing else: WebCrypto refuses to import one that claims more.
    if let Some(ops) = jwk.get("key_ops") {
        if ops.as_array().is_none_or(|ops| ops.iter().map(Value::as_str).ne([Some("verify")])) {
            return Err(unknown(format!(
                "key {kid:?} has key_ops {ops}: a public key to verify with has [\"verify\"]"
            )));
        }
    }
    let (Some(n), Some(e)) = (text("n"), text("e")) else {
        return Err(unknown(format!("key {kid:?} lacks its modulus or exponent")));
    };
    let bits = modulus_bits(n).ok_or_else(|| unknown(format!("key {kid:?} has a modulus that is not base64url")))?;
    if bits < MIN_RSA_BITS {
        return Err(unknown(format!("key {kid:?} is {bits} bits; RS256 keys have at least {MIN_RSA_BITS}")));
    }
    if decode(e).map_or(true, |e| e.is_empty()) {
        return Err(unknown(format!("key {kid:?} has an exponent that is not base64url")));
    }
    let mut key = Map::new();
    for name in ["kty", "n", "e"] {
        key.insert(name.into(), Value::String(text(name).unwrap_or_default().to_owned()));
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn segment(text: &str) -> String {
        encode_segment(text.as_bytes())
    }

    /// A modulus of `bits` bits (its first byte's top bit set), as a JWK writes it.
    fn modulus(bits: usize) -> String {
        encode_segment(&vec![0xff; bits / 8])
    }

    fn key(extra: Value) -> Value {
        let mut key = json!({"kty": "RSA", "kid": "main", "n": modulus(2048), "e": "AQAB"});
        if let (Value::Object(key), Value::Object(extra)) = (&mut key, extra) {
            key.extend(extra);
        }
        key
    }

    fn token(header: &str, claims: &str) -> String {
        format!("Bearer {}.{}.{}", segment(header), segment(claims), encode_segment(b"signature"))
    }

    const HEADER: &str = r#"{"alg":"RS256","kid":"main"}"#;
    const CLAIMS: &str = r#"{"aud":"app"}"#;

    /// `prepare`'s verdict: `Ok` with the key's members, or the reason and message.
    fn read(authorization: Option<&str>, jwks: &Value) -> Result<Vec<String>, (&'static str, String)> {
        prepare(authorization, jwks)
            .map(|p| p.key.keys().cloned().collect())
            .map_err(|r| (r.reason.as_str(), r.message))
    }

    fn reason(header: &str, claims: &str, jwks: &Value) -> Option<&'static str> {
        read(Some(&token(header, claims)), jwks).err().map(|(reason, _)| reason)
    }

    fn message(header: &str, claims: &str, jwks: &Value) -> String {
        read(Some(&token(header, claims)), jwks).err().map(|(_, message)| message).unwrap_or_default()
    }

    #[test]
    fn a_good_token_gives_its_key_claims_and_signing_input() {
        let jwks = json!({"keys": [key(json!({"use": "sig", "alg": "RS256", "key_ops": ["verify"], "ext": true}))]});
        let authorization = token(HEADER, CLAIMS);
        let prepared = prepare(Some(&authorization), &jwks).expect("prepared");
        assert_eq!(
            prepared.key,
            key(json!({}))
                .as_object()
                .cloned()
                .map(|mut k| {
                    k.remove("kid");
                    k
                })
                .unwrap_or_default()
        );
        assert_eq!(prepared.claims.get("aud"), Some(&json!("app")));
        assert_eq!(prepared.signature, b"signature");
        assert_eq!(prepared.signing_input, format!("{}.{}", segment(HEADER), segment(CLAIMS)));
        assert_eq!(read(Some(&format!("  bearer {}  ", &authorization[7..])), &jwks).map(|k| k.len()), Ok(3));
    }

    #[test]
    fn the_header_line_itself() {
        let jwks = json!({"keys": [key(json!({}))]});
        assert_eq!(read(None, &jwks).err().map(|e| e.0), Some("missing"));
        assert_eq!(read(Some("  "), &jwks).err().map(|e| e.0), Some("missing"));
        assert_eq!(read(Some("Basic a.b.c"), &jwks).err().map(|e| e.1), Some("expected `Bearer <token>`".into()));
        assert_eq!(read(Some("abc"), &jwks).err().map(|e| e.1), Some("expected `Bearer <token>`".into()));
        assert_eq!(
            read(Some("Bearer a.b"), &jwks).err().map(|e| e.1),
            Some("a JWT has three dot-separated parts, this has 2".into())
        );
        // 16 KiB are read; one byte more is refused unread.
        let huge = format!("Bearer {}", "a".repeat(16_384 - 6));
        assert_eq!(
            read(Some(&huge), &jwks).err().map(|e| e.1),
            Some("the Authorization header has 16385 bytes; at most 16384 are read".into())
        );
        let at_limit = format!("Bearer {}", "a".repeat(16_384 - 7));
        assert_eq!(
            read(Some(&at_limit), &jwks).err().map(|e| e.1),
            Some("a JWT has three dot-separated parts, this has 1".into())
        );
    }

    #[test]
    fn segments_say_what_is_wrong() {
        let jwks = json!({"keys": [key(json!({}))]});
        assert_eq!(
            message(r#"{"alg":"RS256","kid":"x","kid":"main"}"#, CLAIMS, &jwks),
            "the header repeats the key \"kid\""
        );
        assert_eq!(message(HEADER, r#"{"aud":"a","aud":"app"}"#, &jwks), "the payload repeats the key \"aud\"");
        assert!(message(&format!("\u{feff}{HEADER}"), CLAIMS, &jwks).contains("byte-order mark"));
        assert!(
            message(HEADER, &format!("{}{}", "[".repeat(70), "]".repeat(70)), &jwks).contains("nest deeper than 64")
        );
        assert_eq!(message(r#"["RS256"]"#, CLAIMS, &jwks), "the header is JSON but not an object");
        assert!(message("{alg", CLAIMS, &jwks).starts_with("the header is not JSON: "));
        let not_base64 = read(Some(&format!("Bearer {}.{}.{}", "a*", segment(CLAIMS), "c2ln")), &jwks);
        assert_eq!(not_base64.err().map(|e| e.1), Some("the header is not base64url without padding".into()));
        let not_utf8 =
            read(Some(&format!("Bearer {}.{}.c2ln", segment(HEADER), encode_segment(&[0x7b, 0xff, 0x7d]))), &jwks);
        assert_eq!(not_utf8.err().map(|e| e.1), Some("the payload is not UTF-8".into()));
        let no_signature = read(Some(&format!("Bearer {}.{}.", segment(HEADER), segment(CLAIMS))), &jwks);
        assert_eq!(no_signature.err().map(|e| e.1), Some("the signature is empty".into()));
        let bad_signature = read(Some(&format!("Bearer {}.{}.c2ln=", segment(HEADER), segment(CLAIMS))), &jwks);
        assert_eq!(bad_signature.err().map(|e| e.1), Some("the signature is not base64url".into()));
    }

    #[test]
    fn algorithms_and_extensions() {
        let jwks = json!({"keys": [key(json!({}))]});
        assert_eq!(reason(r#"{"alg":"none","kid":"main"}"#, CLAIMS, &jwks), Some("unsupportedAlgorithm"));
        assert_eq!(reason(r#"{"alg":"HS256","kid":"main"}"#, CLAIMS, &jwks), Some("unsupportedAlgorithm"));
        assert_eq!(reason(r#"{"kid":"main"}"#, CLAIMS, &jwks), Some("malformed"));
        assert_eq!(reason(r#"{"alg":5,"kid":"main"}"#, CLAIMS, &jwks), Some("malformed"));
        for crit in [r#"[]"#, r#"["exp"]"#, r#"["b64"]"#] {
            let header = format!(r#"{{"alg":"RS256","kid":"main","crit":{crit}}}"#);
            assert!(message(&header, CLAIMS, &jwks).contains("RFC 7515 §4.1.11"), "{crit}");
        }
        assert!(message(r#"{"alg":"RS256","kid":"main","b64":false}"#, CLAIMS, &jwks).contains("RFC 7797"));
        assert_eq!(reason(r#"{"alg":"RS256","kid":"main","b64":"no"}"#, CLAIMS, &jwks), Some("malformed"));
        assert_eq!(reason(r#"{"alg":"RS256","kid":"main","b64":true}"#, CLAIMS, &jwks), None);
    }

    #[test]
    fn the_key_the_kid_names() {
        let keys = |keys: Value| json!({ "keys": keys });
        assert_eq!(reason(r#"{"alg":"RS256"}"#, CLAIMS, &keys(json!([key(json!({}))]))), Some("unknownKey"));
        assert_eq!(reason(r#"{"alg":"RS256","kid":7}"#, CLAIMS, &keys(json!([key(json!({}))]))), Some("unknownKey"));
        assert_eq!(reason(HEADER, CLAIMS, &keys(json!([key(json!({"kid": "other"}))]))), Some("unknownKey"));
        assert_eq!(reason(HEADER, CLAIMS, &json!({})), Some("unknownKey"));
        assert!(message(HEADER, CLAIMS, &keys(json!([key(json!({})), key(json!({}))])))
            .contains("more than one key \"main\""));
        assert_eq!(
            reason(HEADER, CLAIMS, &keys(json!([key(json!({"kid": "other"})), key(json!({}))]))),
            None,
            "the one that is named"
        );
        assert!(message(HEADER, CLAIMS, &keys(json!([key(json!({"kty": "EC"}))]))).contains("is EC, not an RSA key"));
        for refused in [
            json!({"use": "enc"}),
            json!({"use": 1}),
            json!({"alg": "PS256"}),
            json!({"alg": null}),
            json!({"ext": "yes"}),
        ] {
            assert!(
                message(HEADER, CLAIMS, &keys(json!([key(refused.clone())]))).contains("not for RS256"),
                "{refused}"
            );
        }
        for ops in
            [json!(["encrypt"]), json!(["verify", "sign"]), json!([]), json!("verify"), json!(["verify", "verify"])]
        {
            assert!(
                message(HEADER, CLAIMS, &keys(json!([key(json!({"key_ops": ops.clone()}))]))).contains("key_ops"),
                "{ops}"
            );
        }
        assert_eq!(
            reason(
                HEADER,
                CLAIMS,
                &keys(json!([key(json!({"key_ops": ["verify"], "use": "sig", "alg": "RS256", "ext": false}))]))
            ),
            None
        );
        assert!(message(HEADER, CLAIMS, &keys(json!([key(json!({"n": modulus(1024)}))]))).contains("1024 bits"));
        assert!(message(HEADER, CLAIMS, &keys(json!([key(json!({"n": modulus(2040)}))]))).contains("2040 bits"));
        assert_eq!(reason(HEADER, CLAIMS, &keys(json!([key(json!({"n": modulus(2048)}))]))), None);
        assert!(
            message(HEADER, CLAIMS, &keys(json!([key(json!({"n": "*"}))]))).contains("modulus that is not base64url")
        );
        assert!(message(HEADER, CLAIMS, &keys(json!([key(json!({"e": ""}))]))).contains("exponent"));
        assert!(message(HEADER, CLAIMS, &keys(json!([key(json!({"e": "*"}))]))).contains("exponent"));
        assert!(message(HEADER, CLAIMS, &keys(json!([key(json!({"e": null}))]))).contains("modulus or exponent"));
    }

    #[test]
    fn modulus_sizes() {
        assert_eq!(modulus_bits(&encode_segment(&[0x00, 0x01, 0xff])), Some(9));
        assert_eq!(modulus_bits(&encode_segment(&[0x80])), Some(8));
        assert_eq!(modulus_bits(&encode_segment(&[0x00])), Some(0));
        assert_eq!(modulus_bits("*"), None);
    }
}
