//! The claims a callback token must carry (the comms samples' `AuthenticationProvider`; the
//! Graph calling docs): `iss` one of Graph's issuers, `aud` the bot's app id, `exp`/`nbf` with
//! clock skew, and the tenant in `tid` or in the claim real tokens use.

use serde_json::{Map, Value};

use crate::model::ids::same_id;

use super::{Refusal, TokenFailure};

/// The issuers of Graph's calling callbacks.
pub const GRAPH_ISSUERS: [&str; 2] = ["https://graph.microsoft.com", "https://api.botframework.com"];
/// Where real tokens carry the tenant (test tokens and newer ones use `tid`).
pub const TENANT_CLAIM: &str = "http://schemas.microsoft.com/identity/claims/tenantid";
/// The samples' skew: five minutes either way.
pub const DEFAULT_CLOCK_SKEW_SECONDS: f64 = 300.0;

/// What the claims are checked against.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimRules {
    pub audience: String,
    pub issuers: Vec<String>,
    pub tenant_id: Option<String>,
    /// Seconds since the epoch.
    pub now: f64,
    pub clock_skew_seconds: f64,
}

/// Checks, in order: `exp`, `nbf` (and that `iat`, when present, is a number), `iss`, `aud`,
/// the tenant. Times as RFC 7519 §4.1.4–5 say: a token is expired *on or after* `exp` (plus the
/// skew; `now` with its milliseconds), and valid from `nbf` (minus the skew; `now` in whole
/// seconds, so that a token whose `nbf` is later in the current second waits for it).
pub fn check_claims(claims: &Map<String, Value>, rules: &ClaimRules) -> Result<(), Refusal> {
    let skew = rules.clock_skew_seconds;
    let time = |name: &str| match claims.get(name) {
        None => Ok(None),
        Some(Value::Number(n)) => n.as_f64().map(Some).ok_or(()),
        Some(_) => Err(()),
    };
    let malformed = |why: &str| Refusal::new(TokenFailure::Malformed, why);
    match time("exp") {
        Ok(Some(exp)) if rules.now >= exp + skew => {
            return Err(Refusal::new(
                TokenFailure::Expired,
                format!("expired at {} (now {}, skew {} s)", secs(exp), secs(rules.now), secs(skew)),
            ))
        }
        Ok(Some(_)) => {}
        Ok(None) => return Err(malformed("the token has no exp")),
        Err(()) => return Err(malformed("exp is not a number")),
    }
    match time("nbf") {
        Ok(Some(nbf)) if rules.now.floor() + skew < nbf => {
            return Err(Refusal::new(
                TokenFailure::NotYetValid,
                format!("valid from {} (now {}, skew {} s)", secs(nbf), secs(rules.now), secs(skew)),
            ))
        }
        Ok(_) => {}
        Err(()) => return Err(malformed("nbf is not a number")),
    }
    if time("iat").is_err() {
        return Err(malformed("iat is not a number"));
    }
    // Issuers are compared exactly (RFC 7519 §4.1.1): `https://graph.microsoft.com/` is another.
    let issuer = claims.get("iss").and_then(Value::as_str).unwrap_or_default();
    if !rules.issuers.iter().any(|i| i == issuer) {
        return Err(Refusal::new(
            TokenFailure::IssuerMismatch,
            format!("issuer {issuer:?} is not one of {}", rules.issuers.join(", ")),
        ));
    }
    let audience_ok = match claims.get("aud") {
        Some(Value::String(aud)) => *aud == rules.audience,
        Some(Value::Array(auds)) => auds.iter().any(|a| a.as_str() == Some(rules.audience.as_str())),
        _ => false,
    };
    if !audience_ok {
        return Err(Refusal::new(
            TokenFailure::AudienceMismatch,
            format!("the token is not for audience {:?}", rules.audience),
        ));
    }
    if let Some(tenant) = &rules.tenant_id {
        // Every tenant claim the token carries must name the tenant: two that disagree are not
        // a token for either.
        let named: Vec<&Value> = [claims.get("tid"), claims.get(TENANT_CLAIM)].into_iter().flatten().collect();
        let matches = |claim: &&Value| claim.as_str().is_some_and(|t| same_id(t, tenant));
        if named.is_empty() || !named.iter().all(matches) {
            let got = named.iter().map(|claim| claim.to_string()).collect::<Vec<_>>().join(", ");
            return Err(Refusal::new(
                TokenFailure::TenantMismatch,
                format!("the token's tenant ({}) is not {tenant:?}", if got.is_empty() { "none" } else { &got }),
            ));
        }
    }
    Ok(())
}

