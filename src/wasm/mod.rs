//! The JavaScript face of graph-ivr: the only module that names wasm-bindgen or js-sys.
//! Each export converts its arguments (`convert`), calls the pure core, and converts back;
//! refusals become real `Error`s with `code` and `path`.

mod convert;

use wasm_bindgen::prelude::*;

use crate::error::Error;
use crate::input::Input;
use crate::model::{ApiVersion, OperationKind};
use crate::request::GraphRequest;
use crate::sim::{whole_number, SimConfig, Simulator, MAX_SAFE_INTEGER};
use crate::validate::issue::{IssueCode, Issues, Report};
use crate::validate::{self, Mode, NotificationOptions, ResponseOptions};

use convert::{error_to_js, payload_text, property, to_input, to_js};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("types.d.ts");

// Optional option objects: typed as the interfaces of types.d.ts, marked `?` in the .d.ts.
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "ValidateOptions")]
    pub type ValidateOptionsJs;
    #[wasm_bindgen(typescript_type = "OperationResponseOptions")]
    pub type OperationResponseOptionsJs;
    #[wasm_bindgen(typescript_type = "CallSimulatorOptions")]
    pub type CallSimulatorOptionsJs;
}

fn or_undefined<T: Into<JsValue>>(options: Option<T>) -> JsValue {
    options.map_or(JsValue::UNDEFINED, Into::into)
}

fn build(options: JsValue, builder: fn(&Input) -> Result<GraphRequest, Error>) -> Result<JsValue, JsValue> {
    let input = to_input(&options).map_err(|e| error_to_js(&e))?;
    let request = builder(&input).map_err(|e| error_to_js(&e))?;
    to_js(&request)
}

/// Builds `POST /communications/calls/{id}/cancelMediaProcessing`.
#[wasm_bindgen(js_name = buildCancelMediaProcessing, unchecked_return_type = "GraphRequest")]
pub fn build_cancel_media_processing(
    #[wasm_bindgen(unchecked_param_type = "CancelMediaProcessingOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    build(options, crate::request::build_cancel_media_processing)
}

/// Builds `POST /communications/calls/{id}/playPrompt`.
#[wasm_bindgen(js_name = buildPlayPrompt, unchecked_return_type = "GraphRequest")]
pub fn build_play_prompt(
    #[wasm_bindgen(unchecked_param_type = "PlayPromptOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    build(options, crate::request::build_play_prompt)
}

/// Builds `POST /communications/calls/{id}/recordResponse`.
#[wasm_bindgen(js_name = buildRecordResponse, unchecked_return_type = "GraphRequest")]
pub fn build_record_response(
    #[wasm_bindgen(unchecked_param_type = "RecordResponseOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    build(options, crate::request::build_record_response)
}

/// Builds `POST /communications/calls/{id}/subscribeToTone`.
#[wasm_bindgen(js_name = buildSubscribeToTone, unchecked_return_type = "GraphRequest")]
pub fn build_subscribe_to_tone(
    #[wasm_bindgen(unchecked_param_type = "SubscribeToToneOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    build(options, crate::request::build_subscribe_to_tone)
}

/// Validator options are forgiving in shape but not in value: an unknown mode is reported.
fn read_mode(options: &JsValue, issues: &mut Issues) -> Mode {
    let mode = match property(options, "mode") {
        Ok(mode) if mode.is_undefined() || mode.is_null() => return Mode::Strict,
        Ok(mode) => mode.as_string(),
        Err(why) => {
            issues.error("", IssueCode::UnsupportedInput, why);
            return Mode::Strict;
        }
    };
    match mode.as_deref() {
        Some("tolerant") => Mode::Tolerant,
        Some("strict") => Mode::Strict,
        other => {
            let shown = other.map_or_else(|| "a non-string".to_owned(), |m| format!("{m:?}"));
            issues.error("", IssueCode::UnsupportedInput, format!("mode must be 'strict' or 'tolerant', got {shown}"));
            Mode::Strict
        }
    }
}

/// A report as a JS object, with `value` set when there is one.
fn with_value(report: Report<()>, value: Option<JsValue>) -> Result<JsValue, JsValue> {
    let report = to_js(&report)?;
    if let Some(value) = value {
        js_sys::Reflect::set(&report, &JsValue::from_str("value"), &value)?;
    }
    Ok(report)
}

fn unreadable<T>(issues: Issues) -> Result<JsValue, JsValue>
where
    T: serde::Serialize,
{
    to_js(&Report::<T>::new(issues, None))
}

