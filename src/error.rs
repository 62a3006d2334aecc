//! The one error type the public API throws: a stable `code`, a JSON Pointer `path` into the
//! argument that was refused, and a message that names the rule and the value given.

use std::fmt;

/// Stable error codes; JavaScript sees them as `err.code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorCode {
    /// An option or argument breaks a documented rule (wrong type, out of range, too long…).
    InvalidArgument,
    /// The object cannot do this now (for example the simulated call has ended).
    InvalidState,
    /// A bot's callback did not take a notification (not 2xx, no answer, unreachable).
    DeliveryFailed,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidArgument => "invalidArgument",
            ErrorCode::InvalidState => "invalidState",
            ErrorCode::DeliveryFailed => "deliveryFailed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Error {
    pub code: ErrorCode,
    /// JSON Pointer into the argument (`/prompts/1/uri`); `""` is the argument itself.
    pub path: String,
    pub message: String,
    /// A likely fix (`did you mean "audience"?`), also at the end of `message`.
    pub hint: Option<String>,
}

impl Error {
    pub fn invalid_argument(path: impl Into<String>, message: impl Into<String>) -> Self {
        Error { code: ErrorCode::InvalidArgument, path: path.into(), message: message.into(), hint: None }
    }

    pub fn invalid_state(message: impl Into<String>) -> Self {
        Error { code: ErrorCode::InvalidState, path: String::new(), message: message.into(), hint: None }
    }

    pub fn delivery_failed(message: impl Into<String>) -> Self {
        Error { code: ErrorCode::DeliveryFailed, path: String::new(), message: message.into(), hint: None }
    }

    /// The same refusal of a value found at `base` inside a larger argument.
    pub fn under(mut self, base: &str) -> Self {
        self.path.insert_str(0, base);
        self
    }

    /// Adds a likely fix, said at the end of the message too (where a stack trace shows it).
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        let hint = hint.into();
        self.message.push_str("; ");
        self.message.push_str(&hint);
        self.hint = Some(hint);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.code.as_str(), self.message)
        } else {
            write!(f, "{} at {}: {}", self.code.as_str(), self.path, self.message)
        }
    }
}

impl std::error::Error for Error {}
