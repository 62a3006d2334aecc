//! Every behaviour of the simulator that no source documents, in one place (DESIGN.md:
//! "model the plausible behaviour, mark it *inferred*, and keep it in one place").
//! Documented values (200/0, 200/8515, 400/8508) live in `model::result_info`.

use crate::model::{
    CompletionReason, OperationKind, OperationStatus, PlayPromptCompletionReason, RecordCompletionReason, ResultInfo,
};

use super::Outcome;

/// *Inferred.* Play time of a prompt whose uri has no entry in `promptDurationsMs`.
pub const DEFAULT_PROMPT_MS: u64 = 3_000;
/// *Inferred.* Length of the beep that `playBeep` plays before recording starts.
pub const BEEP_MS: u64 = 500;
/// The answer timeout: "The current timeout value is 15 seconds for regular scenarios"
/// (call-answer). Documented; what happens then is not (see `answer_timed_out`).
pub const ANSWER_TIMEOUT_MS: u64 = 15_000;
/// *Inferred.* From the bot's `answer` to the `established` notification (the docs show both
/// notifications, no delay).
pub const ANSWER_ESTABLISH_MS: u64 = 500;
/// *Inferred.* From the bot's `POST /communications/calls` to the callee picking up.
pub const CALLEE_ANSWERS_MS: u64 = 2_000;
/// *Inferred.* "The recording is not saved permanently … discarded shortly after the call ends"
/// (call-record): downloads answer 404 this long after the call ended.
pub const RECORDING_TTL_MS: u64 = 5 * 60_000;
/// *Inferred.* The `User-Agent` of a simulated callback POST (no source shows Graph's).
pub const CALLBACK_USER_AGENT: &str = "Microsoft-Graph-Calling/1.0 (graph-ivr simulator)";
/// The callback of a call nobody named one for: the docs' example.
pub const DEFAULT_CALLBACK_URI: &str = "https://bot.contoso.com/api/calls";
/// The caller and the bot of an incoming call, as the docs' incoming example names them.
pub const DEFAULT_CALLER: &str = "Test User";
pub const CALLER_ID: &str = "8A34A46B-3D17-4ADC-8DCE-DC4E7D572698";
pub const BOT_ID: &str = "8A34A46B-3D17-4ADC-8DCE-DC4E7D572698";
/// Virtual time 0 as a wall-clock date, for the `Date` header of downloads: the docs' download
/// example's date (2019-01-17T01:46:37Z), in ms since the Unix epoch.
pub const EPOCH_MS: u64 = 1_547_689_597_000;

/// *Inferred.* `Retry-After` of a throttled request when `faults.throttle` names none: Graph's
/// throttling guidance says a 429 carries one, not how long (Microsoft's Dev Proxy uses 5).
pub const DEFAULT_RETRY_AFTER_SECONDS: u64 = 5;
/// The statuses of `faults.serverErrors`: those Graph's error-responses page lists for a failing
/// service (500 Internal Server Error, 502, 503 Service Unavailable "may be specified in a
/// Retry-After header", 504 Gateway Timeout).
pub const SERVER_ERROR_STATUSES: [u16; 4] = [500, 502, 503, 504];
/// The OData `error.code` of a fault's answer: `activityLimitReached` ("the app or user has been
/// throttled") and `serviceNotAvailable` are codes of Graph's error-responses page;
/// `generalException` for 500, 502 and 504 is *inferred* (the page's "unspecified error").
pub fn fault_error_code(status: u16) -> &'static str {
    match status {
        429 => "activityLimitReached",
        503 => "serviceNotAvailable",
        _ => "generalException",
    }
}

/// Upper bound for a configured prompt duration (one hour), so that sums cannot overflow.
pub const MAX_PROMPT_MS: u64 = 3_600_000;

/// *Inferred.* A record ended by a stop tone completed normally, with its recording: 200 / 0,
/// as a finished playPrompt reports (the beta example shows the reason, not the resultInfo).
pub fn stop_tone_detected() -> Outcome {
    Outcome {
        status: OperationStatus::Completed,
        result_info: ResultInfo::completed_successfully(),
        completion_reason: CompletionReason::Record(RecordCompletionReason::StopToneDetected),
        has_recording: true,
    }
}

/// *Inferred.* A record whose caller spoke and then fell silent for `maxSilenceTimeoutInSeconds`
/// completed normally (that is how a spoken answer ends), with its recording: 200 / 0.
pub fn max_silence_reached() -> Outcome {
    Outcome {
        status: OperationStatus::Completed,
        result_info: ResultInfo::completed_successfully(),
        completion_reason: CompletionReason::Record(RecordCompletionReason::MaxSilenceTimeout),
        has_recording: true,
    }
}

