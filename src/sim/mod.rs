//! A deterministic, sans-IO simulator of one call's IVR media-operation queue.
//!
//! In the manner of quinn-proto: requests and caller actions go in, the virtual clock moves
//! only when told (`advance`), responses come back at once and notifications are polled.
//! Nothing reads a clock or the OS: ids come from a ChaCha generator seeded by `seed`, so the
//! same seed and the same inputs give byte-identical outputs.
//!
//! Queue semantics (CONTRACT.md §7): playPrompt and recordResponse share one FIFO queue; the
//! head runs; `cancelMediaProcessing` fails the running and every queued operation (400/8508)
//! and answers `completed` at once; `subscribeToTone` is outside the queue and never canceled.
//! What no source documents is in [`inferred`].

mod config;
mod date;
mod event;
mod graph;
mod http;
pub mod inferred;
mod journal;
mod lifecycle;
mod media_op;
mod output;
mod recording;
mod request_id;
mod scenario;
mod snapshot;

use std::collections::VecDeque;

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::contract::{Action, MediaRequest};
use crate::error::Error;
use crate::model::ids::{guid_from_bytes, same_id};
use crate::model::{CommsNotifications, OperationKind, Tone};
use crate::validate::{check_request, validate_request, Mode, ParsedRequest};

pub use config::{time_after, whole_number, Faults, GraphConfig, IncomingCall, Profile, SimConfig, MAX_SAFE_INTEGER};
pub use event::{CallEvent, EventKind};
pub use graph::{GraphSim, Submitted, MAX_RECORDED_REQUESTS};
pub use http::{Body, HttpAnswer, HttpRequest, Routed};
pub use journal::{redacted, Answer, EntryKind, Journal, JournalEntry, Sent, JOURNAL_CAPACITY};
pub use lifecycle::{CallStatus, Direction};
pub use media_op::{MediaOp, Outcome, Phase, RecordSettings, Timer};
pub use recording::Recording;
pub use scenario::{CallOrigin, CallerAction, Scenario, ScenarioCall, ScriptedRequest, Step, Timed, TimedStep, When};
pub use snapshot::{FaultView, Snapshot};

/// An HTTP response as Graph would send it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Map<String, Value>,
    /// `""` when there is no body.
    pub body: String,
}

/// One commsNotifications POST to the bot, at virtual time `at`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    pub at: u64,
    /// The call it is about (lowercase hyphenated for GUIDs).
    pub call_id: String,
    /// The call's `callbackUri`: where Graph POSTs it.
    pub url: String,
    /// The headers of a live callback POST.
    pub headers: Map<String, Value>,
    /// The exact JSON text Graph would POST.
    pub body: String,
    pub value: CommsNotifications,
}

/// The running operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Running {
    pub op: MediaOp,
    pub phase: Phase,
    pub started: u64,
}

pub struct Simulator {
    config: SimConfig,
    rng: ChaCha8Rng,
    now: u64,
    call_id: String,
    status: CallStatus,
    direction: Direction,
    callback_uri: String,
    /// When the call ended (its recordings expire some minutes later).
    ended_at: Option<u64>,
    recordings: Vec<Recording>,
    speaking: bool,
    running: Option<Running>,
    queue: VecDeque<MediaOp>,
    /// The id of the subscribeToTone operation, once subscribed.
    tone_subscription: Option<String>,
    /// Counts every key press of the call, subscribed or not (REALWORLD.md).
    tone_sequence: i64,
    etag: u64,
    outbox: VecDeque<Delivery>,
    /// The `request-id` of each answer `fetch` and `handle` give.
    request_ids: request_id::RequestIds,
    /// What a scenario's caller may react to, since last drained; kept only when a script
    /// listens (`listen`), so that a call nobody scripts does not gather them.
    events: Option<Vec<CallEvent>>,
    /// The last successful `keepAlive` (or the call's start): with `keep_alive_ms`, the call
    /// ends that long after it.
    alive_since: u64,
}

