//! A simulated Graph cloud-communications service: many calls on one virtual clock, each with
//! its own media queue, tone subscription and caller, deterministic per seed. Sans-IO like the
//! one-call [`Simulator`] it is made of: HTTP requests, caller actions and time go in; answers
//! come back at once (or, with `faults.latencyMs`, are polled when due) and deliveries (with the
//! faults asked for) are polled. What is due later (a scenario's rings and steps, requests held
//! by latency) waits on one agenda; what was done is kept, so that `scenario()` can write it.

use std::collections::VecDeque;

use serde_json::{Map, Value};

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

use crate::error::Error;
use crate::model::ids::same_id;

use super::config::{callback_uri, time_after, GraphConfig, IncomingCall, MAX_SAFE_INTEGER};
use super::http::{not_simulated, target, Body, HttpAnswer, HttpRequest, Route, Routed};
use super::inferred::DEFAULT_RETRY_AFTER_SECONDS;
use super::lifecycle::Direction;
use super::output::error_response;
use super::request_id::RequestIds;
use super::scenario::{
    CallOrigin, CallerAction, Scenario, ScenarioCall, ScriptedRequest, Step, Timed, TimedStep, When,
};
use super::{next_guid, Delivery, FaultView, HttpResponse, Simulator, Snapshot};

pub struct GraphSim {
    config: GraphConfig,
    rng: ChaCha8Rng,
    now: u64,
    calls: Vec<Simulator>,
    /// Deliveries in the order their causes happened, before faults.
    outbox: VecDeque<Delivery>,
    /// POSTs handed out so far (the duplicate fault counts them).
    posts: u64,
    /// Which POST of every N is duplicated, drawn from the seed.
    duplicate_phase: u64,
    /// The draws of the request faults: a stream of its own, so that turning a fault on
    /// changes nothing else a seed gives.
    fault_rng: ChaCha8Rng,
    /// Until when (virtual ms) requests are throttled.
    throttled_until: u64,
    /// Deliveries held back by `faults.deliveryDelayMs`, each with its due time, in the order
    /// they were caused.
    delayed: Vec<Delivery>,
    /// The `request-id` of each answer.
    request_ids: RequestIds,
    /// What is due at a later instant, in `(at, seq)` order.
    agenda: Vec<Agendum>,
    next_seq: u64,
    /// Answers of requests `faults.latencyMs` held, by ticket, once given.
    answers: Vec<(u64, Routed)>,
    /// The bot's waits (`sleep`) that have ended, by ticket.
    woken: Vec<u64>,
    next_ticket: u64,
    /// The callers' scripts of a scenario.
    scripts: Vec<Script>,
    /// Scripts of the scenario's outbound calls, waiting for the bot to place them.
    outbound: VecDeque<usize>,
    /// The options as given, and what was done since: what `scenario()` writes.
    options: Map<String, Value>,
    done_calls: Vec<CallOrigin>,
    done_steps: Vec<TimedStep>,
    /// What the faults did, by call id (the calls' snapshots show it).
    fault_notes: Vec<(String, FaultView)>,
}

/// Something due at `at`; `seq` keeps the order things were scheduled in at one instant.
struct Agendum {
    at: u64,
    seq: u64,
    due: Due,
}

enum Due {
    Ring {
        call: IncomingCall,
        script: Option<usize>,
    },
    /// The caller of `calls[call]` acts (a script's step, when `script` says which).
    Caller {
        call: usize,
        action: CallerAction,
        script: Option<usize>,
    },
    /// The caller of the scenario's `calls[call]` acts.
    Named {
        call: usize,
        action: CallerAction,
    },
    /// A request of the scenario, sent as the bot sent it.
    Scripted(ScriptedRequest),
    /// A request `faults.latencyMs` held: answered now (its answer kept under `ticket`).
    Held {
        request: HttpRequest,
        ticket: Option<u64>,
    },
    /// A bot's own wait (`graph.sleep`) ends.
    Wake {
        ticket: u64,
    },
}

