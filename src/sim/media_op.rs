//! One playPrompt or recordResponse in the call's media queue, and the phases it runs through.

use crate::contract::limits::*;
use crate::contract::{Prompt, RecordResponse, StopTone};
use crate::model::{
    CompletionReason, OperationKind, OperationStatus, PlayPromptCompletionReason, RecordCompletionReason, ResultInfo,
};

/// An accepted playPrompt or recordResponse.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaOp {
    /// Lowercase hyphenated GUID.
    pub id: String,
    pub kind: OperationKind,
    pub client_context: Option<String>,
    /// The prompts as sent, for `failingPrompts` and the observed profile's echo.
    pub prompts: Vec<Prompt>,
    /// Play time of each prompt, in order.
    pub prompt_ms: Vec<u64>,
    /// beta playPrompt `loop: true`: never completes on its own.
    pub looping: bool,
    pub record: Option<RecordSettings>,
}

impl MediaOp {
    /// The uris of the operation's prompts, in order.
    pub fn prompt_uris(&self) -> impl Iterator<Item = &str> {
        self.prompts.iter().map(|p| p.uri.as_str())
    }
}

/// recordResponse parameters with the service defaults filled in, in milliseconds.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordSettings {
    pub barge_in: bool,
    pub play_beep: bool,
    pub initial_silence_ms: u64,
    pub max_silence_ms: u64,
    pub max_duration_ms: u64,
    pub stop_tones: Vec<StopTone>,
}

impl RecordSettings {
    /// From a typed recordResponse: what was not sent takes the documented default.
    pub fn from_request(record: &RecordResponse) -> RecordSettings {
        let ms = |timer: Option<crate::contract::TimerSeconds>, default: u32| {
            timer.map_or(u64::from(default) * 1000, |t| t.millis())
        };
        RecordSettings {
            barge_in: record.barge_in_allowed.unwrap_or(false),
            play_beep: record.play_beep.unwrap_or(DEFAULT_PLAY_BEEP),
            initial_silence_ms: ms(record.initial_silence_timeout_in_seconds, DEFAULT_INITIAL_SILENCE_SECONDS),
            max_silence_ms: ms(record.max_silence_timeout_in_seconds, DEFAULT_MAX_SILENCE_SECONDS),
            max_duration_ms: ms(record.max_record_duration_in_seconds, DEFAULT_MAX_RECORD_DURATION_SECONDS),
            stop_tones: record.stop_tones.clone().unwrap_or_default(),
        }
    }
}

/// Where the running operation is.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    /// playPrompt: all its prompts back to back; `ends` is `None` when looping.
    Playing { started: u64, ends: Option<u64> },
    /// recordResponse: its prompt.
    Prompt { started: u64, ends: u64 },
    /// recordResponse: the beep before recording.
    Beep { started: u64, ends: u64 },
    /// recordResponse: recording, with the timers that can end it.
    Recording {
        started: u64,
        /// Until the caller first speaks.
        initial_silence_deadline: Option<u64>,
        /// After the caller stops speaking.
        max_silence_deadline: Option<u64>,
        max_duration_deadline: u64,
        heard_speech: bool,
    },
}

/// The timers a phase can fire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timer {
    PlayEnd,
    PromptEnd,
    BeepEnd,
    InitialSilence,
    MaxSilence,
    MaxDuration,
}

impl Timer {
    pub fn name(self) -> &'static str {
        match self {
            Timer::PlayEnd => "playEnd",
            Timer::PromptEnd => "promptEnd",
            Timer::BeepEnd => "beepEnd",
            Timer::InitialSilence => "initialSilenceTimeout",
            Timer::MaxSilence => "maxSilenceTimeout",
            Timer::MaxDuration => "maxRecordDuration",
        }
    }
}

impl Phase {
    pub fn name(&self) -> &'static str {
        match self {
            Phase::Playing { .. } => "playing",
            Phase::Prompt { .. } => "prompt",
            Phase::Beep { .. } => "beep",
            Phase::Recording { heard_speech: false, .. } => "recording",
            Phase::Recording { heard_speech: true, .. } => "recordingSpeech",
        }
    }

    /// Every armed timer, earliest first; on a tie the first listed wins (initial silence
    /// before max duration: a caller who never spoke timed out).
    pub fn timers(&self) -> Vec<(u64, Timer)> {
        let mut timers = match self {
            Phase::Playing { ends, .. } => ends.map(|at| vec![(at, Timer::PlayEnd)]).unwrap_or_default(),
            Phase::Prompt { ends, .. } => vec![(*ends, Timer::PromptEnd)],
            Phase::Beep { ends, .. } => vec![(*ends, Timer::BeepEnd)],
            Phase::Recording { initial_silence_deadline, max_silence_deadline, max_duration_deadline, .. } => {
                let mut t = Vec::new();
                t.extend(initial_silence_deadline.map(|at| (at, Timer::InitialSilence)));
                t.push((*max_duration_deadline, Timer::MaxDuration));
                t.extend(max_silence_deadline.map(|at| (at, Timer::MaxSilence)));
                t
            }
        };
        timers.sort_by_key(|(at, _)| *at); // stable: ties keep the order above
        timers
    }
}

/// How an operation ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: OperationStatus,
    pub result_info: ResultInfo,
    /// The beta completionReason (playPromptCompletionReason or recordCompletionReason).
    pub completion_reason: CompletionReason,
    /// Whether a recording exists (record ops only).
    pub has_recording: bool,
}

/// The documented outcomes (CONTRACT.md §7 and §11); the inferred ones are in `inferred`.
impl Outcome {
    /// playPrompt played all its prompts: 200 / 0.
    pub fn played() -> Outcome {
        Outcome {
            status: OperationStatus::Completed,
            result_info: ResultInfo::completed_successfully(),
            completion_reason: CompletionReason::PlayPrompt(PlayPromptCompletionReason::CompletedSuccessfully),
            has_recording: false,
        }
    }

    /// recordResponse hit maxRecordDurationInSeconds: 200 / 8515, with a recording.
    pub fn max_duration_reached() -> Outcome {
        Outcome {
            status: OperationStatus::Completed,
            result_info: ResultInfo::max_record_duration_reached(),
            completion_reason: CompletionReason::Record(RecordCompletionReason::MaxRecordDurationReached),
            has_recording: true,
        }
    }

    /// Canceled by cancelMediaProcessing (or preempted by barge-in): 400 / 8508.
    pub fn canceled(kind: OperationKind) -> Outcome {
        Outcome {
            status: OperationStatus::Failed,
            result_info: ResultInfo::canceled(),
            completion_reason: match kind {
                OperationKind::RecordResponse => CompletionReason::Record(RecordCompletionReason::OperationCanceled),
                _ => CompletionReason::PlayPrompt(PlayPromptCompletionReason::MediaOperationCanceled),
            },
            has_recording: false,
        }
    }
}
