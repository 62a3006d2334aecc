//! `resultInfo`: the outcome of an operation or a call (code, subcode, message), and the
//! documented code/subcode pairs of the media operations (CONTRACT.md §11).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultInfo {
    #[serde(rename = "@odata.type", default, skip_serializing_if = "Option::is_none")]
    pub odata_type: Option<String>,
    /// 2xx success, 4xx client error, 5xx server error (Int32, non-null).
    pub code: i32,
    /// A supplementary reason; no table of them is published.
    pub subcode: i32,
    #[serde(default, deserialize_with = "super::nullable::present", skip_serializing_if = "Option::is_none")]
    pub message: Option<Option<String>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

pub const RESULT_INFO_TYPE: &str = "#microsoft.graph.resultInfo";

impl ResultInfo {
    /// A resultInfo as Graph writes it in the docs' examples (with its `@odata.type`).
    pub fn new(code: i32, subcode: i32, message: &str) -> Self {
        ResultInfo {
            odata_type: Some(RESULT_INFO_TYPE.to_owned()),
            code,
            subcode,
            message: Some(Some(message.to_owned())),
            extra: Map::new(),
        }
    }

    /// playPrompt finished: 200 / 0 (v1.0 example).
    pub fn completed_successfully() -> Self {
        ResultInfo::new(200, 0, "Action completed successfully.")
    }

    /// recordResponse hit maxRecordDurationInSeconds: 200 / 8515 (v1.0 example).
    pub fn max_record_duration_reached() -> Self {
        ResultInfo::new(200, 8515, "Action completed, max record duration reached.")
    }

    /// Canceled by cancelMediaProcessing: 400 / 8508 (v1.0 example, British spelling).
    pub fn canceled() -> Self {
        ResultInfo::new(400, 8508, "Action failed, the operation was cancelled.")
    }
}