impl Due {
    /// A step the scenario set (not the service, not a caller's script).
    fn is_scenario_step(&self) -> bool {
        match self {
            Due::Ring { .. } | Due::Named { .. } | Due::Scripted(_) => true,
            Due::Caller { .. } | Due::Held { .. } | Due::Wake { .. } => false,
        }
    }
}

/// A caller's steps, run in order: the step at `next` waits from `armed_at` on.
struct Script {
    call: Option<usize>,
    steps: Vec<Step>,
    next: usize,
    armed_at: u64,
    /// The current step is on the agenda already.
    scheduled: bool,
}

/// What became of a request given to `submit`.
#[derive(Debug, Clone, PartialEq)]
pub enum Submitted {
    Answered(Routed),
    /// Held by `faults.latencyMs`: its answer comes from `take_answers` under this ticket once
    /// the clock reaches `at`.
    Later {
        ticket: u64,
        at: u64,
    },
}

impl GraphSim {
    pub fn new(config: GraphConfig) -> GraphSim {
        let mut rng = ChaCha8Rng::seed_from_u64(config.call.seed ^ 0x6772_6170_685f_7369);
        let duplicate_phase = match config.faults.duplicate {
            0 => 0,
            n => rng.next_u64() % n,
        };
        let fault_rng = ChaCha8Rng::seed_from_u64(config.call.seed ^ 0x6661_756c_7473_2121);
        let request_ids = RequestIds::new(config.call.seed);
        GraphSim {
            config,
            rng,
            now: 0,
            calls: Vec::new(),
            outbox: VecDeque::new(),
            posts: 0,
            duplicate_phase,
            fault_rng,
            throttled_until: 0,
            delayed: Vec::new(),
            request_ids,
            agenda: Vec::new(),
            next_seq: 0,
            answers: Vec::new(),
            woken: Vec::new(),
            next_ticket: 0,
            scripts: Vec::new(),
            outbound: VecDeque::new(),
            options: Map::new(),
            done_calls: Vec::new(),
            done_steps: Vec::new(),
            fault_notes: Vec::new(),
        }
    }

    /// A simulator set up and scripted by `scenario`; what is due at once has happened.
    pub fn from_scenario(scenario: Scenario) -> GraphSim {
        let Scenario { options, config, calls, steps, duration_ms: _ } = scenario;
        let mut graph = GraphSim::new(config);
        graph.options = options;
        let rung: Vec<usize> =
            steps.iter().filter_map(|s| if let Timed::Ring { call } = s.what { Some(call) } else { None }).collect();
        let mut incoming = Vec::new();
        for (index, ScenarioCall { origin, steps }) in calls.into_iter().enumerate() {
            graph.scripts.push(Script { call: None, steps, next: 0, armed_at: 0, scheduled: false });
            match origin {
                CallOrigin::Incoming { at, call } => {
                    // At one instant, a call rings before the steps (which may act on it),
                    // unless a ring step says exactly when.
                    if !rung.contains(&index) {
                        graph.schedule(at, Due::Ring { call: call.clone(), script: Some(index) });
                    }
                    incoming.push((index, call));
                }
                CallOrigin::Outbound => graph.outbound.push_back(index),
            }
        }
        for TimedStep { at, what } in steps {
            let due = match what {
                Timed::Ring { call } => match incoming.iter().find(|(index, _)| *index == call) {
                    Some((_, ring)) => Due::Ring { call: ring.clone(), script: Some(call) },
                    None => continue,
                },
                Timed::Caller { call, action } => Due::Named { call, action },
                Timed::Request(request) => Due::Scripted(request),
            };
            graph.schedule(at, due);
        }
        graph.move_all(0);
        graph
    }

