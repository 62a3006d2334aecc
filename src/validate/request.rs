//! `validateRequest`: a media-action request made by any client, checked against the same
//! `contract` rules the builders enforce, collecting every issue; when the URL and body pass,
//! the result is the one typed [`MediaRequest`] the builders make and the simulator consumes.

use serde::{Serialize, Serializer};

use crate::contract::pointer::{child, At};
use crate::contract::{CallId, Dialect, MediaRequest};
use crate::http::HttpRequest;
use crate::input::Input;
use crate::model::ids::{graph_url_origin, split_graph_url};
use crate::model::{ApiVersion, OperationKind};

use super::check::shortened;
use super::check::Checker;
use super::issue::{IssueCode, Report};
use super::tree::{Map, Value};
use super::{json, Mode};

/// Where a request's body sits in the argument.
static BODY: At<'static> = At::Key(&At::Root, "body");

/// A request as understood: the typed request, and the origin it was sent to.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRequest {
    /// `https://host[:port]` of the URL.
    pub origin: String,
    pub request: MediaRequest,
}

impl Serialize for ParsedRequest {
    /// `{version, callId, operation, body}`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.request.serialize(s)
    }
}

/// Validates `{method, url, headers?, body?}` as JS hands it over: parts of the wrong type are
/// issues too; `body` is JSON text (or absent).
pub fn validate_request(request: &Input, mode: Mode) -> Report<ParsedRequest> {
    let mut checker = Checker::new(mode);
    let parsed = checker.request_input(request);
    Report::new(checker.issues, parsed)
}

/// Validates a request as a client sent it (what `fetch` and `handle()` give the simulators).
pub fn check_request(request: &HttpRequest, mode: Mode) -> Report<ParsedRequest> {
    let mut checker = Checker::new(mode);
    let content_type = request
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .map(|(k, v)| (k.as_str(), HeaderValue::Text(v)));
    let parts = Parts {
        method: Some(&request.method),
        url: Some(&request.url),
        content_type,
        body: Some(request.body.as_str()).filter(|t| !t.trim().is_empty()),
    };
    let parsed = checker.request(parts);
    Report::new(checker.issues, parsed)
}

/// A header's value: text, or (from JS) a value of another type.
#[derive(Clone, Copy)]
enum HeaderValue<'r> {
    Text(&'r str),
    Other(&'r Input),
}

/// What the checks read of a request, however it was handed over. `None` for a part that is
/// missing or of the wrong type (already reported).
struct Parts<'r> {
    method: Option<&'r str>,
    url: Option<&'r str>,
    /// The Content-Type header's name and value (`None`: no such header, or no headers object).
    content_type: Option<(&'r str, HeaderValue<'r>)>,
    /// The body's text, unless absent or blank.
    body: Option<&'r str>,
}

impl Checker {
    /// Reads the parts of a JS-shaped request, reporting those of the wrong type.
    fn request_input(&mut self, request: &Input) -> Option<ParsedRequest> {
        let Input::Object(_) = request else {
            self.issues.error(
                "",
                IssueCode::UnsupportedInput,
                format!("a request must be an object {{method, url, headers, body}}, got {}", request.type_name()),
            );
            return None;
        };
        let method = match request.get("method") {
            Input::String(m) => Some(m.as_str()),
            other => {
                self.issues
                    .error(
                        "/method",
                        IssueCode::InvalidMethod,
                        format!("media actions are POST requests, got {}", crate::input::Shown(other)),
                    )
                    .expected("POST");
                None
            }
        };
        let url = match request.get("url") {
            Input::String(url) => Some(url.as_str()),
            other => {
                self.issues
                    .error("/url", IssueCode::WrongType, format!("url must be a string, got {}", other.type_name()))
                    .expected("string")
                    .actual(other.type_name());
                None
            }
        };
        let content_type = match request.get("headers") {
            Input::Object(entries) => {
                entries.iter().find(|(k, _)| k.eq_ignore_ascii_case("content-type")).map(|(k, v)| match v {
                    Input::String(text) => (k.as_str(), HeaderValue::Text(text)),
                    other => (k.as_str(), HeaderValue::Other(other)),
                })
            }
            _ => None,
        };
        let body = self.body_text(request.get("body"), "JSON text or absent");
        self.request(Parts { method, url, content_type, body })
    }

