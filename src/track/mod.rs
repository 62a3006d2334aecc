//! `OperationTracker`: a pure reducer over what a bot sent (`sent`) and what Graph POSTed back
//! (`received`), in any order and with repeats, giving typed events and a state that is plain
//! JSON. No clock, no I/O: the same inputs give the same state.
//!
//! Matching: an operation notification is tied to a sent operation by call id and operation
//! id (compared canonically); before the id is known (the bot did not pass the response), by
//! call, action and `clientContext`.

mod event;
mod read;
mod state;

pub use event::{CallStateEvent, DuplicateEvent, ToneEvent, TrackerEvent, UnmatchedEvent};
pub use state::{TrackedCall, TrackedOperation, TrackedStatus, TrackerState, STATE_FORMAT};

use crate::contract::MediaRequest;
use crate::input::Input;
use crate::model::ids::{canonical_id, same_id, PathTarget, ResourcePath};
use crate::model::result_info::{classify_result, ResultOutcome};
use crate::model::Tone;
use crate::validate::{self, Issue, Mode, NotificationOptions, ResponseOptions, Severity};
use graph_ivr_json::tree::Value;

use read::{Entity, Notification, OperationNote};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tracker {
    state: TrackerState,
}

impl Tracker {
    pub fn new() -> Tracker {
        Tracker::default()
    }

    pub fn from_state(state: TrackerState) -> Tracker {
        Tracker { state }
    }

    pub fn state(&self) -> &TrackerState {
        &self.state
    }

    /// The bot sent `request`; `response` is what the action's POST answered
    /// (`{status, headers, body}`), when the bot has it.
    pub fn sent(&mut self, request: &MediaRequest, response: Option<&Input>) -> Vec<TrackerEvent> {
        let kind = request.kind();
        self.call_mut(request.call_id().as_str());
        let mut op = TrackedOperation {
            call_id: request.call_id().as_str().to_owned(),
            operation_id: None,
            client_context: request.action().client_context().map(|c| c.as_str().to_owned()),
            operation: kind,
            status: TrackedStatus::Sent,
            result_info: None,
            outcome: None,
            http_status: None,
            completion_reason: None,
            recording_location: None,
            recording_access_token: None,
        };
        let mut events = Vec::new();
        if let Some(response) = response {
            match response.get("status") {
                Input::Number(status) if !(200.0..300.0).contains(status) => {
                    op.status = TrackedStatus::Failed;
                    op.http_status = Some(status.clamp(0.0, 999.0) as u16);
                    events.push(TrackerEvent::Failed(op.clone()));
                }
                _ => {
                    let options = ResponseOptions {
                        operation: Some(kind),
                        call_id: Some(request.call_id().clone()),
                        mode: Mode::Tolerant,
                    };
                    let checked = validate::check_operation_response(response, &options);
                    if let Some(Value::Object(body)) = &checked.value {
                        let answer = OperationNote::read(body);
                        op.operation_id = answer.id.map(str::to_owned);
                        if let Some(event) = advance(&mut op, &answer) {
                            events.push(event);
                        }
                    }
                }
            }
        }
        self.state.operations.push(op);
        events
    }

    /// A callback POST's body: every notification of the batch, applied in order. It is read
    /// from the tolerant validator's checked tree (legacy names and spellings normalized); a
    /// notification with errors of its own is `malformed`, the others still apply — even when
    /// one of them makes the batch unreadable as the typed model.
    pub fn received(&mut self, text: &str) -> Vec<TrackerEvent> {
        self.received_batch(text).into_iter().map(|(_, event)| event).collect()
    }

