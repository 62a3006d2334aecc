//! `GraphSimulator` (a simulated Graph service: many calls, one virtual clock, a bound `fetch`
//! and the `run` driver) and `SimulatedCall` (the caller's side of one of its calls). The state
//! is shared through `Rc<RefCell<…>>`; every borrow ends before an await, so the bot may call
//! `fetch` while `run` awaits it.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use crate::error::Error;
use crate::sim::{time_after, whole_number, CallerAction, GraphSim, Scenario, Simulator, MAX_SAFE_INTEGER};

use super::convert::{deliveries_to_js, thrown_message, to_input, to_js};
use super::delivery::{concurrency_key, signer_key};
use super::fetch::{journal_answer, journal_request, Activity, BoundFetch};
use super::idle::{settle, Bots, Scope};
use super::or_undefined;
use super::{borrow, borrow_mut};
use crate::model::ids::canonical_id;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "GraphSimulatorOptions")]
    pub type GraphSimulatorOptionsJs;
    #[wasm_bindgen(typescript_type = "IncomingCallOptions")]
    pub type IncomingCallOptionsJs;
}

pub(super) type Shared = Rc<RefCell<GraphSim>>;

/// A simulated Graph cloud-communications service.
#[wasm_bindgen(js_name = GraphSimulator)]
pub struct GraphSimulator {
    pub(super) state: Shared,
    pub(super) fetch: BoundFetch,
}

impl GraphSimulator {
    fn with<T>(&self, f: impl FnOnce(&mut GraphSim) -> Result<T, Error>) -> Result<T, Error> {
        f(&mut *borrow_mut(&self.state, "GraphSimulator")?)
    }

    fn taken(&self) -> Result<JsValue, Error> {
        let deliveries = self.with(|g| Ok(g.take_deliveries()))?;
        deliveries_to_js(&deliveries)
    }

    fn of(scenario: Scenario) -> GraphSimulator {
        let state = Rc::new(RefCell::new(GraphSim::from_scenario(scenario)));
        GraphSimulator { state, fetch: BoundFetch::new() }
    }
}

/// Hands the requests the clock has reached their answers, and ends the waits it reached;
/// whether there were any (the bot then has work to do).
fn answer_held(state: &Shared, activity: &Activity) -> Result<bool, Error> {
    let (answers, woken) = {
        let mut graph = borrow_mut(state, "GraphSimulator")?;
        (graph.take_answers(), graph.take_woken())
    };
    let any = !answers.is_empty() || !woken.is_empty();
    activity.answer_held(answers);
    activity.wake(woken);
    Ok(any)
}

#[wasm_bindgen(js_class = GraphSimulator)]
impl GraphSimulator {
    #[wasm_bindgen(constructor)]
    pub fn new(options: Option<GraphSimulatorOptionsJs>) -> Result<GraphSimulator, Error> {
        // The signer is an object of the caller's, not data: taken out before the options are
        // read as JSON.
        let (options, signer) = without_signer(or_undefined(options))?;
        let graph = GraphSimulator::of(Scenario::from_options(&to_input(&options)?)?);
        if let Some(signer) = signer {
            publish(&graph.state, &signer).map_err(|why| Error::invalid_argument("/signer", why))?;
        }
        Ok(graph)
    }

    /// A simulator set up and scripted by a scenario (`graph.scenario()`'s, or written by hand);
    /// a bad one is refused with the JSON Pointer of its problem.
    #[wasm_bindgen(js_name = fromScenario)]
    pub fn from_scenario(
        #[wasm_bindgen(unchecked_param_type = "Scenario")] scenario: JsValue,
    ) -> Result<GraphSimulator, Error> {
        Ok(GraphSimulator::of(Scenario::from_input(&to_input(&scenario)?)?))
    }

