//! `validate*`: never throw for a bad payload or bad options; they report. Options are parsed
//! by the core (`validate::options`) from the same `Input` the builders read.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use crate::error::Error;
use crate::input::Input;
use crate::validate::issue::{IssueCode, Issues, Report};
use crate::validate::{self, Mode};

use super::convert::{not_utf8, payload_text, property, to_input, to_js};
use super::or_undefined;

// Optional option objects: typed as the interfaces of types.d.ts, marked `?` in the .d.ts.
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "ValidateOptions")]
    pub type ValidateOptionsJs;
    #[wasm_bindgen(typescript_type = "OperationResponseOptions")]
    pub type OperationResponseOptionsJs;
    #[wasm_bindgen(typescript_type = "RequestValidateOptions")]
    pub type RequestValidateOptionsJs;
}

/// Reads an options argument with the core's parser; one that cannot even be read (a
/// throwing getter) is an `unsupportedInput` issue under `/options`.
fn options<T>(js: Option<impl Into<JsValue>>, problems: &mut Issues, parse: fn(&Input, &mut Issues) -> T) -> T {
    match to_input(&or_undefined(js)) {
        Ok(input) => parse(&input, problems),
        Err(e) => {
            problems.error(&format!("/options{}", e.path), IssueCode::UnsupportedInput, e.message);
            parse(&Input::Undefined, problems)
        }
    }
}

/// A report as a JS object, with `value` set when there is one.
fn report(issues: Issues, value: Option<JsValue>) -> Result<JsValue, Error> {
    let report = to_js(&Report::<()>::new(issues, None))?;
    if let Some(value) = value {
        js_sys::Reflect::set(&report, &JsValue::from_str("value"), &value)
            .map_err(|_| Error::invalid_state("internal: cannot set the report's value"))?;
    }
    Ok(report)
}

/// The work of `validateNotifications`, whose report the package entry assembles (it makes
/// `value` lazy): `[valid, issues, value]`, with `issues` as JSON text or `null` when there are
/// none, and `value` `0` (none), `1` (the payload's own text, unchanged) or JSON text to parse.
#[wasm_bindgen(js_name = __validateNotifications, skip_typescript)]
pub fn validate_notifications_parts(payload: JsValue, options: JsValue) -> Result<JsValue, Error> {
    let mut problems = Issues::new(Mode::Strict);
    let options = self::options(Some(options), &mut problems, validate::notification_options);
    if problems.has_errors() {
        return parts(problems, JsValue::from(0));
    }
    match payload_text(&payload) {
        Ok((text, js_text)) => {
            // The caller's own string, or bytes: the entry parses what it holds.
            let own_text = js_text.is_none() || payload.is_string();
            notification_parts(&text, options, own_text, js_text)
        }
        Err(why) => {
            problems.error("", IssueCode::UnsupportedInput, why);
            parts(problems, JsValue::from(0))
        }
    }
}

/// `__validateNotifications` of UTF-8 bytes: what a webhook holds, and what the entry encodes a
/// well-formed string into (one copy, where a string crossing walks it unit by unit). Returns
/// `true` for the common case (valid, no issues, `value` is the payload's own text), otherwise
/// one string the entry splits (one crossing instead of an array and three values):
/// `valid` (`1`/`0`), the value's kind (`0` none, `1` the payload's own text, `2` the text after
/// the issues), the issues as a JSON array (empty when there are none), then `\n` and the
/// value's JSON text for kind `2`. No JSON text written here holds a raw newline.
#[wasm_bindgen(js_name = __validateNotificationsUtf8, skip_typescript)]
pub fn validate_notifications_utf8(payload: &[u8], options: JsValue) -> Result<JsValue, Error> {
    let mut problems = Issues::new(Mode::Strict);
    let options = self::options(Some(options), &mut problems, validate::notification_options);
    if problems.has_errors() {
        return Ok(compact(problems, '0', None));
    }
    Ok(compact_report(payload, options, problems))
}

