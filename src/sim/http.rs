//! The simulated service's HTTP face, sans-IO: a plain request in, a plain answer out. `fetch`
//! (in `wasm`) turns WHATWG `Request`s into [`HttpRequest`] and [`HttpAnswer`]s into
//! `Response`s. Routes: the four media actions, the call lifecycle (answer, reject, DELETE,
//! GET, keepAlive, `POST /communications/calls`), recordings; any other Graph endpoint is a
//! `501 NotImplemented` that says graph-ivr does not simulate it (never a 400 that looks like
//! Graph refusing the bot); another host is not ours to answer.

use graph_ivr_json::tree;
use serde_json::{Map, Value};

pub use crate::http::HttpRequest;
use crate::model::ids::same_id;
use crate::model::OperationKind;

use super::output::error_response;
use super::recording::Download;
use super::{HttpResponse, Simulator};

#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// JSON or nothing (`""`).
    Text(String),
    /// A recording.
    Bytes(Vec<u8>),
}

/// An HTTP answer of the simulated service.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpAnswer {
    pub status: u16,
    pub headers: Map<String, Value>,
    pub body: Body,
}

impl From<HttpResponse> for HttpAnswer {
    fn from(r: HttpResponse) -> HttpAnswer {
        HttpAnswer { status: r.status, headers: r.headers, body: Body::Text(r.body) }
    }
}

/// What became of a request.
#[derive(Debug, Clone, PartialEq)]
pub enum Routed {
    Answer(HttpAnswer),
    /// The URL is on another host (named here): not Graph, not a recording of ours.
    ForeignHost(String),
}

/// The JSON object body of a lifecycle action (`{}` when there is none).
fn json_object(request: &HttpRequest) -> Result<tree::Map<'_>, HttpResponse> {
    if request.body.trim().is_empty() {
        return Ok(tree::Map::new());
    }
    match graph_ivr_json::read(&request.body).map(|parsed| parsed.value) {
        Ok(tree::Value::Object(map)) => Ok(map),
        _ => Err(error_response(400, "BadRequest", "The request body must be a JSON object.")),
    }
}

/// Where a URL on the Graph host leads.
#[derive(Debug, Clone, PartialEq)]
pub enum Route<'a> {
    /// `/{version}/communications/calls` (or the legacy `/app/calls`).
    Calls { version: &'a str },
    /// `/{version}/communications/calls/{id}` and what follows it (`answer`, `playPrompt`, …).
    Call { version: &'a str, id: String, rest: Option<&'a str> },
    /// Any other Graph path.
    Other,
}

/// `(origin, route)` of a URL; `None` when it is not an absolute http(s) URL.
pub fn route(url: &str) -> Option<(&str, Route<'_>)> {
    let origin = crate::model::ids::graph_url_origin(url)?;
    let path = crate::model::ids::before_query(url.get(origin.len()..).unwrap_or(""));
    let mut segments = path.trim_start_matches('/').splitn(2, '/');
    let version = segments.next().unwrap_or("");
    let rest = segments.next().unwrap_or("");
    if version != "v1.0" && version != "beta" {
        return Some((origin, Route::Other));
    }
    let Some(calls) = rest.strip_prefix("communications/calls").or_else(|| rest.strip_prefix("app/calls")) else {
        return Some((origin, Route::Other));
    };
    let route = match calls.strip_prefix('/').filter(|r| !r.is_empty()) {
        None if calls.is_empty() || calls == "/" => Route::Calls { version },
        None => Route::Other,
        Some(call) => {
            let (id, rest) = match call.split_once('/') {
                Some((id, rest)) => (id, Some(rest).filter(|r| !r.is_empty())),
                None => (call, None),
            };
            let id = percent_encoding::percent_decode_str(id).decode_utf8_lossy().into_owned();
            Route::Call { version, id, rest }
        }
    };
    Some((origin, route))
}

/// `501 NotImplemented`: an endpoint Graph has and graph-ivr does not simulate.
pub fn not_simulated(method: &str, url: &str) -> HttpAnswer {
    let path = route(url).map_or(url, |(origin, _)| &url[origin.len()..]);
    error_response(
        501,
        "NotImplemented",
        &format!("graph-ivr does not simulate {method} {path}: it simulates the media actions, answer, reject, DELETE, GET and keepAlive of a call, POST /communications/calls and recordings."),
    )
    .into()
}

/// The host part of an origin, for the foreign-host error.
pub fn host_of(origin: &str) -> String {
    origin.split_once("://").map_or(origin, |(_, host)| host).to_owned()
}

/// Where a request goes: a route of the Graph `origin`, or another host (named), where only
/// recordings the service made can be found.
pub fn target<'u>(request: &'u HttpRequest, origin: &str) -> Result<Route<'u>, String> {
    match route(&request.url) {
        Some((at, route)) if at.eq_ignore_ascii_case(origin) => Ok(route),
        Some((at, _)) => Err(host_of(at)),
        None => Err(request.url.clone()),
    }
}