    /// What was done so far as a scenario: the options as given, the calls and, in order, what
    /// their callers did and (with `requests`) what the bot sent. Replayed by `from_scenario`,
    /// it gives the same notifications, byte for byte.
    pub fn scenario(&self, requests: bool) -> Value {
        let mut options = self.options.clone();
        // Written out, so that an emulator (which serves recordings itself) writes the same
        // recording locations.
        options.insert("recordingsUrl".into(), self.config.call.recordings_url.clone().into());
        let calls = self.done_calls.iter().map(|origin| ScenarioCall { origin: origin.clone(), steps: Vec::new() });
        let steps = self.done_steps.iter().filter(|s| requests || !matches!(s.what, Timed::Request(_)));
        Scenario {
            options,
            config: self.config.clone(),
            calls: calls.collect(),
            steps: steps.cloned().collect(),
            duration_ms: Some(self.now),
        }
        .to_json()
    }

    /// Puts `due` on the agenda at `at`, after what is there for that instant. What the
    /// service itself set for an instant (an answer held, a script's step) comes before the
    /// scenario's steps of that instant: a driver acts once time has moved there.
    fn schedule(&mut self, at: u64, due: Due) {
        let seq = self.next_seq;
        self.next_seq += 1;
        let key = |a: &Agendum| (a.at, a.due.is_scenario_step(), a.seq);
        let new = Agendum { at, seq, due };
        let place = self.agenda.partition_point(|a| key(a) < key(&new));
        self.agenda.insert(place, new);
    }

    /// Runs what is due on the agenda now, including what that schedules for now.
    fn run_agenda(&mut self) {
        while self.agenda.first().is_some_and(|a| a.at <= self.now) {
            let Agendum { due, .. } = self.agenda.remove(0);
            match due {
                Due::Ring { call, script } => {
                    // A ring the scenario reader accepted; a duplicate call id is skipped.
                    if let (Ok(index), Some(script)) = (self.incoming_call(&call), script) {
                        self.attach(script, index);
                    }
                }
                Due::Caller { call, action, script } => {
                    // The next step is armed first: it hears what this one causes (the stop
                    // tone that ends a record, for `{"on": "recorded"}`).
                    if let Some(script) = script {
                        self.advance_script(script);
                    }
                    // A caller's step on a call that has ended is skipped: the caller is gone.
                    let _ = self.act(call, &action);
                }
                Due::Named { call, action } => {
                    // The call at this place of the scenario's `calls`; one that has not begun
                    // has no caller to act yet: the step is skipped.
                    if let Some(index) = self.scripts.get(call).and_then(|s| s.call) {
                        let _ = self.act(index, &action);
                    }
                }
                Due::Scripted(ScriptedRequest { method, path, headers, body }) => {
                    let url = format!("{}{path}", self.config.call.origin);
                    let request = HttpRequest::new(method, url, headers, body);
                    let _ = self.submit(&request);
                }
                Due::Held { request, ticket } => {
                    let answer = self.answer(&request);
                    if let Some(ticket) = ticket {
                        self.answers.push((ticket, answer));
                    }
                }
                Due::Wake { ticket } => self.woken.push(ticket),
            }
        }
    }

    /// Gives script `script` its call and arms its first step.
    fn attach(&mut self, script: usize, call: usize) {
        let Some(s) = self.scripts.get_mut(script) else { return };
        s.call = Some(call);
        s.next = 0;
        self.arm(script);
    }

    /// The step after the one that ran.
    fn advance_script(&mut self, script: usize) {
        let Some(s) = self.scripts.get_mut(script) else { return };
        s.next += 1;
        self.arm(script);
    }

    /// Arms the current step of `script` now: an instant goes on the agenda; an event waits.
    fn arm(&mut self, script: usize) {
        let now = self.now;
        let Some(s) = self.scripts.get_mut(script) else { return };
        s.armed_at = now;
        s.scheduled = false;
        let (Some(call), Some(step)) = (s.call, s.steps.get(s.next)) else { return };
        if let When::At(at) = step.when {
            let action = step.action.clone();
            s.scheduled = true;
            let start = self.calls.get(call).map_or(now, |c| c.config().start_ms);
            self.schedule((start + at).max(now), Due::Caller { call, action, script: Some(script) });
        }
    }

