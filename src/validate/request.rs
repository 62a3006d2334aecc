//! `validateRequest`: a media-action request made by any client, checked against the same
//! rules the builders enforce (`request::limits`, `request::rules`). The simulator reads the
//! requests it is given with this too, so it accepts exactly what Graph documents.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::input::Input;
use crate::model::ids::split_graph_url;
use crate::model::prompt::{MEDIA_INFO_TYPE, MEDIA_PROMPT_TYPE};
use crate::model::{ApiVersion, OperationKind};
use crate::request::limits::*;
use crate::request::rules;

use super::check::shortened;
use super::check::Checker;
use super::issue::{json_type, IssueCode, Report};
use super::pointer::{child, index};
use super::{json, Mode};

/// A request as understood: where it goes and its normalized body.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ParsedRequest {
    #[serde(serialize_with = "version_str")]
    pub version: ApiVersion,
    /// The call id, percent-decoded.
    pub call_id: String,
    #[serde(serialize_with = "action_str")]
    pub operation: OperationKind,
    /// The JSON body (`{}` when there was none).
    pub body: Map<String, Value>,
}

fn version_str<S: serde::Serializer>(v: &ApiVersion, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(v.as_str())
}

fn action_str<S: serde::Serializer>(k: &OperationKind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(k.action())
}

/// Validates `{method, url, headers?, body?}`; `body` is JSON text (or absent).
pub fn validate_request(request: &Input, mode: Mode) -> Report<ParsedRequest> {
    let mut checker = Checker::new(mode);
    let parsed = checker.request(request);
    Report::new(checker.issues, parsed)
}

impl Checker {
    fn request(&mut self, request: &Input) -> Option<ParsedRequest> {
        let Input::Object(_) = request else {
            self.issues.error(
                "",
                IssueCode::UnsupportedInput,
                format!("a request must be an object {{method, url, headers, body}}, got {}", request.type_name()),
            );
            return None;
        };
        match request.get("method") {
            Input::String(m) if m == "POST" => {}
            Input::String(m) if m.eq_ignore_ascii_case("POST") => {
                self.issues
                    .tolerated("/method", IssueCode::InvalidMethod, format!("method {m:?} should be \"POST\""))
                    .expected("POST")
                    .actual(m.as_str());
            }
            other => {
                self.issues
                    .error(
                        "/method",
                        IssueCode::InvalidMethod,
                        format!("media actions are POST requests, got {}", crate::input::Shown(other)),
                    )
                    .expected("POST");
            }
        }
        let target = self.request_url(request.get("url"));
        let body_text = self.body_text(request.get("body"), "JSON text or absent");
        if body_text.is_some() {
            self.request_content_type(request.get("headers"));
        }
        let mut body = match body_text {
            Some(text) => json::parse(text, "/body", &mut self.issues)?,
            None => Value::Object(Map::new()),
        };
        let (version, call_id, kind) = target?;
        let body_obj = self.object(&mut body, "/body", "the request body")?;
        self.action_body(body_obj, kind, version);
        Some(ParsedRequest { version, call_id, operation: kind, body: std::mem::take(body_obj) })
    }

    fn request_url(&mut self, url: &Input) -> Option<(ApiVersion, String, OperationKind)> {
        let Input::String(url) = url else {
            self.issues
                .error("/url", IssueCode::WrongType, format!("url must be a string, got {}", url.type_name()))
                .expected("string")
                .actual(url.type_name());
            return None;
        };
        let shape = "https://{host}/{v1.0|beta}/communications/calls/{id}/{action}";
        let Some((version, path)) = split_graph_url(url) else {
            self.issues
                .error("/url", IssueCode::InvalidUrl, format!("url {:?} is not {shape}", shortened(url)))
                .actual(url.as_str());
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
                    .actual(url.as_str());
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
                .actual(url.as_str());
        }
        let Some((call_segment, action)) =
            rest.split_once('/').filter(|(c, a)| !c.is_empty() && !a.is_empty() && !a.contains('/'))
        else {
            self.issues
                .error("/url", IssueCode::InvalidUrl, format!("url {:?} is not {shape}", shortened(url)))
                .actual(url.as_str());
            return None;
        };
        let call_id = percent_encoding::percent_decode_str(call_segment).decode_utf8_lossy().into_owned();
        if let Err(why) = rules::check_call_id(&call_id) {
            self.issues.error("/url", IssueCode::InvalidUrl, why).actual(url.as_str());
            return None;
        }
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
        Some((version, call_id, kind))
    }

    fn request_content_type(&mut self, headers: &Input) {
        let found = match headers {
            Input::Object(entries) => entries
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
                .map(|(k, v)| (k.clone(), v.clone())),
            _ => None,
        };
        match found {
            None => {
                self.issues
                    .tolerated("/headers", IssueCode::ContentType, "a JSON body needs Content-Type: application/json")
                    .expected("application/json");
            }
            Some((_, Input::String(v))) if v.to_ascii_lowercase().starts_with("application/json") => {}
            Some((key, v)) => {
                self.issues
                    .error(
                        &child("/headers", &key),
                        IssueCode::ContentType,
                        format!("Content-Type is {}, expected application/json", crate::input::Shown(&v)),
                    )
                    .expected("application/json");
            }
        }
    }

