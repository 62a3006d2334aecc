//! Validators: text or value in, a [`Report`] out. They never fail on a bad payload; they
//! report every fault once, with a JSON Pointer path and a stable [`IssueCode`].

mod entities;
pub mod json;
pub mod json_text;
mod notifications;
pub mod options;
mod request;
mod response;
use crate::contract::check;
pub use crate::contract::issue;
pub use graph_ivr_json::tree;

pub use check::Checked;
pub use issue::{Issue, IssueCode, Mode, Report, Severity};
pub use notifications::{check_notifications, check_notifications_tree, validate_notifications};
pub use options::{notification_options, request_options, response_options, NotificationOptions, ResponseOptions};
pub use request::{check_request, validate_request, ParsedRequest};
pub use response::{check_operation_response, validate_operation_response};
