//! `fetch`: a WHATWG-compatible function over a sans-IO service. The caller's `(input, init)`
//! become a real `Request` exactly as `fetch` reads them (`new Request(input, init)`: strings,
//! `URL`s and `Request`s alike), its method, URL, headers and body become an [`HttpRequest`],
//! and the service's [`HttpAnswer`] becomes a real `Response`. No borrow of the service is held
//! across an await, so a bot may call `fetch` again while `run` awaits it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use crate::model::ids::{canonical_id, ResourceIds};
use crate::sim::{Answer, Body, EntryKind, HttpAnswer, HttpRequest, Journal, Routed, Sent as JournalSent, Submitted};

use super::{borrow, borrow_mut};

/// A simulated service `fetch` can talk to.
pub trait Service {
    /// Answers now, or later (in virtual time) when the service holds the request.
    fn submit(&mut self, request: &HttpRequest) -> Submitted;
    /// The Graph origin it answers for, for the foreign-host error.
    fn origin(&self) -> String;
    /// Its request journal, if it keeps one, and its clock.
    fn journal(&mut self) -> Option<(&mut Journal, u64)> {
        None
    }
}

impl Service for crate::sim::Simulator {
    fn submit(&mut self, request: &HttpRequest) -> Submitted {
        Submitted::Answered(self.http(request))
    }
    fn origin(&self) -> String {
        self.config().origin.clone()
    }
}

impl Service for crate::sim::GraphSim {
    fn submit(&mut self, request: &HttpRequest) -> Submitted {
        crate::sim::GraphSim::submit(self, request)
    }
    fn origin(&self) -> String {
        self.config().call.origin.clone()
    }
    fn journal(&mut self) -> Option<(&mut Journal, u64)> {
        let now = self.now();
        Some((self.journal_mut(), now))
    }
}

/// The journal entry of a request: its `seq` and the wall time it was sent.
pub type Journaled = Option<(u64, f64)>;

/// How busy the bot is with `fetch`: what the driver waits on before time moves.
#[derive(Default)]
pub struct Activity {
    /// Calls of `fetch` so far.
    pub started: Cell<u64>,
    /// Requests not answered yet, except those the service holds for virtual time to pass, by
    /// call (canonical id; `""` for requests that name none), those not zero (a few at a time:
    /// a list is enough). Their sum is what the driver waits on for the one bot; one call's,
    /// when each call has a bot of its own (the emulator).
    pending: RefCell<Vec<(String, u64)>>,
    /// Requests the service holds (`faults.latencyMs`): who waits for each ticket's answer.
    waiting: RefCell<Vec<(u64, Function)>>,
    /// Answers given, not yet taken by the `fetch` that waits for them.
    answered: RefCell<Vec<(u64, Routed)>>,
    /// The bot's own waits in virtual time (`graph.sleep`), by ticket.
    sleeping: RefCell<Vec<(u64, Function)>>,
}

/// The call a request is about (canonical id), or `""` for one that names none.
pub fn call_of(url: &str) -> String {
    ResourceIds::parse(url).map(|ids| canonical_id(&ids.call_id)).unwrap_or_default()
}

/// The entry of `ticket`, taken out (a few entries at a time: a list is enough).
fn take<T>(entries: &RefCell<Vec<(u64, T)>>, ticket: u64) -> Option<T> {
    let mut entries = entries.borrow_mut();
    let at = entries.iter().position(|(t, _)| *t == ticket)?;
    Some(entries.swap_remove(at).1)
}

impl Activity {
    /// A request about `call` is sent.
    pub fn begin(&self, call: &str) {
        self.started.set(self.started.get() + 1);
        self.resume(call);
    }

    /// A request answered as it was sent: it counts as sent, never as pending.
    pub fn answered_at_once(&self) {
        self.started.set(self.started.get() + 1);
    }

    /// A request about `call` is answered (or waits, held, for virtual time to pass).
    pub fn end(&self, call: &str) {
        let mut pending = self.pending.borrow_mut();
        if let Some(at) = pending.iter().position(|(own, _)| own == call) {
            pending[at].1 -= 1;
            if pending[at].1 == 0 {
                pending.swap_remove(at);
            }
        }
    }

