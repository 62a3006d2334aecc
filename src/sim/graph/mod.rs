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
use crate::model::ids::{canonical_id, same_id};

mod agenda;
mod faults;
mod script;
mod tokens;

use super::config::{callback_uri, time_after, GraphConfig, IncomingCall, MAX_SAFE_INTEGER};
use super::http::{not_simulated, target, Body, HttpAnswer, HttpRequest, Route, Routed};
use super::journal::Journal;
use super::lifecycle::Direction;
use super::output::error_response;
use super::request_id::RequestIds;
use super::scenario::{CallOrigin, CallerAction, Timed, TimedStep};
use super::{next_guid, Delivery, FaultView, HttpResponse, Simulator, Snapshot};
use agenda::{Agendum, Due};
use faults::{batched, ends_call, said};
use script::Script;
pub use script::MAX_RECORDED_REQUESTS;
use tokens::{refused_without_bearer, PublishedKeys};

pub struct GraphSim {
    config: GraphConfig,
    rng: ChaCha8Rng,
    now: u64,
    calls: Vec<Simulator>,
    /// Each call's id, canonical (`call_keys[i]` is `calls[i]`'s): a request's call is found
    /// with one GUID parse, not one per call.
    call_keys: Vec<String>,
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
    /// The bot's requests among them (at most `script::MAX_RECORDED_REQUESTS`).
    recorded_requests: usize,
    /// Whether the bot sent more than that: `scenario()` then cannot replay the session.
    requests_unrecorded: bool,
    /// What the faults did, by call id (the calls' snapshots show it).
    fault_notes: Vec<(String, FaultView)>,
    /// A callback signer's configuration and keys, served to the bot (`signer`).
    published_keys: Option<PublishedKeys>,
    /// The bot's requests and its callbacks, as the drivers report them.
    journal: Journal,
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
        let rng = ChaCha8Rng::seed_from_u64(config.call.seed ^ 0x6772_6170_685f_7369);
        // Drawn apart from the calls' seeds and ids: turning duplicates on changes nothing else.
        let duplicate_phase = match config.faults.duplicate {
            0 => 0,
            n => ChaCha8Rng::seed_from_u64(config.call.seed ^ 0x6475_706c_6963_6174).next_u64() % n,
        };
        let fault_rng = ChaCha8Rng::seed_from_u64(config.call.seed ^ 0x6661_756c_7473_2121);
        let request_ids = RequestIds::new(config.call.seed);
        GraphSim {
            config,
            rng,
            now: 0,
            calls: Vec::new(),
            call_keys: Vec::new(),
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
            recorded_requests: 0,
            requests_unrecorded: false,
            fault_notes: Vec::new(),
            published_keys: None,
            journal: Journal::default(),
        }
    }

    /// Starts over from `scenario` (`graph.reset()`): a new clock, calls and journal; the
    /// published keys stay, and the journal's `seq` goes on (a reader that follows it misses
    /// nothing and reads nothing twice).
    pub fn reset_to(&mut self, scenario: super::Scenario) {
        let published_keys = self.published_keys.take();
        let last_seq = self.journal.last_seq();
        *self = GraphSim::from_scenario(scenario);
        self.published_keys = published_keys;
        self.journal = Journal::continuing(last_seq);
    }

    /// The options it was made with, as given.
    pub fn options(&self) -> &Map<String, Value> {
        &self.options
    }

    /// The request journal (the drivers write it: they know the wall clock).
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    pub fn journal_mut(&mut self) -> &mut Journal {
        &mut self.journal
    }

    /// Serves a callback signer's OpenID configuration and key set (GET, at the URLs the
    /// configuration names) to whoever fetches through this simulator; whether they could be
    /// (the configuration names an absolute `jwks_uri`).
    pub fn publish_keys(&mut self, configuration: &Value, jwks: &Value) -> bool {
        self.published_keys = PublishedKeys::new(configuration, jwks);
        self.published_keys.is_some()
    }

    /// Whether a signer's keys are served.
    pub fn publishes_keys(&self) -> bool {
        self.published_keys.is_some()
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
        let key = canonical_id(id);
        self.call_keys.iter().position(|own| *own == key)
    }

    /// Adds a call; its index.
    fn add_call(&mut self, call: Simulator) -> usize {
        self.call_keys.push(canonical_id(call.call_id()));
        self.calls.push(call);
        self.calls.len() - 1
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
        let index = self.add_call(call);
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
        self.send(request, true)
    }

    /// A request answered now or held by latency; a held one's answer is kept for `take_answers`
    /// only when somebody waits for it (not a scenario's replayed request).
    pub(super) fn send(&mut self, request: &HttpRequest, awaited: bool) -> Submitted {
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
        self.schedule(at, Due::Held { request: request.clone(), ticket: awaited.then_some(ticket) });
        Submitted::Later { ticket, at }
    }

    /// The answer to a request, with Graph's request ids (a download is the storage's answer,
    /// another host's URL not ours to answer). The URL is read once.
    fn answer(&mut self, request: &HttpRequest) -> Routed {
        let route = match target(request, &self.config.call.origin) {
            Ok(route @ (Route::Calls { .. } | Route::Call { .. })) => route,
            other => {
                if let Some(download) = self.calls.iter().find_map(|call| call.recording_answer(request)) {
                    return Routed::Answer(download);
                }
                match other {
                    Err(host) => {
                        let keys = self.published_keys.as_ref().and_then(|keys| keys.answer(request));
                        return keys.map_or(Routed::ForeignHost(host), Routed::Answer);
                    }
                    Ok(_) => Route::Other,
                }
            }
        };
        let bearer_refusal = self.config.require_bearer.then(|| refused_without_bearer(request)).flatten();
        let HttpAnswer { status, headers, body } = match bearer_refusal {
            Some(refused) => refused,
            None => self.route(request, route),
        };
        let Body::Text(text) = body else { return Routed::Answer(HttpAnswer { status, headers, body }) };
        let mut response = HttpResponse { status, headers, body: text };
        let HttpResponse { status, headers, body } = &mut response;
        self.request_ids.stamp(*status, headers, body, request.header("client-request-id"), self.now);
        Routed::Answer(response.into())
    }

    /// A request to a Graph path (not a download), answered without the request ids.
    fn route(&mut self, request: &HttpRequest, route: Route<'_>) -> HttpAnswer {
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
            return refused;
        }
        match route {
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
        }
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
        let index = self.add_call(call);
        if let Some(script) = self.outbound.pop_front() {
            self.attach(script, index);
        }
        self.collect(index);
        answer.into()
    }
}