    /// `received`, each event with the index of its notification in the batch (`None` for a
    /// payload that could not be read as a batch).
    pub fn received_batch(&mut self, text: &str) -> Vec<(Option<usize>, TrackerEvent)> {
        let options = NotificationOptions { mode: Mode::Tolerant, version: None };
        let (issues, tree) = validate::check_notifications_tree(text, options);
        let errors: Vec<&Issue> = issues.iter().filter(|i| i.severity == Severity::Error).collect();
        let issues_of = |index: Option<usize>| -> Vec<Issue> {
            errors.iter().filter(|i| item_of(&i.path) == index).map(|i| (*i).clone()).collect()
        };
        let items = match &tree {
            Some(Value::Object(root)) => match root.get("value") {
                Some(Value::Array(items)) => items.as_slice(),
                _ => return vec![(None, malformed(None, None, errors.iter().map(|i| (*i).clone()).collect()))],
            },
            _ => return vec![(None, malformed(None, None, errors.iter().map(|i| (*i).clone()).collect()))],
        };
        let mut indexed = Vec::new();
        let outside = issues_of(None);
        if !outside.is_empty() {
            indexed.push((None, malformed(None, None, outside)));
        }
        for (index, item) in items.iter().enumerate() {
            let own = issues_of(Some(index));
            let mut events = Vec::new();
            match Notification::read(item) {
                Some(notification) if own.is_empty() => self.notification(index, &notification, &mut events),
                other => events.push(malformed(Some(index), other.map(|n| n.resource_url.to_owned()), own)),
            }
            indexed.extend(events.into_iter().map(|event| (Some(index), event)));
        }
        indexed
    }

    /// A payload that could not even be read as text (bytes that are not UTF-8, a `Map`…).
    pub fn unreadable(&self, why: &str) -> Vec<TrackerEvent> {
        let mut issues = crate::validate::issue::Issues::new(Mode::Tolerant);
        issues.error("", crate::validate::IssueCode::UnsupportedInput, why);
        vec![malformed(None, None, issues.into_vec())]
    }

    /// The call ended (the bot hung up, or learned it otherwise): every operation still open
    /// on it becomes `orphaned`.
    pub fn call_ended(&mut self, call_id: &str) -> Vec<TrackerEvent> {
        self.call_mut(call_id).ended = true;
        let mut events = Vec::new();
        for op in self.state.operations.iter_mut().filter(|op| same_id(&op.call_id, call_id)) {
            if op.status.is_open() {
                op.status = TrackedStatus::Orphaned;
                events.push(TrackerEvent::Orphaned(op.clone()));
            }
        }
        events
    }

    /// Operations whose outcome is still to come, of one call or of all.
    pub fn pending(&self, call_id: Option<&str>) -> Vec<TrackedOperation> {
        self.state
            .operations
            .iter()
            .filter(|op| op.status.is_open() && call_id.is_none_or(|id| same_id(&op.call_id, id)))
            .cloned()
            .collect()
    }

    /// Drops everything known of a call (a long-lived bot bounds its state this way).
    pub fn forget(&mut self, call_id: &str) {
        self.state.operations.retain(|op| !same_id(&op.call_id, call_id));
        let canonical = canonical_id(call_id);
        self.state.calls.retain(|call| call.call_id != canonical);
    }

