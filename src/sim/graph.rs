//! A simulated Graph cloud-communications service: many calls on one virtual clock, each with
//! its own media queue, tone subscription and caller, deterministic per seed. Sans-IO like the
//! one-call [`Simulator`] it is made of: HTTP requests, caller actions and time go in; answers
//! come back at once and deliveries (with the faults asked for) are polled.

use std::collections::VecDeque;

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

use crate::error::Error;
use crate::model::ids::same_id;

use super::config::{callback_uri, time_after, GraphConfig, IncomingCall, MAX_SAFE_INTEGER};
use super::http::{not_simulated, target, HttpAnswer, HttpRequest, Route, Routed};
use super::inferred::DEFAULT_RETRY_AFTER_SECONDS;
use super::lifecycle::Direction;
use super::output::error_response;
use super::{next_guid, Delivery, Simulator};

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
}

impl GraphSim {
    pub fn new(config: GraphConfig) -> GraphSim {
        let mut rng = ChaCha8Rng::seed_from_u64(config.call.seed ^ 0x6772_6170_685f_7369);
        let duplicate_phase = match config.faults.duplicate {
            0 => 0,
            n => rng.next_u64() % n,
        };
        let fault_rng = ChaCha8Rng::seed_from_u64(config.call.seed ^ 0x6661_756c_7473_2121);
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

    /// The earliest armed timer of any call, or the earliest delayed delivery.
    pub fn next_timer(&self) -> Option<u64> {
        let delivery = self.delayed.iter().map(|d| d.at).min();
        self.calls.iter().filter_map(Simulator::next_timer).chain(delivery).min()
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
        self.collect(index);
        Ok(index)
    }

    /// Runs `action` on call `index` as its caller, then collects what it caused.
    pub fn caller<T>(
        &mut self,
        index: usize,
        action: impl FnOnce(&mut Simulator) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let call = self.calls.get_mut(index).ok_or_else(|| Error::invalid_state("no such call"))?;
        let out = action(call);
        self.collect(index);
        out
    }

    fn collect(&mut self, index: usize) {
        let Some(call) = self.calls.get_mut(index) else { return };
        let deliveries = call.drain_deliveries();
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
        self.release();
    }

    /// What is due, as POSTs: with `faults.dropNotifications` and `faults.dropTerminated`
    /// some never come (the calls' state moved on all the same: GET and keepAlive tell it);
    /// with `faults.batch`, a call's notifications of one instant share one POST; with
    /// `faults.duplicate`, every Nth POST comes twice.
    pub fn take_deliveries(&mut self) -> Vec<Delivery> {
        self.release();
        let due = std::mem::take(&mut self.outbox);
        let mut posts: Vec<Delivery> = Vec::with_capacity(due.len());
        for delivery in due {
            if self.config.faults.drop_terminated && ends_call(&delivery) {
                continue;
            }
            let drop_rate = self.config.faults.drop_notifications;
            if drop_rate > 0.0 && self.draw() < drop_rate {
                continue;
            }
            match posts.last_mut() {
                Some(last)
                    if self.config.faults.batch && last.call_id == delivery.call_id && last.at == delivery.at =>
                {
                    last.value.value.extend(delivery.value.value);
                    last.body = serde_json::to_string(&last.value).unwrap_or_default();
                }
                _ => posts.push(delivery),
            }
        }
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

    /// One HTTP request to the service (`GraphSimulator.fetch`).
    pub fn http(&mut self, request: &HttpRequest) -> Routed {
        let route = match target(request, &self.config.call.origin) {
            Ok(route) => route,
            // Another host: a recording one of the calls made, or not ours.
            Err(host) => {
                let found = self.calls.iter().find_map(|call| call.recording_answer(request));
                return found.map_or(Routed::ForeignHost(host), Routed::Answer);
            }
        };
        // Faults refuse a request that would change something before it reaches the calls.
        let changes = matches!(route, Route::Calls { .. } | Route::Call { .. })
            && matches!(request.method.as_str(), "POST" | "DELETE");
        if let Some(refused) = changes.then(|| self.refused_by_fault()).flatten() {
            return Routed::Answer(refused);
        }
        Routed::Answer(match route {
            Route::Calls { version } if request.method == "POST" => self.create(request, version),
            Route::Calls { .. } => not_simulated(&request.method, &request.url),
            // Not a Graph path: a recording, when recordings live on the Graph origin.
            Route::Other => self
                .calls
                .iter()
                .find_map(|call| call.recording_answer(request))
                .unwrap_or_else(|| not_simulated(&request.method, &request.url)),
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
        let location = format!(
            "{}/{version}/communications/calls/{}",
            self.config.call.origin,
            crate::contract::rules::encode_segment(call.call_id())
        );
        let answer = call.created_call(location);
        call.establish(super::inferred::CALLEE_ANSWERS_MS);
        self.calls.push(call);
        self.collect(self.calls.len() - 1);
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

/// Whether `delivery` says its call ended (a `deleted` notification of the call itself).
fn ends_call(delivery: &Delivery) -> bool {
    delivery.value.value.iter().any(|n| {
        n.change_type == crate::model::ChangeType::Deleted
            && n.resource_data.as_ref().is_some_and(|d| d.as_call().is_some())
    })
}