impl Simulator {
    pub fn new(config: SimConfig) -> Simulator {
        let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
        let call_id = match &config.call_id {
            Some(id) => id.clone(),
            None => next_guid(&mut rng),
        };
        let etag = 10_000 + rng.next_u64() % 90_000;
        let request_ids = request_id::RequestIds::new(config.seed);
        Simulator {
            now: config.start_ms,
            alive_since: config.start_ms,
            callback_uri: config.callback_uri.clone(),
            config,
            rng,
            call_id,
            status: CallStatus::Established,
            direction: Direction::Incoming,
            ended_at: None,
            recordings: Vec::new(),
            speaking: false,
            running: None,
            queue: VecDeque::new(),
            tone_subscription: None,
            tone_sequence: 0,
            etag,
            outbox: VecDeque::new(),
            request_ids,
            events: None,
        }
    }

    /// Virtual milliseconds (since the call was established, or on its `GraphSimulator`'s clock).
    pub fn now(&self) -> u64 {
        self.now
    }

    pub fn call_id(&self) -> &str {
        &self.call_id
    }

    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    /// When `advance` will next have something to do: `now` while notifications are waiting
    /// to be taken (so a driver loop built on it never misses what `handle` caused), else the
    /// earliest armed timer, if any.
    pub fn next_timeout(&self) -> Option<u64> {
        if !self.outbox.is_empty() {
            return Some(self.now);
        }
        self.next_timer()
    }

    /// The earliest armed timer: the call's own (answer timeout, establishing) or the running
    /// operation's.
    pub fn next_timer(&self) -> Option<u64> {
        let op = self.running.as_ref().and_then(|r| r.phase.timers().first().map(|(at, _)| *at));
        [self.status.timer(), op, self.inactive_at()].into_iter().flatten().min()
    }

    /// When the call ends for want of a `keepAlive`, if it is enforced and the call is up.
    pub fn inactive_at(&self) -> Option<u64> {
        let limit = self.config.keep_alive_ms?;
        match self.status {
            CallStatus::Establishing { .. } | CallStatus::Established => Some(self.alive_since + limit),
            CallStatus::Incoming { .. } | CallStatus::Terminated => None,
        }
    }

    /// Keeps the call's events from now on, for `drain_events` (a scenario's scripted caller).
    pub fn listen(&mut self) {
        self.events.get_or_insert_with(Vec::new);
    }

    /// What the caller may react to since the last call, oldest first (none unless listened to).
    pub fn drain_events(&mut self) -> Vec<CallEvent> {
        self.events.as_mut().map(std::mem::take).unwrap_or_default()
    }

    pub(super) fn event(&mut self, at: u64, kind: EventKind, uri: Option<String>) {
        if let Some(events) = &mut self.events {
            events.push(CallEvent { at, kind, uri });
        }
    }

    /// Every notification produced so far.
    pub fn drain_deliveries(&mut self) -> Vec<Delivery> {
        self.outbox.drain(..).collect()
    }

    /// Moves the clock forward by `ms`, firing every timer due on the way, in order.
    pub fn advance(&mut self, ms: u64) -> Result<(), Error> {
        let target = time_after(self.now, ms)?;
        self.advance_to(target);
        Ok(())
    }

    /// Moves the clock to `target` (not before now), firing every timer due on the way.
    pub fn advance_to(&mut self, target: u64) {
        while let Some(at) = self.next_timer().filter(|at| *at <= target) {
            self.now = at.max(self.now);
            if self.status.timer() == Some(at) {
                self.fire_lifecycle_timer();
            } else if self.inactive_at() == Some(at) {
                // The keepAlive page: "considered inactive and will subsequently end".
                self.terminate(Some(inferred::inactive()));
            } else {
                self.fire_due_timer();
            }
        }
        self.now = target.max(self.now);
    }

    /// Handles a request as JS handed it over (`handle()`), read as `validateRequest` reads
    /// one: a part of the wrong type is a `400 BadRequest` like any other fault.
    pub fn handle_input(&mut self, request: &crate::input::Input) -> HttpResponse {
        let client_request_id = input_header(request, "client-request-id");
        let mut response = self.handle_report(validate_request(request, Mode::Strict));
        self.stamp(&mut response, client_request_id.as_deref());
        response
    }

    /// Handles one media-action request to the call, as Graph answers it.
    pub fn handle(&mut self, request: &HttpRequest) -> HttpResponse {
        let mut response = self.media_action(request);
        self.stamp(&mut response, request.header("client-request-id"));
        response
    }

    /// A media-action request read as `validateRequest` reads it, answered without the ids
    /// (the one who answers for Graph writes them).
    pub(super) fn media_action(&mut self, request: &HttpRequest) -> HttpResponse {
        self.handle_report(check_request(request, Mode::Strict))
    }