    /// The requests pending.
    pub fn pending(&self) -> u64 {
        self.pending.borrow().iter().map(|(_, n)| n).sum()
    }

    /// The requests pending about `call` or about no call.
    pub fn pending_of(&self, call: &str) -> u64 {
        self.pending.borrow().iter().filter(|(own, _)| own == call || own.is_empty()).map(|(_, n)| n).sum()
    }

    /// Hands each held request its answer, now that the clock has reached it.
    pub fn answer_held(&self, answers: Vec<(u64, Routed)>) {
        for (ticket, routed) in answers {
            self.answered.borrow_mut().push((ticket, routed));
            if let Some(wake) = take(&self.waiting, ticket) {
                let _ = wake.call0(&JsValue::UNDEFINED);
            }
        }
    }

    /// A held request about `call` is answered: pending again until the bot has its answer.
    fn resume(&self, call: &str) {
        let mut pending = self.pending.borrow_mut();
        match pending.iter_mut().find(|(own, _)| own == call) {
            Some((_, n)) => *n += 1,
            None => pending.push((call.to_owned(), 1)),
        }
    }

    /// A promise that resolves when the wait `ticket` ends.
    pub fn sleep(&self, ticket: u64) -> Promise {
        Promise::new(&mut |resolve, _reject| {
            self.sleeping.borrow_mut().push((ticket, resolve));
        })
    }

    /// Ends the waits the clock has reached.
    pub fn wake(&self, tickets: Vec<u64>) {
        for ticket in tickets {
            if let Some(wake) = take(&self.sleeping, ticket) {
                let _ = wake.call0(&JsValue::UNDEFINED);
            }
        }
    }

    /// Drops what the run before a reset was waiting for: held requests are told they lost
    /// their answer; the bot's waits of that run never end.
    pub fn forget(&self) {
        self.answered.borrow_mut().clear();
        self.sleeping.borrow_mut().clear();
        let waiting = std::mem::take(&mut *self.waiting.borrow_mut());
        for (_, wake) in waiting {
            let _ = wake.call0(&JsValue::UNDEFINED);
        }
    }

    /// Waits, not counted as busy, until the answer of `ticket` is given.
    pub async fn held(&self, ticket: u64, call: &str) -> Result<Routed, JsValue> {
        // Answered already (the clock moved before this waited).
        if let Some(routed) = take(&self.answered, ticket) {
            return Ok(routed);
        }
        let mut wake = None;
        let promise = Promise::new(&mut |resolve, _reject| wake = Some(resolve));
        if let Some(wake) = wake {
            self.waiting.borrow_mut().push((ticket, wake));
        }
        self.end(call);
        JsFuture::from(promise).await?;
        self.resume(call);
        take(&self.answered, ticket).ok_or_else(|| js_sys::Error::new("a held request lost its answer").into())
    }
}

/// A simulator's `fetch`: made on first use (most simulators never need one), then the same
/// function every time. It is owned by JS (a bot may keep it after the simulator is gone);
/// once the simulator is freed, which drops this, it rejects with `invalidState`.
pub struct BoundFetch {
    function: RefCell<Option<JsValue>>,
    alive: Rc<Cell<bool>>,
    /// How busy the bot is with it (what `GraphSimulator.run` waits on).
    pub activity: Rc<Activity>,
}

impl BoundFetch {
    pub fn new() -> Self {
        BoundFetch { function: RefCell::new(None), alive: Rc::new(Cell::new(true)), activity: Rc::default() }
    }

    /// The function, bound to `service` the first time.
    pub fn get(&self, service: impl FnOnce() -> Rc<RefCell<dyn Service>>) -> JsValue {
        let mut slot = self.function.borrow_mut();
        slot.get_or_insert_with(|| bound_fetch(service(), self.activity.clone(), self.alive.clone())).clone()
    }
}

impl Drop for BoundFetch {
    fn drop(&mut self) {
        self.alive.set(false);
    }
}

