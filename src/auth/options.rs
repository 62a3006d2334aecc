//! The options of `verifyCallbackToken` and `createCallbackSigner`, read like every other
//! export's (one dictionary, path-precise refusals); the wasm layer only hands them over.

use serde_json::Value;

use crate::error::Error;
use crate::input::{Dictionary, Input, Shown};

use super::claims::{ClaimRules, DEFAULT_CLOCK_SKEW_SECONDS, GRAPH_ISSUERS};
use super::jwt::{modulus_bits, MIN_RSA_BITS};

const VERIFY: Dictionary<'static> =
    Dictionary::options("verifyCallbackToken", &["jwks", "audience", "issuers", "tenantId", "now", "clockSkewSeconds"]);
const SIGNER: Dictionary<'static> =
    Dictionary::options("createCallbackSigner", &["issuer", "audience", "tenantId", "jwksUri", "privateKey"]);

/// The signer's defaults: a placeholder app id and tenant, and where the real keys live.
pub const DEFAULT_AUDIENCE: &str = "00000000-0000-0000-0000-00000000b0e7";
pub const DEFAULT_TENANT: &str = "00000000-0000-0000-0000-000000000000";
pub const DEFAULT_JWKS_URI: &str = "https://api.aps.skype.com/v1/keys";

/// What `verifyCallbackToken` checks a token against.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct VerifyOptions {
    /// The key set `{keys: [JWK…]}`, as given.
    pub jwks: Value,
    pub rules: ClaimRules,
}

/// What `createCallbackSigner` signs with and writes into its tokens.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SignerOptions {
    pub issuer: String,
    pub audience: String,
    pub tenant_id: String,
    pub jwks_uri: String,
    /// An RSA private JWK; `None` makes a fresh key.
    pub private_key: Option<Value>,
}

impl VerifyOptions {
    /// Reads the options; `now_ms` is the clock used when `now` is not given.
    pub fn from_input(input: &Input, now_ms: f64) -> Result<VerifyOptions, Error> {
        let options = VERIFY.read(input, "", true)?;
        let jwks = match options.get("jwks") {
            jwks @ Input::Object(_) if matches!(jwks.get("keys"), Input::Array(_)) => {
                refuse_private_keys(jwks.get("keys"))?;
                jwks.to_tree("/jwks")?.to_json()
            }
            other => {
                return Err(Error::invalid_argument(
                    "/jwks",
                    format!(
                        "jwks is the key set {{keys: [JWK…]}} the OpenID configuration's jwks_uri serves, got {}",
                        Shown(other)
                    ),
                ))
            }
        };
        let audience = match options.get("audience") {
            Input::String(a) if !a.is_empty() => a.clone(),
            other => {
                return Err(Error::invalid_argument(
                    "/audience",
                    format!("audience is the bot's app id, got {}", Shown(other)),
                ))
            }
        };
        let issuers = match options.get("issuers") {
            absent if absent.is_absent() => GRAPH_ISSUERS.iter().map(|s| s.to_string()).collect(),
            Input::Array(items) if !items.is_empty() => items
                .iter()
                .enumerate()
                .map(|(i, item)| match item {
                    Input::String(s) => Ok(s.clone()),
                    other => Err(Error::invalid_argument(
                        format!("/issuers/{i}"),
                        format!("an issuer is a string, got {}", Shown(other)),
                    )),
                })
                .collect::<Result<_, _>>()?,
            other => {
                return Err(Error::invalid_argument(
                    "/issuers",
                    format!("issuers is a non-empty array of strings, got {}", Shown(other)),
                ))
            }
        };
        let tenant_id = options.optional("tenantId", |value| match value {
            Input::String(t) if !t.is_empty() => Ok(t.clone()),
            other => Err(Error::invalid_argument("/tenantId", format!("tenantId is a string, got {}", Shown(other)))),
        })?;
        let number = |key: &str, default: f64| match options.get(key) {
            absent if absent.is_absent() => Ok(default),
            Input::Number(n) if n.is_finite() && *n >= 0.0 => Ok(*n),
            other => Err(Error::invalid_argument(
                format!("/{key}"),
                format!("{key} is a number, 0 or more, got {}", Shown(other)),
            )),
        };
        // `Date.now()` milliseconds, or the seconds JWT claims use: values under 10^11 (the year
        // 5138 in seconds, 1973 in milliseconds) are read as seconds.
        let now = match number("now", now_ms)? {
            ms if ms >= 1e11 => ms / 1000.0,
            seconds => seconds,
        };
        let clock_skew_seconds = number("clockSkewSeconds", DEFAULT_CLOCK_SKEW_SECONDS)?;
        Ok(VerifyOptions { jwks, rules: ClaimRules { audience, issuers, tenant_id, now, clock_skew_seconds } })
    }
}

