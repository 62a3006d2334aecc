//! The contract's rules, once, below both the builders (`request`, which refuse) and the
//! validators (`validate`, which report): every documented limit, what a call id, prompt uri,
//! timer, stop tone or clientContext may be (as checked newtypes), the one typed media request
//! they all share, and the JSON Pointer helpers of error and issue paths.

mod action;
mod body;
pub mod check;
pub mod issue;
pub mod limits;
pub mod pointer;
pub mod rules;
mod values;

pub use action::{Action, ContextOnly, MediaRequest, PlayPrompt, Prompt, RecordResponse};
pub use body::Dialect;
pub use values::{AccessToken, BaseUrl, CallId, ClientContext, PromptUri, Refused, StopTone, TimerSeconds};
