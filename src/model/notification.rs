//! `commsNotifications`: the batch Graph POSTs to a bot's callback, and its items.
//! `resourceData` is "an entity or a collection of entities", told apart by shape and by
//! `@odata.type` (never by trying one variant after another).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::call::{CallResource, CALL_TYPE};
use super::enums::ChangeType;
use super::operation::{CommsOperation, OperationKind, COMMS_OPERATION_TYPE};

pub const COMMS_NOTIFICATIONS_TYPE: &str = "#microsoft.graph.commsNotifications";
pub const COMMS_NOTIFICATION_TYPE: &str = "#microsoft.graph.commsNotification";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema), schemars(transform = crate::json_schema::odata_type_required))]
#[non_exhaustive]
pub struct CommsNotifications {
    #[serde(rename = "@odata.type", default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), schemars(with = "crate::model::schema_types::NotificationsType"))]
    pub odata_type: Option<String>,
    pub value: Vec<CommsNotification>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema), schemars(transform = crate::json_schema::odata_type_required))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CommsNotification {
    #[serde(rename = "@odata.type", default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), schemars(with = "crate::model::schema_types::NotificationType"))]
    pub odata_type: Option<String>,
    pub change_type: ChangeType,
    /// The legacy name of `resourceUrl` (renamed Sep 2019); live traffic still sends both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), schemars(with = "String"))]
    pub resource: Option<String>,
    pub resource_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), schemars(with = "ResourceData"))]
    pub resource_data: Option<ResourceData>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What a notification is about.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ResourceData {
    /// A commsOperation or one of its subtypes (dispatched on `@odata.type`).
    Operation(CommsOperation),
    /// A (partial) call: state changes, tones, hang-up.
    Call(CallResource),
    /// A collection of entities (participant roster updates), kept as they came.
    Collection(Vec<Value>),
    /// An entity of a type outside this library's scope, kept as it came.
    Other(Value),
}

impl ResourceData {
    pub fn as_operation(&self) -> Option<&CommsOperation> {
        match self {
            ResourceData::Operation(op) => Some(op),
            _ => None,
        }
    }

    pub fn as_call(&self) -> Option<&CallResource> {
        match self {
            ResourceData::Call(call) => Some(call),
            _ => None,
        }
    }
}

/// Whether an `@odata.type` names a commsOperation (the base type or one of the four).
pub fn is_operation_type(odata_type: &str) -> bool {
    odata_type == COMMS_OPERATION_TYPE || OperationKind::from_odata_type(odata_type).is_some()
}

impl Serialize for ResourceData {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ResourceData::Operation(op) => op.serialize(s),
            ResourceData::Call(call) => call.serialize(s),
            ResourceData::Collection(items) => items.serialize(s),
            ResourceData::Other(value) => value.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for ResourceData {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        let odata_type = value.get("@odata.type").and_then(Value::as_str).unwrap_or_default();
        let data = match value {
            Value::Array(items) => ResourceData::Collection(items),
            value if is_operation_type(odata_type) => {
                ResourceData::Operation(serde_json::from_value(value).map_err(serde::de::Error::custom)?)
            }
            value if odata_type == CALL_TYPE => {
                ResourceData::Call(serde_json::from_value(value).map_err(serde::de::Error::custom)?)
            }
            other => ResourceData::Other(other),
        };
        Ok(data)
    }
}
