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

/// The work of `validateNotifications` for what the entry does not hand over as UTF-8 (objects,
/// strings with a lone surrogate, oversized payloads): the same answer as
/// `__validateNotificationsUtf8`, which the entry turns into the report (making `value` lazy).
#[wasm_bindgen(js_name = __validateNotifications, skip_typescript)]
pub fn validate_notifications_general(payload: JsValue, options: JsValue) -> Result<JsValue, Error> {
    let mut problems = Issues::new(Mode::Strict);
    let options = self::options(Some(options), &mut problems, validate::notification_options);
    if problems.has_errors() {
        return Ok(compact(problems, Carried::Nothing));
    }
    Ok(match payload_text(&payload) {
        // The caller's own string or bytes: the entry parses what it holds; an object's value is
        // the JSON.stringify text read here.
        Ok((text, js_text)) => checked_answer(&text, options, js_text.is_none() || payload.is_string()),
        Err(why) => {
            problems.error("", IssueCode::UnsupportedInput, why);
            compact(problems, Carried::Nothing)
        }
    })
}

/// `__validateNotifications` of UTF-8 bytes: what a webhook holds, and what the entry encodes a
/// well-formed string into (one copy, where a string crossing walks it unit by unit). Answers
/// `true` for the common case (valid, no issues, `value` is the payload's own text), otherwise
/// one string the entry splits (see `compact`).
#[wasm_bindgen(js_name = __validateNotificationsUtf8, skip_typescript)]
pub fn validate_notifications_utf8(payload: &[u8], options: JsValue) -> Result<JsValue, Error> {
    let mut problems = Issues::new(Mode::Strict);
    let options = self::options(Some(options), &mut problems, validate::notification_options);
    if problems.has_errors() {
        return Ok(compact(problems, Carried::Nothing));
    }
    Ok(utf8_answer(payload, options, problems))
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
        Ok(utf8_answer(payload, validate::NotificationOptions::default(), Issues::new(Mode::Strict)))
    })
}

/// The answer for UTF-8 `payload`, the caller's own.
fn utf8_answer(payload: &[u8], options: validate::NotificationOptions, mut problems: Issues) -> JsValue {
    match std::str::from_utf8(payload) {
        Ok(text) => checked_answer(text, options, true),
        Err(e) => {
            problems.error("", IssueCode::UnsupportedInput, not_utf8(e));
            compact(problems, Carried::Nothing)
        }
    }
}

/// Checks `text`: `true` when it is valid, without issues, and its value is the caller's own
/// text (`own_text`), else the compact string.
fn checked_answer(text: &str, options: validate::NotificationOptions, own_text: bool) -> JsValue {
    let checked = validate::check_notifications(text, options);
    match (checked.value, checked.changed) {
        (None, _) => compact(checked.issues, Carried::Nothing),
        (Some(_), false) if own_text && checked.issues.is_empty() => JsValue::TRUE,
        (Some(_), false) if own_text => compact(checked.issues, Carried::OwnText),
        (Some(_), false) => compact(checked.issues, Carried::Text(text)),
        (Some(value), true) => compact(checked.issues, Carried::Tree(&value)),
    }
}

/// What the answer says of the report's `value`.
enum Carried<'t> {
    Nothing,
    /// The caller's own text: the entry parses it when `value` is first read.
    OwnText,
    /// JSON text, after the issues.
    Text(&'t str),
    /// The normalized tree, written after the issues.
    Tree(&'t crate::validate::tree::Value<'t>),
}

/// `valid` (`1`/`0`), the value's kind (`0` none, `1` the caller's own text, `2` JSON text after
/// the issues and a newline), the issues' JSON array (empty for none). No JSON text written here
/// holds a raw newline.
fn compact(issues: Issues, value: Carried<'_>) -> JsValue {
    let mut out = String::with_capacity(512);
    out.push(if issues.has_errors() { '0' } else { '1' });
    out.push(match value {
        Carried::Nothing => '0',
        Carried::OwnText => '1',
        Carried::Text(_) | Carried::Tree(_) => '2',
    });
    let issues = issues.into_vec();
    if !issues.is_empty() {
        validate::json_text::write_issues(&mut out, &issues);
    }
    match value {
        Carried::Text(text) => {
            out.push('\n');
            out.push_str(text);
        }
        Carried::Tree(tree) => {
            out.push('\n');
            validate::json_text::write_tree(&mut out, tree);
        }
        Carried::Nothing | Carried::OwnText => {}
    }
    JsValue::from_str(&out)
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