/// Validates a commsNotifications payload (JSON text or a parsed object). Never throws for a
/// bad payload: it reports.
#[wasm_bindgen(js_name = validateNotifications, unchecked_return_type = "Report<CommsNotifications>")]
pub fn validate_notifications(
    #[wasm_bindgen(unchecked_param_type = "string | object")] payload: JsValue,
    options: Option<ValidateOptionsJs>,
) -> Result<JsValue, JsValue> {
    let options = or_undefined(options);
    let mut problems = Issues::new(Mode::Strict);
    let mode = read_mode(&options, &mut problems);
    let version = match property(&options, "version").ok().and_then(|v| v.as_string()).as_deref() {
        Some("beta") => ApiVersion::Beta,
        _ => ApiVersion::V1,
    };
    if problems.has_errors() {
        return unreadable::<()>(problems);
    }
    match payload_text(&payload) {
        Ok((text, js_text)) => {
            let checked = validate::check_notifications(&text, NotificationOptions { mode, version });
            // Unchanged input is parsed by the engine's own JSON.parse, not copied through wasm.
            let value = match (checked.value, checked.changed) {
                (Some(value), true) => Some(to_js(&value)?),
                (Some(_), false) => Some(convert::json_parse(&js_text)?),
                (None, _) => None,
            };
            with_value(Report::<()>::new(checked.issues, None), value)
        }
        Err(why) => {
            problems.error("", IssueCode::UnsupportedInput, why);
            unreadable::<()>(problems)
        }
    }
}

/// Validates an action's HTTP response `{status, headers, body}`.
#[wasm_bindgen(js_name = validateOperationResponse, unchecked_return_type = "Report<CommsOperation>")]
pub fn validate_operation_response(
    #[wasm_bindgen(unchecked_param_type = "OperationResponseInput")] response: JsValue,
    options: Option<OperationResponseOptionsJs>,
) -> Result<JsValue, JsValue> {
    let options = or_undefined(options);
    let mut problems = Issues::new(Mode::Strict);
    let mode = read_mode(&options, &mut problems);
    let operation = match property(&options, "operation").ok().filter(|v| !v.is_undefined() && !v.is_null()) {
        None => None,
        Some(name) => match name.as_string().as_deref().and_then(OperationKind::from_action) {
            Some(kind) => Some(kind),
            None => {
                problems.error("", IssueCode::UnsupportedInput, "options.operation must be one of cancelMediaProcessing, playPrompt, recordResponse, subscribeToTone");
                None
            }
        },
    };
    let call_id = property(&options, "callId").ok().and_then(|v| v.as_string());
    let input = response_input(&response, &mut problems);
    if problems.has_errors() {
        return unreadable::<()>(problems);
    }
    let checked = validate::check_operation_response(&input, &ResponseOptions { operation, call_id, mode });
    with_value(Report::<()>::new(checked.issues, None), checked.value.map(|v| to_js(&v)).transpose()?)
}

