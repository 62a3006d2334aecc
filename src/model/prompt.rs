//! `prompt` / `mediaPrompt` / `mediaInfo`: what playPrompt and recordResponse play.
//! `prompt` is abstract with `mediaPrompt` its only subtype, so the `@odata.type`
//! discriminator travels with every prompt (CONTRACT.md §13.26).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub const MEDIA_PROMPT_TYPE: &str = "#microsoft.graph.mediaPrompt";
pub const MEDIA_INFO_TYPE: &str = "#microsoft.graph.mediaInfo";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MediaPrompt {
    /// `prompt` is abstract: requests name the subtype.
    #[serde(rename = "@odata.type", default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), schemars(with = "crate::model::schema_types::MediaPromptType"))]
    pub odata_type: Option<String>,
    pub media_info: MediaInfo,
    /// beta metadata only (Int32; the legacy example sends `5`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#loop: Option<i32>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MediaInfo {
    #[serde(rename = "@odata.type", default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), schemars(with = "crate::model::schema_types::MediaInfoType"))]
    pub odata_type: Option<String>,
    /// "Currently supports only Wave file (.wav) format, single-channel, 16-bit, 16 kHz".
    pub uri: String,
    /// When given, the service caches the prompt under this key.
    #[serde(default, deserialize_with = "super::nullable::present", skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<Option<String>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl MediaPrompt {
    /// The wire shape of a prompt for `uri`, as the builders emit it.
    pub fn new(uri: &str, resource_id: Option<&str>) -> Self {
        MediaPrompt {
            odata_type: Some(MEDIA_PROMPT_TYPE.to_owned()),
            media_info: MediaInfo {
                odata_type: None,
                uri: uri.to_owned(),
                resource_id: resource_id.map(|id| Some(id.to_owned())),
                extra: Map::new(),
            },
            r#loop: None,
            extra: Map::new(),
        }
    }
}