    /// Graph's answer to a request at once, `{status, headers, body}`, as `CallSimulator.handle`
    /// gives it (whatever `faults.latencyMs` says): for drivers with no event loop to await
    /// `fetch` in, such as a page's click handler.
    #[wasm_bindgen(unchecked_return_type = "GraphResponse")]
    pub fn handle(
        &self,
        #[wasm_bindgen(unchecked_param_type = "GraphRequest | RequestInput")] request: JsValue,
    ) -> Result<JsValue, Error> {
        let request = crate::http::HttpRequest::from_js_object(&to_input(&request)?)?;
        // In the journal like a request through `fetch`.
        let (journaled, routed) = self.with(|g| {
            let journaled = journal_request(g, &request);
            Ok((journaled, g.http(&request)))
        })?;
        let service: Rc<RefCell<dyn super::fetch::Service>> = self.state.clone();
        journal_answer(&service, journaled, &routed).map_err(|_| Error::invalid_state("the journal is busy"))?;
        let answer = match routed {
            crate::sim::Routed::Answer(answer) => answer,
            crate::sim::Routed::ForeignHost(host) => {
                return Err(Error::invalid_argument(
                    "/url",
                    format!("{host} is not Graph: handle() answers Graph's requests"),
                ))
            }
        };
        let body = match answer.body {
            crate::sim::Body::Text(text) => text,
            crate::sim::Body::Bytes(_) => {
                return Err(Error::invalid_argument("/url", "a recording is downloaded with fetch, not handle()"))
            }
        };
        to_js(&crate::sim::HttpResponse { status: answer.status, headers: answer.headers, body })
    }

