//! Validator options, parsed in the core as strictly as builder options: a bad `mode`, an
//! unknown `version`, a `callId` of the wrong type, an unknown key — each is one
//! `unsupportedInput` issue at `/options/{key}` (with a "did you mean" hint for near misses).
//! A validator never throws, so these are issues in its report, not exceptions.

use crate::contract::pointer::child;
use crate::contract::CallId;
use crate::input::{nearest, Dictionary, Input, Shown};
use crate::model::{ApiVersion, OperationKind};

use super::issue::{Issue, IssueCode, Issues, Mode};

/// Options of `validateNotifications`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct NotificationOptions {
    pub mode: Mode,
    /// The contract version to check against. `None` accepts what either version declares;
    /// `v1.0` reads beta-only properties (`completionReason`) as the undeclared dynamic
    /// properties they are there, `beta` checks them against beta's enums.
    pub version: Option<ApiVersion>,
}

/// Options of `validateOperationResponse`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResponseOptions {
    /// The action the response answers; when given, the operation's type must match it.
    pub operation: Option<OperationKind>,
    /// The call the request went to; when given, `Location` must name it.
    pub call_id: Option<CallId>,
    pub mode: Mode,
}

const ROOT: &str = "/options";

/// Reads `validateNotifications` options; problems go to `issues`.
pub fn notification_options(input: &Input, issues: &mut Issues) -> NotificationOptions {
    let mut options = NotificationOptions::default();
    let Some(entries) = entries(input, "validateNotifications", &["mode", "version"], issues) else {
        return options;
    };
    for (key, value) in entries {
        match key.as_str() {
            "mode" => options.mode = mode(value, issues),
            _ => options.version = version(value, issues),
        }
    }
    options
}

/// Reads `validateOperationResponse` options; problems go to `issues`.
pub fn response_options(input: &Input, issues: &mut Issues) -> ResponseOptions {
    let mut options = ResponseOptions::default();
    let known = ["operation", "callId", "mode"];
    let Some(entries) = entries(input, "validateOperationResponse", &known, issues) else {
        return options;
    };
    for (key, value) in entries {
        let at = child(ROOT, key);
        match (key.as_str(), value) {
            ("mode", value) => options.mode = mode(value, issues),
            (_, absent) if absent.is_absent() => {}
            ("operation", Input::String(name)) if OperationKind::from_action(name).is_some() => {
                options.operation = OperationKind::from_action(name);
            }
            ("operation", other) => {
                let names: Vec<&str> = OperationKind::ALL.iter().map(|k| k.action()).collect();
                let issue =
                    refuse(issues, &at, format!("operation must be one of {}, got {}", names.join(", "), Shown(other)));
                hint_near(issue, other, &names);
            }
            (_, Input::String(id)) => match CallId::try_from(id.as_str()) {
                Ok(id) => options.call_id = Some(id),
                Err(why) => {
                    refuse(issues, &at, why.0);
                }
            },
            (_, other) => {
                refuse(issues, &at, format!("callId must be a string, got {}", other.type_name()));
            }
        }
    }
    options
}

/// Reads `validateRequest` options: only `mode`.
pub fn request_options(input: &Input, issues: &mut Issues) -> Mode {
    entries(input, "validateRequest", &["mode"], issues)
        .and_then(|entries| entries.first().map(|(_, value)| mode(value, issues)))
        .unwrap_or_default()
}

/// The known entries of an options object; reports a non-object and every unknown key.
fn entries<'i>(
    input: &'i Input,
    validator: &str,
    known: &[&str],
    issues: &mut Issues,
) -> Option<Vec<&'i (String, Input)>> {
    let entries = match input {
        absent if absent.is_absent() => return None,
        Input::Object(entries) => entries,
        other => {
            refuse(issues, ROOT, format!("{validator}'s options must be an object, got {}", other.type_name()));
            return None;
        }
    };
    let dictionary = Dictionary::options(validator, known);
    for unknown in dictionary.unknown(entries.iter().map(|(key, _)| key.as_str()), ROOT) {
        let issue = refuse(issues, &unknown.path, unknown.message);
        if let Some(hint) = unknown.hint {
            issue.hint(hint);
        }
    }
    Some(entries.iter().filter(|(key, _)| known.contains(&key.as_str())).collect())
}

