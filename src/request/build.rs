//! The typed request → the exact HTTP request. Bodies carry only what the caller set, in the
//! key order of the docs' examples; no service default is invented on the wire.

use serde::Serialize;
use serde_json::{Map, Value};

use super::options::BuildOptions;
use crate::http::HttpRequest;

/// An HTTP request, shaped so that `fetch(req.url, req)` sends it as is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct GraphRequest {
    pub method: &'static str,
    pub url: String,
    /// Header names as Graph's docs print them; insertion-ordered.
    pub headers: Map<String, Value>,
    pub body: String,
    /// The action's name: `cancelMediaProcessing`, `playPrompt`, …
    pub operation: &'static str,
    /// POSTing an action twice does it twice: never retry blindly.
    pub idempotent: bool,
}

impl BuildOptions {
    /// The request URL.
    pub fn url(&self) -> String {
        let mut url = String::from(self.base_url.as_str());
        url.push_str(&self.request.path());
        url
    }

    /// The `Authorization` header's value, when a token was given.
    pub fn authorization(&self) -> Option<String> {
        self.access_token.as_ref().map(|token| format!("Bearer {token}"))
    }

    pub fn build(&self) -> GraphRequest {
        let mut headers = Map::new();
        headers.insert("Content-Type".into(), "application/json".into());
        if let Some(authorization) = self.authorization() {
            headers.insert("Authorization".into(), authorization.into());
        }
        GraphRequest {
            method: "POST",
            url: self.url(),
            headers,
            body: serde_json::to_string(self.request.action()).unwrap_or_default(),
            operation: self.request.kind().action(),
            idempotent: false,
        }
    }
}

impl From<&GraphRequest> for HttpRequest {
    /// The request as a client sends it (what the simulators read).
    fn from(request: &GraphRequest) -> HttpRequest {
        let headers =
            request.headers.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned())).collect();
        HttpRequest::new(request.method, request.url.clone(), headers, request.body.clone())
    }
}
