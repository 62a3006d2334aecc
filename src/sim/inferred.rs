//! Every behaviour of the simulator that no source documents, in one place (DESIGN.md:
//! "model the plausible behaviour, mark it *inferred*, and keep it in one place").
//! Documented values (200/0, 200/8515, 400/8508) live in `model::result_info`.

use crate::model::{OperationKind, OperationStatus, ResultInfo};

use super::Outcome;

/// *Inferred.* Play time of a prompt whose uri has no entry in `promptDurationsMs`.
pub const DEFAULT_PROMPT_MS: u64 = 3_000;
/// *Inferred.* Length of the beep that `playBeep` plays before recording starts.
pub const BEEP_MS: u64 = 500;
/// Upper bound for a configured prompt duration (one hour), so that sums cannot overflow.
pub const MAX_PROMPT_MS: u64 = 3_600_000;

/// *Inferred.* A record that ended by a stop tone or by the caller falling silent after
/// speaking completed normally: 200 / 0, as a finished playPrompt reports.
pub fn record_completed() -> ResultInfo {
    ResultInfo::completed_successfully()
}

/// *Inferred.* A record that heard nothing before `initialSilenceTimeoutInSeconds` failed.
pub fn initial_silence_timeout() -> ResultInfo {
    ResultInfo::new(400, 0, "Action failed, initial silence timeout.")
}

/// *Inferred.* What an operation still outstanding when the caller hangs up ends with.
pub fn call_ended() -> ResultInfo {
    ResultInfo::new(410, 0, "Action failed, the call has ended.")
}

/// *Inferred.* An operation whose prompt cannot be fetched (a uri in `failingPrompts`) fails
/// when it would start: a record with `playPromptFailed`, a playPrompt with `unknown` (its enum
/// has no failure reason). No source gives the codes.
pub fn prompt_failed(kind: OperationKind) -> Outcome {
    Outcome {
        status: OperationStatus::Failed,
        result_info: ResultInfo::new(400, 0, "Action failed, the prompt could not be played."),
        completion_reason: if kind == OperationKind::RecordResponse { "playPromptFailed" } else { "unknown" },
        has_recording: false,
    }
}

/// The call's own `resultInfo` when the caller hangs up (observed in live traffic, REALWORLD.md).
pub fn conversation_ended() -> ResultInfo {
    ResultInfo::new(200, 5002, "The conversation has ended. DiagCode: 0#5002.@")
}

// Policies (implemented in `queue.rs`, each marked `inferred::` there):
// - Barge-in: a recordResponse with `bargeInAllowed: true` stops the running operation, which
//   ends as canceled (400/8508), and starts at once; queued operations keep their order and run
//   after it. The docs say only that it "will barge into" them.
// - Stop tones end a record only once recording has started (not during its prompt or beep).
// - Hang-up: the running and every queued operation end `failed` with `call_ended()`, then the
//   call is `deleted` with state `terminated`; the option `dropFinalRecordNotification`
//   reproduces the live-traffic loss of a running record's last notification.
// - Notifications are delivered at the virtual instant their cause happens (no latency).
// - A malformed request is answered 400 `{"error":{"code":"BadRequest",…}}` (the message is the
//   request validator's first error); another call, or any call after hang-up, 404
//   `ItemNotFound`. The docs declare only "4XX/5XX with the Graph OData error body".