    /// Schedules the steps that waited for an event of call `index` that just happened.
    fn on_events(&mut self, index: usize) {
        let events = match self.calls.get_mut(index) {
            Some(call) => call.drain_events(),
            None => return,
        };
        if events.is_empty() || self.scripts.is_empty() {
            return;
        }
        for script in 0..self.scripts.len() {
            let s = &self.scripts[script];
            if s.call != Some(index) || s.scheduled {
                continue;
            }
            let Some(Step { when: When::On { event, uri, after }, action }) = s.steps.get(s.next) else { continue };
            let heard = events.iter().find(|e| {
                e.kind == *event && e.at >= s.armed_at && uri.as_ref().is_none_or(|u| e.uri.as_ref() == Some(u))
            });
            if let Some(heard) = heard {
                let (at, action) = (heard.at + after, action.clone());
                self.scripts[script].scheduled = true;
                self.schedule(at, Due::Caller { call: index, action, script: Some(script) });
            }
        }
    }

    pub fn now(&self) -> u64 {
        self.now
    }

    pub fn config(&self) -> &GraphConfig {
        &self.config
    }

    /// `now` while deliveries wait to be taken; else the earliest timer of any call.
    pub fn next_timeout(&self) -> Option<u64> {
        if !self.outbox.is_empty() {
            return Some(self.now);
        }
        self.next_timer()
    }

    /// The earliest armed timer of any call, delayed delivery or agenda entry.
    pub fn next_timer(&self) -> Option<u64> {
        let delivery = self.delayed.iter().map(|d| d.at).min();
        let agenda = self.agenda.first().map(|a| a.at);
        self.calls.iter().filter_map(Simulator::next_timer).chain(delivery).chain(agenda).min()
    }

    pub fn calls(&self) -> &[Simulator] {
        &self.calls
    }

    /// The index of the call `id` (GUIDs compared canonically).
    pub fn find(&self, id: &str) -> Option<usize> {
        self.calls.iter().position(|c| same_id(c.call_id(), id))
    }

    /// A new call's setup: the shared template, its own seed, id and callback.
    fn new_call(&mut self, call_id: Option<String>, callback: String) -> Result<Simulator, Error> {
        if let Some(id) = &call_id {
            if self.find(id).is_some() {
                return Err(Error::invalid_argument("/callId", format!("a call {id:?} already exists")));
            }
        }
        let mut config = self.config.call.clone();
        config.seed = self.rng.next_u64() & MAX_SAFE_INTEGER;
        config.call_id = Some(call_id.unwrap_or_else(|| next_guid(&mut self.rng)));
        config.callback_uri = callback;
        config.start_ms = self.now;
        Ok(Simulator::new(config))
    }

    /// A caller rings the bot: the `created` notification of an incoming call is queued.
    pub fn incoming_call(&mut self, incoming: &IncomingCall) -> Result<usize, Error> {
        let IncomingCall { callback_uri: callback, call_id, from } = incoming;
        let callback = callback_uri(&crate::input::Input::String(callback.clone()), "/callbackUri")?;
        if let Some(id) = call_id {
            crate::contract::rules::check_call_id(id).map_err(|why| Error::invalid_argument("/callId", why))?;
        }
        let mut call = self.new_call(call_id.clone(), callback)?;
        call.ring(from.as_deref());
        self.calls.push(call);
        let index = self.calls.len() - 1;
        self.done_calls.push(CallOrigin::Incoming { at: 0, call: incoming.clone() });
        self.done_steps.push(TimedStep { at: self.now, what: Timed::Ring { call: index } });
        self.collect(index);
        Ok(index)
    }