/// `{status, headers, body}` as an Input, with an object body turned into JSON text.
fn response_input(response: &JsValue, problems: &mut Issues) -> Input {
    let mut entries = Vec::new();
    for key in ["status", "headers"] {
        match property(response, key).map_err(|why| Error::invalid_argument("", why)).and_then(|v| to_input(&v)) {
            Ok(value) => entries.push((key.to_owned(), value)),
            Err(e) => {
                problems.error(&format!("/{key}"), IssueCode::UnsupportedInput, e.message);
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
    options: Option<ValidateOptionsJs>,
) -> Result<JsValue, JsValue> {
    let options = or_undefined(options);
    let mut problems = Issues::new(Mode::Strict);
    let mode = read_mode(&options, &mut problems);
    let input = match to_input(&request) {
        Ok(input) => input,
        Err(e) => {
            problems.error(&e.path, IssueCode::UnsupportedInput, e.message);
            Input::Undefined
        }
    };
    if problems.has_errors() {
        return unreadable::<()>(problems);
    }
    to_js(&validate::validate_request(&input, mode))
}

/// What an operation's `resultInfo` means for a bot: `completed`, `maxRecordDurationReached`,
/// `canceled` (400/8508: expected after cancelMediaProcessing, not an error) or `failed`.
#[wasm_bindgen(js_name = classifyResult, unchecked_return_type = "ResultOutcome")]
pub fn classify_result(
    #[wasm_bindgen(unchecked_param_type = "{ code: number; subcode: number }")] result_info: JsValue,
) -> Result<JsValue, JsValue> {
    let input = to_input(&result_info).map_err(|e| error_to_js(&e))?;
    let Input::Object(_) = input else {
        return Err(error_to_js(&Error::invalid_argument(
            "",
            format!("classifyResult() takes a resultInfo object {{code, subcode}}, got {}", input.type_name()),
        )));
    };
    let number = |key: &str| match input.get(key) {
        Input::Number(n) if n.is_finite() && n.fract() == 0.0 => Ok(*n as i64),
        other => Err(error_to_js(&Error::invalid_argument(
            format!("/{key}"),
            format!("{key} must be a whole number, got {}", crate::input::Shown(other)),
        ))),
    };
    let outcome = crate::model::result_info::classify_result(number("code")?, number("subcode")?);
    Ok(JsValue::from_str(outcome.as_str()))
}

/// A simulated call: its media queue, its caller and a virtual clock.
#[wasm_bindgen(js_name = CallSimulator)]
pub struct CallSimulator {
    inner: Simulator,
}

#[wasm_bindgen(js_class = CallSimulator)]
impl CallSimulator {
    #[wasm_bindgen(constructor)]
    pub fn new(options: Option<CallSimulatorOptionsJs>) -> Result<CallSimulator, JsValue> {
        let input = to_input(&or_undefined(options)).map_err(|e| error_to_js(&e))?;
        let config = SimConfig::from_input(&input).map_err(|e| error_to_js(&e))?;
        Ok(CallSimulator { inner: Simulator::new(config) })
    }

    /// Virtual milliseconds since the call was established.
    #[wasm_bindgen(getter)]
    pub fn now(&self) -> f64 {
        self.inner.now() as f64
    }

    /// The simulated call's id.
    #[wasm_bindgen(getter, js_name = callId)]
    pub fn call_id(&self) -> String {
        self.inner.call_id().to_owned()
    }

    /// When the next timer fires (virtual ms), or undefined when nothing is armed.
    #[wasm_bindgen(getter, js_name = nextTimeout)]
    pub fn next_timeout(&self) -> Option<f64> {
        self.inner.next_timeout().map(|t| t as f64)
    }

    /// Answers one request (a `GraphRequest` from a builder, or any `{method, url, headers, body}`).
    #[wasm_bindgen(unchecked_return_type = "GraphResponse")]
    pub fn handle(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "GraphRequest | RequestInput")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        if !request.is_object() {
            return Err(error_to_js(&Error::invalid_argument(
                "",
                "handle() takes a request object {method, url, headers, body}",
            )));
        }
        let input = to_input(&request).map_err(|e| error_to_js(&e))?;
        to_js(&self.inner.handle(&input))
    }

    /// Runs the clock `ms` forward (a whole number ≥ 0) and returns the notifications, in order.
    #[wasm_bindgen(unchecked_return_type = "Delivery[]")]
    pub fn advance(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] ms: JsValue,
    ) -> Result<JsValue, JsValue> {
        let ms =
            to_input(&ms).and_then(|ms| whole_number(&ms, "/ms", 0, MAX_SAFE_INTEGER)).map_err(|e| error_to_js(&e))?;
        self.inner.advance(ms).map_err(|e| error_to_js(&e))?;
        self.deliveries()
    }

    /// The caller presses a key: '0'-'9', '*', '#', 'A'-'D'.
    #[wasm_bindgen(js_name = pressTone, unchecked_return_type = "Delivery[]")]
    pub fn press_tone(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] tone: JsValue,
    ) -> Result<JsValue, JsValue> {
        let Some(tone) = tone.as_string() else {
            return Err(error_to_js(&Error::invalid_argument(
                "",
                format!("pressTone() takes a one-character string, got {}", js_type(&tone)),
            )));
        };
        self.inner.press_tone(&tone).map_err(|e| error_to_js(&e))?;
        self.deliveries()
    }

    #[wasm_bindgen(js_name = startSpeaking, unchecked_return_type = "Delivery[]")]
    pub fn start_speaking(&mut self) -> Result<JsValue, JsValue> {
        self.inner.start_speaking().map_err(|e| error_to_js(&e))?;
        self.deliveries()
    }

    #[wasm_bindgen(js_name = stopSpeaking, unchecked_return_type = "Delivery[]")]
    pub fn stop_speaking(&mut self) -> Result<JsValue, JsValue> {
        self.inner.stop_speaking().map_err(|e| error_to_js(&e))?;
        self.deliveries()
    }

    #[wasm_bindgen(js_name = hangUp, unchecked_return_type = "Delivery[]")]
    pub fn hang_up(&mut self) -> Result<JsValue, JsValue> {
        self.inner.hang_up().map_err(|e| error_to_js(&e))?;
        self.deliveries()
    }

    /// The queue, the running operation, timers and the tone subscription, as plain data.
    #[wasm_bindgen(unchecked_return_type = "SimSnapshot")]
    pub fn snapshot(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.snapshot())
    }

    fn deliveries(&mut self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.drain_deliveries())
    }
}

fn js_type(value: &JsValue) -> String {
    value.js_typeof().as_string().unwrap_or_else(|| "unknown".into())
}
