//! `validate*`: never throw for a bad payload or bad options; they report. Options are parsed
//! by the core (`validate::options`) from the same `Input` the builders read.

use wasm_bindgen::prelude::*;

use crate::error::Error;
use crate::input::Input;
use crate::validate::issue::{IssueCode, Issues, Report};
use crate::validate::{self, Mode};

use super::convert::{json_parse, payload_text, property, to_input, to_js};
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

/// Validates a commsNotifications payload: JSON text, the bytes a webhook received
/// (`Uint8Array`/`Buffer`, UTF-8), or a parsed object. Never throws for a bad payload.
#[wasm_bindgen(js_name = validateNotifications, unchecked_return_type = "Report<CommsNotifications>")]
pub fn validate_notifications(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | ArrayBuffer | object")] payload: JsValue,
    options: Option<ValidateOptionsJs>,
) -> Result<JsValue, Error> {
    let mut problems = Issues::new(Mode::Strict);
    let options = self::options(options, &mut problems, validate::notification_options);
    if problems.has_errors() {
        return report(problems, None);
    }
    match payload_text(&payload) {
        Ok((text, js_text)) => {
            let checked = validate::check_notifications(&text, options);
            // Unchanged input given as a string is parsed by the engine's own JSON.parse.
            let value = match (checked.value, checked.changed, js_text) {
                (Some(_), false, Some(js_text)) => Some(
                    json_parse(&js_text)
                        .map_err(|_| Error::invalid_state("internal: JSON.parse refused checked text"))?,
                ),
                (Some(value), _, _) => Some(to_js(&value)?),
                (None, _, _) => None,
            };
            report(checked.issues, value)
        }
        Err(why) => {
            problems.error("", IssueCode::UnsupportedInput, why);
            report(problems, None)
        }
    }
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