    /// The caller of call `index` acts; what it caused is collected.
    pub fn act(&mut self, index: usize, action: &CallerAction) -> Result<(), Error> {
        let call = self.calls.get_mut(index).ok_or_else(|| Error::invalid_state("no such call"))?;
        let done = match action {
            CallerAction::PressTone(tone) => call.press_tone(tone),
            CallerAction::StartSpeaking => call.start_speaking(),
            CallerAction::StopSpeaking => call.stop_speaking(),
            CallerAction::HangUp => call.hang_up(),
        };
        if done.is_ok() {
            let step = TimedStep { at: self.now, what: Timed::Caller { call: index, action: action.clone() } };
            self.done_steps.push(step);
        }
        self.collect(index);
        done
    }

    fn collect(&mut self, index: usize) {
        self.on_events(index);
        let Some(call) = self.calls.get_mut(index) else { return };
        let deliveries = call.drain_deliveries();
        // Lost as they are caused (not as they are taken), so that how often a driver polls
        // changes nothing a seed gives.
        let drop_rate = self.config.faults.drop_notifications;
        let mut kept = Vec::with_capacity(deliveries.len());
        for delivery in deliveries {
            let lost = (self.config.faults.drop_terminated && ends_call(&delivery))
                || (drop_rate > 0.0 && self.draw() < drop_rate);
            if lost {
                self.note(&delivery.call_id.clone(), delivery.at, "dropped", said(&delivery));
            } else {
                kept.push(delivery);
            }
        }
        let mut deliveries = kept;
        if self.config.faults.batch {
            deliveries = batched(deliveries);
        }
        let Some((min, max)) = self.config.faults.delivery_delay_ms else {
            self.outbox.extend(deliveries);
            return;
        };
        let in_order = !self.config.call.out_of_order;
        for mut delivery in deliveries {
            let mut due = delivery.at + min + self.fault_rng.next_u64() % (max - min + 1);
            // A call's notifications keep their order: none is due before one caused earlier.
            if in_order {
                let last = self.delayed.iter().filter(|d| d.call_id == delivery.call_id).map(|d| d.at).max();
                due = due.max(last.unwrap_or(0));
            }
            if due > delivery.at {
                let detail = format!("{} comes {} ms late", said(&delivery), due - delivery.at);
                self.note(&delivery.call_id.clone(), delivery.at, "delayed", detail);
            }
            delivery.at = due;
            self.delayed.push(delivery);
        }
    }

    /// Moves the delayed deliveries that are due into the outbox. `next_timer` counts the held
    /// ones, so time stops at each one's instant; moving the clock and taking deliveries release
    /// what is due.
    fn release(&mut self) {
        let now = self.now;
        // No sort: the clock stops at every held delivery's instant (`next_timer`), so what is
        // due now is due exactly now, and stays in the order it was caused.
        let (due, waiting): (Vec<Delivery>, Vec<Delivery>) =
            std::mem::take(&mut self.delayed).into_iter().partition(|d| d.at <= now);
        self.delayed = waiting;
        self.outbox.extend(due);
    }

    /// Moves every call's clock by `ms`, timer by timer.
    pub fn advance(&mut self, ms: u64) -> Result<(), Error> {
        let target = time_after(self.now, ms)?;
        while self.step(target) {}
        Ok(())
    }

    /// Fires the next instant with a timer, if it is not after `target` (returns true); else
    /// moves every clock to `target` (returns false).
    pub fn step(&mut self, target: u64) -> bool {
        let at = match self.next_timer() {
            Some(at) if at <= target => at.max(self.now),
            _ => {
                self.move_all(target);
                return false;
            }
        };
        self.move_all(at);
        true
    }

    fn move_all(&mut self, at: u64) {
        self.now = at.max(self.now);
        for index in 0..self.calls.len() {
            self.calls[index].advance_to(self.now);
            self.collect(index);
        }
        self.run_agenda();
        self.release();
    }

