//! `verifyCallbackToken` and `createCallbackSigner`: the RS256 signature by the platform's
//! WebCrypto (`crypto.subtle`, through web-sys), everything else in `crate::auth`.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use serde_json::{json, Map, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{CryptoKey, SubtleCrypto};

use crate::auth::{
    check_claims, encode_segment, prepare, signing_input, Refusal, SignerOptions, TokenFailure, VerifyOptions,
};
use crate::error::Error;
use crate::input::{Input, Shown};

use super::convert::{to_input, to_js};
use super::or_undefined;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "CallbackSignerOptions")]
    pub type CallbackSignerOptionsJs;
    #[wasm_bindgen(typescript_type = "Record<string, unknown>")]
    pub type ClaimsJs;
}

/// The platform's `crypto.subtle` (Node 20 and browsers have it as a global).
fn subtle() -> Result<SubtleCrypto, Error> {
    let crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto")).unwrap_or(JsValue::UNDEFINED);
    let subtle = Reflect::get(&crypto, &JsValue::from_str("subtle")).unwrap_or(JsValue::UNDEFINED);
    if subtle.is_object() {
        Ok(subtle.unchecked_into())
    } else {
        Err(Error::invalid_state("this platform has no WebCrypto (globalThis.crypto.subtle)"))
    }
}

/// `{name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256'}` (RS256), plus `extra` members.
fn rs256(extra: &[(&str, JsValue)]) -> Object {
    let algorithm = Object::new();
    let set = |k: &str, v: &JsValue| {
        let _ = Reflect::set(&algorithm, &JsValue::from_str(k), v);
    };
    set("name", &JsValue::from_str("RSASSA-PKCS1-v1_5"));
    set("hash", &JsValue::from_str("SHA-256"));
    for (k, v) in extra {
        set(k, v);
    }
    algorithm
}

fn usages(names: &[&str]) -> JsValue {
    names.iter().map(|n| JsValue::from_str(n)).collect::<Array>().into()
}

/// A JSON value as a plain JS object (through `JSON.parse`).
fn plain(value: &Value) -> Result<Object, Error> {
    Ok(to_js(value)?.unchecked_into())
}

/// The public part of an RSA JWK: `{kty, n, e}`, what a JWKS lists and a thumbprint hashes.
fn rsa_public(jwk: &Value) -> Map<String, Value> {
    ["kty", "n", "e"].iter().map(|name| (name.to_string(), jwk.get(*name).cloned().unwrap_or(Value::Null))).collect()
}

async fn awaited(promise: Result<Promise, JsValue>) -> Result<JsValue, JsValue> {
    JsFuture::from(promise?).await
}

/// `{valid, reason?, message?, claims?}`.
fn verdict(refused: Option<Refusal>, claims: Option<&Map<String, Value>>) -> Result<JsValue, Error> {
    let mut out = Map::new();
    out.insert("valid".into(), Value::Bool(refused.is_none()));
    if let Some(refusal) = refused {
        out.insert("reason".into(), Value::String(refusal.reason.as_str().into()));
        out.insert("message".into(), Value::String(refusal.message));
    }
    if let Some(claims) = claims {
        out.insert("claims".into(), Value::Object(claims.clone()));
    }
    to_js(&out)
}

/// Checks a callback's `Authorization` header: RS256 with a key of `jwks`, then `exp`/`nbf`
/// (with clock skew), issuer, audience and tenant. No network inside: the bot fetches and
/// caches the JWKS. Resolves `{valid, reason?, message?, claims?}`; rejects only for bad options.
#[wasm_bindgen(js_name = verifyCallbackToken, unchecked_return_type = "Promise<TokenVerification>")]
pub fn verify_callback_token(
    #[wasm_bindgen(unchecked_param_type = "string | null | undefined")] authorization: JsValue,
    #[wasm_bindgen(unchecked_param_type = "VerifyCallbackTokenOptions")] options: JsValue,
) -> Promise {
    let read = to_input(&options).and_then(|input| VerifyOptions::from_input(&input, js_sys::Date::now()));
    let header = authorization.as_string();
    let not_text = !authorization.is_undefined() && !authorization.is_null() && header.is_none();
    future_to_promise(async move {
        let VerifyOptions { jwks, rules } = read?;
        if not_text {
            return verdict(
                Some(Refusal::new(TokenFailure::Malformed, "the Authorization header is not a string")),
                None,
            )
            .map_err(Into::into);
        }
        let prepared = match prepare(header.as_deref(), &jwks) {
            Ok(prepared) => prepared,
            Err(refusal) => return verdict(Some(refusal), None).map_err(Into::into),
        };
        let subtle = subtle()?;
        let algorithm = rs256(&[]);
        let key = awaited(subtle.import_key_with_object(
            "jwk",
            &plain(&Value::Object(prepared.key))?,
            &algorithm,
            false,
            &usages(&["verify"]),
        ))
        .await;
        let Ok(key) = key else {
            let refusal = Refusal::new(TokenFailure::UnknownKey, "WebCrypto refused the key");
            return verdict(Some(refusal), None).map_err(Into::into);
        };
        let key: CryptoKey = key.unchecked_into();
        let signing_input = prepared.signing_input.as_bytes();
        let checked = awaited(subtle.verify_with_object_and_u8_array_and_u8_array(
            &algorithm,
            &key,
            &prepared.signature,
            signing_input,
        ))
        .await;
        if checked.ok().and_then(|v| v.as_bool()) != Some(true) {
            let refusal = Refusal::new(TokenFailure::BadSignature, "the signature does not verify with the key");
            return verdict(Some(refusal), None).map_err(Into::into);
        }
        verdict(check_claims(&prepared.claims, &rules).err(), Some(&prepared.claims)).map_err(Into::into)
    })
}

