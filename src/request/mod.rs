//! Request builders: options in, the exact HTTP request out (`fetch(req.url, req)` works).
//!
//! Options are read into the typed [`MediaRequest`](crate::contract::MediaRequest), checked
//! against every rule of `contract`; a refusal is a [`crate::Error`] with code
//! `invalidArgument` and a JSON Pointer `path` to the option.

mod build;
mod options;

pub use build::GraphRequest;
pub use options::BuildOptions;

use crate::error::Error;
use crate::input::Input;
use crate::model::OperationKind;

/// Builds the request of `kind` from JS-shaped options.
pub fn build(kind: OperationKind, options: &Input) -> Result<GraphRequest, Error> {
    Ok(BuildOptions::from_input(options, kind)?.build())
}

/// `buildCancelMediaProcessing`.
pub fn build_cancel_media_processing(options: &Input) -> Result<GraphRequest, Error> {
    build(OperationKind::CancelMediaProcessing, options)
}

/// `buildPlayPrompt`.
pub fn build_play_prompt(options: &Input) -> Result<GraphRequest, Error> {
    build(OperationKind::PlayPrompt, options)
}

/// `buildRecordResponse`.
pub fn build_record_response(options: &Input) -> Result<GraphRequest, Error> {
    build(OperationKind::RecordResponse, options)
}

/// `buildSubscribeToTone`.
pub fn build_subscribe_to_tone(options: &Input) -> Result<GraphRequest, Error> {
    build(OperationKind::SubscribeToTone, options)
}