    /// The snapshot of call `index`, with what the faults did to it.
    pub fn snapshot(&self, index: usize) -> Option<Snapshot> {
        let call = self.calls.get(index)?;
        let mut snapshot = call.snapshot();
        snapshot.faults =
            self.fault_notes.iter().filter(|(id, _)| same_id(id, call.call_id())).map(|(_, f)| f.clone()).collect();
        Some(snapshot)
    }

    fn note(&mut self, call_id: &str, at: u64, kind: &'static str, detail: String) {
        self.fault_notes.push((call_id.to_owned(), FaultView { at, kind, detail }));
    }

    /// The answers of held requests that are due, with their tickets, in the order given.
    pub fn take_answers(&mut self) -> Vec<(u64, Routed)> {
        std::mem::take(&mut self.answers)
    }

    /// A wait of the bot's own in virtual time (Retry-After, a keepAlive timer): its ticket
    /// comes out of `take_woken` once the clock reaches `at`, which counts as a timer.
    pub fn wake_at(&mut self, at: u64) -> u64 {
        let ticket = self.next_ticket;
        self.next_ticket += 1;
        self.schedule(at.max(self.now), Due::Wake { ticket });
        ticket
    }

    /// The waits that have ended, in order.
    pub fn take_woken(&mut self) -> Vec<u64> {
        std::mem::take(&mut self.woken)
    }

    /// Whether requests held by `faults.latencyMs` wait for the clock.
    pub fn holds_requests(&self) -> bool {
        self.agenda.iter().any(|a| matches!(a.due, Due::Held { ticket: Some(_), .. }))
    }

    /// What is due, as POSTs (as they were caused, `faults.dropNotifications` and
    /// `faults.dropTerminated` lost some — the calls' state moved on all the same, GET and
    /// keepAlive tell it — and `faults.batch` put what one cause made at one instant in one
    /// POST): with `faults.duplicate`, every Nth POST comes twice.
    pub fn take_deliveries(&mut self) -> Vec<Delivery> {
        self.release();
        let posts = std::mem::take(&mut self.outbox);
        let every = self.config.faults.duplicate;
        let mut out = Vec::with_capacity(posts.len());
        for post in posts {
            self.posts += 1;
            if every > 0 && self.posts % every == self.duplicate_phase {
                out.push(post.clone());
            }
            out.push(post);
        }
        out
    }

    /// One HTTP request to the service, answered now whatever `faults.latencyMs` says.
    pub fn http(&mut self, request: &HttpRequest) -> Routed {
        self.record(request);
        self.answer(request)
    }

    /// One HTTP request to the service (`GraphSimulator.fetch`): answered now, or held until
    /// `faults.latencyMs` has passed (what it causes starts then).
    pub fn submit(&mut self, request: &HttpRequest) -> Submitted {
        let is_graph = self.record(request);
        let Some((min, max)) = self.config.faults.latency_ms.filter(|_| is_graph) else {
            return Submitted::Answered(self.answer(request));
        };
        let at = self.now + min + self.fault_rng.next_u64() % (max - min + 1);
        if at == self.now {
            return Submitted::Answered(self.answer(request));
        }
        let ticket = self.next_ticket;
        self.next_ticket += 1;
        self.schedule(at, Due::Held { request: request.clone(), ticket: Some(ticket) });
        Submitted::Later { ticket, at }
    }

    /// Keeps a request to Graph's calls for `scenario()`; whether it is one.
    fn record(&mut self, request: &HttpRequest) -> bool {
        let origin = &self.config.call.origin;
        if !matches!(target(request, origin), Ok(Route::Calls { .. } | Route::Call { .. })) {
            return false;
        }
        let path = request.url.get(origin.len()..).unwrap_or_default();
        let scripted = ScriptedRequest::new(&request.method, path, &request.headers, &request.body);
        self.done_steps.push(TimedStep { at: self.now, what: Timed::Request(scripted) });
        true
    }

