//! `build*`: options in, a `GraphRequest` out, or a `GraphIvrError` naming the option.

use wasm_bindgen::prelude::*;

use crate::error::Error;
use crate::model::OperationKind;

use super::convert::{to_input, to_js};

fn build(kind: OperationKind, options: JsValue) -> Result<JsValue, Error> {
    let request = crate::request::build(kind, &to_input(&options)?)?;
    to_js(&request)
}

/// Builds `POST /communications/calls/{id}/cancelMediaProcessing`.
#[wasm_bindgen(js_name = buildCancelMediaProcessing, unchecked_return_type = "GraphRequest")]
pub fn build_cancel_media_processing(
    #[wasm_bindgen(unchecked_param_type = "CancelMediaProcessingOptions")] options: JsValue,
) -> Result<JsValue, Error> {
    build(OperationKind::CancelMediaProcessing, options)
}

/// Builds `POST /communications/calls/{id}/playPrompt`.
#[wasm_bindgen(js_name = buildPlayPrompt, unchecked_return_type = "GraphRequest")]
pub fn build_play_prompt(
    #[wasm_bindgen(unchecked_param_type = "PlayPromptOptions")] options: JsValue,
) -> Result<JsValue, Error> {
    build(OperationKind::PlayPrompt, options)
}

/// Builds `POST /communications/calls/{id}/recordResponse`.
#[wasm_bindgen(js_name = buildRecordResponse, unchecked_return_type = "GraphRequest")]
pub fn build_record_response(
    #[wasm_bindgen(unchecked_param_type = "RecordResponseOptions")] options: JsValue,
) -> Result<JsValue, Error> {
    build(OperationKind::RecordResponse, options)
}

/// Builds `POST /communications/calls/{id}/subscribeToTone`.
#[wasm_bindgen(js_name = buildSubscribeToTone, unchecked_return_type = "GraphRequest")]
pub fn build_subscribe_to_tone(
    #[wasm_bindgen(unchecked_param_type = "SubscribeToToneOptions")] options: JsValue,
) -> Result<JsValue, Error> {
    build(OperationKind::SubscribeToTone, options)
}

/// What an operation's `resultInfo` means for a bot: `completed`, `maxRecordDurationReached`,
/// `canceled` (400/8508: expected after cancelMediaProcessing, not an error) or `failed`.
#[wasm_bindgen(js_name = classifyResult, unchecked_return_type = "ResultOutcome")]
pub fn classify_result(
    #[wasm_bindgen(unchecked_param_type = "{ code: number; subcode: number }")] result_info: JsValue,
) -> Result<JsValue, Error> {
    use crate::input::{Input, Shown};
    let input = to_input(&result_info)?;
    let Input::Object(_) = input else {
        return Err(Error::invalid_argument(
            "",
            format!("classifyResult() takes a resultInfo object {{code, subcode}}, got {}", input.type_name()),
        ));
    };
    let number = |key: &str| match input.get(key) {
        Input::Number(n) if n.is_finite() && n.fract() == 0.0 => Ok(*n as i64),
        other => Err(Error::invalid_argument(
            format!("/{key}"),
            format!("{key} must be a whole number, got {}", Shown(other)),
        )),
    };
    let outcome = crate::model::result_info::classify_result(number("code")?, number("subcode")?);
    Ok(JsValue::from_str(outcome.as_str()))
}
