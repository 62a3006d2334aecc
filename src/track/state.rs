//! What an [`OperationTracker`](super::Tracker) remembers, as plain JSON a stateless bot keeps
//! in Redis or a database. Everything in it is order-independent: statuses only move forward,
//! sets are kept sorted, so the same notifications in any order leave the same state.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Error;
use crate::model::{OperationKind, ResultInfo};

/// The shape written by this version; a state of any other shape is refused, not misread.
pub const STATE_FORMAT: &str = "graph-ivr.tracker/1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrackerState {
    pub format: String,
    /// In the order the bot sent them.
    pub operations: Vec<TrackedOperation>,
    /// Sorted by canonical call id.
    pub calls: Vec<TrackedCall>,
}

impl Default for TrackerState {
    fn default() -> Self {
        TrackerState { format: STATE_FORMAT.to_owned(), operations: Vec::new(), calls: Vec::new() }
    }
}

impl TrackerState {
    /// Reads a state written by `toJSON`: its `format` first (so a newer shape is named as
    /// such), then every field, then the invariants the reducer relies on.
    pub fn from_json(text: &str) -> Result<TrackerState, Error> {
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| Error::invalid_argument("", format!("the state is not JSON: {e}")))?;
        match value.get("format") {
            Some(serde_json::Value::String(format)) if format == STATE_FORMAT => {}
            Some(serde_json::Value::String(format)) => {
                return Err(Error::invalid_argument(
                    "/format",
                    format!("the state has format {format:?}; this graph-ivr reads {STATE_FORMAT:?} (was it written by another version?)"),
                ))
            }
            _ if !value.is_object() => {
                return Err(Error::invalid_argument("", "a tracker state is the object toJSON() returned"))
            }
            _ => {
                return Err(Error::invalid_argument(
                    "/format",
                    format!("a tracker state has format {STATE_FORMAT:?}; this object has none"),
                ))
            }
        }
        let state: TrackerState = serde_json::from_value(value)
            .map_err(|e| Error::invalid_argument("", format!("the state is not one toJSON() wrote: {e}")))?;
        state.check()?;
        Ok(state)
    }

    fn check(&self) -> Result<(), Error> {
        for (i, op) in self.operations.iter().enumerate() {
            if op.call_id.is_empty() {
                return Err(Error::invalid_argument(format!("/operations/{i}/callId"), "an operation needs a callId"));
            }
        }
        for (i, call) in self.calls.iter().enumerate() {
            if !call.tones.windows(2).all(|w| w[0] < w[1]) {
                return Err(Error::invalid_argument(
                    format!("/calls/{i}/tones"),
                    "tone sequence ids must be sorted and distinct",
                ));
            }
            if !call.seen.windows(2).all(|w| w[0] < w[1]) {
                return Err(Error::invalid_argument(
                    format!("/calls/{i}/seen"),
                    "seen keys must be sorted and distinct",
                ));
            }
            if i > 0 && self.calls[i - 1].call_id >= call.call_id {
                return Err(Error::invalid_argument(
                    format!("/calls/{i}/callId"),
                    "calls must be sorted by id, each once",
                ));
            }
        }
        Ok(())
    }
}

/// One media operation the bot sent, and what is known of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrackedOperation {
    /// As the bot's request wrote it.
    pub call_id: String,
    /// From the action's response or the first notification that named it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_context: Option<String>,
    #[serde(with = "action_name")]
    pub operation: OperationKind,
    pub status: TrackedStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_info: Option<ResultInfo>,
    /// `classifyResult` of `resultInfo`: `completed`, `maxRecordDurationReached`, `canceled`, `failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// The HTTP status of an action Graph refused (no operation was created).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording_location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording_access_token: Option<String>,
}

/// Where an operation stands. Statuses only move forward (see [`TrackedStatus::rank`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TrackedStatus {
    /// Sent; nothing heard back yet.
    Sent,
    NotStarted,
    Running,
    Completed,
    Failed,
    /// The call ended while it was open, and no outcome ever came (a hung-up record can do
    /// this: microsoft-graph-comms-samples #376).
    Orphaned,
}

impl TrackedStatus {
    /// The order statuses advance in. An outcome that arrives after the call ended still wins
    /// over `orphaned`, so the final state does not depend on arrival order.
    pub fn rank(self) -> u8 {
        match self {
            TrackedStatus::Sent => 0,
            TrackedStatus::NotStarted => 1,
            TrackedStatus::Running => 2,
            TrackedStatus::Orphaned => 3,
            TrackedStatus::Completed | TrackedStatus::Failed => 4,
        }
    }

    /// Sent, not started or running: an outcome is still to come.
    pub fn is_open(self) -> bool {
        self.rank() < TrackedStatus::Orphaned.rank()
    }
}

/// What is known of one call: whether it ended, the tones heard, and the keys of the
/// notifications already applied (how a repeat is told from news).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrackedCall {
    /// Canonical (a GUID lowercase and hyphenated).
    pub call_id: String,
    pub ended: bool,
    /// `toneInfo.sequenceId`s heard, sorted.
    pub tones: Vec<i64>,
    /// Keys of applied notifications, sorted.
    pub seen: Vec<String>,
}

/// `OperationKind` as its action name (`playPrompt`).
mod action_name {
    use super::*;

    pub fn serialize<S: Serializer>(kind: &OperationKind, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(kind.action())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<OperationKind, D::Error> {
        let name = String::deserialize(d)?;
        OperationKind::from_action(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("{name:?} is not one of the four media actions")))
    }
}