    /// Writes Graph's `request-id` and `client-request-id` into an answer.
    pub(super) fn stamp(&mut self, response: &mut HttpResponse, client_request_id: Option<&str>) {
        let HttpResponse { status, headers, body } = response;
        self.request_ids.stamp(*status, headers, body, client_request_id, self.now);
    }

    /// The typed request handled, or a `400 BadRequest` naming the request's first error.
    fn handle_report(&mut self, report: crate::validate::Report<ParsedRequest>) -> HttpResponse {
        match (report.valid, report.value) {
            (true, Some(parsed)) => self.handle_parsed(&parsed),
            (_, _) => {
                let first = report.issues.iter().find(|i| i.severity == crate::validate::Severity::Error);
                let message = first.map_or_else(
                    || "The request could not be read.".to_owned(),
                    |i| {
                        if i.path.is_empty() {
                            i.message.clone()
                        } else {
                            format!("{} (at {})", i.message, i.path)
                        }
                    },
                );
                output::error_response(400, "BadRequest", &message)
            }
        }
    }

    /// Handles one typed request, sent to `origin` (`https://graph.microsoft.com`).
    pub fn handle_parsed(&mut self, parsed: &ParsedRequest) -> HttpResponse {
        let request = &parsed.request;
        let call_id = request.call_id().as_str();
        if !same_id(call_id, &self.call_id) {
            return output::error_response(404, "ItemNotFound", &format!("Call {call_id} was not found."));
        }
        match self.status {
            CallStatus::Terminated => {
                return output::error_response(404, "ItemNotFound", &format!("Call {call_id} has ended."));
            }
            CallStatus::Incoming { .. } | CallStatus::Establishing { .. } => {
                // inferred: media operations need an established call.
                return output::error_response(
                    400,
                    "BadRequest",
                    &format!("Call {call_id} is {}; media operations need an established call.", self.status.name()),
                );
            }
            CallStatus::Established => {}
        }
        match request.action() {
            Action::CancelMediaProcessing(_) => self.cancel(request, &parsed.origin),
            Action::SubscribeToTone(_) => self.subscribe(request, &parsed.origin),
            Action::PlayPrompt(_) | Action::RecordResponse(_) => self.enqueue(request, &parsed.origin),
        }
    }

    /// The caller presses a DTMF key: `0`–`9`, `*`, `#`, `A`–`D`.
    pub fn press_tone(&mut self, key: &str) -> Result<(), Error> {
        let mut chars = key.chars();
        let tone = match (chars.next(), chars.next()) {
            (Some(c), None) => Tone::from_dtmf(c),
            _ => None,
        }
        .ok_or_else(|| Error::invalid_argument("", format!("a tone is one DTMF key of 0-9 * # A-D, got {key:?}")))?;
        self.ensure_live("press a tone")?;
        self.tone_sequence += 1;
        if self.tone_subscription.is_some() {
            let delivery = self.tone_notification(self.tone_sequence, &tone);
            self.outbox.push_back(delivery);
        }
        let key = tone.dtmf().unwrap_or_default();
        let stops = match &self.running {
            Some(Running { op, phase, .. }) => {
                let recording = matches!(phase, Phase::Recording { .. });
                // inferred: stop tones count only once recording has started.
                recording && op.record.as_ref().is_some_and(|r| r.stop_tones.iter().any(|t| t.key() == key))
            }
            None => false,
        };
        if stops {
            self.finish_running(inferred::stop_tone_detected());
        }
        Ok(())
    }

    /// The caller starts talking (no-op when already talking).
    pub fn start_speaking(&mut self) -> Result<(), Error> {
        self.ensure_live("speak")?;
        self.speaking = true;
        if let Some(Running {
            phase: Phase::Recording { initial_silence_deadline, max_silence_deadline, heard_speech, .. },
            ..
        }) = &mut self.running
        {
            *heard_speech = true;
            *initial_silence_deadline = None;
            *max_silence_deadline = None;
        }
        Ok(())
    }

    /// The caller falls silent (no-op when already silent): the max-silence timer starts.
    pub fn stop_speaking(&mut self) -> Result<(), Error> {
        self.ensure_live("stop speaking")?;
        let was_speaking = std::mem::replace(&mut self.speaking, false);
        let now = self.now;
        if let Some(Running { op, phase: Phase::Recording { max_silence_deadline, heard_speech: true, .. }, .. }) =
            &mut self.running
        {
            if was_speaking {
                let max_silence = op.record.as_ref().map_or(0, |r| r.max_silence_ms);
                *max_silence_deadline = Some(now + max_silence);
            }
        }
        Ok(())
    }

