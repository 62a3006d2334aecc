//! `snapshot()`: the state of the call as plain data, for UIs and tests.

use serde::Serialize;

use super::{Phase, Simulator};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    pub now: u64,
    pub call_id: String,
    /// `incoming`, `establishing`, `established` or `terminated`.
    pub call_state: &'static str,
    pub speaking: bool,
    pub running: Option<RunningView>,
    pub queue: Vec<OperationView>,
    /// Armed timers of the running operation, earliest first.
    pub timers: Vec<TimerView>,
    pub tone_subscription: ToneSubscriptionView,
    /// When Graph ends the call for want of a `keepAlive` (a `GraphSimulator`'s calls).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keep_alive_deadline: Option<u64>,
    /// What the faults did to this call so far (a `GraphSimulator`'s), oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub faults: Vec<FaultView>,
}

/// One thing a fault did: a request refused, a notification lost or delayed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultView {
    pub at: u64,
    /// `throttled`, `serverError`, `dropped` or `delayed`.
    pub kind: &'static str,
    /// What it was about: the request, or what the notification said.
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationView {
    pub id: String,
    pub operation: &'static str,
    pub client_context: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunningView {
    #[serde(flatten)]
    pub operation: OperationView,
    pub started_at: u64,
    /// `playing`, `prompt`, `beep`, `recording`, `recordingSpeech`.
    pub phase: &'static str,
    pub phase_started_at: u64,
    /// When the phase ends by itself (`null` while it waits on the caller or loops).
    pub phase_ends_at: Option<u64>,
    pub remaining_ms: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TimerView {
    pub name: &'static str,
    pub at: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ToneSubscriptionView {
    pub subscribed: bool,
    pub operation_id: Option<String>,
    /// The sequenceId of the last key pressed on the call (0 before any).
    pub last_sequence_id: i64,
}

impl Simulator {
    pub fn snapshot(&self) -> Snapshot {
        let running = self.running.as_ref().map(|r| {
            let (phase_started_at, phase_ends_at) = match &r.phase {
                Phase::Playing { started, ends } => (*started, *ends),
                Phase::Prompt { started, ends } | Phase::Beep { started, ends } => (*started, Some(*ends)),
                Phase::Recording { started, .. } => (*started, r.phase.timers().first().map(|(at, _)| *at)),
            };
            RunningView {
                operation: OperationView {
                    id: r.op.id.clone(),
                    operation: r.op.kind.action(),
                    client_context: r.op.client_context.clone(),
                },
                started_at: r.started,
                phase: r.phase.name(),
                phase_started_at,
                phase_ends_at,
                remaining_ms: phase_ends_at.map(|end| end.saturating_sub(self.now)),
            }
        });
        Snapshot {
            now: self.now,
            call_id: self.call_id.clone(),
            call_state: self.status.name(),
            speaking: self.speaking,
            running,
            queue: self
                .queue
                .iter()
                .map(|op| OperationView {
                    id: op.id.clone(),
                    operation: op.kind.action(),
                    client_context: op.client_context.clone(),
                })
                .collect(),
            timers: self
                .running
                .as_ref()
                .map(|r| r.phase.timers().into_iter().map(|(at, t)| TimerView { name: t.name(), at }).collect())
                .unwrap_or_default(),
            tone_subscription: ToneSubscriptionView {
                subscribed: self.tone_subscription.is_some(),
                operation_id: self.tone_subscription.clone(),
                last_sequence_id: self.tone_sequence,
            },
            keep_alive_deadline: self.inactive_at(),
            faults: Vec::new(),
        }
    }
}
