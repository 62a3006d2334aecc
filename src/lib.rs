//! # graph-ivr
//!
//! Builders, validators and a deterministic simulator for the Microsoft Graph call media
//! operations `cancelMediaProcessing`, `playPrompt`, `recordResponse` and `subscribeToTone`.
//!
//! The core (`model`, `request`, `validate`, `sim`) is plain Rust with no I/O, no clock and no
//! OS randomness; `wasm` is the only module that knows about JavaScript.
//!
//! ```
//! use graph_ivr::input::Input;
//! use graph_ivr::request::build_cancel_media_processing;
//!
//! let options = Input::from_json(&serde_json::json!({ "callId": "57dab8b1-894c-409a-b240-bd8beae78896" }));
//! let request = build_cancel_media_processing(&options)?;
//! assert_eq!(
//!     request.url,
//!     "https://graph.microsoft.com/v1.0/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896/cancelMediaProcessing"
//! );
//! assert_eq!(request.body, "{}");
//! # Ok::<(), graph_ivr::Error>(())
//! ```

pub mod auth;
pub mod contract;
pub mod error;
pub mod explore;
pub mod http;
pub mod input;
#[cfg(not(target_arch = "wasm32"))]
mod json_schema;
pub mod model;
pub mod request;
#[cfg(not(target_arch = "wasm32"))]
pub mod schema;
pub mod sim;
pub mod track;
pub mod validate;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use error::{Error, ErrorCode};
