//! How each docs fixture is fed to a validator, by its file name.

use graph_ivr::input::Input;
use graph_ivr::model::OperationKind;
use graph_ivr::validate::*;
use serde_json::{json, Map, Value};

use super::{fixture, split_http};

/// What a fixture is checked as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Notification,
    Request,
    Response,
    /// A "JSON representation" template: JSON, but not an instance.
    Template,
    /// Envelope lines, downloads, keepAlive: outside the validators' scope.
    NotApplicable,
}

pub fn kind_of(name: &str) -> Kind {
    if name.contains(".resource.") || name.starts_with("resource.") {
        Kind::Template
    } else if name.contains("envelope") || name.contains("download") || name.contains("keepalive") {
        Kind::NotApplicable
    } else if name.contains(".notification.") || name.ends_with(".txt") {
        Kind::Notification
    } else if name.contains(".request.") {
        Kind::Request
    } else if name.contains(".response.") {
        Kind::Response
    } else {
        Kind::NotApplicable
    }
}

pub fn operation_of(name: &str) -> Option<OperationKind> {
    let stem = name.trim_start_matches("beta-legacy.").trim_start_matches("beta.");
    match stem.split('.').next()? {
        "cancelmediaprocessing" => Some(OperationKind::CancelMediaProcessing),
        "playprompt" => Some(OperationKind::PlayPrompt),
        "record" => Some(OperationKind::RecordResponse),
        "subscribetotone" => Some(OperationKind::SubscribeToTone),
        _ => None,
    }
}

/// The outcome of validating a fixture: (valid, sorted "code@path" of errors, of warnings).
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub valid: bool,
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
}

fn outcome<T>(report: &Report<T>) -> Outcome {
    let list = |sev: Severity| {
        report.issues.iter().filter(|i| i.severity == sev).map(|i| format!("{}@{}", i.code.as_str(), i.path)).collect()
    };
    Outcome { valid: report.valid, errors: list(Severity::Error), warnings: list(Severity::Warning) }
}

fn headers_input(headers: &[(String, String)]) -> Input {
    Input::Object(headers.iter().map(|(k, v)| (k.clone(), Input::String(v.clone()))).collect())
}

/// Validates fixture `name` as what it is, in `mode`. `None` for `NotApplicable`.
pub fn validate_fixture(dir: &std::path::Path, name: &str, mode: Mode) -> Option<Outcome> {
    let text = fixture(dir, name);
    match kind_of(name) {
        Kind::NotApplicable => None,
        Kind::Notification | Kind::Template
            if name.contains("commsnotification") || kind_of(name) == Kind::Notification =>
        {
            Some(outcome(&validate_notifications(&text, NotificationOptions { mode, ..Default::default() })))
        }
        Kind::Template => {
            let kind = if name.contains("operation") { Some(()) } else { None };
            kind?;
            let response = Input::Object(vec![
                ("status".into(), Input::Number(200.0)),
                ("headers".into(), headers_input(&[("Content-Type".into(), "application/json".into())])),
                ("body".into(), Input::String(text)),
            ]);
            Some(outcome(&validate_operation_response(&response, &ResponseOptions { mode, ..Default::default() })))
        }
        Kind::Request => {
            let (url, headers, body) = if name.ends_with(".http") {
                let (start, headers, body) = split_http(&text);
                let (method, url) = start.split_once(' ').unwrap_or(("", &start));
                assert_eq!(method, "POST", "{name}");
                (url.to_owned(), headers, body)
            } else {
                let sibling = fixture(dir, &name.replace(".json", ".http"));
                let (start, headers, _) = split_http(&sibling);
                (start.split_once(' ').map(|(_, u)| u.to_owned()).unwrap_or_default(), headers, text)
            };
            // The docs write the call id as the placeholder `{id}`; use a real one.
            let url = url.replace("{id}", "57dab8b1-894c-409a-b240-bd8beae78896");
            let request = Input::Object(vec![
                ("method".into(), Input::String("POST".into())),
                ("url".into(), Input::String(url)),
                ("headers".into(), headers_input(&headers)),
                ("body".into(), Input::String(body)),
            ]);
            Some(outcome(&validate_request(&request, mode)))
        }
        Kind::Response => {
            let http_name = name.replace(".json", ".http");
            let (start, headers, http_body) = split_http(&fixture(dir, &http_name));
            let body = if name.ends_with(".json") { text } else { http_body };
            let status: f64 = start.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0.0);
            let response = Input::Object(vec![
                ("status".into(), Input::Number(status)),
                ("headers".into(), headers_input(&headers)),
                ("body".into(), if body.trim().is_empty() { Input::Null } else { Input::String(body) }),
            ]);
            let options = ResponseOptions {
                operation: operation_of(name),
                call_id: graph_ivr::contract::CallId::try_from("57dab8b1-894c-409a-b240-bd8beae78896").ok(),
                mode,
            };
            Some(outcome(&validate_operation_response(&response, &options)))
        }
        Kind::Notification => unreachable!("matched above"),
    }
}

#[allow(dead_code)]
pub fn to_value(outcome: &Outcome) -> Value {
    let mut m = Map::new();
    m.insert("valid".into(), json!(outcome.valid));
    m.insert("errors".into(), json!(outcome.errors));
    m.insert("warnings".into(), json!(outcome.warnings));
    Value::Object(m)
}