/// The members only a private JWK has (RFC 7518 §6.3.2, §6.4): a key set holding one was
/// published by mistake, and its key must not be trusted (nor the set used at all).
const PRIVATE_MEMBERS: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

fn refuse_private_keys(keys: &Input) -> Result<(), Error> {
    let Input::Array(keys) = keys else { return Ok(()) };
    for (i, key) in keys.iter().enumerate() {
        if let Some(member) = PRIVATE_MEMBERS.iter().find(|m| !key.get(m).is_absent()) {
            return Err(Error::invalid_argument(
                format!("/jwks/keys/{i}/{member}"),
                format!("the key set holds a private key ({member}): a JWKS publishes public keys only"),
            ));
        }
    }
    Ok(())
}

impl SignerOptions {
    pub fn from_input(input: &Input) -> Result<SignerOptions, Error> {
        let options = SIGNER.read(input, "", false)?;
        let text = |key: &str, default: &str| match options.get(key) {
            absent if absent.is_absent() => Ok(default.to_owned()),
            Input::String(s) if !s.is_empty() => Ok(s.clone()),
            other => Err(Error::invalid_argument(
                format!("/{key}"),
                format!("{key} is a non-empty string, got {}", Shown(other)),
            )),
        };
        let private_key = options.optional("privateKey", |key| match key {
            Input::Object(_)
                if key.get("kty") == &Input::String("RSA".into()) && matches!(key.get("d"), Input::String(_)) =>
            {
                // A key the verifiers refuse would sign tokens nobody accepts.
                let bits = match key.get("n") {
                    Input::String(n) => modulus_bits(n),
                    _ => None,
                };
                match bits {
                    Some(bits) if bits >= MIN_RSA_BITS => Ok(key.to_tree("/privateKey")?.to_json()),
                    Some(bits) => Err(Error::invalid_argument(
                        "/privateKey/n",
                        format!("the key is {bits} bits; RS256 keys have at least {MIN_RSA_BITS}, and verifiers refuse shorter ones"),
                    )),
                    None => Err(Error::invalid_argument("/privateKey/n", "n is the key's modulus, in base64url")),
                }
            }
            other => Err(Error::invalid_argument(
                "/privateKey",
                format!("privateKey is an RSA private JWK {{kty: 'RSA', n, e, d, …}}, got {}", Shown(other)),
            )),
        })?;
        Ok(SignerOptions {
            issuer: text("issuer", GRAPH_ISSUERS[0])?,
            audience: text("audience", DEFAULT_AUDIENCE)?,
            tenant_id: text("tenantId", DEFAULT_TENANT)?,
            jwks_uri: text("jwksUri", DEFAULT_JWKS_URI)?,
            private_key,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(entries: Vec<(&str, Input)>) -> Input {
        Input::Object(entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }

    #[test]
    fn verify_options_read_and_refused() {
        let jwks = object(vec![("keys", Input::Array(vec![]))]);
        let good = object(vec![("jwks", jwks.clone()), ("audience", Input::String("app".into()))]);
        let read = VerifyOptions::from_input(&good, 1_700_000_000_000.0);
        assert_eq!(read.map(|o| (o.rules.now, o.rules.issuers.len())), Ok((1_700_000_000.0, 2)));
        let typo = object(vec![("jwks", jwks), ("audience", Input::String("app".into())), ("tenantID", Input::Null)]);
        let refused = VerifyOptions::from_input(&typo, 0.0).err();
        assert_eq!(
            refused.map(|e| (e.path, e.hint)),
            Some(("/tenantID".to_owned(), Some("did you mean \"tenantId\"?".to_owned())))
        );
    }

    #[test]
    fn signer_defaults_and_refusals() {
        let read = SignerOptions::from_input(&Input::Undefined);
        assert_eq!(read.map(|o| o.audience), Ok(DEFAULT_AUDIENCE.to_owned()));
        let bad = object(vec![("privateKey", Input::String("pem".into()))]);
        assert_eq!(SignerOptions::from_input(&bad).err().map(|e| e.path), Some("/privateKey".to_owned()));
        let private = |n: Input| {
            let key = object(vec![
                ("kty", Input::String("RSA".into())),
                ("n", n),
                ("e", Input::String("AQAB".into())),
                ("d", Input::String("AQAB".into())),
            ]);
            SignerOptions::from_input(&object(vec![("privateKey", key)]))
                .map(|o| o.private_key.is_some())
                .map_err(|e| (e.path, e.message))
        };
        let modulus = |bytes: usize| Input::String(crate::auth::encode_segment(&vec![0xff; bytes]));
        assert_eq!(private(modulus(256)), Ok(true));
        let weak = private(modulus(128)).err();
        assert_eq!(weak.as_ref().map(|e| e.0.as_str()), Some("/privateKey/n"));
        assert!(weak.is_some_and(|e| e.1.contains("1024 bits")));
        assert_eq!(private(modulus(255)).err().map(|e| e.0), Some("/privateKey/n".to_owned()), "2040 bits");
        assert_eq!(private(Input::String("*".into())).err().map(|e| e.0), Some("/privateKey/n".to_owned()));
        assert_eq!(private(Input::Number(5.0)).err().map(|e| e.0), Some("/privateKey/n".to_owned()));
    }

    /// The path `VerifyOptions` refuses `options` at, or `None`.
    fn verify_refused(entries: Vec<(&str, Input)>) -> Option<String> {
        VerifyOptions::from_input(&object(entries), 1_700_000_000_000.0).err().map(|e| e.path)
    }

    #[test]
    fn every_verify_option_is_read_and_refused_at_its_path() {
        let keys = || object(vec![("keys", Input::Array(vec![]))]);
        let base = || vec![("jwks", keys()), ("audience", Input::String("app".into()))];
        let with = |key: &'static str, value: Input| {
            let mut entries = base();
            entries.retain(|(k, _)| *k != key);
            entries.push((key, value));
            entries
        };
        assert_eq!(verify_refused(base()), None);
        assert_eq!(verify_refused(with("jwks", object(vec![("keys", Input::Null)]))).as_deref(), Some("/jwks"));
        assert_eq!(verify_refused(with("jwks", Input::Array(vec![]))).as_deref(), Some("/jwks"));
        assert_eq!(verify_refused(with("audience", Input::String(String::new()))).as_deref(), Some("/audience"));
        assert_eq!(verify_refused(with("issuers", Input::Array(vec![]))).as_deref(), Some("/issuers"));
        assert_eq!(
            verify_refused(with("issuers", Input::Array(vec![Input::Number(1.0)]))).as_deref(),
            Some("/issuers/0")
        );
        assert_eq!(verify_refused(with("tenantId", Input::String(String::new()))).as_deref(), Some("/tenantId"));
        assert_eq!(verify_refused(with("now", Input::Number(-1.0))).as_deref(), Some("/now"));
        assert_eq!(verify_refused(with("now", Input::Number(f64::INFINITY))).as_deref(), Some("/now"));
        assert_eq!(
            verify_refused(with("clockSkewSeconds", Input::String("5".into()))).as_deref(),
            Some("/clockSkewSeconds")
        );
        let read = |entries| VerifyOptions::from_input(&object(entries), 1_700_000_000_000.0).ok();
        let given = read(with("issuers", Input::Array(vec![Input::String("https://a.example".into())])));
        assert_eq!(given.map(|o| o.rules.issuers), Some(vec!["https://a.example".to_owned()]));
        let tenant = read(with("tenantId", Input::String("t".into())));
        assert_eq!(tenant.map(|o| o.rules.tenant_id), Some(Some("t".to_owned())));
        let defaults =
            read(base()).map(|o| (o.rules.issuers.len(), o.rules.tenant_id, o.rules.clock_skew_seconds, o.rules.now));
        assert_eq!(defaults, Some((2, None, DEFAULT_CLOCK_SKEW_SECONDS, 1_700_000_000.0)));
        assert_eq!(
            read(with("now", Input::Number(1_700_000_000.0))).map(|o| o.rules.now),
            Some(1_700_000_000.0),
            "seconds"
        );
        assert_eq!(read(with("now", Input::Number(0.0))).map(|o| o.rules.now), Some(0.0));
        assert_eq!(read(with("clockSkewSeconds", Input::Number(0.0))).map(|o| o.rules.clock_skew_seconds), Some(0.0));
    }

    #[test]
    fn every_signer_option_is_read_and_refused_at_its_path() {
        let read = |entries: Vec<(&str, Input)>| SignerOptions::from_input(&object(entries));
        assert_eq!(
            read(vec![("issuer", Input::String(String::new()))]).err().map(|e| e.path).as_deref(),
            Some("/issuer")
        );
        assert_eq!(read(vec![("jwksUri", Input::Number(1.0))]).err().map(|e| e.path).as_deref(), Some("/jwksUri"));
        let given =
            read(vec![("tenantId", Input::String("t".into())), ("issuer", Input::String("https://i.example".into()))]);
        assert_eq!(
            given.map(|o| (o.tenant_id, o.issuer, o.jwks_uri)),
            Ok(("t".to_owned(), "https://i.example".to_owned(), DEFAULT_JWKS_URI.to_owned()))
        );
        let key = |kty: &str, d: Input| {
            let modulus = Input::String(crate::auth::encode_segment(&[0xff; 256]));
            object(vec![
                ("kty", Input::String(kty.into())),
                ("n", modulus),
                ("e", Input::String("AQAB".into())),
                ("d", d),
            ])
        };
        assert_eq!(
            read(vec![("privateKey", key("EC", Input::String("AQAB".into())))]).err().map(|e| e.path).as_deref(),
            Some("/privateKey")
        );
        assert_eq!(
            read(vec![("privateKey", key("RSA", Input::Null))]).err().map(|e| e.path).as_deref(),
            Some("/privateKey"),
            "a public key"
        );
        assert!(read(vec![("privateKey", key("RSA", Input::String("AQAB".into())))]).is_ok());
    }

    #[test]
    fn a_key_set_holding_a_private_key_is_refused() {
        for member in PRIVATE_MEMBERS {
            let public = object(vec![("kty", Input::String("RSA".into())), ("kid", Input::String("a".into()))]);
            let private = object(vec![("kty", Input::String("RSA".into())), (member, Input::String("AQAB".into()))]);
            let jwks = object(vec![("keys", Input::Array(vec![public, private]))]);
            let options = object(vec![("jwks", jwks), ("audience", Input::String("app".into()))]);
            let refused = VerifyOptions::from_input(&options, 0.0).err();
            assert_eq!(refused.map(|e| e.path), Some(format!("/jwks/keys/1/{member}")));
        }
    }
}
