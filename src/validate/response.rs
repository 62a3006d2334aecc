//! `validateOperationResponse`: what an action's POST answered — status, `Location` and the
//! commsOperation body — checked against the action it answers and the call it was sent to.

use crate::contract::pointer::{child, At};
use crate::input::{Input, Shown};
use crate::model::ids::{same_id, split_graph_url, ResourcePath};
use crate::model::operation::COMMS_OPERATION_TYPE;
use crate::model::{ApiVersion, CommsOperation, OperationKind, OperationStatus};

use super::check::shortened;
use super::check::{Checked, Checker};
use super::entities::operation_types;
use super::issue::{IssueCode, Report};
use super::json;
use super::options::ResponseOptions;
use super::tree::Value;

/// Where a response's body sits in the argument.
static BODY: At<'static> = At::Key(&At::Root, "body");

/// Validates `{status, headers, body}` where `body` is JSON text, `null` or absent.
pub fn validate_operation_response(response: &Input, options: &ResponseOptions) -> Report<CommsOperation> {
    check_operation_response(response, options).into_report()
}

/// The checks of `validate_operation_response` without building the typed model (the JS API's
/// path): the body as normalized JSON, when it reads as a commsOperation.
pub fn check_operation_response<'a>(response: &'a Input, options: &ResponseOptions) -> Checked<'a> {
    let mut checker = Checker::new(options.mode);
    let value = checker.response(response, options).filter(|_| !checker.untyped);
    Checked { issues: checker.issues, value, changed: checker.changed }
}