fn mode(value: &Input, issues: &mut Issues) -> Mode {
    match value {
        absent if absent.is_absent() => Mode::Strict,
        Input::String(m) if m == "strict" => Mode::Strict,
        Input::String(m) if m == "tolerant" => Mode::Tolerant,
        other => {
            let at = child(ROOT, "mode");
            let issue = refuse(issues, &at, format!("mode must be 'strict' or 'tolerant', got {}", Shown(other)));
            hint_near(issue, other, &["strict", "tolerant"]);
            Mode::Strict
        }
    }
}

fn version(value: &Input, issues: &mut Issues) -> Option<ApiVersion> {
    match value {
        absent if absent.is_absent() => None,
        Input::String(v) if ApiVersion::from_segment(v).is_some() => ApiVersion::from_segment(v),
        other => {
            let at = child(ROOT, "version");
            let issue = refuse(issues, &at, format!("version must be 'v1.0' or 'beta', got {}", Shown(other)));
            hint_near(issue, other, &["v1.0", "beta"]);
            None
        }
    }
}

fn refuse<'a>(issues: &'a mut Issues, path: &str, message: String) -> &'a mut Issue {
    issues.error(path, IssueCode::UnsupportedInput, message)
}

fn hint_near(issue: &mut Issue, given: &Input, known: &[&str]) {
    if let Input::String(given) = given {
        if let Some(near) = nearest(given, known) {
            issue.hint(format!("did you mean {near:?}?"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(entries: &[(&str, Input)]) -> Input {
        Input::Object(entries.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect())
    }

    fn paths(issues: Issues) -> Vec<(String, Option<String>)> {
        issues.into_vec().into_iter().map(|i| (i.path, i.hint)).collect()
    }

    #[test]
    fn notification_options_are_strict() {
        let mut issues = Issues::new(Mode::Strict);
        let read = notification_options(
            &obj(&[("mode", Input::String("tolerant".into())), ("version", Input::String("beta".into()))]),
            &mut issues,
        );
        assert_eq!(read, NotificationOptions { mode: Mode::Tolerant, version: Some(ApiVersion::Beta) });
        assert!(!issues.has_errors());

        let mut issues = Issues::new(Mode::Strict);
        notification_options(
            &obj(&[
                ("version", Input::String("v2".into())),
                ("mode", Input::String("Strict".into())),
                ("modes", Input::Bool(true)),
            ]),
            &mut issues,
        );
        assert_eq!(
            paths(issues),
            vec![
                ("/options/modes".into(), Some("did you mean \"mode\"?".into())),
                ("/options/version".into(), None),
                ("/options/mode".into(), Some("did you mean \"strict\"?".into())),
            ]
        );
    }

    #[test]
    fn response_options_refuse_a_call_id_of_the_wrong_type() {
        let mut issues = Issues::new(Mode::Strict);
        let read = response_options(&obj(&[("callId", Input::Number(7.0))]), &mut issues);
        assert_eq!(read.call_id, None);
        assert_eq!(paths(issues), vec![("/options/callId".into(), None)]);

        let mut issues = Issues::new(Mode::Strict);
        response_options(&obj(&[("operation", Input::String("PlayPrompt".into()))]), &mut issues);
        assert_eq!(paths(issues), vec![("/options/operation".into(), Some("did you mean \"playPrompt\"?".into()))]);

        let mut issues = Issues::new(Mode::Strict);
        response_options(&Input::Number(1.0), &mut issues);
        assert_eq!(paths(issues), vec![("/options".into(), None)]);
    }
}