    /// A promise that resolves once the virtual clock has moved `ms` on (under `run` or
    /// `advance`): a bot's own waits — `Retry-After`, a keepAlive every 15 minutes — in the
    /// simulator's time. It is a timer like Graph's: `run` moves time to it.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn sleep(&self, #[wasm_bindgen(unchecked_param_type = "number")] ms: JsValue) -> Result<Promise, Error> {
        let ms = whole_number(&to_input(&ms)?, "/ms", 0, MAX_SAFE_INTEGER)?;
        let ticket = self.with(|g| {
            let at = time_after(g.now(), ms)?;
            Ok(g.wake_at(at))
        })?;
        Ok(self.fetch.activity.sleep(ticket))
    }

    /// What was done so far, as a scenario that replays it byte for byte: the options, the
    /// calls, what their callers did and (unless `{requests: false}`) what the bot sent.
    #[wasm_bindgen(unchecked_return_type = "Scenario")]
    pub fn scenario(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ requests?: boolean }")] options: JsValue,
    ) -> Result<JsValue, Error> {
        let input = to_input(&options)?;
        let given = crate::input::Dictionary::options("scenario", &["requests"]).read(&input, "", false)?;
        let requests = given
            .optional("requests", |v| match v {
                crate::input::Input::Bool(b) => Ok(*b),
                other => Err(Error::invalid_argument(
                    "/requests",
                    format!("requests must be a boolean, got {}", other.type_name()),
                )),
            })?
            .unwrap_or(true);
        let scenario = self.with(|g| g.scenario(requests))?;
        to_js(&scenario)
    }

    /// The request journal, oldest first: every Graph request the bot sent through `fetch`
    /// (its headers with credentials redacted, body, status, answer, virtual and wall time)
    /// and every callback `run` POSTed (the bot's status or why it was not taken, latency).
    /// `{callId}` keeps one call's (ids compared canonically); `{since}` those sent at or after
    /// that virtual time; `{after}` those after the entry with that `seq` (to read on).
    #[wasm_bindgen(unchecked_return_type = "JournalEntry[]")]
    pub fn journal(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ callId?: string; since?: number; after?: number }")] options: JsValue,
    ) -> Result<JsValue, Error> {
        let input = to_input(&options)?;
        let given =
            crate::input::Dictionary::options("journal", &["callId", "since", "after"]).read(&input, "", false)?;
        let call_id = given.optional("callId", |value| match value {
            crate::input::Input::String(id) => Ok(id.clone()),
            other => Err(Error::invalid_argument("/callId", format!("callId is a string, got {}", other.type_name()))),
        })?;
        let since = given.optional("since", |value| whole_number(value, "/since", 0, MAX_SAFE_INTEGER))?.unwrap_or(0);
        let after = given.optional("after", |value| whole_number(value, "/after", 0, MAX_SAFE_INTEGER))?.unwrap_or(0);
        self.with(|g| to_js(&g.journal().read(call_id.as_deref(), since, after)))
    }

    /// The `seq` of the journal's last entry (0 for none yet): what the emulator's live state
    /// says, without any entry crossing to JS.
    #[wasm_bindgen(getter, js_name = __journalSeq, skip_typescript)]
    pub fn journal_seq(&self) -> Result<f64, Error> {
        self.with(|g| Ok(g.journal().last_seq() as f64))
    }

    /// Starts over with the options it was made with (another `seed` if given), or from
    /// `scenario` (a scenario's calls and steps play again only when given so): no calls, the
    /// clock at 0, an empty journal. The same `fetch` goes on answering, and a signer given
    /// stays. Requests Graph held and waits of the old run are dropped.
    pub fn reset(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ seed?: number; scenario?: Scenario }")] options: JsValue,
    ) -> Result<(), Error> {
        let input = to_input(&options)?;
        let given = crate::input::Dictionary::options("reset", &["seed", "scenario"]).read(&input, "", false)?;
        let seed = given.optional("seed", |value| whole_number(value, "/seed", 0, MAX_SAFE_INTEGER))?;
        let base = match given.get("scenario") {
            absent if absent.is_absent() => {
                let options = self.with(|g| Ok(g.options().clone()))?;
                crate::input::Input::from_json(&serde_json::Value::Object(options))
            }
            scenario => scenario.clone(),
        };
        let base = match (seed, base) {
            (Some(seed), crate::input::Input::Object(mut entries)) => {
                entries.retain(|(key, _)| key != "seed");
                entries.push(("seed".into(), crate::input::Input::Number(seed as f64)));
                crate::input::Input::Object(entries)
            }
            (_, base) => base,
        };
        let scenario = Scenario::from_input(&base).map_err(|e| e.under("/scenario"))?;
        self.with(|g| {
            g.reset_to(scenario);
            Ok(())
        })?;
        self.fetch.activity.forget();
        Ok(())
    }

    /// Virtual milliseconds since the simulator was made.
    #[wasm_bindgen(getter)]
    pub fn now(&self) -> Result<f64, Error> {
        self.with(|g| Ok(g.now() as f64))
    }

    /// `now` while deliveries wait to be taken, else the next timer of any call.
    #[wasm_bindgen(getter, js_name = nextTimeout)]
    pub fn next_timeout(&self) -> Result<Option<f64>, Error> {
        self.with(|g| Ok(g.next_timeout().map(|t| t as f64)))
    }

    /// A bound WHATWG `fetch`: pass `graph.fetch` wherever a fetch goes.
    #[wasm_bindgen(
        getter,
        unchecked_return_type = "(input: RequestInfo | URL, init?: RequestInit) => Promise<Response>"
    )]
    pub fn fetch(&self) -> JsValue {
        self.fetch.get(|| self.state.clone())
    }

    /// A caller rings the bot: queues the `created` notification of an incoming call.
    #[wasm_bindgen(js_name = incomingCall)]
    pub fn incoming_call(&self, options: IncomingCallOptionsJs) -> Result<SimulatedCall, Error> {
        let incoming = crate::sim::IncomingCall::from_input(&to_input(&options.into())?)?;
        let index = self.with(|g| g.incoming_call(&incoming))?;
        Ok(SimulatedCall { state: self.state.clone(), index })
    }

    /// The call `id` (GUIDs compared canonically), incoming or placed by the bot.
    pub fn call(&self, id: String) -> Result<Option<SimulatedCall>, Error> {
        let index = self.with(|g| Ok(g.find(&id)))?;
        Ok(index.map(|index| SimulatedCall { state: self.state.clone(), index }))
    }

    /// Every call so far, in the order they began.
    #[wasm_bindgen(getter)]
    pub fn calls(&self) -> Result<Vec<SimulatedCall>, Error> {
        let count = self.with(|g| Ok(g.calls().len()))?;
        Ok((0..count).map(|index| SimulatedCall { state: self.state.clone(), index }).collect())
    }

    /// Moves the clock of every call `ms` forward; returns the deliveries, in time order.
    #[wasm_bindgen(unchecked_return_type = "Delivery[]")]
    pub fn advance(&self, #[wasm_bindgen(unchecked_param_type = "number")] ms: JsValue) -> Result<JsValue, Error> {
        let ms = whole_number(&to_input(&ms)?, "/ms", 0, MAX_SAFE_INTEGER)?;
        self.with(|g| g.advance(ms))?;
        answer_held(&self.state, &self.fetch.activity)?;
        self.taken()
    }

    /// What `fetch`, `handle` and caller actions caused, without moving time.
    #[wasm_bindgen(js_name = takeDeliveries, unchecked_return_type = "Delivery[]")]
    pub fn take_deliveries(&self) -> Result<JsValue, Error> {
        self.taken()
    }

    /// Drives the bot: timer by timer up to `now + ms`, awaiting `deliver(d)` for each delivery
    /// in order, then waiting until the bot is idle (no `fetch` in flight, none started for a
    /// few event-loop turns) so that its reactions land at the instant they answer.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn run(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] ms: JsValue,
        #[wasm_bindgen(unchecked_param_type = "(delivery: Delivery) => unknown")] deliver: JsValue,
    ) -> Result<Promise, Error> {
        let ms = whole_number(&to_input(&ms)?, "/ms", 0, MAX_SAFE_INTEGER)?;
        let deliver: Function = deliver.dyn_into().map_err(|_| {
            Error::invalid_argument("/deliver", "run(ms, deliver) needs a function: deliverOverHttp() or your own")
        })?;
        let target = self.with(|g| time_after(g.now(), ms))?;
        // deliverOverHttp({signWith}) says who signs: the bot finds that signer's keys here.
        if let Ok(signer) = Reflect::get(&deliver, &signer_key()) {
            if signer.is_object() && !borrow(&self.state, "GraphSimulator")?.publishes_keys() {
                let _ = publish(&self.state, &signer);
            }
        }
        let state = self.state.clone();
        let activity = self.fetch.activity.clone();
        Ok(future_to_promise(
            async move { drive(&state, &activity, &deliver, target).await.map(|()| JsValue::UNDEFINED) },
        ))
    }
}

