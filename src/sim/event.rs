//! What happens on a call that a caller can react to: a scenario's `{"on": …}` steps wait for
//! these ("when the menu plays, press 2").

use crate::model::OperationKind;

/// An event of one call, at a virtual instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallEvent {
    pub at: u64,
    pub kind: EventKind,
    /// The prompt's uri, for `Prompt`.
    pub uri: Option<String>,
}

/// The events a scenario step may wait for, by their names in the scenario format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// The call is `established`.
    Established,
    /// A prompt starts playing (of a playPrompt, or a recordResponse's prompt).
    Prompt,
    /// A recordResponse's beep starts.
    Beep,
    /// A recordResponse starts recording.
    Recording,
    /// A playPrompt ended (completed, failed or canceled).
    Played,
    /// A recordResponse ended (completed, failed or canceled).
    Recorded,
}

impl EventKind {
    pub const ALL: [EventKind; 6] = [
        EventKind::Established,
        EventKind::Prompt,
        EventKind::Beep,
        EventKind::Recording,
        EventKind::Played,
        EventKind::Recorded,
    ];

    pub fn name(self) -> &'static str {
        match self {
            EventKind::Established => "established",
            EventKind::Prompt => "prompt",
            EventKind::Beep => "beep",
            EventKind::Recording => "recording",
            EventKind::Played => "played",
            EventKind::Recorded => "recorded",
        }
    }

    pub fn from_name(name: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The end of an operation of `kind`.
    pub fn ended(kind: OperationKind) -> EventKind {
        match kind {
            OperationKind::RecordResponse => EventKind::Recorded,
            _ => EventKind::Played,
        }
    }
}
