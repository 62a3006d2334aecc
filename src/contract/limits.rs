//! Every documented limit of the four actions, in one place (CONTRACT.md §1–5). The builders
//! refuse what breaks them and the request validator reports it; both read these constants.

use crate::model::OperationKind;

/// The body parameters each action declares: (v1.0 and beta, beta only). From the metadata
/// (schema-notes.md § Bound actions); builders and the request validator both read this.
pub fn parameters(kind: OperationKind) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        OperationKind::CancelMediaProcessing | OperationKind::SubscribeToTone => (&["clientContext"], &[]),
        OperationKind::PlayPrompt => (&["prompts", "clientContext"], &["loop"]),
        OperationKind::RecordResponse => (
            &[
                "prompts",
                "bargeInAllowed",
                "initialSilenceTimeoutInSeconds",
                "maxSilenceTimeoutInSeconds",
                "maxRecordDurationInSeconds",
                "playBeep",
                "stopTones",
                "clientContext",
            ],
            &["streamWhileRecording"],
        ),
    }
}

/// `clientContext`: "Can have a maximum of 256 characters" (counted as JS counts: UTF-16 units).
pub const CLIENT_CONTEXT_MAX: usize = 256;
/// playPrompt: "maximum supported MediaPrompt collection size is 20"; `prompts` is required.
pub const PLAY_PROMPTS_MIN: usize = 1;
pub const PLAY_PROMPTS_MAX: usize = 20;
/// recordResponse: at most one prompt.
pub const RECORD_PROMPTS_MAX: usize = 1;
/// The three recordResponse timers: whole seconds, "min 1, max 120".
pub const TIMER_SECONDS_MIN: i64 = 1;
pub const TIMER_SECONDS_MAX: i64 = 120;
/// Service defaults (prose only; not sent on the wire unless the caller sets them).
pub const DEFAULT_INITIAL_SILENCE_SECONDS: u32 = 5;
pub const DEFAULT_MAX_SILENCE_SECONDS: u32 = 5;
pub const DEFAULT_MAX_RECORD_DURATION_SECONDS: u32 = 5;
/// The docs say `playBeep` defaults to true; the OpenAPI says false (CONTRACT.md §13.15).
/// We follow the docs.
pub const DEFAULT_PLAY_BEEP: bool = true;
/// Valid stop-tone characters (DTMF keys).
pub const STOP_TONE_KEYS: &str = "0123456789*#ABCD";
/// The public Graph origin, and the national-cloud origins the docs name.
pub const DEFAULT_BASE_URL: &str = "https://graph.microsoft.com";

/// Bounds of graph-ivr's own (Graph documents none): generous for real values, small enough
/// that a hostile argument cannot make a megabyte URL or header.
/// Graph call ids are GUIDs (36 characters).
pub const CALL_ID_MAX: usize = 1024;
/// Prompt uris are ordinary URLs.
pub const PROMPT_URI_MAX: usize = 8192;
/// A bot's callback URL.
pub const CALLBACK_URI_MAX: usize = 2048;
/// Access tokens are JWTs, a few kilobytes at most.
pub const ACCESS_TOKEN_MAX: usize = 16 * 1024;