/// What a signer knows: its key and the claims it writes by default.
struct Signer {
    key: CryptoKey,
    public: Map<String, Value>,
    kid: String,
    issuer: String,
    audience: String,
    tenant_id: String,
    jwks_uri: String,
    /// The last signing input and its token: RS256 signs the same input to the same bytes, so
    /// the callbacks of one second share one signature instead of a WebCrypto round each.
    last: RefCell<Option<(String, String)>>,
}

/// Signs callbacks as Graph would, with a test key: `deliverOverHttp({signWith})` puts its
/// tokens in `Authorization`, and a bot's production verification checks them against `jwks`.
#[wasm_bindgen]
pub struct CallbackSigner {
    signer: Rc<Signer>,
}

#[wasm_bindgen]
impl CallbackSigner {
    /// The public key set, as the OpenID configuration's `jwks_uri` serves it.
    #[wasm_bindgen(getter, unchecked_return_type = "Jwks")]
    pub fn jwks(&self) -> Result<JsValue, Error> {
        let mut key = self.signer.public.clone();
        key.insert("kid".into(), Value::String(self.signer.kid.clone()));
        key.insert("x5t".into(), Value::String(self.signer.kid.clone()));
        key.insert("use".into(), Value::String("sig".into()));
        key.insert("alg".into(), Value::String("RS256".into()));
        to_js(&json!({ "keys": [key] }))
    }

    /// An OpenID configuration document naming the issuer and `jwks_uri`.
    #[wasm_bindgen(getter, js_name = openIdConfiguration, unchecked_return_type = "OpenIdConfiguration")]
    pub fn open_id_configuration(&self) -> Result<JsValue, Error> {
        to_js(&json!({
            "issuer": self.signer.issuer,
            "jwks_uri": self.signer.jwks_uri,
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_signing_alg_values_supported": ["RS256"],
        }))
    }

    /// A token with the default claims (`iss`, `aud`, `tid`, `iat`, `nbf`, `exp` one hour on,
    /// wall-clock time) and `claims` over them; a claim set to `null` is left out.
    #[wasm_bindgen(unchecked_return_type = "Promise<string>")]
    pub fn sign(&self, claims: Option<ClaimsJs>) -> Promise {
        // Bad claims reject the promise, as every failure of an async function does.
        let overrides = to_input(&or_undefined(claims)).and_then(|claims| match claims {
            absent if absent.is_absent() => Ok(Map::new()),
            claims @ Input::Object(_) => match claims.to_tree("")?.to_json() {
                Value::Object(map) => Ok(map),
                _ => Ok(Map::new()),
            },
            other => Err(Error::invalid_argument("", format!("claims are an object, got {}", Shown(&other)))),
        });
        let signer = Rc::clone(&self.signer);
        let input = match overrides {
            Ok(overrides) => signer.signing_input(overrides),
            Err(refused) => return Promise::reject(&refused.into()),
        };
        // RS256 is deterministic: the same input has the same token, at once.
        if let Some(token) = signer.remembered(&input) {
            return Promise::resolve(&JsValue::from(token));
        }
        future_to_promise(async move { signer.sign(input).await.map(JsValue::from).map_err(Into::into) })
    }
}

impl Signer {
    /// The token's first two segments: the default claims with `overrides` over them.
    fn signing_input(&self, overrides: Map<String, Value>) -> String {
        // NumericDate claims are whole seconds, written as integers as Graph's are.
        let now = (js_sys::Date::now() / 1000.0).floor() as i64;
        let mut claims = Map::new();
        claims.insert("iss".into(), self.issuer.clone().into());
        claims.insert("aud".into(), self.audience.clone().into());
        claims.insert("tid".into(), self.tenant_id.clone().into());
        claims.insert("iat".into(), now.into());
        claims.insert("nbf".into(), now.into());
        claims.insert("exp".into(), (now + 3600).into());
        for (key, value) in overrides {
            if value.is_null() {
                claims.remove(&key);
            } else {
                claims.insert(key, value);
            }
        }
        let header = json!({ "alg": "RS256", "typ": "JWT", "kid": self.kid, "x5t": self.kid });
        let encode = |v: &Value| encode_segment(v.to_string().as_bytes());
        signing_input(&encode(&header), &encode(&Value::Object(claims)))
    }

    /// The token of the last input signed, when it is `input`.
    fn remembered(&self, input: &str) -> Option<String> {
        self.last.borrow().as_ref().filter(|(signed, _)| signed == input).map(|(_, token)| token.clone())
    }