    /// The answer to a request, with Graph's request ids (a download is the storage's answer).
    fn answer(&mut self, request: &HttpRequest) -> Routed {
        let routed = match self.download(request) {
            Some(download) => return download,
            None => self.route(request),
        };
        let Routed::Answer(HttpAnswer { status, headers, body: Body::Text(text) }) = routed else { return routed };
        let mut response = HttpResponse { status, headers, body: text };
        let HttpResponse { status, headers, body } = &mut response;
        self.request_ids.stamp(*status, headers, body, request.header("client-request-id"), self.now);
        Routed::Answer(response.into())
    }

    /// A recording one of the calls made, or another host's URL: not Graph's to answer.
    fn download(&self, request: &HttpRequest) -> Option<Routed> {
        match target(request, &self.config.call.origin) {
            Ok(Route::Calls { .. } | Route::Call { .. }) => None,
            Ok(Route::Other) => self.calls.iter().find_map(|call| call.recording_answer(request)).map(Routed::Answer),
            Err(host) => Some(
                self.calls
                    .iter()
                    .find_map(|call| call.recording_answer(request))
                    .map_or(Routed::ForeignHost(host), Routed::Answer),
            ),
        }
    }

    /// A request to Graph (not a download), answered without the request ids.
    fn route(&mut self, request: &HttpRequest) -> Routed {
        let route = match target(request, &self.config.call.origin) {
            Ok(route) => route,
            Err(host) => return Routed::ForeignHost(host),
        };
        // Faults refuse a request that would change something before it reaches the calls.
        let changes = matches!(route, Route::Calls { .. } | Route::Call { .. })
            && matches!(request.method.as_str(), "POST" | "DELETE");
        if let Some(refused) = changes.then(|| self.refused_by_fault()).flatten() {
            if let Route::Call { id, rest, .. } = &route {
                let kind = if refused.status == 429 { "throttled" } else { "serverError" };
                let action = rest.unwrap_or(if request.method == "DELETE" { "DELETE" } else { "" });
                let id = self.find(id).map_or_else(|| id.clone(), |i| self.calls[i].call_id().to_owned());
                self.note(&id, self.now, kind, format!("{action} answered {}", refused.status));
            }
            return Routed::Answer(refused);
        }
        Routed::Answer(match route {
            Route::Calls { version } if request.method == "POST" => self.create(request, version),
            Route::Calls { .. } | Route::Other => not_simulated(&request.method, &request.url),
            Route::Call { id, rest, .. } => match self.find(&id) {
                Some(index) => {
                    let answer = self.calls[index].call_http(request, &id, rest);
                    self.collect(index);
                    answer
                }
                None => error_response(404, "ItemNotFound", &format!("Call {id} was not found.")).into(),
            },
        })
    }

    /// The answer of `faults.throttle` or `faults.serverErrors` for a request that would change
    /// something, when one of them refuses it (the request then has no effect).
    fn refused_by_fault(&mut self) -> Option<HttpAnswer> {
        if let Some(throttle) = self.config.faults.throttle.clone() {
            if self.now >= self.throttled_until && self.draw() < throttle.rate {
                self.throttled_until = self.now + throttle.retry_after_seconds * 1_000;
            }
            if self.now < self.throttled_until {
                let seconds = (self.throttled_until - self.now).div_ceil(1_000);
                let message = format!("Too many requests. Retry after {seconds} seconds.");
                return Some(fault_response(429, &message, Some(seconds)));
            }
        }
        if let Some(errors) = self.config.faults.server_errors.clone() {
            if self.draw() < errors.rate {
                let status = errors.statuses[(self.fault_rng.next_u64() % errors.statuses.len() as u64) as usize];
                let retry_after = (status == 503).then_some(DEFAULT_RETRY_AFTER_SECONDS);
                let message = format!("The service failed the request ({status}); it had no effect.");
                return Some(fault_response(status, &message, retry_after));
            }
        }
        None
    }