impl Simulator {
    /// The recording at `url`, if this call made one.
    pub(super) fn recording_answer(&self, request: &HttpRequest) -> Option<HttpAnswer> {
        let recording = self.recordings.iter().find(|r| r.location() == request.bare_url())?;
        if request.method != "GET" {
            return Some(error_response(405, "MethodNotAllowed", "A recording is downloaded with GET.").into());
        }
        Some(match recording.download(request.header("Authorization"), self.now, self.ended_at) {
            Download::File { headers, bytes } => HttpAnswer { status: 200, headers, body: Body::Bytes(bytes) },
            Download::Refused(response) => response.into(),
        })
    }

    /// One HTTP request to this call's service: `CallSimulator.fetch`.
    pub fn http(&mut self, request: &HttpRequest) -> Routed {
        let answer = match target(request, &self.config.origin) {
            Ok(Route::Call { id, rest, .. }) => self.call_http(request, &id, rest),
            Ok(Route::Calls { .. }) => not_simulated(&request.method, &request.url),
            // Not a Graph path: a recording, when recordings live on the Graph origin.
            Ok(Route::Other) => match self.recording_answer(request) {
                Some(download) => return Routed::Answer(download),
                None => not_simulated(&request.method, &request.url),
            },
            Err(host) => return self.recording_answer(request).map_or(Routed::ForeignHost(host), Routed::Answer),
        };
        Routed::Answer(self.stamped(answer, request))
    }

    /// A Graph answer with Graph's request ids (not a download: the storage host answers those).
    pub(super) fn stamped(&mut self, answer: HttpAnswer, request: &HttpRequest) -> HttpAnswer {
        let HttpAnswer { status, headers, body } = answer;
        let Body::Text(text) = body else { return HttpAnswer { status, headers, body } };
        let mut response = HttpResponse { status, headers, body: text };
        self.stamp(&mut response, request.header("client-request-id"));
        response.into()
    }

    /// A request to `/communications/calls/{id}[/{rest}]` of this call.
    pub fn call_http(&mut self, request: &HttpRequest, id: &str, rest: Option<&str>) -> HttpAnswer {
        if !same_id(id, &self.call_id) {
            return error_response(404, "ItemNotFound", &format!("Call {id} was not found.")).into();
        }
        let method = request.method.as_str();
        let answer = match (method, rest) {
            ("GET", None) => self.get_call(),
            ("DELETE", None) => self.hang_up_by_bot(),
            (_, None) => error_response(405, "MethodNotAllowed", &format!("{method} is not allowed on a call.")),
            ("POST", Some(action)) if is_media_action(action) => self.media_action(request),
            (_, Some(action)) if is_media_action(action) => {
                error_response(405, "MethodNotAllowed", &format!("{action} is a POST action."))
            }
            ("POST", Some("answer")) => match json_object(request) {
                Ok(body) => self.answer(&body),
                Err(refused) => refused,
            },
            ("POST", Some("reject")) => match json_object(request) {
                Ok(body) => self.reject(&body),
                Err(refused) => refused,
            },
            ("POST", Some("keepAlive")) => self.keep_alive(),
            (_, Some("answer" | "reject" | "keepAlive")) => {
                error_response(405, "MethodNotAllowed", &format!("{method} is not allowed here; the action is a POST."))
            }
            (_, Some(_)) => return not_simulated(method, &request.url),
        };
        answer.into()
    }
}

/// One of the four media actions, in any casing (the validator reports a wrong one as Graph
/// would refuse it), or the pre-2019 beta name `record`.
fn is_media_action(action: &str) -> bool {
    OperationKind::ALL.iter().any(|k| k.action().eq_ignore_ascii_case(action)) || action == "record"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        let call = |url| route(url).map(|(_, r)| r);
        assert_eq!(
            call("https://graph.microsoft.com/v1.0/communications/calls"),
            Some(Route::Calls { version: "v1.0" })
        );
        assert_eq!(
            call("https://graph.microsoft.com/beta/communications/calls/a%2Fb/answer?x=1"),
            Some(Route::Call { version: "beta", id: "a/b".into(), rest: Some("answer") })
        );
        assert_eq!(
            call("https://graph.microsoft.com/v1.0/app/calls/c1"),
            Some(Route::Call { version: "v1.0", id: "c1".into(), rest: None })
        );
        assert_eq!(call("https://graph.microsoft.com/v1.0/me"), Some(Route::Other));
        assert_eq!(call("https://graph.microsoft.com/v2/communications/calls"), Some(Route::Other));
        assert_eq!(call("not a url"), None);
    }
}
