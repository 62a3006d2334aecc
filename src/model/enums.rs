//! The Graph enums of the media-operation surface, with their exact wire spellings
//! (CONTRACT.md §10). The metadata spells operationStatus in PascalCase, every wire example
//! in camelCase (§13.1): we emit camelCase and let tolerant validation accept the other.

use super::wire_enum::wire_enum;

wire_enum! {
    /// `operationStatus` of a commsOperation.
    OperationStatus {
        NotStarted = "notStarted",
        Running = "running",
        Completed = "completed",
        Failed = "failed",
    }
}

impl OperationStatus {
    /// `completed` and `failed` end an operation: no notification follows them.
    pub fn is_terminal(&self) -> bool {
        matches!(self, OperationStatus::Completed | OperationStatus::Failed)
    }
}

wire_enum! {
    /// `changeType` of a commsNotification.
    ChangeType {
        Created = "created",
        Updated = "updated",
        Deleted = "deleted",
    }
}

wire_enum! {
    /// `callState` (v1.0 metadata plus beta's `ringing`, which the v1.0 docs also list).
    CallState {
        Incoming = "incoming",
        Establishing = "establishing",
        Ringing = "ringing",
        Established = "established",
        Hold = "hold",
        Transferring = "transferring",
        TransferAccepted = "transferAccepted",
        Redirecting = "redirecting",
        Terminating = "terminating",
        Terminated = "terminated",
        UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// beta `playPromptCompletionReason` (v1.0 carries it as a dynamic property).
    PlayPromptCompletionReason {
        UnknownReason = "unknown",
        CompletedSuccessfully = "completedSuccessfully",
        MediaOperationCanceled = "mediaOperationCanceled",
        UnknownFutureValue = "unknownFutureValue",
    }
}

wire_enum! {
    /// beta `recordCompletionReason` (the beta docs also list `none`).
    RecordCompletionReason {
        OperationCanceled = "operationCanceled",
        StopToneDetected = "stopToneDetected",
        MaxRecordDurationReached = "maxRecordDurationReached",
        InitialSilenceTimeout = "initialSilenceTimeout",
        MaxSilenceTimeout = "maxSilenceTimeout",
        PlayPromptFailed = "playPromptFailed",
        PlayBeepFailed = "playBeepFailed",
        MediaReceiveTimeout = "mediaReceiveTimeout",
        UnspecifiedError = "unspecifiedError",
        NoReason = "none",
    }
}

wire_enum! {
    /// `mediaState` of `callMediaState.audio`.
    MediaState {
        Active = "active",
        Inactive = "inactive",
        UnknownFutureValue = "unknownFutureValue",
    }
}

/// The beta `completionReason` of an ended operation: each action has its own enum.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CompletionReason {
    PlayPrompt(PlayPromptCompletionReason),
    Record(RecordCompletionReason),
}

impl CompletionReason {
    pub fn as_str(&self) -> &str {
        match self {
            CompletionReason::PlayPrompt(reason) => reason.as_str(),
            CompletionReason::Record(reason) => reason.as_str(),
        }
    }
}
