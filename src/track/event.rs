//! What the tracker tells a bot, one event per thing that happened (JSON: `{type, …}`).

use serde::Serialize;

use crate::validate::Issue;

use super::state::TrackedOperation;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
#[non_exhaustive]
pub enum TrackerEvent {
    /// The operation is queued (`notStarted`) or running.
    Started(TrackedOperation),
    /// It ended with a 2xx `resultInfo` (200/8515 included: a record that hit its maximum).
    Completed(TrackedOperation),
    /// It ended 400/8508: a cancelMediaProcessing ended it. Expected, not an error.
    Canceled(TrackedOperation),
    /// It ended with any other `resultInfo`, or Graph refused the action (`httpStatus`).
    Failed(TrackedOperation),
    /// The call ended while it was open and no outcome came.
    Orphaned(TrackedOperation),
    Tone(ToneEvent),
    /// The call's own state moved: `incoming`, `establishing`, `established`, `terminated`…
    CallState(CallStateEvent),
    Duplicate(DuplicateEvent),
    Unmatched(UnmatchedEvent),
}

impl TrackerEvent {
    pub fn kind(&self) -> &'static str {
        match self {
            TrackerEvent::Started(_) => "started",
            TrackerEvent::Completed(_) => "completed",
            TrackerEvent::Canceled(_) => "canceled",
            TrackerEvent::Failed(_) => "failed",
            TrackerEvent::Orphaned(_) => "orphaned",
            TrackerEvent::Tone(_) => "tone",
            TrackerEvent::CallState(_) => "callState",
            TrackerEvent::Duplicate(_) => "duplicate",
            TrackerEvent::Unmatched(_) => "unmatched",
        }
    }
}

/// A DTMF key the caller pressed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ToneEvent {
    pub call_id: String,
    /// As `toneInfo.tone` names it (`pound`).
    pub tone: String,
    /// Its DTMF character (`#`); absent for `flash` and tones graph-ivr does not know.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<char>,
    pub sequence_id: i64,
    /// Sequence ids skipped since the highest one heard before (0: none missing, or the first).
    pub gap: i64,
    /// A higher sequence id arrived first: this tone is late.
    pub late: bool,
}

/// A call-state notification, the first time it arrives.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CallStateEvent {
    pub call_id: String,
    /// As the notification says it (`terminated` for the call's `deleted`).
    pub state: String,
    /// `created`, `updated` or `deleted`.
    pub change_type: String,
}

/// A notification already applied, delivered again (Graph retries; faults may repeat POSTs).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DuplicateEvent {
    pub call_id: String,
    /// `operation`, `tone` or `call`.
    pub of: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sequence_id: Option<i64>,
    /// The notification's index in its batch.
    pub index: usize,
}

/// Something that arrived and could not be tied to what the bot sent.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UnmatchedEvent {
    /// `unknownOperation` (a call the tracker knows, an operation it does not), `otherCall` (a
    /// call it has never heard of) or `malformed` (the payload or this notification does not
    /// validate; `issues` says why).
    pub reason: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_url: Option<String>,
    /// The notification's index in its batch; absent when the whole payload is unreadable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<Issue>,
}