impl Checker {
    fn response<'a>(&mut self, response: &'a Input, options: &ResponseOptions) -> Option<Value<'a>> {
        let Input::Object(_) = response else {
            self.issues.error(
                "",
                IssueCode::UnsupportedInput,
                format!("a response must be an object {{status, headers, body}}, got {}", response.type_name()),
            );
            return None;
        };
        let status = self.http_status(response.get("status"))?;
        let headers = self.headers(response.get("headers"));
        let header = |name: &str| {
            headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(k, v)| (k.as_str(), v.as_str()))
        };
        let body_text = self.body_text(response.get("body"), "JSON text, an object or null");
        if !(200..300).contains(&status) {
            let detail = body_text.map(graph_error_summary).unwrap_or_default();
            self.issues
                .error("/status", IssueCode::HttpStatus, format!("the action failed with HTTP {status}{detail}"))
                .expected(200)
                .actual(status);
            return None;
        }
        if status != 200 {
            self.issues
                .warning(
                    "/status",
                    IssueCode::HttpStatus,
                    format!("the docs answer these actions with 200 OK, got {status}"),
                )
                .expected(200)
                .actual(status);
        }
        let location_op = self.location(header("Location"), options);
        let text = body_text?;
        match header("Content-Type") {
            None => {
                self.issues.warning(
                    "/headers",
                    IssueCode::ContentType,
                    "a JSON body came without Content-Type: application/json",
                );
            }
            Some((key, value)) if !value.to_ascii_lowercase().starts_with("application/json") => {
                self.issues
                    .error(
                        &child("/headers", key),
                        IssueCode::ContentType,
                        format!("Content-Type is {value:?}, expected application/json"),
                    )
                    .expected("application/json")
                    .actual(value);
            }
            Some(_) => {}
        }
        let mut value = json::parse(text, "/body", &mut self.issues)?;
        if value.is_null() {
            return None; // the OpenAPI allows a null operation
        }
        let obj = self.object(&mut value, &BODY, "the response body")?;
        let implied = options.operation.map(OperationKind::odata_type);
        let accepted: Vec<&str> = match options.operation {
            Some(kind) => vec![kind.odata_type(), COMMS_OPERATION_TYPE],
            None => operation_types(),
        };
        let declared = obj.contains_key("@odata.type");
        let odata_type = self.odata_type(obj, &BODY, &accepted, implied.or(Some(COMMS_OPERATION_TYPE)));
        self.operation(obj, &BODY, odata_type.as_deref(), declared);
        let kind = options.operation.or_else(|| odata_type.as_deref().and_then(OperationKind::from_odata_type));
        if let (Some(kind), Some(Value::String(status))) = (kind, obj.get("status")) {
            self.expected_status(kind, &OperationStatus::from_wire(status));
        }
        if let (Some(op_id), Some(Value::String(id))) = (location_op, obj.get("id")) {
            if !same_id(&op_id, id) {
                self.issues
                    .warning(
                        "/body/id",
                        IssueCode::IdMismatch,
                        format!(
                            "body id {:?} is not the operation id in Location ({:?})",
                            shortened(id),
                            shortened(&op_id)
                        ),
                    )
                    .expected(op_id.as_str())
                    .actual(&**id)
                    .hint("the docs' cancelMediaProcessing example has this defect; address the operation by Location");
            }
        }
        Some(value)
    }

    fn http_status(&mut self, status: &Input) -> Option<u16> {
        match status {
            Input::Number(n) if n.fract() == 0.0 && (100.0..=599.0).contains(n) => Some(*n as u16),
            Input::Number(_) => {
                self.issues.error(
                    "/status",
                    IssueCode::OutOfRange,
                    format!("status must be an HTTP status code from 100 to 599, got {}", Shown(status)),
                );
                None
            }
            other => {
                self.issues
                    .error(
                        "/status",
                        IssueCode::WrongType,
                        format!("status must be a number, got {}", other.type_name()),
                    )
                    .expected("number")
                    .actual(other.type_name());
                None
            }
        }
    }

    fn headers(&mut self, headers: &Input) -> Vec<(String, String)> {
        match headers {
            Input::Object(entries) => entries
                .iter()
                .filter_map(|(k, v)| match v {
                    Input::String(s) => Some((k.clone(), s.clone())),
                    other => {
                        self.issues
                            .error(
                                &child("/headers", k),
                                IssueCode::WrongType,
                                format!("header {k} must be a string, got {}", other.type_name()),
                            )
                            .expected("string")
                            .actual(other.type_name());
                        None
                    }
                })
                .collect(),
            absent if absent.is_absent() => Vec::new(),
            other => {
                self.issues
                    .error(
                        "/headers",
                        IssueCode::WrongType,
                        format!("headers must be an object, got {}", other.type_name()),
                    )
                    .expected("object")
                    .actual(other.type_name());
                Vec::new()
            }
        }
    }

    /// Checks `Location` and returns the operation id it names.
    fn location(&mut self, header: Option<(&str, &str)>, options: &ResponseOptions) -> Option<String> {
        let Some((key, url)) = header else {
            self.issues
                .tolerated(
                    "/headers",
                    IssueCode::MissingLocation,
                    "no Location header: the operation cannot be addressed",
                )
                .expected("Location");
            return None;
        };
        let at = child("/headers", key);
        let parsed = split_graph_url(url)
            .filter(|(version, _)| ApiVersion::from_segment(version).is_some())
            .and_then(|(_, path)| ResourcePath::parse(path))
            .filter(|p| p.operation_id().is_some());
        let Some(path) = parsed else {
            self.issues
                .error(&at, IssueCode::InvalidLocation, format!("Location {:?} is not https://…/{{v1.0|beta}}/communications/calls/{{callId}}/operations/{{id}}", shortened(url)))
                .actual(url);
            return None;
        };
        if path.legacy_root {
            self.issues
                .tolerated(&at, IssueCode::LegacyPath, "Location uses the deprecated /app/calls/ root")
                .actual(url);
        }
        if let Some(call_id) = options.call_id.as_ref().map(|id| id.as_str()) {
            if !same_id(call_id, &path.call_id) {
                self.issues
                    .error(
                        &at,
                        IssueCode::CallIdMismatch,
                        format!("Location names call {:?}, not the call {call_id:?} the request was for", path.call_id),
                    )
                    .expected(call_id)
                    .actual(&*path.call_id);
            }
        }
        path.operation_id().map(str::to_owned)
    }

    fn expected_status(&mut self, kind: OperationKind, status: &OperationStatus) {
        let expected: &[OperationStatus] = match kind {
            OperationKind::CancelMediaProcessing | OperationKind::SubscribeToTone => &[OperationStatus::Completed],
            OperationKind::PlayPrompt | OperationKind::RecordResponse => {
                &[OperationStatus::Running, OperationStatus::NotStarted]
            }
        };
        if !status.is_known() || expected.contains(status) {
            return;
        }
        if *status == OperationStatus::Failed {
            self.issues.warning(
                "/body/status",
                IssueCode::OperationFailed,
                format!("{} failed at once; no notification will follow", kind.action()),
            );
        } else {
            self.issues
                .warning(
                    "/body/status",
                    IssueCode::UnexpectedStatus,
                    format!("{} usually answers {:?}, got {:?}", kind.action(), expected[0].as_str(), status.as_str()),
                )
                .expected(expected[0].as_str())
                .actual(status.as_str());
        }
    }
}

/// `: code — message` from a Graph OData error body (or a bare `{"message"}`), for messages.
fn graph_error_summary(text: &str) -> String {
    if text.len() > json::MAX_PAYLOAD_BYTES {
        return String::new();
    }
    let Ok(Value::Object(body)) = json::read(text).map(|parsed| parsed.value) else { return String::new() };
    let error = match body.get("error") {
        Some(Value::Object(error)) => error,
        _ => &body,
    };
    let code = error.get("code").and_then(Value::as_str);
    let message = error.get("message").and_then(Value::as_str);
    match (code, message) {
        (Some(c), Some(m)) => format!(": {c} — {m}"),
        (Some(c), None) => format!(": {c}"),
        (None, Some(m)) => format!(": {m}"),
        (None, None) => String::new(),
    }
}