fn bound_fetch(service: Rc<RefCell<dyn Service>>, activity: Rc<Activity>, alive: Rc<Cell<bool>>) -> JsValue {
    let fetch = Closure::<dyn Fn(JsValue, JsValue) -> Promise>::new(move |input: JsValue, init: JsValue| {
        if !alive.get() {
            let freed: JsValue =
                crate::Error::invalid_state("this simulator was freed; its fetch answers no more").into();
            return Promise::reject(&freed);
        }
        let service = service.clone();
        let activity = activity.clone();
        // The URL is read from the Request once: it names the call and goes to the service.
        let request = new_request(&input, &init).map(|request| {
            let url = request.url();
            (request, url)
        });
        let call = request.as_ref().map(|(_, url)| call_of(url)).unwrap_or_default();
        activity.begin(&call);
        // A request whose body is at hand reaches the service as fetch is called, so that a
        // driver moving the clock right after it finds it there.
        let sent = request.and_then(|(request, url)| {
            let body = body_at_hand(&request, &init);
            Ok(match body {
                Some(body) => {
                    let (submitted, journaled) = submit(&service, &request, url, body)?;
                    Sent::Submitted(submitted, journaled)
                }
                None => Sent::Reading(request, url),
            })
        });
        answer_later(service, activity, call, sent, as_response)
    });
    fetch.into_js_value()
}

/// How a caller takes Graph's answer: as a `Response` (`fetch`), or as its parts (the
/// emulator's `__serve`).
pub type Reply = fn(&Rc<RefCell<dyn Service>>, Routed) -> Result<JsValue, JsValue>;

/// A promise of Graph's answer to a request about `call` (its body maybe still to be read, its
/// answer maybe held), as `reply` makes it; in the journal, and the request no longer pending
/// once answered.
pub fn answer_later(
    service: Rc<RefCell<dyn Service>>,
    activity: Rc<Activity>,
    call: String,
    sent: Result<Sent, JsValue>,
    reply: Reply,
) -> Promise {
    future_to_promise(async move {
        let answered = answer(&service, &activity, &call, sent, reply).await;
        activity.end(&call);
        answered
    })
}

/// A request given to the service, or one (with its URL) whose body is still to be read.
pub enum Sent {
    Submitted(Submitted, Journaled),
    Reading(web_sys::Request, String),
}

/// The body, when it can be had without waiting: none, or the string `init` gave.
fn body_at_hand(request: &web_sys::Request, init: &JsValue) -> Option<String> {
    let stream = Reflect::get(request, &JsValue::from_str("body")).ok()?;
    if stream.is_null() || stream.is_undefined() {
        return Some(String::new());
    }
    let given =
        if init.is_object() { Reflect::get(init, &JsValue::from_str("body")).ok()? } else { JsValue::UNDEFINED };
    given.as_string()
}

fn submit(
    service: &Rc<RefCell<dyn Service>>,
    request: &web_sys::Request,
    url: String,
    body: String,
) -> Result<(Submitted, Journaled), JsValue> {
    let http = HttpRequest { method: request.method(), url, headers: header_pairs(&request.headers())?, body };
    // The borrow lives for this block only.
    let mut service = borrow_mut(service, "simulator")?;
    let journaled = journal_request(&mut *service, &http);
    Ok((service.submit(&http), journaled))
}

/// A request the bot sent, in the service's journal (if it keeps one) as it arrives.
pub fn journal_request(service: &mut dyn Service, http: &HttpRequest) -> Journaled {
    let wall_time = js_sys::Date::now();
    service.journal().map(|(journal, at)| {
        let HttpRequest { method, url, headers, body } = http;
        let sent = JournalSent { kind: EntryKind::Request, at, wall_time, call_id: None, method, url, headers, body };
        (journal.sent(sent), wall_time)
    })
}

