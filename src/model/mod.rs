//! The Graph wire types of the media-operation surface (serde). Wire names are exactly the
//! contract's; evolvable enums keep unknown values; unknown properties are kept in `extra`.

pub mod call;
pub mod enums;
pub mod ids;
pub mod notification;
mod nullable;
pub mod operation;
pub mod prompt;
pub mod result_info;
#[cfg(not(target_arch = "wasm32"))]
pub mod schema_types;
pub mod tone;
mod wire_enum;

pub use call::{CallMediaState, CallResource};
pub use enums::{
    CallState, ChangeType, CompletionReason, MediaState, OperationStatus, PlayPromptCompletionReason,
    RecordCompletionReason,
};
pub use notification::{CommsNotification, CommsNotifications, ResourceData};
pub use operation::{CommsOperation, OperationKind};
pub use prompt::{MediaInfo, MediaPrompt};
pub use result_info::ResultInfo;
pub use tone::{Tone, ToneInfo};

/// The Graph API version a request targets or a payload follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ApiVersion {
    #[default]
    V1,
    Beta,
}

impl ApiVersion {
    /// The URL segment: `v1.0` or `beta`.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1.0",
            ApiVersion::Beta => "beta",
        }
    }

    pub fn from_segment(segment: &str) -> Option<ApiVersion> {
        match segment {
            "v1.0" => Some(ApiVersion::V1),
            "beta" => Some(ApiVersion::Beta),
            _ => None,
        }
    }
}
