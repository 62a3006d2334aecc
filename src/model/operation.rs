//! `commsOperation` and its four subtypes of the media surface. The subtypes add only
//! optional properties to an open type, so one struct carries them all and `@odata.type`
//! says which it is; properties we do not model stay in `extra`, in arrival order.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::enums::OperationStatus;
use super::result_info::ResultInfo;

/// The four media actions bound to `graph.call`, and what each creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OperationKind {
    CancelMediaProcessing,
    PlayPrompt,
    RecordResponse,
    SubscribeToTone,
}

pub const COMMS_OPERATION_TYPE: &str = "#microsoft.graph.commsOperation";

impl OperationKind {
    pub const ALL: [OperationKind; 4] = [
        OperationKind::CancelMediaProcessing,
        OperationKind::PlayPrompt,
        OperationKind::RecordResponse,
        OperationKind::SubscribeToTone,
    ];

    /// The action's exact camelCase name: the last URL segment and the JS `operation` field.
    pub fn action(self) -> &'static str {
        match self {
            OperationKind::CancelMediaProcessing => "cancelMediaProcessing",
            OperationKind::PlayPrompt => "playPrompt",
            OperationKind::RecordResponse => "recordResponse",
            OperationKind::SubscribeToTone => "subscribeToTone",
        }
    }

    /// The `@odata.type` of the operation the action creates.
    pub fn odata_type(self) -> &'static str {
        match self {
            OperationKind::CancelMediaProcessing => "#microsoft.graph.cancelMediaProcessingOperation",
            OperationKind::PlayPrompt => "#microsoft.graph.playPromptOperation",
            OperationKind::RecordResponse => "#microsoft.graph.recordOperation",
            OperationKind::SubscribeToTone => "#microsoft.graph.subscribeToToneOperation",
        }
    }

    pub fn from_action(name: &str) -> Option<OperationKind> {
        OperationKind::ALL.into_iter().find(|kind| kind.action() == name)
    }

    pub fn from_odata_type(odata_type: &str) -> Option<OperationKind> {
        OperationKind::ALL.into_iter().find(|kind| kind.odata_type() == odata_type)
    }

    /// playPrompt and recordResponse share the call's media queue; the other two do not.
    pub fn is_queued(self) -> bool {
        matches!(self, OperationKind::PlayPrompt | OperationKind::RecordResponse)
    }
}

/// A commsOperation (or subtype) as Graph serializes it in responses and notifications.
///
/// Field order is the order of the docs' record-canceled example, so simulator output reads
/// like the docs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema), schemars(rename = "CommsOperationFields"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CommsOperation {
    #[serde(rename = "@odata.type", default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), schemars(with = "String"))]
    pub odata_type: Option<String>,
    #[serde(rename = "@odata.id", default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), schemars(with = "String"))]
    pub odata_id: Option<String>,
    #[serde(rename = "@odata.etag", default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), schemars(with = "String"))]
    pub odata_etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), schemars(with = "String"))]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "super::nullable::present", skip_serializing_if = "Option::is_none")]
    pub client_context: Option<Option<String>>,
    pub status: OperationStatus,
    #[serde(default, deserialize_with = "super::nullable::present", skip_serializing_if = "Option::is_none")]
    pub result_info: Option<Option<ResultInfo>>,
    /// recordOperation only.
    #[serde(default, deserialize_with = "super::nullable::present", skip_serializing_if = "Option::is_none")]
    pub recording_location: Option<Option<String>>,
    /// recordOperation only.
    #[serde(default, deserialize_with = "super::nullable::present", skip_serializing_if = "Option::is_none")]
    pub recording_access_token: Option<Option<String>>,
    /// beta playPromptOperation / recordOperation; a dynamic property in v1.0. Kept as text
    /// because its vocabulary depends on the subtype (`PlayPromptCompletionReason`,
    /// `RecordCompletionReason`).
    #[serde(default, deserialize_with = "super::nullable::present", skip_serializing_if = "Option::is_none")]
    pub completion_reason: Option<Option<String>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CommsOperation {
    /// A bare operation of `kind` with `status`; everything else absent.
    pub fn new(kind: OperationKind, status: OperationStatus) -> Self {
        CommsOperation {
            odata_type: Some(kind.odata_type().to_owned()),
            odata_id: None,
            odata_etag: None,
            id: None,
            client_context: None,
            status,
            result_info: None,
            recording_location: None,
            recording_access_token: None,
            completion_reason: None,
            extra: Map::new(),
        }
    }

    /// The subtype named by `@odata.type`, when it is one of the four.
    pub fn kind(&self) -> Option<OperationKind> {
        self.odata_type.as_deref().and_then(OperationKind::from_odata_type)
    }
}
