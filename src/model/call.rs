//! The parts of a `call` that notifications carry: its state, the DTMF `toneInfo`, the
//! `resultInfo` of a hang-up, `mediaState`. Real updates are partial objects (REALWORLD.md),
//! so every property is optional and the rest is kept in `extra`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::enums::{CallState, MediaState};
use super::result_info::ResultInfo;
use super::tone::ToneInfo;

pub const CALL_TYPE: &str = "#microsoft.graph.call";
pub const TONE_INFO_TYPE: &str = "#microsoft.graph.toneInfo";
pub const CALL_MEDIA_STATE_TYPE: &str = "#microsoft.graph.callMediaState";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema), schemars(transform = crate::json_schema::odata_type_required))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CallResource {
    #[serde(rename = "@odata.type", default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), schemars(with = "crate::model::schema_types::CallType"))]
    pub odata_type: Option<String>,
    #[serde(rename = "@odata.id", default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), schemars(with = "String"))]
    pub odata_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), schemars(with = "String"))]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "super::nullable::present", skip_serializing_if = "Option::is_none")]
    pub state: Option<Option<CallState>>,
    #[serde(default, deserialize_with = "super::nullable::present", skip_serializing_if = "Option::is_none")]
    pub result_info: Option<Option<ResultInfo>>,
    #[serde(default, deserialize_with = "super::nullable::present", skip_serializing_if = "Option::is_none")]
    pub media_state: Option<Option<CallMediaState>>,
    #[serde(default, deserialize_with = "super::nullable::present", skip_serializing_if = "Option::is_none")]
    pub tone_info: Option<Option<ToneInfo>>,
    /// Who placed the call: a `participantInfo` (its `identity` set, `region`, `languageId`), as
    /// an incoming call's `created` notification carries it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), schemars(with = "Option<Map<String, Value>>"))]
    pub source: Option<Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CallMediaState {
    #[serde(rename = "@odata.type", default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), schemars(with = "String"))]
    pub odata_type: Option<String>,
    #[serde(default, deserialize_with = "super::nullable::present", skip_serializing_if = "Option::is_none")]
    pub audio: Option<Option<MediaState>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CallResource {
    /// An empty call update typed `#microsoft.graph.call`.
    pub fn new() -> Self {
        CallResource {
            odata_type: Some(CALL_TYPE.to_owned()),
            odata_id: None,
            id: None,
            state: None,
            result_info: None,
            media_state: None,
            tone_info: None,
            source: None,
            extra: Map::new(),
        }
    }
}

impl Default for CallResource {
    fn default() -> Self {
        CallResource::new()
    }
}