    fn action_body(&mut self, body: &mut Map<String, Value>, kind: OperationKind, version: ApiVersion) {
        let (declared, beta_only) = parameters(kind);
        let keys: Vec<String> = body.keys().cloned().collect();
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
        if let Some(context) = self.string_field(body, "/body", "clientContext", true, false) {
            if let Err(why) = rules::check_client_context(context) {
                self.issues.error("/body/clientContext", IssueCode::OutOfRange, why).expected(CLIENT_CONTEXT_MAX);
            }
        }
        match kind {
            OperationKind::PlayPrompt => {
                self.prompts(body, PLAY_PROMPTS_MIN, PLAY_PROMPTS_MAX, version);
                self.boolean(body, "loop");
            }
            OperationKind::RecordResponse => {
                if body.get("prompts").is_some_and(|p| !p.is_null()) {
                    self.prompts(body, 0, RECORD_PROMPTS_MAX, version);
                }
                for key in ["bargeInAllowed", "playBeep", "streamWhileRecording"] {
                    self.boolean(body, key);
                }
                for key in
                    ["initialSilenceTimeoutInSeconds", "maxSilenceTimeoutInSeconds", "maxRecordDurationInSeconds"]
                {
                    if body.get(key).is_some_and(|v| !v.is_null()) {
                        self.integer_field(body, "/body", key, TIMER_SECONDS_MIN, TIMER_SECONDS_MAX, false);
                    }
                }
                self.stop_tones(body);
            }
            OperationKind::CancelMediaProcessing | OperationKind::SubscribeToTone => {}
        }
    }

    fn boolean(&mut self, body: &Map<String, Value>, key: &str) {
        match body.get(key) {
            None | Some(Value::Null) | Some(Value::Bool(_)) => {}
            Some(other) => {
                let actual = json_type(other);
                self.issues
                    .error(&child("/body", key), IssueCode::WrongType, format!("{key} must be a boolean, got {actual}"))
                    .expected("boolean")
                    .actual(actual);
            }
        }
    }

    fn prompts(&mut self, body: &mut Map<String, Value>, min: usize, max: usize, version: ApiVersion) {
        let Some(prompts) = body.get_mut("prompts") else {
            self.missing("/body", "prompts", "playPrompt");
            return;
        };
        let Value::Array(items) = prompts else {
            let actual = json_type(prompts);
            self.issues
                .error("/body/prompts", IssueCode::WrongType, format!("prompts must be an array, got {actual}"))
                .expected("array")
                .actual(actual);
            return;
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
        for (i, item) in items.iter_mut().enumerate() {
            let at = index("/body/prompts", i);
            let Some(prompt) = self.object(item, &at, "a prompt") else { continue };
            self.odata_type(prompt, &at, &[MEDIA_PROMPT_TYPE], Some(MEDIA_PROMPT_TYPE));
            if prompt.contains_key("loop") && version != ApiVersion::Beta {
                self.issues
                    .error(&child(&at, "loop"), IssueCode::UnknownParameter, "mediaPrompt.loop is beta-only")
                    .actual("loop");
            } else if prompt.get("loop").is_some_and(|l| !l.is_null()) {
                self.integer_field(prompt, &at, "loop", 0, i32::MAX as i64, false);
            }
            let media_at = child(&at, "mediaInfo");
            match prompt.get_mut("mediaInfo") {
                None => self.missing(&at, "mediaInfo", "a mediaPrompt"),
                Some(media) => {
                    let Some(media) = self.object(media, &media_at, "mediaInfo") else { continue };
                    self.odata_type(media, &media_at, &[MEDIA_INFO_TYPE], None);
                    if let Some(uri) = self.string_field(media, &media_at, "uri", false, true) {
                        if let Err(why) = rules::check_prompt_uri(uri) {
                            self.issues.error(&child(&media_at, "uri"), IssueCode::InvalidUrl, why).actual(uri);
                        }
                    }
                    self.string_field(media, &media_at, "resourceId", true, false);
                }
            }
        }
    }

    fn stop_tones(&mut self, body: &Map<String, Value>) {
        match body.get("stopTones") {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let at = index("/body/stopTones", i);
                    match item {
                        Value::String(s) if s.chars().count() == 1 && STOP_TONE_KEYS.contains(s.as_str()) => {}
                        Value::String(s) => {
                            self.issues
                                .error(
                                    &at,
                                    IssueCode::OutOfRange,
                                    format!("a stop tone is one DTMF character of 0-9 * # A-D, got {s:?}"),
                                )
                                .actual(s.as_str());
                        }
                        other => {
                            let actual = json_type(other);
                            self.issues
                                .error(&at, IssueCode::WrongType, format!("a stop tone must be a string, got {actual}"))
                                .expected("string")
                                .actual(actual);
                        }
                    }
                }
            }
            Some(other) => {
                let actual = json_type(other);
                self.issues
                    .error("/body/stopTones", IssueCode::WrongType, format!("stopTones must be an array, got {actual}"))
                    .expected("array")
                    .actual(actual);
            }
        }
    }
}