/// Writes Graph's answer (or why there is none) into the journal entry of its request.
pub fn journal_answer(
    service: &Rc<RefCell<dyn Service>>,
    journaled: Journaled,
    routed: &Routed,
) -> Result<(), JsValue> {
    let Some((seq, sent_at)) = journaled else { return Ok(()) };
    let mut service = borrow_mut(service, "simulator")?;
    let Some((journal, now)) = service.journal() else { return Ok(()) };
    let latency_ms = js_sys::Date::now() - sent_at;
    let answer = match routed {
        Routed::Answer(HttpAnswer { status, body, .. }) => Answer {
            answered_at: now,
            latency_ms,
            status: Some(*status),
            response: match body {
                Body::Text(text) => Some(text.clone()),
                Body::Bytes(bytes) => Some(format!("({} bytes)", bytes.len())),
            },
            error: None,
        },
        Routed::ForeignHost(host) => Answer {
            answered_at: now,
            latency_ms,
            status: None,
            response: None,
            error: Some(format!("{host} is another host")),
        },
    };
    journal.answered(seq, answer);
    Ok(())
}

async fn answer(
    service: &Rc<RefCell<dyn Service>>,
    activity: &Activity,
    call: &str,
    sent: Result<Sent, JsValue>,
    reply: Reply,
) -> Result<JsValue, JsValue> {
    let (submitted, journaled) = match sent? {
        Sent::Submitted(submitted, journaled) => (submitted, journaled),
        Sent::Reading(request, url) => {
            let body = JsFuture::from(request.text()?).await?.as_string().unwrap_or_default();
            submit(service, &request, url, body)?
        }
    };
    let routed = match submitted {
        Submitted::Answered(routed) => routed,
        Submitted::Later { ticket, .. } => activity.held(ticket, call).await?,
    };
    journal_answer(service, journaled, &routed)?;
    reply(service, routed)
}

/// `fetch`'s reply: a `Response`, or the `TypeError` of a request to another host.
fn as_response(service: &Rc<RefCell<dyn Service>>, routed: Routed) -> Result<JsValue, JsValue> {
    match routed {
        Routed::Answer(answer) => response(answer),
        Routed::ForeignHost(host) => {
            let origin = borrow(service, "simulator")?.origin();
            Err(js_sys::TypeError::new(&format!(
                "graph-ivr's fetch answers {origin} and the recordings it made; {host} is another host (fetch it with the platform's own fetch)"
            ))
            .into())
        }
    }
}

/// `new Request(input, init)`: exactly how `fetch` reads its arguments.
fn new_request(input: &JsValue, init: &JsValue) -> Result<web_sys::Request, JsValue> {
    let class = Reflect::get(&js_sys::global(), &JsValue::from_str("Request"))?;
    let class: Function = class.dyn_into().map_err(|_| js_sys::TypeError::new("this platform has no Request class"))?;
    let args = if init.is_undefined() { Array::of1(input) } else { Array::of2(input, init) };
    Reflect::construct(&class, &args)?.dyn_into::<web_sys::Request>()
}

/// The `[name, value]` pairs of `Headers` (names lowercased, as `Headers` keeps them).
fn header_pairs(headers: &web_sys::Headers) -> Result<Vec<(String, String)>, JsValue> {
    let mut pairs = Vec::new();
    if let Some(entries) = js_sys::try_iter(headers)? {
        for entry in entries {
            let entry: Array = entry?.unchecked_into();
            pairs.push((entry.get(0).as_string().unwrap_or_default(), entry.get(1).as_string().unwrap_or_default()));
        }
    }
    Ok(pairs)
}

/// A real `Response` of an answer (a `null` body when there is none: 202, 204).
pub fn response(answer: HttpAnswer) -> Result<JsValue, JsValue> {
    let headers = web_sys::Headers::new()?;
    for (name, value) in &answer.headers {
        headers.append(name, value.as_str().unwrap_or_default())?;
    }
    let init = web_sys::ResponseInit::new();
    init.set_status(answer.status);
    init.set_headers(&headers);
    let response = match answer.body {
        Body::Text(text) if text.is_empty() => web_sys::Response::new_with_opt_str_and_init(None, &init)?,
        Body::Text(text) => web_sys::Response::new_with_opt_str_and_init(Some(&text), &init)?,
        Body::Bytes(bytes) => {
            let array = js_sys::Uint8Array::from(bytes.as_slice());
            web_sys::Response::new_with_opt_buffer_source_and_init(Some(&array), &init)?
        }
    };
    Ok(response.into())
}
