//! `validate*`: never throw for a bad payload or bad options; they report. One export each, one
//! answer shape (`report::answer`). Options are parsed by the core (`validate::options`) from
//! the same `Input` the builders read.

use wasm_bindgen::prelude::*;

use crate::input::Input;
use crate::validate::issue::{IssueCode, Issues};
use crate::validate::{self, Mode};

use super::convert::{payload_text, property, to_input};
use super::report::{answer, Carried};

/// Reads an options argument with the core's parser; one that cannot even be read (a
/// throwing getter) is an `unsupportedInput` issue under `/options`.
pub(super) fn options<T>(js: &JsValue, problems: &mut Issues, parse: fn(&Input, &mut Issues) -> T) -> T {
    match to_input(js) {
        Ok(input) => parse(&input, problems),
        Err(e) => {
            problems.error(&format!("/options{}", e.path), IssueCode::UnsupportedInput, e.message);
            parse(&Input::Undefined, problems)
        }
    }
}

/// The answer of problems found before the payload was read: invalid, no value.
pub(super) fn refused(problems: Issues) -> String {
    answer(!problems.has_errors(), &problems.into_vec(), Carried::Nothing)
}

/// `validateNotifications(payload, options?)`: text, bytes (`Uint8Array`, `Buffer`,
/// `ArrayBuffer`: a webhook's body as it arrived) or a parsed object.
#[wasm_bindgen(js_name = __validateNotifications, skip_typescript)]
pub fn validate_notifications(payload: JsValue, options: JsValue) -> String {
    let mut problems = Issues::new(Mode::Strict);
    let options = self::options(&options, &mut problems, validate::notification_options);
    if problems.has_errors() {
        return refused(problems);
    }
    let (text, js_text) = match payload_text(&payload) {
        Ok(read) => read,
        Err(why) => {
            problems.error("", IssueCode::UnsupportedInput, why);
            return refused(problems);
        }
    };
    // The caller's own string or bytes: the entry parses what it holds when `value` is read; an
    // object's value is the JSON.stringify text read here.
    notifications_answer(&text, options, js_text.is_none() || payload.is_string())
}

/// The answer for notifications `text` (the caller's own text when `own_text`).
pub(super) fn notifications_answer(text: &str, options: validate::NotificationOptions, own_text: bool) -> String {
    let checked = validate::check_notifications(text, options);
    let valid = !checked.issues.has_errors();
    let issues = checked.issues.into_vec();
    match (&checked.value, checked.changed) {
        (None, _) => answer(valid, &issues, Carried::Nothing),
        (Some(_), false) if own_text => answer(valid, &issues, Carried::OwnText),
        (Some(_), false) => answer(valid, &issues, Carried::Text(text)),
        (Some(value), true) => answer(valid, &issues, Carried::Tree(value)),
    }
}

/// `validateOperationResponse({status, headers, body}, options?)`.
#[wasm_bindgen(js_name = __validateOperationResponse, skip_typescript)]
pub fn validate_operation_response(response: JsValue, options: JsValue) -> String {
    let mut problems = Issues::new(Mode::Strict);
    let options = self::options(&options, &mut problems, validate::response_options);
    let input = response_input(&response, &mut problems);
    if problems.has_errors() {
        return refused(problems);
    }
    let checked = validate::check_operation_response(&input, &options);
    let valid = !checked.issues.has_errors();
    let value = checked.value.as_ref().map_or(Carried::Nothing, Carried::Tree);
    answer(valid, &checked.issues.into_vec(), value)
}

/// `{status, headers, body}` as an Input, with a body given as an object or bytes turned into
/// JSON text.
fn response_input(response: &JsValue, problems: &mut Issues) -> Input {
    let mut entries = Vec::new();
    for key in ["status", "headers"] {
        match property(response, key).map_err(|why| crate::Error::invalid_argument("", why)).and_then(|v| to_input(&v))
        {
            Ok(value) => entries.push((key.to_owned(), value)),
            Err(e) => {
                problems.error(&format!("/{key}{}", e.path), IssueCode::UnsupportedInput, e.message);
            }
        }
    }
    match property(response, "body") {
        Ok(body) if body.is_undefined() || body.is_null() => entries.push(("body".into(), Input::Null)),
        Ok(body) => match payload_text(&body) {
            Ok((text, _)) => entries.push(("body".into(), Input::String(text))),
            Err(why) => {
                problems.error("/body", IssueCode::UnsupportedInput, why);
            }
        },
        Err(why) => {
            problems.error("/body", IssueCode::UnsupportedInput, why);
        }
    }
    if !response.is_object() {
        return Input::Other("non-object");
    }
    Input::Object(entries)
}

/// `validateRequest({method, url, headers?, body?}, options?)`: a media-action request made by
/// any client.
#[wasm_bindgen(js_name = __validateRequest, skip_typescript)]
pub fn validate_request(request: JsValue, options: JsValue) -> String {
    let mut problems = Issues::new(Mode::Strict);
    let mode = self::options(&options, &mut problems, validate::request_options);
    let input = match to_input(&request) {
        Ok(input) => input,
        Err(e) => {
            problems.error(&e.path, IssueCode::UnsupportedInput, e.message);
            Input::Undefined
        }
    };
    if problems.has_errors() {
        return refused(problems);
    }
    let report = validate::validate_request(&input, mode);
    let value = report.value.as_ref().map(serde_json::to_string).and_then(Result::ok);
    answer(report.valid, &report.issues, value.as_deref().map_or(Carried::Nothing, Carried::Text))
}