    /// The caller hangs up: outstanding operations end (see [`inferred`]), then the call is
    /// deleted with state `terminated`.
    pub fn hang_up(&mut self) -> Result<(), Error> {
        if self.status == CallStatus::Terminated {
            return Err(Error::invalid_state("cannot hang up: the call has ended"));
        }
        self.terminate(Some(inferred::conversation_ended()));
        Ok(())
    }

    fn ensure_live(&self, what: &str) -> Result<(), Error> {
        match self.status {
            CallStatus::Terminated => Err(Error::invalid_state(format!("cannot {what}: the call has ended"))),
            CallStatus::Established => Ok(()),
            other => Err(Error::invalid_state(format!("cannot {what}: the call is {}, not established", other.name()))),
        }
    }

    pub(super) fn new_id(&mut self) -> String {
        next_guid(&mut self.rng)
    }

    fn cancel(&mut self, request: &MediaRequest, origin: &str) -> HttpResponse {
        let id = self.new_id();
        if let Some(running) = self.running.take() {
            let delivery = self.operation_notification(&running.op, &Outcome::canceled(running.op.kind));
            self.outbox.push_back(delivery);
            self.event(self.now, EventKind::ended(running.op.kind), None);
        }
        while let Some(op) = self.queue.pop_front() {
            let delivery = self.operation_notification(&op, &Outcome::canceled(op.kind));
            self.outbox.push_back(delivery);
        }
        self.operation_response(OperationKind::CancelMediaProcessing, &id, client_context(request), origin)
    }

    fn subscribe(&mut self, request: &MediaRequest, origin: &str) -> HttpResponse {
        let id = self.new_id();
        self.tone_subscription = Some(id.clone());
        self.operation_response(OperationKind::SubscribeToTone, &id, client_context(request), origin)
    }