    /// A number in `[0, 1)` from the faults' stream.
    fn draw(&mut self) -> f64 {
        (self.fault_rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// `POST /communications/calls`: the bot places a call (201, then establishing and
    /// established at its `callbackUri`).
    fn create(&mut self, request: &HttpRequest, version: &str) -> HttpAnswer {
        let body = match graph_ivr_json::read(&request.body).map(|parsed| parsed.value) {
            Ok(graph_ivr_json::tree::Value::Object(body)) => body,
            _ => return error_response(400, "BadRequest", "The request body must be a call object.").into(),
        };
        let callback_given = body.get("callbackUri").and_then(graph_ivr_json::tree::Value::as_str);
        let callback = match callback_given
            .map(|uri| callback_uri(&crate::input::Input::String(uri.to_owned()), "/callbackUri"))
        {
            Some(Ok(uri)) => uri,
            _ => {
                return error_response(400, "BadRequest", "A call needs callbackUri, an absolute https URL.").into();
            }
        };
        let mut call = match self.new_call(None, callback) {
            Ok(call) => call,
            Err(e) => return error_response(400, "BadRequest", &e.message).into(),
        };
        call.direction = Direction::Outgoing;
        self.done_calls.push(CallOrigin::Outbound);
        let location = format!(
            "{}/{version}/communications/calls/{}",
            self.config.call.origin,
            crate::contract::rules::encode_segment(call.call_id())
        );
        let answer = call.created_call(location);
        call.establish(super::inferred::CALLEE_ANSWERS_MS);
        self.calls.push(call);
        let index = self.calls.len() - 1;
        if let Some(script) = self.outbound.pop_front() {
            self.attach(script, index);
        }
        self.collect(index);
        answer.into()
    }
}

/// Graph's OData error answer of a fault, with `Retry-After` when there is one.
fn fault_response(status: u16, message: &str, retry_after_seconds: Option<u64>) -> HttpAnswer {
    let mut response = error_response(status, super::inferred::fault_error_code(status), message);
    if let Some(seconds) = retry_after_seconds {
        response.headers.insert("Retry-After".into(), seconds.to_string().into());
    }
    response.into()
}

/// What a notification says, in a few words: `call terminated`, `playPrompt completed`.
fn said(delivery: &Delivery) -> String {
    let Some(item) = delivery.value.value.first() else { return "a notification".to_owned() };
    match &item.resource_data {
        Some(data) => match (data.as_call(), data.as_operation()) {
            (Some(call), _) if call.tone_info.as_ref().is_some_and(Option::is_some) => "a tone".to_owned(),
            (Some(call), _) => match call.state.clone().flatten() {
                Some(state) => format!("call {}", state.as_str()),
                None => "a call update".to_owned(),
            },
            (_, Some(op)) => {
                let kind = op.kind().map_or("operation", |k| k.action());
                format!("{kind} {}", op.status.as_str())
            }
            _ => "a notification".to_owned(),
        },
        None => "a notification".to_owned(),
    }
}

/// One POST for the notifications of one instant (what one cause made for one call).
fn batched(deliveries: Vec<Delivery>) -> Vec<Delivery> {
    let mut posts: Vec<Delivery> = Vec::with_capacity(deliveries.len());
    for delivery in deliveries {
        match posts.last_mut() {
            Some(last) if last.call_id == delivery.call_id && last.at == delivery.at => {
                last.value.value.extend(delivery.value.value);
                last.body = serde_json::to_string(&last.value).unwrap_or_default();
            }
            _ => posts.push(delivery),
        }
    }
    posts
}

/// Whether `delivery` says its call ended (a `deleted` notification of the call itself).
fn ends_call(delivery: &Delivery) -> bool {
    delivery.value.value.iter().any(|n| {
        n.change_type == crate::model::ChangeType::Deleted
            && n.resource_data.as_ref().is_some_and(|d| d.as_call().is_some())
    })
}