/// The options without `signer`, and the signer.
fn without_signer(options: JsValue) -> Result<(JsValue, Option<JsValue>), Error> {
    if !options.is_object() || js_sys::Array::is_array(&options) {
        return Ok((options, None));
    }
    let signer = super::convert::property(&options, "signer").map_err(|why| Error::invalid_argument("/signer", why))?;
    if signer.is_undefined() {
        return Ok((options, None));
    }
    let rest = js_sys::Object::assign(&js_sys::Object::new(), options.unchecked_ref());
    let _ = Reflect::delete_property(&rest, &JsValue::from_str("signer"));
    Ok((rest.into(), Some(signer)))
}

/// Serves `signer`'s OpenID configuration and key set through the simulator's `fetch`.
fn publish(state: &Shared, signer: &JsValue) -> Result<(), String> {
    let not_a_signer =
        || "signer is a CallbackSigner (createCallbackSigner()), with jwks and openIdConfiguration".to_owned();
    let read = |key: &str| -> Result<serde_json::Value, String> {
        let value = Reflect::get(signer, &JsValue::from_str(key)).map_err(|_| not_a_signer())?;
        let value = to_input(&value).map_err(|e| e.message)?.to_tree("").map_err(|e| e.message)?.to_json();
        if value.is_object() {
            Ok(value)
        } else {
            Err(not_a_signer())
        }
    };
    let (configuration, jwks) = (read("openIdConfiguration")?, read("jwks")?);
    let mut graph = borrow_mut(state, "GraphSimulator").map_err(|e| format!("{e:?}"))?;
    if graph.publish_keys(&configuration, &jwks) {
        Ok(())
    } else {
        Err("the signer's openIdConfiguration names no absolute jwks_uri to serve its keys at".into())
    }
}

async fn drive(state: &Shared, activity: &Rc<Activity>, deliver: &Function, target: u64) -> Result<(), JsValue> {
    let bots = Bots::of(deliver);
    settle(activity, bots.scope(None)).await;
    loop {
        let batch = borrow_mut(state, "GraphSimulator")?.take_deliveries();
        if batch.is_empty() {
            let (stepped, waiting) = {
                let mut graph = borrow_mut(state, "GraphSimulator")?;
                let stepped = graph.step(target);
                (stepped, graph.next_timeout() == Some(graph.now()))
            };
            // Requests Graph held until now are answered: the bot goes on before time does.
            if answer_held(state, activity)? {
                settle(activity, bots.scope(None)).await;
                continue;
            }
            if !stepped && !waiting {
                return Ok(());
            }
            continue;
        }
        let lanes = lanes_of(batch);
        let concurrency = concurrency_of(deliver);
        if concurrency <= 1 || lanes.len() == 1 {
            for lane in lanes {
                deliver_lane(state, activity, deliver, bots, lane).await?;
            }
            continue;
        }
        // Different calls' callbacks of one instant go out together, `concurrency` calls at a
        // time; each call's stay in order.
        for group in lanes.chunks(concurrency) {
            let promises = js_sys::Array::new();
            for lane in group {
                let (state, activity, deliver, lane) = (state.clone(), activity.clone(), deliver.clone(), lane.clone());
                promises.push(&future_to_promise(async move {
                    deliver_lane(&state, &activity, &deliver, bots, lane).await.map(|()| JsValue::UNDEFINED)
                }));
            }
            let settled = JsFuture::from(Promise::all_settled(&promises)).await?;
            for outcome in js_sys::Array::from(&settled).iter() {
                if Reflect::get(&outcome, &JsValue::from_str("status"))?.as_string().as_deref() == Some("rejected") {
                    return Err(Reflect::get(&outcome, &JsValue::from_str("reason"))?);
                }
            }
        }
    }
}