    fn enqueue(&mut self, request: &MediaRequest, origin: &str) -> HttpResponse {
        let id = self.new_id();
        let action = request.action();
        let prompts = action.prompts().to_vec();
        let prompt_ms = prompts
            .iter()
            .map(|p| {
                self.config.prompt_durations_ms.get(p.uri.as_str()).copied().unwrap_or(self.config.default_prompt_ms)
            })
            .collect();
        let (record, looping) = match action {
            Action::RecordResponse(record) => (Some(RecordSettings::from_request(record)), false),
            Action::PlayPrompt(play) => (None, play.r#loop.unwrap_or(false)),
            Action::CancelMediaProcessing(_) | Action::SubscribeToTone(_) => (None, false),
        };
        let op = MediaOp {
            id: id.clone(),
            kind: request.kind(),
            client_context: client_context(request).map(str::to_owned),
            prompts,
            prompt_ms,
            looping,
            record,
        };
        let barge_in = op.record.as_ref().is_some_and(|r| r.barge_in);
        if barge_in {
            // inferred: barge-in cancels the running operation and starts at once.
            if let Some(running) = self.running.take() {
                let delivery = self.operation_notification(&running.op, &Outcome::canceled(running.op.kind));
                self.outbox.push_back(delivery);
            }
            self.queue.push_front(op);
        } else {
            self.queue.push_back(op);
        }
        if self.running.is_none() {
            self.start_next();
        }
        self.operation_response(request.kind(), &id, client_context(request), origin)
    }

    /// Starts the head of the queue, if any.
    /// Starts the head of the queue; an operation whose prompt cannot be fetched (see
    /// `failingPrompts`) fails at once and the next one starts, in a loop (no recursion).
    fn start_next(&mut self) {
        while let Some(op) = self.queue.pop_front() {
            if op.prompt_uris().any(|uri| self.config.failing_prompts.contains(uri)) {
                let outcome = inferred::prompt_failed(op.kind);
                let delivery = self.operation_notification(&op, &outcome);
                self.outbox.push_back(delivery);
                continue;
            }
            self.start(op);
            return;
        }
    }

    fn start(&mut self, op: MediaOp) {
        let now = self.now;
        let prompt_total: u64 = op.prompt_ms.iter().sum();
        let phase = match &op.record {
            None => Phase::Playing { started: now, ends: (!op.looping).then_some(now + prompt_total) },
            Some(_) if prompt_total > 0 => Phase::Prompt { started: now, ends: now + prompt_total },
            Some(settings) => self.after_prompt(settings),
        };
        self.phase_events(&op, &phase);
        self.running = Some(Running { op, phase, started: now });
    }

    /// The events of entering `phase`: each prompt as it starts, the beep, recording.
    fn phase_events(&mut self, op: &MediaOp, phase: &Phase) {
        match phase {
            Phase::Playing { started, .. } | Phase::Prompt { started, .. } => {
                let mut at = *started;
                for (prompt, ms) in op.prompts.iter().zip(&op.prompt_ms) {
                    self.event(at, EventKind::Prompt, Some(prompt.uri.as_str().to_owned()));
                    at += ms;
                }
            }
            Phase::Beep { started, .. } => self.event(*started, EventKind::Beep, None),
            Phase::Recording { started, .. } => self.event(*started, EventKind::Recording, None),
        }
    }

    fn after_prompt(&self, settings: &RecordSettings) -> Phase {
        if settings.play_beep {
            Phase::Beep { started: self.now, ends: self.now + inferred::BEEP_MS }
        } else {
            self.recording(settings)
        }
    }

    fn recording(&self, settings: &RecordSettings) -> Phase {
        let now = self.now;
        Phase::Recording {
            started: now,
            initial_silence_deadline: (!self.speaking).then_some(now + settings.initial_silence_ms),
            max_silence_deadline: None,
            max_duration_deadline: now + settings.max_duration_ms,
            heard_speech: self.speaking,
        }
    }

    /// Fires the earliest timer of the running operation (its time is `self.now`).
    fn fire_due_timer(&mut self) {
        let Some(running) = &self.running else { return };
        let Some(&(_, timer)) = running.phase.timers().first() else { return };
        let settings = running.op.record.clone();
        match (timer, settings) {
            (Timer::PlayEnd, _) => self.finish_running(Outcome::played()),
            (Timer::PromptEnd, Some(settings)) => self.set_phase(self.after_prompt(&settings)),
            (Timer::BeepEnd, Some(settings)) => self.set_phase(self.recording(&settings)),
            (Timer::InitialSilence, _) => self.finish_running(inferred::initial_silence_timed_out()),
            (Timer::MaxSilence, _) => self.finish_running(inferred::max_silence_reached()),
            (Timer::MaxDuration, _) => self.finish_running(Outcome::max_duration_reached()),
            // A record phase timer on an operation without record settings cannot arise; end
            // the operation rather than spin.
            (Timer::PromptEnd | Timer::BeepEnd, None) => {
                self.finish_running(Outcome::canceled(OperationKind::PlayPrompt))
            }
        }
    }

    fn set_phase(&mut self, phase: Phase) {
        let Some(mut running) = self.running.take() else { return };
        self.phase_events(&running.op, &phase);
        running.phase = phase;
        self.running = Some(running);
    }

    /// Ends the running operation with `outcome`, notifies, and starts the next one.
    fn finish_running(&mut self, outcome: Outcome) {
        if let Some(running) = self.running.take() {
            let recorded_ms = match running.phase {
                Phase::Recording { started, .. } if outcome.has_recording => self.now.saturating_sub(started),
                _ => 0,
            };
            let delivery = self.operation_notification_recorded(&running.op, &outcome, recorded_ms);
            self.outbox.push_back(delivery);
            self.event(self.now, EventKind::ended(running.op.kind), None);
        }
        self.start_next();
    }
}

fn next_guid(rng: &mut ChaCha8Rng) -> String {
    let mut bytes = [0u8; 16];
    rng.fill_bytes(&mut bytes);
    guid_from_bytes(bytes)
}

/// A header of a request object as JS handed it over (`{headers: {…}}`), any casing.
fn input_header(request: &crate::input::Input, name: &str) -> Option<String> {
    let crate::input::Input::Object(members) = request else { return None };
    let (_, crate::input::Input::Object(headers)) = members.iter().find(|(k, _)| k == "headers")? else { return None };
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).and_then(|(_, v)| match v {
        crate::input::Input::String(s) => Some(s.clone()),
        _ => None,
    })
}

fn client_context(request: &MediaRequest) -> Option<&str> {
    request.action().client_context().map(|c| c.as_str())
}