/// *Inferred.* A record that heard nothing before `initialSilenceTimeoutInSeconds` failed,
/// without a recording.
pub fn initial_silence_timed_out() -> Outcome {
    Outcome {
        status: OperationStatus::Failed,
        result_info: ResultInfo::new(400, 0, "Action failed, initial silence timeout."),
        completion_reason: CompletionReason::Record(RecordCompletionReason::InitialSilenceTimeout),
        has_recording: false,
    }
}

/// *Inferred.* What an operation still outstanding when the call ends (the caller hangs up, the
/// bot deletes the call, keepAlive lapses) ends with, in the docs profile: `failed` 410/0, which
/// `classifyResult` names `callEnded` and the tracker `orphaned` — the call's end, not a failure
/// of the bot's request. Live traffic sends no final notification for a running record
/// (REALWORLD.md, comms-samples #376): the observed profile drops it (`dropFinalRecordNotification`).
/// The docs show neither.
pub fn hung_up(kind: OperationKind) -> Outcome {
    Outcome {
        status: OperationStatus::Failed,
        result_info: ResultInfo::new(410, 0, "Action failed, the call has ended."),
        completion_reason: per_action(kind, RecordCompletionReason::UnspecifiedError),
        has_recording: false,
    }
}

/// *Inferred.* An operation whose prompt cannot be fetched (a uri in `failingPrompts`) fails
/// when it would start: a record with `playPromptFailed`, a playPrompt with `unknown` (its enum
/// has no failure reason). No source gives the codes.
pub fn prompt_failed(kind: OperationKind) -> Outcome {
    Outcome {
        status: OperationStatus::Failed,
        result_info: ResultInfo::new(400, 0, "Action failed, the prompt could not be played."),
        completion_reason: per_action(kind, RecordCompletionReason::PlayPromptFailed),
        has_recording: false,
    }
}

/// A record's `reason`; a playPrompt's `unknown` (its enum has no failure reason).
fn per_action(kind: OperationKind, record: RecordCompletionReason) -> CompletionReason {
    match kind {
        OperationKind::RecordResponse => CompletionReason::Record(record),
        _ => CompletionReason::PlayPrompt(PlayPromptCompletionReason::UnknownReason),
    }
}

/// *Inferred.* A call nobody answered, rejected or redirected within 15 s ends with the docs'
/// end reason "408/1106 An acknowledgement was not received for the call acceptance in the
/// allotted time" (call-delete's table; the API pages do not say what happens).
pub fn answer_timed_out() -> ResultInfo {
    ResultInfo::new(408, 1106, "An acknowledgement was not received for the call acceptance in the allotted time.")
}

/// The bot hung up (`DELETE`): the docs' example ends the call with 200/5001 "The conversation
/// has ended." (it writes the numbers as strings, a defect: Int32 here).
pub fn ended_by_bot() -> ResultInfo {
    ResultInfo::new(200, 5001, "The conversation has ended.")
}

/// "If the call is not kept alive for 45 minutes, it is considered inactive and will
/// subsequently end" (call-keepalive). Documented.
pub const KEEP_ALIVE_MS: u64 = 45 * 60_000;

/// The call's `resultInfo` when it ended for want of a `keepAlive`: the end-reason table's
/// 408/8537 (call-delete). That it comes as the call's `deleted` notification, as any end does,
/// is *inferred* (the keepAlive page says the call ends, not how the bot hears of it).
pub fn inactive() -> ResultInfo {
    ResultInfo::new(408, 8537, "Keep Alive timeout, cleaned up inactive call.")
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
// - Hang-up: the running and every queued operation end as `hung_up()` says, then the
//   call is `deleted` with state `terminated`; the option `dropFinalRecordNotification`
//   reproduces the live-traffic loss of a running record's last notification.
// - Notifications are delivered at the virtual instant their cause happens, and requests are
//   answered at once, unless the faults `deliveryDelayMs` and `latencyMs` say otherwise.
// - A malformed request is answered 400 `{"error":{"code":"BadRequest",…}}` (the message is the
//   request validator's first error); another call, or any call after hang-up, 404
//   `ItemNotFound`. The docs declare only "4XX/5XX with the Graph OData error body".

// The bot's own token (`requireBearer`). Graph answers a request without a usable access token
// 401 with the OData error code `InvalidAuthenticationToken` and a `WWW-Authenticate: Bearer`
// challenge naming Graph's app id; the messages are live Graph's for a missing and for an
// unreadable token. The docs say only that every call needs `Authorization: Bearer {token}`:
// the status, code and header are *inferred* from live traffic.
pub const MISSING_BEARER_MESSAGE: &str = "Access token is empty.";
pub const NOT_BEARER_MESSAGE: &str = "CompactToken parsing failed with error code: 80049217";
pub const WWW_AUTHENTICATE: &str = "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"";