/// Whole seconds, for messages (a float's own formatting would add kilobytes to the .wasm).
fn secs(t: f64) -> i64 {
    t as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rules() -> ClaimRules {
        ClaimRules {
            audience: "app".into(),
            issuers: GRAPH_ISSUERS.iter().map(|s| s.to_string()).collect(),
            tenant_id: Some("57dab8b1-894c-409a-b240-bd8beae78896".into()),
            now: 1_000_000.0,
            clock_skew_seconds: DEFAULT_CLOCK_SKEW_SECONDS,
        }
    }

    fn reason(claims: Value) -> Option<&'static str> {
        let Value::Object(claims) = claims else { return Some("not an object") };
        check_claims(&claims, &rules()).err().map(|r| r.reason.as_str())
    }

    fn without(mut claims: Value, key: &str) -> Value {
        if let Value::Object(map) = &mut claims {
            map.remove(key);
        }
        claims
    }

    #[test]
    fn each_rule_has_its_reason() {
        let good = json!({"iss": "https://api.botframework.com", "aud": "app", "exp": 1_000_100, "nbf": 999_000, "tid": "57DAB8B1894C409AB240BD8BEAE78896"});
        assert_eq!(reason(good.clone()), None);
        let with = |k: &str, v: Value| {
            let mut c = good.clone();
            c[k] = v;
            c
        };
        assert_eq!(reason(with("exp", json!(999_699))), Some("expired"));
        assert_eq!(reason(with("exp", json!(999_701))), None, "within the skew");
        assert_eq!(reason(with("exp", json!("soon"))), Some("malformed"));
        assert_eq!(reason(with("nbf", json!(1_000_301))), Some("notYetValid"));
        assert_eq!(reason(with("iss", json!("https://evil.example"))), Some("issuerMismatch"));
        assert_eq!(reason(with("iss", json!("https://graph.microsoft.com/"))), Some("issuerMismatch"), "exact");
        assert_eq!(reason(with("iss", json!("https://graph.microsoft.com"))), None);
        assert_eq!(reason(with("iat", json!("today"))), Some("malformed"));
        let mut both = good.clone();
        both[TENANT_CLAIM] = json!("0fe0623f-d628-42ed-b4bd-8ac290072cc5");
        assert_eq!(reason(both.clone()), Some("tenantMismatch"), "two tenant claims that disagree");
        both[TENANT_CLAIM] = json!("57dab8b1-894c-409a-b240-bd8beae78896");
        assert_eq!(reason(both), None, "two tenant claims that agree");
        assert_eq!(reason(with("tid", json!(57))), Some("tenantMismatch"), "a tenant that is not text");
        assert_eq!(reason(with("aud", json!(["x", "app"]))), None);
        assert_eq!(reason(with("aud", json!(["x", "y"]))), Some("audienceMismatch"));
        assert_eq!(reason(with("aud", json!(5))), Some("audienceMismatch"));
        assert_eq!(reason(with("aud", json!("other"))), Some("audienceMismatch"));
        assert_eq!(reason(with("tid", json!("0fe0623f-d628-42ed-b4bd-8ac290072cc5"))), Some("tenantMismatch"));
        let mut real = without(good.clone(), "tid");
        real[TENANT_CLAIM] = json!("57dab8b1-894c-409a-b240-bd8beae78896");
        assert_eq!(reason(real), None, "the tenant claim of real tokens");
        assert_eq!(reason(without(good.clone(), "tid")), Some("tenantMismatch"), "no tenant at all");
        assert_eq!(reason(without(good, "exp")), Some("malformed"));
    }

    /// `rules()` at `now`, with `skew`.
    fn at(now: f64, skew: f64) -> ClaimRules {
        ClaimRules { now, clock_skew_seconds: skew, ..rules() }
    }

    fn reason_at(claims: Value, now: f64, skew: f64) -> Option<&'static str> {
        let Value::Object(claims) = claims else { return Some("not an object") };
        check_claims(&claims, &at(now, skew)).err().map(|r| r.reason.as_str())
    }

    #[test]
    fn messages_say_the_times_in_whole_seconds() {
        let Value::Object(claims) = json!({"iss": "https://graph.microsoft.com", "aud": "app", "exp": 999_000, "nbf": 0, "tid": "57dab8b1-894c-409a-b240-bd8beae78896"})
        else {
            return;
        };
        let expired = check_claims(&claims, &at(1_000_000.75, 300.0)).err().map(|r| r.message);
        assert_eq!(expired.as_deref(), Some("expired at 999000 (now 1000000, skew 300 s)"));
        let Value::Object(early) = json!({"iss": "https://graph.microsoft.com", "aud": "app", "exp": 2_000_000, "nbf": 1_500_000, "tid": "57dab8b1-894c-409a-b240-bd8beae78896"})
        else {
            return;
        };
        let early = check_claims(&early, &at(1_000_000.0, 60.0)).err().map(|r| r.message);
        assert_eq!(early.as_deref(), Some("valid from 1500000 (now 1000000, skew 60 s)"));
    }

    #[test]
    fn every_time_boundary_at_the_exact_second_on_both_sides() {
        let claims = |exp: i64, nbf: i64| json!({"iss": "https://graph.microsoft.com", "aud": "app", "exp": exp, "nbf": nbf, "tid": "57dab8b1-894c-409a-b240-bd8beae78896"});
        for skew in [0.0, 300.0] {
            let s = skew as i64;
            // exp: valid up to the instant before exp + skew, expired on it and after.
            assert_eq!(reason_at(claims(2_000, 0), 2_000.0 + skew - 0.001, skew), None, "skew {skew}");
            assert_eq!(reason_at(claims(2_000, 0), 1_999.0 + skew, skew), None, "skew {skew}");
            assert_eq!(reason_at(claims(2_000, 0), 2_000.0 + skew, skew), Some("expired"), "skew {skew}");
            assert_eq!(reason_at(claims(2_000, 0), 2_001.0 + skew, skew), Some("expired"), "skew {skew}");
            assert_eq!(reason_at(claims(2_000 - s, 0), 2_000.0, skew), Some("expired"), "skew {skew}");
            assert_eq!(reason_at(claims(2_001 - s, 0), 2_000.0, skew), None, "skew {skew}");
            // nbf: not yet valid while the whole second is before nbf - skew, valid on it.
            assert_eq!(reason_at(claims(9_000, 1_000), 1_000.0 - skew, skew), None, "skew {skew}");
            assert_eq!(reason_at(claims(9_000, 1_000), 1_000.0 - skew + 0.999, skew), None, "skew {skew}");
            assert_eq!(reason_at(claims(9_000, 1_000), 1_001.0 - skew, skew), None, "skew {skew}");
            assert_eq!(reason_at(claims(9_000, 1_000), 999.0 - skew, skew), Some("notYetValid"), "skew {skew}");
            assert_eq!(reason_at(claims(9_000, 1_000), 999.999 - skew, skew), Some("notYetValid"), "skew {skew}");
        }
        // A fractional nbf later in the current second: whole seconds decide, as for jose.
        let fractional = json!({"iss": "https://graph.microsoft.com", "aud": "app", "exp": 9_000, "nbf": 1_000.5, "tid": "57dab8b1-894c-409a-b240-bd8beae78896"});
        assert_eq!(reason_at(fractional.clone(), 1_000.7, 0.0), Some("notYetValid"));
        assert_eq!(reason_at(fractional, 1_001.0, 0.0), None);
    }
}