thread_local! {
    /// Where the package entry writes a payload's UTF-8 for `__validateNotificationsInput`:
    /// `TextEncoder.encodeInto` straight into the module's memory, so a payload crosses with no
    /// allocation and no copy of its own.
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// The input area (at least `capacity` bytes): its address in the module's memory.
#[wasm_bindgen(js_name = __inputBuffer, skip_typescript)]
pub fn input_buffer(capacity: usize) -> Result<usize, Error> {
    INPUT.with(|input| {
        let mut input = input.try_borrow_mut().map_err(|_| Error::invalid_state("the input area is in use"))?;
        if input.len() < capacity {
            input.resize(capacity, 0);
        }
        Ok(input.as_mut_ptr() as usize)
    })
}

/// The module's `WebAssembly.Memory`, for the entry's view of the input area.
#[wasm_bindgen(js_name = __memory, skip_typescript)]
pub fn memory() -> JsValue {
    wasm_bindgen::memory()
}

/// `__validateNotificationsUtf8` of the first `len` bytes of the input area, without options
/// (reading options may run the caller's getters, which could write the area again).
#[wasm_bindgen(js_name = __validateNotificationsInput, skip_typescript)]
pub fn validate_notifications_input(len: usize) -> Result<JsValue, Error> {
    INPUT.with(|input| {
        let input = input.try_borrow().map_err(|_| Error::invalid_state("the input area is in use"))?;
        let payload =
            input.get(..len).ok_or_else(|| Error::invalid_argument("", "the input is longer than its area"))?;
        Ok(compact_report(payload, validate::NotificationOptions::default(), Issues::new(Mode::Strict)))
    })
}

/// The report of UTF-8 `payload`: `true`, or the compact string (see above).
fn compact_report(payload: &[u8], options: validate::NotificationOptions, mut problems: Issues) -> JsValue {
    let text = match std::str::from_utf8(payload) {
        Ok(text) => text,
        Err(e) => {
            problems.error("", IssueCode::UnsupportedInput, not_utf8(e));
            return compact(problems, '0', None);
        }
    };
    let checked = validate::check_notifications(text, options);
    match (checked.value, checked.changed) {
        (None, _) => compact(checked.issues, '0', None),
        (Some(_), false) if checked.issues.is_empty() => JsValue::TRUE,
        (Some(_), false) => compact(checked.issues, '1', None),
        (Some(value), true) => compact(checked.issues, '2', Some(&value)),
    }
}

fn compact(issues: Issues, kind: char, value: Option<&crate::validate::tree::Value<'_>>) -> JsValue {
    let mut out = String::with_capacity(if value.is_some() { 2048 } else { 512 });
    out.push(if issues.has_errors() { '0' } else { '1' });
    out.push(kind);
    let issues = issues.into_vec();
    if !issues.is_empty() {
        validate::json_text::write_issues(&mut out, &issues);
    }
    if let Some(value) = value {
        out.push('\n');
        validate::json_text::write_tree(&mut out, value);
    }
    JsValue::from_str(&out)
}

fn notification_parts(
    text: &str,
    options: validate::NotificationOptions,
    own_text: bool,
    js_text: Option<JsValue>,
) -> Result<JsValue, Error> {
    let checked = validate::check_notifications(text, options);
    let value = match (checked.value, checked.changed) {
        (None, _) => JsValue::from(0),
        (Some(_), false) if own_text => JsValue::from(1),
        // An object the caller gave: its JSON.stringify text.
        (Some(_), false) => js_text.unwrap_or(JsValue::from(0)),
        (Some(value), true) => JsValue::from_str(&validate::json_text::tree_text(&value)),
    };
    parts(checked.issues, value)
}

/// `[valid, issues (JSON text, or null when there are none), value]`.
fn parts(issues: Issues, value: JsValue) -> Result<JsValue, Error> {
    let valid = !issues.has_errors();
    let issues = issues.into_vec();
    let issues =
        if issues.is_empty() { JsValue::NULL } else { JsValue::from_str(&validate::json_text::issues_text(&issues)) };
    Ok(js_sys::Array::of3(&JsValue::from_bool(valid), &issues, &value).into())
}

/// Validates an action's HTTP response `{status, headers, body}`.
#[wasm_bindgen(js_name = validateOperationResponse, unchecked_return_type = "Report<CommsOperation>")]
pub fn validate_operation_response(
    #[wasm_bindgen(unchecked_param_type = "OperationResponseInput")] response: JsValue,
    options: Option<OperationResponseOptionsJs>,
) -> Result<JsValue, Error> {
    let mut problems = Issues::new(Mode::Strict);
    let options = self::options(options, &mut problems, validate::response_options);
    let input = response_input(&response, &mut problems);
    if problems.has_errors() {
        return report(problems, None);
    }
    let checked = validate::check_operation_response(&input, &options);
    report(checked.issues, checked.value.map(|v| to_js(&v)).transpose()?)
}

/// `{status, headers, body}` as an Input, with a body given as an object or bytes turned into
/// JSON text.
fn response_input(response: &JsValue, problems: &mut Issues) -> Input {
    let mut entries = Vec::new();
    for key in ["status", "headers"] {
        match property(response, key).map_err(|why| Error::invalid_argument("", why)).and_then(|v| to_input(&v)) {
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

/// Validates a media-action request made by any client.
#[wasm_bindgen(js_name = validateRequest, unchecked_return_type = "Report<ParsedRequest>")]
pub fn validate_request(
    #[wasm_bindgen(unchecked_param_type = "RequestInput")] request: JsValue,
    options: Option<RequestValidateOptionsJs>,
) -> Result<JsValue, Error> {
    let mut problems = Issues::new(Mode::Strict);
    let mode = self::options(options, &mut problems, validate::request_options);
    let input = match to_input(&request) {
        Ok(input) => input,
        Err(e) => {
            problems.error(&e.path, IssueCode::UnsupportedInput, e.message);
            Input::Undefined
        }
    };
    if problems.has_errors() {
        return report(problems, None);
    }
    to_js(&validate::validate_request(&input, mode))
}