/// One call's deliveries of an instant, in order, each awaited and followed by the bot's
/// reaction.
async fn deliver_lane(
    state: &Shared,
    activity: &Rc<Activity>,
    deliver: &Function,
    bots: Bots,
    lane: Vec<crate::sim::Delivery>,
) -> Result<(), JsValue> {
    for delivery in lane {
        let js = js_sys::Reflect::get_u32(&deliveries_to_js(std::slice::from_ref(&delivery))?, 0)?;
        let journaled = journal_callback(state, &delivery)?;
        let returned = deliver.call1(&JsValue::UNDEFINED, &js)?;
        let call = canonical_id(&delivery.call_id);
        let scope = bots.scope(Some(&call));
        let taken = await_delivery(state, activity, scope, Promise::resolve(&returned)).await;
        journal_taken(state, journaled, &taken)?;
        taken?;
        settle(activity, scope).await;
    }
    Ok(())
}

/// A batch of deliveries as one lane per call, in the order the calls first appear.
fn lanes_of(batch: Vec<crate::sim::Delivery>) -> Vec<Vec<crate::sim::Delivery>> {
    let mut lanes: Vec<Vec<crate::sim::Delivery>> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for delivery in batch {
        match index.get(&delivery.call_id) {
            Some(&at) => lanes[at].push(delivery),
            None => {
                index.insert(delivery.call_id.clone(), lanes.len());
                lanes.push(vec![delivery]);
            }
        }
    }
    lanes
}

/// How many calls' callbacks of one instant `deliver` takes at once: what
/// `deliverOverHttp({concurrency})` says; any other function, one at a time.
fn concurrency_of(deliver: &Function) -> usize {
    Reflect::get(deliver, &concurrency_key())
        .ok()
        .and_then(|n| n.as_f64())
        .filter(|n| n.is_finite() && *n >= 1.0)
        .map_or(1, |n| n as usize)
}

/// A callback POST, in the journal as it goes out: its `seq` and wall time.
fn journal_callback(state: &Shared, delivery: &crate::sim::Delivery) -> Result<(u64, f64), Error> {
    let wall_time = js_sys::Date::now();
    let headers: Vec<(String, String)> =
        delivery.headers.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned())).collect();
    let mut graph = borrow_mut(state, "GraphSimulator")?;
    let sent = crate::sim::Sent {
        kind: crate::sim::EntryKind::Callback,
        at: delivery.at,
        wall_time,
        call_id: Some(delivery.call_id.clone()),
        method: "POST",
        url: &delivery.url,
        headers: &headers,
        body: &delivery.body,
    };
    Ok((graph.journal_mut().sent(sent), wall_time))
}

/// How the bot took a callback: `deliver` resolved its HTTP status (`deliverOverHttp` does),
/// or `{error}` (a driver that keeps going, as the emulator does), or rejected.
fn journal_taken(state: &Shared, (seq, sent_at): (u64, f64), taken: &Result<JsValue, JsValue>) -> Result<(), Error> {
    let (status, error) = match taken {
        Ok(value) => match value.as_f64() {
            Some(status) if (100.0..600.0).contains(&status) => (Some(status as u16), None),
            _ => (
                None,
                Reflect::get(value, &JsValue::from_str("error"))
                    .ok()
                    .filter(|e| !e.is_undefined())
                    .map(|e| thrown_message(&e)),
            ),
        },
        Err(error) => (None, Some(thrown_message(error))),
    };
    let mut graph = borrow_mut(state, "GraphSimulator")?;
    let answered_at = graph.now();
    let latency_ms = js_sys::Date::now() - sent_at;
    graph.journal_mut().answered(seq, crate::sim::Answer { answered_at, latency_ms, status, response: None, error });
    Ok(())
}