    async fn sign(&self, input: String) -> Result<String, Error> {
        let signature = awaited(subtle()?.sign_with_object_and_u8_array(&rs256(&[]), &self.key, input.as_bytes()))
            .await
            .map_err(|_| Error::invalid_state("WebCrypto could not sign"))?;
        let signature = Uint8Array::new(&signature).to_vec();
        let token = format!("{input}.{}", encode_segment(&signature));
        *self.last.borrow_mut() = Some((input, token.clone()));
        Ok(token)
    }
}

/// A signer with a fresh RS256 key (or `privateKey`), and the claims it writes by default.
#[wasm_bindgen(js_name = createCallbackSigner, unchecked_return_type = "Promise<CallbackSigner>")]
pub fn create_callback_signer(options: Option<CallbackSignerOptionsJs>) -> Promise {
    let read = to_input(&or_undefined(options)).and_then(|input| SignerOptions::from_input(&input));
    future_to_promise(async move {
        let SignerOptions { issuer, audience, tenant_id, jwks_uri, private_key: private } = read?;
        let subtle = subtle()?;
        let (key, public) = match private {
            Some(jwk) => {
                let public = rsa_public(&jwk);
                let key = awaited(subtle.import_key_with_object(
                    "jwk",
                    &plain(&jwk)?,
                    &rs256(&[]),
                    false,
                    &usages(&["sign"]),
                ))
                .await
                .map_err(|_| {
                    Error::invalid_argument("/privateKey", "WebCrypto refused the key: an RSA private JWK is expected")
                })?;
                let key = key.unchecked_into::<CryptoKey>();
                check_pair(&subtle, &key, &public).await?;
                (key, public)
            }
            None => {
                let exponent = Uint8Array::from(&[1u8, 0, 1][..]);
                let algorithm = rs256(&[("modulusLength", JsValue::from(2048)), ("publicExponent", exponent.into())]);
                let pair = awaited(subtle.generate_key_with_object(&algorithm, true, &usages(&["sign", "verify"])))
                    .await
                    .map_err(|_| Error::invalid_state("WebCrypto could not make an RSA key"))?;
                let private = Reflect::get(&pair, &JsValue::from_str("privateKey")).unwrap_or(JsValue::UNDEFINED);
                let public_key = Reflect::get(&pair, &JsValue::from_str("publicKey")).unwrap_or(JsValue::UNDEFINED);
                let exported = awaited(subtle.export_key("jwk", public_key.unchecked_ref()))
                    .await
                    .map_err(|_| Error::invalid_state("WebCrypto could not export the public key"))?;
                // WebCrypto's exported JWK is a plain object: read as every input is.
                let public = rsa_public(&to_input(&exported)?.to_tree("")?.to_json());
                (private.unchecked_into::<CryptoKey>(), public)
            }
        };
        let kid = thumbprint(&subtle, &public).await?;
        let signer = Signer { key, public, kid, issuer, audience, tenant_id, jwks_uri, last: RefCell::default() };
        Ok(CallbackSigner { signer: Rc::new(signer) }.into())
    })
}

/// Signs once with `key` and checks the signature with `public` (the JWK's own `n` and `e`):
/// a private JWK whose `n` belongs to another key would sign tokens its own key set refuses.
async fn check_pair(subtle: &SubtleCrypto, key: &CryptoKey, public: &Map<String, Value>) -> Result<(), Error> {
    let mismatch =
        || Error::invalid_argument("/privateKey/n", "n and e are not the public half of this private key (d, p, q…)");
    let probe = b"graph-ivr: does the key pair match?";
    let signature = awaited(subtle.sign_with_object_and_u8_array(&rs256(&[]), key, probe))
        .await
        .map_err(|_| Error::invalid_argument("/privateKey", "WebCrypto cannot sign with this key"))?;
    let verifier = awaited(subtle.import_key_with_object(
        "jwk",
        &plain(&Value::Object(public.clone()))?,
        &rs256(&[]),
        false,
        &usages(&["verify"]),
    ))
    .await
    .map_err(|_| mismatch())?;
    let signature = Uint8Array::new(&signature).to_vec();
    let verified = awaited(subtle.verify_with_object_and_u8_array_and_u8_array(
        &rs256(&[]),
        verifier.unchecked_ref(),
        &signature,
        probe,
    ))
    .await;
    match verified.ok().and_then(|v| v.as_bool()) {
        Some(true) => Ok(()),
        _ => Err(mismatch()),
    }
}

/// The RFC 7638 thumbprint of an RSA public key: its `kid`.
async fn thumbprint(subtle: &SubtleCrypto, public: &Map<String, Value>) -> Result<String, Error> {
    let text = |k: &str| public.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
    let canonical = format!(r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#, text("e"), text("n"));
    let digest = awaited(subtle.digest_with_str_and_u8_array("SHA-256", canonical.as_bytes()))
        .await
        .map_err(|_| Error::invalid_state("WebCrypto could not hash the key"))?;
    Ok(encode_segment(&Uint8Array::new(&digest).to_vec()))
}
