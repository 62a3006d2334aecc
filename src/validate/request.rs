//! `validateRequest`: a media-action request made by any client, checked against the same
//! `contract` rules the builders enforce, collecting every issue; when the URL and body pass,
//! the result is the one typed [`MediaRequest`] the builders make and the simulator consumes.

use serde::{Serialize, Serializer};

use crate::contract::limits::*;
use crate::contract::pointer::{child, index, At};
use crate::contract::{
    Action, CallId, ClientContext, ContextOnly, MediaRequest, PlayPrompt, Prompt, PromptUri, RecordResponse, StopTone,
    TimerSeconds,
};
use crate::http::HttpRequest;
use crate::input::Input;
use crate::model::ids::{graph_url_origin, split_graph_url};
use crate::model::prompt::{MEDIA_INFO_TYPE, MEDIA_PROMPT_TYPE};
use crate::model::{ApiVersion, OperationKind};

use super::check::shortened;
use super::check::{Checker, Field};
use super::issue::{json_type, IssueCode, Report};
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
        headers: Some(content_type),
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
    /// `Some(Content-Type's name and value, if there is one)`, or `None` when the headers are
    /// not an object at all.
    headers: Option<Option<(&'r str, HeaderValue<'r>)>>,
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
        let headers = match request.get("headers") {
            Input::Object(entries) => {
                Some(entries.iter().find(|(k, _)| k.eq_ignore_ascii_case("content-type")).map(|(k, v)| match v {
                    Input::String(text) => (k.as_str(), HeaderValue::Text(text)),
                    other => (k.as_str(), HeaderValue::Other(other)),
                }))
            }
            _ => None,
        };
        let body = self.body_text(request.get("body"), "JSON text or absent");
        self.request(Parts { method, url, headers, body })
    }

    fn request(&mut self, parts: Parts<'_>) -> Option<ParsedRequest> {
        let Parts { method, url, headers, body } = parts;
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
            self.request_content_type(headers.flatten());
        }
        let mut body = match body {
            Some(text) => json::parse(text, "/body", &mut self.issues)?,
            None => Value::Object(Map::new()),
        };
        let (origin, version, call_id, kind) = target?;
        let body_obj = self.object(&mut body, &BODY, "the request body")?;
        let errors_before = self.issues.error_count();
        let action = self.action_body(body_obj, kind, version);
        // The typed request is what the checks let through: any error in the body leaves it out.
        if self.issues.error_count() > errors_before {
            return None;
        }
        let request = MediaRequest::new(version, call_id, action?).ok()?;
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

    /// Checks an action's body and reads it into the typed action (`None` when a fault makes
    /// it unreadable; every fault is reported either way).
    fn action_body(&mut self, body: &mut Map<'_>, kind: OperationKind, version: ApiVersion) -> Option<Action> {
        let (declared, beta_only) = parameters(kind);
        let keys: Vec<String> = body.keys().map(str::to_owned).collect();
        for key in &keys {
            let at = child("/body", key);
            if declared.contains(&key.as_str()) || (beta_only.contains(&key.as_str()) && version == ApiVersion::Beta) {
                continue;
            }
            let message = if beta_only.contains(&key.as_str()) {
                format!("{key} is a beta-only parameter of {}; this request targets v1.0", kind.action())
            } else {
                format!(
                    "{} does not declare a parameter {key:?}; it takes {}",
                    kind.action(),
                    declared.iter().chain(beta_only).copied().collect::<Vec<_>>().join(", ")
                )
            };
            self.issues.error(&at, IssueCode::UnknownParameter, message).actual(key.as_str());
        }
        let client_context = self.client_context(body);
        match kind {
            OperationKind::CancelMediaProcessing => {
                Some(Action::CancelMediaProcessing(ContextOnly { client_context: client_context? }))
            }
            OperationKind::SubscribeToTone => {
                Some(Action::SubscribeToTone(ContextOnly { client_context: client_context? }))
            }
            OperationKind::PlayPrompt => {
                let prompts = self.prompts(body, PLAY_PROMPTS_MIN, PLAY_PROMPTS_MAX, version);
                let r#loop = self.boolean(body, &BODY, Field::optional("loop").nullable());
                let mut play = PlayPrompt::new(prompts?).ok()?;
                play.client_context = client_context?;
                play.r#loop = r#loop;
                Some(Action::PlayPrompt(play))
            }
            OperationKind::RecordResponse => {
                let prompts = match body.get("prompts") {
                    None | Some(Value::Null) => Some(Vec::new()),
                    Some(_) => self.prompts(body, 0, RECORD_PROMPTS_MAX, version),
                };
                let flag = |checker: &mut Checker, key| checker.boolean(body, &BODY, Field::optional(key).nullable());
                let barge_in_allowed = flag(self, "bargeInAllowed");
                let play_beep = flag(self, "playBeep");
                let stream_while_recording = flag(self, "streamWhileRecording");
                let initial = self.timer(body, "initialSilenceTimeoutInSeconds");
                let max_silence = self.timer(body, "maxSilenceTimeoutInSeconds");
                let max_duration = self.timer(body, "maxRecordDurationInSeconds");
                let stop_tones = self.stop_tones(body);
                let mut record = RecordResponse::new(prompts?).ok()?;
                record.client_context = client_context?;
                record.barge_in_allowed = barge_in_allowed;
                record.play_beep = play_beep;
                record.stream_while_recording = stream_while_recording;
                record.initial_silence_timeout_in_seconds = initial?;
                record.max_silence_timeout_in_seconds = max_silence?;
                record.max_record_duration_in_seconds = max_duration?;
                record.stop_tones = stop_tones?;
                Some(Action::RecordResponse(record))
            }
        }
    }

    /// `clientContext`: `Some(None)` when absent, `None` when it is unreadable.
    fn client_context(&mut self, body: &Map<'_>) -> Option<Option<ClientContext>> {
        let errors = self.issues.error_count();
        let Some(text) = self.string(body, &BODY, Field::optional("clientContext").nullable()) else {
            return (self.issues.error_count() == errors).then_some(None);
        };
        match ClientContext::try_from(text) {
            Ok(context) => Some(Some(context)),
            Err(why) => {
                self.issues.error("/body/clientContext", IssueCode::OutOfRange, why.0).expected(CLIENT_CONTEXT_MAX);
                None
            }
        }
    }

    /// A recordResponse timer: `Some(None)` when absent, `None` when it is unreadable.
    fn timer(&mut self, body: &Map<'_>, key: &str) -> Option<Option<TimerSeconds>> {
        let errors = self.issues.error_count();
        let range = TIMER_SECONDS_MIN..=TIMER_SECONDS_MAX;
        match self.integer(body, &BODY, Field::optional(key).nullable(), range) {
            Some(seconds) => TimerSeconds::try_from(seconds).ok().map(Some),
            None => (self.issues.error_count() == errors).then_some(None),
        }
    }

    fn prompts(&mut self, body: &mut Map<'_>, min: usize, max: usize, version: ApiVersion) -> Option<Vec<Prompt>> {
        let Some(prompts) = body.get_mut("prompts") else {
            self.missing(&BODY, "prompts", "playPrompt");
            return None;
        };
        let Value::Array(items) = prompts else {
            let actual = json_type(prompts);
            self.issues
                .error("/body/prompts", IssueCode::WrongType, format!("prompts must be an array, got {actual}"))
                .expected("array")
                .actual(actual);
            return None;
        };
        if items.len() < min || items.len() > max {
            self.issues
                .error(
                    "/body/prompts",
                    IssueCode::OutOfRange,
                    format!("{} prompts given; allowed: {min} to {max}", items.len()),
                )
                .expected(max)
                .actual(items.len());
        }
        let mut typed = Vec::with_capacity(items.len());
        for (i, item) in items.iter_mut().enumerate() {
            // Every prompt is checked, even after one failed, so that every fault is reported.
            let prompt = self.prompt(item, &BODY.key("prompts").index(i), version);
            typed.push(prompt);
        }
        typed.into_iter().collect()
    }

    fn prompt(&mut self, item: &mut Value<'_>, at: &At<'_>, version: ApiVersion) -> Option<Prompt> {
        let prompt = self.object(item, at, "a prompt")?;
        self.odata_type(prompt, at, &[MEDIA_PROMPT_TYPE], Some(MEDIA_PROMPT_TYPE));
        let mut r#loop = None;
        if prompt.contains_key("loop") && version != ApiVersion::Beta {
            self.issues
                .error(&at.key("loop").pointer(), IssueCode::UnknownParameter, "mediaPrompt.loop is beta-only")
                .actual("loop");
        } else {
            r#loop = self.integer(prompt, at, Field::optional("loop").nullable(), 0..=i32::MAX as i64);
        }
        let media_at = at.key("mediaInfo");
        let Some(media) = prompt.get_mut("mediaInfo") else {
            self.missing(at, "mediaInfo", "a mediaPrompt");
            return None;
        };
        let media = self.object(media, &media_at, "mediaInfo")?;
        self.odata_type(media, &media_at, &[MEDIA_INFO_TYPE], None);
        let uri = self.string(media, &media_at, Field::required("uri")).map(|uri| match PromptUri::try_from(uri) {
            Ok(uri) => Some(uri),
            Err(why) => {
                self.issues.error(&media_at.key("uri").pointer(), IssueCode::InvalidUrl, why.0).actual(uri);
                None
            }
        });
        let resource_id = self.string(media, &media_at, Field::optional("resourceId").nullable()).map(str::to_owned);
        let mut typed = Prompt::new(uri??);
        typed.resource_id = resource_id;
        typed.r#loop = r#loop.map(|n| n as i32);
        typed.media_extra = others(media, &["@odata.type", "uri", "resourceId"]);
        typed.extra = others(prompt, &["@odata.type", "mediaInfo", "loop"]);
        Some(typed)
    }

    /// `stopTones`: `Some(None)` when absent, `None` when unreadable.
    fn stop_tones(&mut self, body: &Map<'_>) -> Option<Option<Vec<StopTone>>> {
        match body.get("stopTones") {
            None | Some(Value::Null) => Some(None),
            Some(Value::Array(items)) => {
                let mut tones = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let at = index("/body/stopTones", i);
                    match item {
                        Value::String(s) => match StopTone::try_from(&**s) {
                            Ok(tone) => tones.push(Some(tone)),
                            Err(why) => {
                                self.issues.error(&at, IssueCode::OutOfRange, why.0).actual(&**s);
                                tones.push(None);
                            }
                        },
                        other => {
                            let actual = json_type(other);
                            self.issues
                                .error(&at, IssueCode::WrongType, format!("a stop tone must be a string, got {actual}"))
                                .expected("string")
                                .actual(actual);
                            tones.push(None);
                        }
                    }
                }
                tones.into_iter().collect::<Option<Vec<_>>>().map(Some)
            }
            Some(other) => {
                let actual = json_type(other);
                self.issues
                    .error("/body/stopTones", IssueCode::WrongType, format!("stopTones must be an array, got {actual}"))
                    .expected("array")
                    .actual(actual);
                None
            }
        }
    }
}

/// The properties of `obj` other than `known`, in arrival order (kept, never dropped).
fn others(obj: &Map<'_>, known: &[&str]) -> serde_json::Map<String, serde_json::Value> {
    obj.iter().filter(|(k, _)| !known.contains(k)).map(|(k, v)| (k.to_owned(), v.to_json())).collect()
}