/// Waits for the bot to take a delivery. A bot that waits on Graph inside it (a request
/// `faults.latencyMs` holds) gets its answer: time moves on to it, as Graph does not stop while
/// a bot thinks (past the run's end if need be: the delivery cannot end before it). Behind the
/// emulator only the delivered call's held requests count (`Scope::holds_requests`).
async fn await_delivery(
    state: &Shared,
    activity: &Activity,
    scope: Scope<'_>,
    taken: Promise,
) -> Result<JsValue, JsValue> {
    // With no request that Graph could hold, nothing moves the clock while the bot takes it.
    if !borrow(state, "GraphSimulator")?.may_hold_requests() {
        return JsFuture::from(taken).await;
    }
    let done = Rc::new(std::cell::Cell::new(false));
    let refused: Rc<RefCell<Option<JsValue>>> = Rc::default();
    let resolved: Rc<RefCell<JsValue>> = Rc::new(RefCell::new(JsValue::UNDEFINED));
    let (flag, flag_refused, keep, keep_value) = (done.clone(), done.clone(), refused.clone(), resolved.clone());
    let on_taken = Closure::once(move |value: JsValue| {
        flag.set(true);
        *keep_value.borrow_mut() = value;
    });
    // The refusal is handled at once (no unhandled rejection while time moves) and kept.
    let on_refused = Closure::once(move |error: JsValue| {
        flag_refused.set(true);
        *keep.borrow_mut() = Some(error);
    });
    let taken = taken.then2(&on_taken, &on_refused);
    loop {
        settle(activity, scope).await;
        if done.get() {
            break;
        }
        let moved = {
            let mut graph = borrow_mut(state, "GraphSimulator")?;
            match graph.next_timer().filter(|_| scope.holds_requests(&graph)) {
                Some(at) => {
                    graph.step(at);
                    true
                }
                None => false,
            }
        };
        if !moved {
            break;
        }
        answer_held(state, activity)?;
    }
    JsFuture::from(taken).await?;
    let refusal = refused.borrow_mut().take();
    let value = resolved.borrow().clone();
    refusal.map_or(Ok(value), Err)
}

/// The caller's side of one call of a `GraphSimulator`: actions queue their notifications on
/// it (delivered by `run`, `advance` or `takeDeliveries`) and return nothing.
#[wasm_bindgen]
pub struct SimulatedCall {
    state: Shared,
    index: usize,
}

impl SimulatedCall {
    fn read<T>(&self, f: impl FnOnce(&Simulator) -> T) -> Result<T, Error> {
        let graph = borrow(&self.state, "GraphSimulator")?;
        graph.calls().get(self.index).map(f).ok_or_else(|| Error::invalid_state("no such call"))
    }

    fn act(&self, action: CallerAction) -> Result<(), Error> {
        borrow_mut(&self.state, "GraphSimulator")?.act(self.index, &action)
    }
}

#[wasm_bindgen]
impl SimulatedCall {
    #[wasm_bindgen(getter, js_name = callId)]
    pub fn call_id(&self) -> Result<String, Error> {
        self.read(|c| c.call_id().to_owned())
    }

    /// `incoming`, `establishing`, `established` or `terminated`.
    #[wasm_bindgen(getter, unchecked_return_type = "CallState")]
    pub fn state(&self) -> Result<String, Error> {
        self.read(|c| c.status().name().to_owned())
    }

    /// The caller presses a key: '0'-'9', '*', '#', 'A'-'D'.
    #[wasm_bindgen(js_name = pressTone)]
    pub fn press_tone(&self, #[wasm_bindgen(unchecked_param_type = "string")] tone: JsValue) -> Result<(), Error> {
        let Some(tone) = tone.as_string() else {
            return Err(Error::invalid_argument("", "pressTone() takes a one-character string"));
        };
        self.act(CallerAction::PressTone(tone))
    }

    #[wasm_bindgen(js_name = startSpeaking)]
    pub fn start_speaking(&self) -> Result<(), Error> {
        self.act(CallerAction::StartSpeaking)
    }

    #[wasm_bindgen(js_name = stopSpeaking)]
    pub fn stop_speaking(&self) -> Result<(), Error> {
        self.act(CallerAction::StopSpeaking)
    }

    #[wasm_bindgen(js_name = hangUp)]
    pub fn hang_up(&self) -> Result<(), Error> {
        self.act(CallerAction::HangUp)
    }

    #[wasm_bindgen(unchecked_return_type = "SimSnapshot")]
    pub fn snapshot(&self) -> Result<JsValue, Error> {
        let snapshot = borrow(&self.state, "GraphSimulator")?.snapshot(self.index);
        to_js(&snapshot.ok_or_else(|| Error::invalid_state("no such call"))?)
    }
}
