//! What the tracker reads of a notification, from the tree tolerant validation leaves (so the
//! typed serde model, and its code, stay out of the .wasm).

use crate::model::OperationKind;
use graph_ivr_json::tree::{Map, Value};

/// One notification of a batch.
pub struct Notification<'v> {
    pub change_type: &'v str,
    pub resource_url: &'v str,
    pub data: Option<Entity<'v>>,
}

/// What `resourceData` is, as far as the tracker cares.
pub enum Entity<'v> {
    Operation(OperationNote<'v>),
    /// The call: its state, or a tone (`sequenceId`, `tone`).
    Call {
        state: Option<&'v str>,
        tone: Option<(i64, &'v str)>,
    },
    Other,
}

/// The parts of a commsOperation that move a tracked operation.
pub struct OperationNote<'v> {
    pub kind: Option<OperationKind>,
    pub id: Option<&'v str>,
    pub client_context: Option<&'v str>,
    pub status: &'v str,
    /// `resultInfo` as it came, and its code and subcode.
    pub result_info: Option<serde_json::Value>,
    pub result_code: Option<(i64, i64)>,
    pub completion_reason: Option<&'v str>,
    pub recording_location: Option<&'v str>,
    pub recording_access_token: Option<&'v str>,
}

impl<'v> Notification<'v> {
    /// `None` when the item lacks what every notification has (validation reported it).
    pub fn read(item: &'v Value<'_>) -> Option<Notification<'v>> {
        let Value::Object(item) = item else { return None };
        let data = match item.get("resourceData") {
            Some(Value::Object(data)) => Some(Entity::read(data)),
            Some(_) => Some(Entity::Other),
            None => None,
        };
        Some(Notification { change_type: text(item, "changeType")?, resource_url: text(item, "resourceUrl")?, data })
    }
}

impl<'v> Entity<'v> {
    fn read(data: &'v Map<'_>) -> Entity<'v> {
        match text(data, "@odata.type") {
            Some("#microsoft.graph.call") => {
                let tone = match data.get("toneInfo") {
                    Some(Value::Object(tone)) => integer(tone, "sequenceId").zip(text(tone, "tone")),
                    _ => None,
                };
                Entity::Call { state: text(data, "state"), tone }
            }
            Some(t) if crate::model::notification::is_operation_type(t) => Entity::Operation(OperationNote::read(data)),
            _ => Entity::Other,
        }
    }
}

impl<'v> OperationNote<'v> {
    pub fn read(data: &'v Map<'_>) -> OperationNote<'v> {
        let result = match data.get("resultInfo") {
            Some(Value::Object(info)) => Some(info),
            _ => None,
        };
        OperationNote {
            kind: text(data, "@odata.type").and_then(OperationKind::from_odata_type),
            id: text(data, "id"),
            client_context: text(data, "clientContext"),
            status: text(data, "status").unwrap_or_default(),
            result_info: result.map(|info| serde_json::Value::Object(info.to_json())),
            result_code: result.and_then(|info| integer(info, "code").zip(integer(info, "subcode"))),
            completion_reason: text(data, "completionReason"),
            recording_location: text(data, "recordingLocation"),
            recording_access_token: text(data, "recordingAccessToken"),
        }
    }
}

fn text<'v>(map: &'v Map<'_>, key: &str) -> Option<&'v str> {
    map.get(key).and_then(Value::as_str)
}

fn integer(map: &Map<'_>, key: &str) -> Option<i64> {
    match map.get(key) {
        Some(Value::Number(n)) => n.as_i64(),
        _ => None,
    }
}
