//! Tokens, both ways. Graph refuses a request without the bot's access token when
//! `requireBearer` is on (401 `InvalidAuthenticationToken`, *inferred* from live Graph's answer:
//! see `inferred.rs`); and a simulator given a callback signer publishes its OpenID
//! configuration and key set at the URLs the configuration names, so a bot whose `fetch` is the
//! simulator's finds them where its production code looks.

use serde_json::{Map, Value};

use super::super::http::{HttpAnswer, HttpRequest};
use super::super::inferred::{MISSING_BEARER_MESSAGE, NOT_BEARER_MESSAGE, WWW_AUTHENTICATE};
use super::super::output::error_response;

/// `None` when the request carries `Authorization: Bearer <token>`, else Graph's 401.
pub fn refused_without_bearer(request: &HttpRequest) -> Option<HttpAnswer> {
    let message = match request.header("authorization").map(str::trim) {
        None | Some("") => MISSING_BEARER_MESSAGE,
        Some(scheme) if scheme.eq_ignore_ascii_case("bearer") => MISSING_BEARER_MESSAGE,
        Some(value) => match value.split_once(' ') {
            Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => return None,
            _ => NOT_BEARER_MESSAGE,
        },
    };
    let mut answer = error_response(401, "InvalidAuthenticationToken", message);
    answer.headers.insert("WWW-Authenticate".into(), Value::String(WWW_AUTHENTICATE.into()));
    Some(answer.into())
}

/// A signer's OpenID configuration and key set, and where each is served.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedKeys {
    configuration_urls: [String; 2],
    jwks_uri: String,
    configuration: String,
    jwks: String,
}

impl PublishedKeys {
    /// Served at the configuration's `jwks_uri`, and the configuration itself at
    /// `/v1/.well-known/OpenIdConfiguration` (and without `/v1`) on that host: where Graph's
    /// callback samples read it (`https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration`
    /// for the signer's default key URL). `None` without a `jwks_uri` that is an absolute URL.
    pub fn new(configuration: &Value, jwks: &Value) -> Option<PublishedKeys> {
        let jwks_uri = configuration.get("jwks_uri")?.as_str()?.to_owned();
        let (scheme, rest) = jwks_uri.split_once("://")?;
        let host = rest.split(['/', '?', '#']).next().filter(|host| !host.is_empty())?;
        let origin = format!("{scheme}://{host}");
        Some(PublishedKeys {
            configuration_urls: [
                format!("{origin}/v1/.well-known/openidconfiguration"),
                format!("{origin}/.well-known/openidconfiguration"),
            ],
            jwks_uri,
            configuration: configuration.to_string(),
            jwks: jwks.to_string(),
        })
    }

    /// The configuration or the key set, for a `GET` of one of their URLs.
    pub fn answer(&self, request: &HttpRequest) -> Option<HttpAnswer> {
        if !request.method.eq_ignore_ascii_case("GET") {
            return None;
        }
        let url = request.url.split(['?', '#']).next().unwrap_or_default();
        let body = if url == self.jwks_uri {
            &self.jwks
        } else if self.configuration_urls.iter().any(|known| known.eq_ignore_ascii_case(url)) {
            &self.configuration
        } else {
            return None;
        };
        let mut headers = Map::new();
        headers.insert("Content-Type".into(), Value::String("application/json".into()));
        Some(HttpAnswer { status: 200, headers, body: super::super::http::Body::Text(body.clone()) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn get(url: &str, authorization: Option<&str>) -> HttpRequest {
        let headers = authorization.map(|a| vec![("Authorization".to_owned(), a.to_owned())]).unwrap_or_default();
        HttpRequest::new("GET", url, headers, "")
    }

    #[test]
    fn bearer_tokens_and_what_is_not_one() {
        assert_eq!(refused_without_bearer(&get("https://graph.microsoft.com/v1.0/x", Some("Bearer abc"))), None);
        assert_eq!(refused_without_bearer(&get("https://graph.microsoft.com/v1.0/x", Some("bearer abc"))), None);
        for refused in [None, Some(""), Some("Bearer"), Some("Bearer   "), Some("Basic dXNlcg=="), Some("abc")] {
            let answer = refused_without_bearer(&get("https://graph.microsoft.com/v1.0/x", refused));
            assert_eq!(answer.map(|a| a.status), Some(401), "{refused:?}");
        }
    }

    #[test]
    fn keys_where_the_configuration_says() {
        let configuration =
            json!({"issuer": "https://api.botframework.com", "jwks_uri": "https://api.aps.skype.com/v1/keys"});
        let keys = PublishedKeys::new(&configuration, &json!({"keys": []})).expect("published");
        let status = |url: &str| keys.answer(&get(url, None)).map(|a| a.status);
        assert_eq!(status("https://api.aps.skype.com/v1/keys"), Some(200));
        assert_eq!(status("https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration"), Some(200));
        assert_eq!(status("https://api.aps.skype.com/.well-known/openidconfiguration?x=1"), Some(200));
        assert_eq!(status("https://api.aps.skype.com/v1/other"), None);
        assert_eq!(status("https://elsewhere.example/v1/keys"), None);
        assert_eq!(PublishedKeys::new(&json!({"jwks_uri": "keys"}), &json!({})), None);
    }
}
