//! Request builders: options in, the exact HTTP request out (`fetch(req.url, req)` works).
//!
//! Options are checked against every documented rule of `limits`; a refusal is an
//! [`Error`](crate::Error) with code `invalidArgument` and a JSON Pointer `path` to the option.

mod build;
pub mod limits;
mod options;
pub mod rules;

pub use build::GraphRequest;
pub use options::{
    CancelMediaProcessingOptions, PlayPromptOptions, PromptSpec, RecordResponseOptions, SubscribeToToneOptions, Target,
};
pub use rules::{check_call_id, encode_segment, utf16_len};

use crate::error::Error;
use crate::input::Input;

/// `buildCancelMediaProcessing`: from JS-shaped options to the request.
pub fn build_cancel_media_processing(options: &Input) -> Result<GraphRequest, Error> {
    Ok(CancelMediaProcessingOptions::from_input(options)?.build())
}

/// `buildPlayPrompt`.
pub fn build_play_prompt(options: &Input) -> Result<GraphRequest, Error> {
    Ok(PlayPromptOptions::from_input(options)?.build())
}

/// `buildRecordResponse`.
pub fn build_record_response(options: &Input) -> Result<GraphRequest, Error> {
    Ok(RecordResponseOptions::from_input(options)?.build())
}

/// `buildSubscribeToTone`.
pub fn build_subscribe_to_tone(options: &Input) -> Result<GraphRequest, Error> {
    Ok(SubscribeToToneOptions::from_input(options)?.build())
}
