//! `resultInfo`: the outcome of an operation or a call (code, subcode, message), and the
//! documented code/subcode pairs of the media operations (CONTRACT.md §11).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ResultInfo {
    #[serde(rename = "@odata.type", default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), schemars(with = "String"))]
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

/// What a bot should make of an operation's `resultInfo` (CONTRACT.md §11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResultOutcome {
    /// 2xx: the operation did what was asked.
    Completed,
    /// 200 / 8515: a record stopped at `maxRecordDurationInSeconds` — a success with a recording.
    MaxRecordDurationReached,
    /// 400 / 8508: canceled by cancelMediaProcessing — expected, not an error.
    Canceled,
    /// 410 / 0: the call ended (the caller hung up) while the operation was running or
    /// queued — not a failure of the bot's request (*inferred*: what the simulator's docs
    /// profile sends, see `sim::inferred::hung_up`).
    CallEnded,
    /// Anything else: a real failure.
    Failed,
}

impl ResultOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            ResultOutcome::Completed => "completed",
            ResultOutcome::MaxRecordDurationReached => "maxRecordDurationReached",
            ResultOutcome::Canceled => "canceled",
            ResultOutcome::CallEnded => "callEnded",
            ResultOutcome::Failed => "failed",
        }
    }
}

/// Maps a code/subcode pair to its outcome, so that a cancel is not treated as an error.
pub fn classify_result(code: i64, subcode: i64) -> ResultOutcome {
    match (code, subcode) {
        (200, 8515) => ResultOutcome::MaxRecordDurationReached,
        (400, 8508) => ResultOutcome::Canceled,
        (410, 0) => ResultOutcome::CallEnded,
        (200..=299, _) => ResultOutcome::Completed,
        _ => ResultOutcome::Failed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_pairs() {
        assert_eq!(classify_result(200, 0), ResultOutcome::Completed);
        assert_eq!(classify_result(200, 8515), ResultOutcome::MaxRecordDurationReached);
        assert_eq!(classify_result(400, 8508), ResultOutcome::Canceled);
        assert_eq!(classify_result(400, 0), ResultOutcome::Failed);
        assert_eq!(classify_result(410, 301005), ResultOutcome::Failed);
        assert_eq!(classify_result(410, 0), ResultOutcome::CallEnded);
        assert_eq!(classify_result(0, 7015), ResultOutcome::Failed);
    }
}