    fn notification(&mut self, index: usize, item: &Notification<'_>, events: &mut Vec<TrackerEvent>) {
        let Some(path) = ResourcePath::parse(item.resource_url) else {
            events.push(malformed(Some(index), Some(item.resource_url.to_owned()), Vec::new()));
            return;
        };
        let known_call = self.call_index(&path.call_id).is_some();
        match (&path.target, &item.data) {
            (PathTarget::Operation(op_id), Some(Entity::Operation(op))) => {
                self.operation(index, &path.call_id, op_id, op, known_call, item, events)
            }
            (PathTarget::Call, Some(Entity::Call { tone: Some((sequence_id, tone)), .. })) => {
                self.tone(index, &path.call_id, *sequence_id, tone, events);
            }
            (PathTarget::Call, Some(Entity::Call { state, .. })) => {
                let state = state.unwrap_or_default();
                let key = format!("call|{}|{state}", item.change_type);
                if !self.first_time(&path.call_id, key) {
                    events.push(TrackerEvent::Duplicate(DuplicateEvent {
                        call_id: path.call_id.to_string(),
                        of: "call",
                        operation_id: None,
                        status: Some(state.to_owned()).filter(|s| !s.is_empty()),
                        sequence_id: None,
                        index,
                    }));
                } else {
                    let state = if item.change_type == "deleted" { "terminated" } else { state };
                    if !state.is_empty() {
                        events.push(TrackerEvent::CallState(CallStateEvent {
                            call_id: path.call_id.to_string(),
                            state: state.to_owned(),
                            change_type: item.change_type.to_owned(),
                        }));
                    }
                    if item.change_type == "deleted" {
                        events.extend(self.call_ended(&path.call_id));
                    }
                }
            }
            (PathTarget::Operation(op_id), _) => {
                events.push(unmatched("malformed", index, &path.call_id, Some(op_id), item));
            }
            // Participants, other entities, call updates without a body: not about operations.
            _ => {
                self.call_mut(&path.call_id);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        index: usize,
        call_id: &str,
        op_id: &str,
        op: &OperationNote<'_>,
        known_call: bool,
        item: &Notification<'_>,
        events: &mut Vec<TrackerEvent>,
    ) {
        let key = format!("op|{}|{}", canonical_id(op_id), op.status);
        if !self.first_time(call_id, key) {
            events.push(TrackerEvent::Duplicate(DuplicateEvent {
                call_id: call_id.to_owned(),
                of: "operation",
                operation_id: Some(op_id.to_owned()),
                status: Some(op.status.to_owned()),
                sequence_id: None,
                index,
            }));
            return;
        }
        let Some(at) = self.find_operation(call_id, op_id, op) else {
            let reason = if known_call { "unknownOperation" } else { "otherCall" };
            events.push(unmatched(reason, index, call_id, Some(op_id), item));
            return;
        };
        let tracked = &mut self.state.operations[at];
        if tracked.operation_id.is_none() {
            // The entity's own `id` (the docs write the URL's copy in another style).
            tracked.operation_id = Some(op.id.unwrap_or(op_id).to_owned());
        }
        events.extend(advance(tracked, op));
    }

    /// By operation id; else the first sent operation of this call, action and clientContext
    /// that has no id yet (the bot did not pass the response to `sent`) and that Graph did not
    /// refuse. A notification older than what is known (`running` after `completed`) matches
    /// but changes nothing and makes no event.
    fn find_operation(&self, call_id: &str, op_id: &str, op: &OperationNote<'_>) -> Option<usize> {
        let ops = &self.state.operations;
        let on_call = |t: &TrackedOperation| same_id(&t.call_id, call_id);
        if let Some(at) =
            ops.iter().position(|t| on_call(t) && t.operation_id.as_deref().is_some_and(|id| same_id(id, op_id)))
        {
            return Some(at);
        }
        let context = op.client_context;
        ops.iter().position(|t| {
            on_call(t)
                && t.operation_id.is_none()
                && t.http_status.is_none()
                && op.kind.is_none_or(|kind| kind == t.operation)
                && t.client_context.as_deref() == context
        })
    }

    fn tone(&mut self, index: usize, call_id: &str, sequence_id: i64, tone: &str, events: &mut Vec<TrackerEvent>) {
        let call = self.call_mut(call_id);
        let Err(at) = call.tones.binary_search(&sequence_id) else {
            events.push(TrackerEvent::Duplicate(DuplicateEvent {
                call_id: call_id.to_owned(),
                of: "tone",
                operation_id: None,
                status: None,
                sequence_id: Some(sequence_id),
                index,
            }));
            return;
        };
        let highest = call.tones.last().copied();
        call.tones.insert(at, sequence_id);
        events.push(TrackerEvent::Tone(ToneEvent {
            call_id: call_id.to_owned(),
            tone: tone.to_owned(),
            key: Tone::from_wire(tone).dtmf(),
            sequence_id,
            gap: highest.map_or(0, |h| (sequence_id - h - 1).max(0)),
            late: highest.is_some_and(|h| sequence_id < h),
        }));
    }

    /// Records `key` as applied to the call; false when it already was.
    fn first_time(&mut self, call_id: &str, key: String) -> bool {
        let call = self.call_mut(call_id);
        match call.seen.binary_search(&key) {
            Ok(_) => false,
            Err(at) => {
                call.seen.insert(at, key);
                true
            }
        }
    }

    fn call_index(&self, call_id: &str) -> Option<usize> {
        self.state.calls.binary_search_by(|c| c.call_id.as_str().cmp(&canonical_id(call_id))).ok()
    }

    fn call_mut(&mut self, call_id: &str) -> &mut TrackedCall {
        let canonical = canonical_id(call_id);
        let at = match self.state.calls.binary_search_by(|c| c.call_id.cmp(&canonical)) {
            Ok(at) => at,
            Err(at) => {
                let call = TrackedCall { call_id: canonical, ended: false, tones: Vec::new(), seen: Vec::new() };
                self.state.calls.insert(at, call);
                at
            }
        };
        &mut self.state.calls[at]
    }
}

/// Moves `tracked` forward to what `op` says, when that is news; the event it makes.
fn advance(tracked: &mut TrackedOperation, op: &OperationNote<'_>) -> Option<TrackerEvent> {
    let outcome = op.result_code.map(|(code, subcode)| classify_result(code, subcode));
    let status = match op.status {
        "notStarted" => TrackedStatus::NotStarted,
        "running" => TrackedStatus::Running,
        "completed" => TrackedStatus::Completed,
        // The call ended under it: what the call's own `deleted` says too.
        "failed" if outcome == Some(ResultOutcome::CallEnded) => TrackedStatus::Orphaned,
        "failed" => TrackedStatus::Failed,
        _ => return None,
    };
    // Orphaned by the call's end first, told why by the operation later: the same final state
    // as the other order, without a second event.
    let explains = status == TrackedStatus::Orphaned && tracked.status == status && tracked.outcome.is_none();
    if status.rank() <= tracked.status.rank() && !explains {
        return None;
    }
    tracked.status = status;
    tracked.outcome = op.result_code.map(|(code, subcode)| classify_result(code, subcode).as_str().to_owned());
    tracked.result_info = op.result_info.clone();
    tracked.completion_reason = op.completion_reason.map(str::to_owned);
    tracked.recording_location = op.recording_location.map(str::to_owned);
    tracked.recording_access_token = op.recording_access_token.map(str::to_owned);
    let snapshot = tracked.clone();
    Some(match status {
        _ if explains => return None,
        TrackedStatus::Orphaned => TrackerEvent::Orphaned(snapshot),
        TrackedStatus::Completed => TrackerEvent::Completed(snapshot),
        TrackedStatus::Failed if snapshot.outcome.as_deref() == Some("canceled") => TrackerEvent::Canceled(snapshot),
        TrackedStatus::Failed => TrackerEvent::Failed(snapshot),
        _ => TrackerEvent::Started(snapshot),
    })
}

/// The batch index a JSON Pointer falls under (`/value/3/…` → 3).
fn item_of(path: &str) -> Option<usize> {
    let rest = path.strip_prefix("/value/")?;
    rest.split('/').next()?.parse().ok()
}

fn malformed(index: Option<usize>, resource_url: Option<String>, issues: Vec<Issue>) -> TrackerEvent {
    TrackerEvent::Unmatched(UnmatchedEvent {
        reason: "malformed",
        call_id: None,
        operation_id: None,
        resource_url,
        index,
        issues,
    })
}

fn unmatched(
    reason: &'static str,
    index: usize,
    call_id: &str,
    op_id: Option<&str>,
    item: &Notification<'_>,
) -> TrackerEvent {
    TrackerEvent::Unmatched(UnmatchedEvent {
        reason,
        call_id: Some(call_id.to_owned()),
        operation_id: op_id.map(str::to_owned),
        resource_url: Some(item.resource_url.to_owned()),
        index: Some(index),
        issues: Vec::new(),
    })
}