    fn request(&mut self, parts: Parts<'_>) -> Option<ParsedRequest> {
        let Parts { method, url, content_type, body } = parts;
        match method {
            Some("POST") | None => {}
            Some(m) if m.eq_ignore_ascii_case("POST") => {
                self.issues
                    .tolerated("/method", IssueCode::InvalidMethod, format!("method {m:?} should be \"POST\""))
                    .expected("POST")
                    .actual(m);
            }
            Some(m) => {
                self.issues
                    .error("/method", IssueCode::InvalidMethod, format!("media actions are POST requests, got {m:?}"))
                    .expected("POST");
            }
        }
        let target = url.and_then(|url| self.request_url(url));
        if body.is_some() {
            self.request_content_type(content_type);
        }
        let mut body = match body {
            Some(text) => json::parse(text, "/body", &mut self.issues)?,
            None => Value::Object(Map::new()),
        };
        let (origin, version, call_id, kind) = target?;
        let body_obj = self.object(&mut body, &BODY, "the request body")?;
        let action = self.action_body(body_obj, &BODY, kind, version, Dialect::Request)?;
        let request = MediaRequest::new(version, call_id, action).ok()?;
        Some(ParsedRequest { origin, request })
    }

    fn request_url(&mut self, url: &str) -> Option<(String, ApiVersion, CallId, OperationKind)> {
        let shape = "https://{host}/{v1.0|beta}/communications/calls/{id}/{action}";
        let Some((version, path)) = split_graph_url(url) else {
            self.issues
                .error("/url", IssueCode::InvalidUrl, format!("url {:?} is not {shape}", shortened(url)))
                .actual(url);
            return None;
        };
        let Some(version) = ApiVersion::from_segment(version) else {
            self.issues
                .error("/url", IssueCode::InvalidUrl, format!("API version {version:?} is neither v1.0 nor beta"))
                .actual(version);
            return None;
        };
        let (legacy, rest) = match (path.strip_prefix("/communications/calls/"), path.strip_prefix("/app/calls/")) {
            (Some(rest), _) => (false, rest),
            (None, Some(rest)) => (true, rest),
            _ => {
                self.issues
                    .error("/url", IssueCode::InvalidUrl, format!("url {:?} is not {shape}", shortened(url)))
                    .actual(url);
                return None;
            }
        };
        if legacy {
            self.issues
                .tolerated(
                    "/url",
                    IssueCode::LegacyPath,
                    "the /app/calls/ root is deprecated; use /communications/calls/",
                )
                .actual(url);
        }
        let Some((call_segment, action)) =
            rest.split_once('/').filter(|(c, a)| !c.is_empty() && !a.is_empty() && !a.contains('/'))
        else {
            self.issues
                .error("/url", IssueCode::InvalidUrl, format!("url {:?} is not {shape}", shortened(url)))
                .actual(url);
            return None;
        };
        let decoded = percent_encoding::percent_decode_str(call_segment).decode_utf8_lossy().into_owned();
        let call_id = match CallId::try_from(decoded) {
            Ok(id) => id,
            Err(why) => {
                self.issues.error("/url", IssueCode::InvalidUrl, why.0).actual(url);
                return None;
            }
        };
        let kind = match OperationKind::from_action(action) {
            Some(kind) => kind,
            None => {
                // A known action in another casing, or the pre-2019 beta name `record`: reported,
                // and the body is still checked as that action's.
                let near = OperationKind::ALL
                    .into_iter()
                    .find(|k| k.action().eq_ignore_ascii_case(action))
                    .or_else(|| (action == "record").then_some(OperationKind::RecordResponse));
                let message = format!(
                    "{action:?} is not one of cancelMediaProcessing, playPrompt, recordResponse, subscribeToTone"
                );
                let Some(near) = near else {
                    self.issues.error("/url", IssueCode::UnknownAction, message).actual(action);
                    return None;
                };
                let hint = if action == "record" {
                    "`record` is the beta name recordResponse replaced in December 2019".to_owned()
                } else {
                    format!("did you mean {:?}? Actions are case-sensitive camelCase", near.action())
                };
                self.issues
                    .error("/url", IssueCode::UnknownAction, message)
                    .actual(action)
                    .expected(near.action())
                    .hint(hint);
                near
            }
        };
        let origin = graph_url_origin(url).unwrap_or_default().to_owned();
        Some((origin, version, call_id, kind))
    }

    fn request_content_type(&mut self, found: Option<(&str, HeaderValue<'_>)>) {
        match found {
            None => {
                self.issues
                    .tolerated("/headers", IssueCode::ContentType, "a JSON body needs Content-Type: application/json")
                    .expected("application/json");
            }
            Some((_, HeaderValue::Text(v))) if v.to_ascii_lowercase().starts_with("application/json") => {}
            Some((key, value)) => {
                let shown = match value {
                    HeaderValue::Text(v) => format!("{v:?}"),
                    HeaderValue::Other(v) => crate::input::Shown(v).to_string(),
                };
                self.issues
                    .error(
                        &child("/headers", key),
                        IssueCode::ContentType,
                        format!("Content-Type is {shown}, expected application/json"),
                    )
                    .expected("application/json");
            }
        }
    }
}
