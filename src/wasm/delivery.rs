//! Getting notifications to a bot: `deliverOverHttp()` POSTs each delivery to its call's
//! `callbackUri` as live Graph does, through the platform's transport as it was when the module
//! loaded (`node:http` in Node, js/node-post.js; `fetch` elsewhere: a test that then sets
//! `globalThis.fetch = graph.fetch` still reaches its bot) or the caller's `fetch`, with a
//! timeout; anything but a 2xx is a `deliveryFailed` error naming the call, the notification and
//! the status. Also the timers the driver waits on.

use std::cell::RefCell;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use crate::error::Error;
use crate::input::Dictionary;
use crate::sim::whole_number;

use super::convert::to_input;
use super::or_undefined;

/// Milliseconds a bot has to answer a callback POST by default.
const DEFAULT_TIMEOUT_MS: u64 = 10_000;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);

    #[wasm_bindgen(typescript_type = "DeliverOverHttpOptions")]
    pub type DeliverOverHttpOptionsJs;
}

thread_local! {
    /// The platform's transport as it was when the package entry was loaded (before a test may
    /// have put a simulator's `fetch` in its place): fetch-shaped, whatever carries it.
    static PLATFORM_FETCH: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Keeps the platform's transport (the entry picks it in JS as it loads: a start function here
/// cost a tenth of the module's import time, most of it js-sys finding the global object).
pub(super) fn remember_platform_fetch(fetch: Option<Function>) {
    PLATFORM_FETCH.with(|slot| *slot.borrow_mut() = fetch);
}

thread_local! {
    /// Node's `setImmediate` (a turn after pending I/O, without a timer's millisecond floor);
    /// `None` in browsers, which take a timer.
    static SET_IMMEDIATE: Option<Function> =
        js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("setImmediate")).ok().and_then(|f| f.dyn_into().ok());
}

thread_local! {
    /// Node's `process.getActiveResourcesInfo` (`None` elsewhere): whether a timer is pending.
    static ACTIVE_RESOURCES: Option<Function> = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("process"))
        .and_then(|process| js_sys::Reflect::get(&process, &JsValue::from_str("getActiveResourcesInfo")))
        .ok()
        .and_then(|f| f.dyn_into().ok());
}

/// Whether a timer may be pending: Node says; elsewhere, assume one is.
pub fn timers_pending() -> bool {
    ACTIVE_RESOURCES.with(|info| match info {
        Some(info) => info
            .call0(&JsValue::UNDEFINED)
            .ok()
            .map(|list| js_sys::Array::from(&list).iter().any(|kind| kind.as_string().as_deref() == Some("Timeout")))
            .unwrap_or(true),
        None => true,
    })
}

/// A promise that resolves on a timer's turn of the event loop (a millisecond in Node).
pub async fn timer_turn() {
    let promise = Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, 0.0);
    });
    let _ = JsFuture::from(promise).await;
}

/// A promise that resolves on a later turn of the event loop, after pending I/O.
pub async fn next_turn() {
    let promise = Promise::new(&mut |resolve, _| {
        SET_IMMEDIATE.with(|immediate| match immediate {
            Some(immediate) => {
                let _ = immediate.call1(&JsValue::UNDEFINED, &resolve);
            }
            None => {
                set_timeout(&resolve, 0.0);
            }
        });
    });
    let _ = JsFuture::from(promise).await;
}

/// Returns `(d) => Promise<void>` that POSTs a delivery to its `url` with its `headers`. It
/// resolves with the bot's 2xx status, which `graph.run` writes into the journal.
/// `signWith` is the caller's object (a CallbackSigner): the options are read key by key.
const DELIVER_OPTIONS: Dictionary<'static> =
    Dictionary::options("deliverOverHttp", &["timeoutMs", "signWith", "fetch", "concurrency"]);

/// Calls whose callbacks of one instant go out at once by default: enough to keep a loopback
/// bot busy, few enough not to flood one.
const DEFAULT_CONCURRENCY: u64 = 16;

#[wasm_bindgen(js_name = deliverOverHttp, unchecked_return_type = "(delivery: Delivery) => Promise<void>")]
pub fn deliver_over_http(options: Option<DeliverOverHttpOptionsJs>) -> Result<JsValue, Error> {
    // signWith is an object of the caller's (a CallbackSigner): the options are read key by
    // key, not converted whole.
    let options = or_undefined(options);
    let timeout_ms = if options.is_undefined() || options.is_null() {
        DEFAULT_TIMEOUT_MS
    } else if options.is_object() && !js_sys::Array::is_array(&options) {
        let keys = js_sys::Object::keys(options.unchecked_ref::<js_sys::Object>());
        let keys: Vec<String> = keys.iter().filter_map(|k| k.as_string()).collect();
        if let Some(unknown) = DELIVER_OPTIONS.unknown(keys.iter().map(String::as_str), "").next() {
            return Err(unknown.into_error());
        }
        let timeout = super::convert::property(&options, "timeoutMs")
            .map_err(|why| Error::invalid_argument("/timeoutMs", why))?;
        match to_input(&timeout).map_err(|e| Error::invalid_argument(format!("/timeoutMs{}", e.path), e.message))? {
            absent if absent.is_absent() => DEFAULT_TIMEOUT_MS,
            value => whole_number(&value, "/timeoutMs", 1, 3_600_000)?,
        }
    } else {
        return Err(Error::invalid_argument(
            "",
            format!("options must be an object, got {}", to_input(&options)?.type_name()),
        ));
    };
    let concurrency = whole_option(&options, "concurrency", DEFAULT_CONCURRENCY, 1_000)?;
    let signer = signer_of(&options)?;
    let named_signer = signer.as_ref().map(|(object, _)| object.clone());
    let fetch = match fetch_of(&options)? {
        Some(fetch) => fetch,
        None => PLATFORM_FETCH.with(|slot| slot.borrow().clone()).ok_or_else(|| {
            Error::invalid_state("this platform has no fetch to deliver with: pass deliverOverHttp({fetch})")
        })?,
    };
    let deliver = Closure::<dyn Fn(JsValue) -> Promise>::new(move |delivery: JsValue| {
        let fetch = fetch.clone();
        let signer = signer.clone();
        future_to_promise(async move {
            let token = match &signer {
                Some((object, sign)) => Some(token(object, sign).await?),
                None => None,
            };
            post(&fetch, &delivery, timeout_ms, token).await.map(JsValue::from).map_err(JsValue::from)
        })
    });
    let deliver = deliver.into_js_value();
    // `graph.run(ms, deliver)` delivers this many calls' callbacks of one instant at once.
    let _ = Reflect::set(&deliver, &concurrency_key(), &JsValue::from(concurrency as f64));
    // `graph.run(ms, deliver)` serves this signer's keys to the bot (GraphSimulator `signer`).
    if let Some(signer) = named_signer {
        let _ = Reflect::set(&deliver, &signer_key(), &signer);
    }
    Ok(deliver)
}

/// The key under which `deliverOverHttp({concurrency})` says how many calls it takes at once.
pub(super) fn concurrency_key() -> JsValue {
    js_sys::Symbol::for_("graph-ivr.concurrency").into()
}

/// The key under which a `deliver` function says that each call has a bot of its own (the
/// emulator's): `graph.run` then waits, after a callback, for that call's bot only.
pub(super) fn bot_per_call_key() -> JsValue {
    js_sys::Symbol::for_("graph-ivr.botPerCall").into()
}

/// The key under which `deliverOverHttp({signWith})` names its signer on the function it makes
/// (`graph.run` and the explorer read it).
pub(super) fn signer_key() -> JsValue {
    js_sys::Symbol::for_("graph-ivr.signer").into()
}

/// `signWith`: an object with a `sign()` method (a `CallbackSigner`, or the bot's own).
fn signer_of(options: &JsValue) -> Result<Option<(JsValue, Function)>, Error> {
    if !options.is_object() {
        return Ok(None);
    }
    let signer =
        super::convert::property(options, "signWith").map_err(|why| Error::invalid_argument("/signWith", why))?;
    if signer.is_undefined() {
        return Ok(None);
    }
    let sign = Reflect::get(&signer, &JsValue::from_str("sign")).ok().and_then(|f| f.dyn_into::<Function>().ok());
    match sign {
        Some(sign) if signer.is_object() => Ok(Some((signer, sign))),
        _ => Err(Error::invalid_argument("/signWith", "signWith is a signer: createCallbackSigner() makes one")),
    }
}

/// A whole-number option from 1 to `max`, or `default` when absent.
fn whole_option(options: &JsValue, key: &str, default: u64, max: u64) -> Result<u64, Error> {
    if !options.is_object() {
        return Ok(default);
    }
    let path = format!("/{key}");
    let value = super::convert::property(options, key).map_err(|why| Error::invalid_argument(&path, why))?;
    match to_input(&value).map_err(|e| Error::invalid_argument(format!("{path}{}", e.path), e.message))? {
        absent if absent.is_absent() => Ok(default),
        value => whole_number(&value, &path, 1, max),
    }
}

/// `fetch`: the caller's own fetch to POST with (a proxy, a mock agent), else the platform's.
fn fetch_of(options: &JsValue) -> Result<Option<Function>, Error> {
    if !options.is_object() {
        return Ok(None);
    }
    let fetch = super::convert::property(options, "fetch").map_err(|why| Error::invalid_argument("/fetch", why))?;
    if fetch.is_undefined() {
        return Ok(None);
    }
    fetch.dyn_into::<Function>().map(Some).map_err(|_| {
        Error::invalid_argument(
            "/fetch",
            "fetch is a function (url, init) => Promise<Response>, such as globalThis.fetch",
        )
    })
}

/// A token from the signer, or a `deliveryFailed` error saying why there is none.
async fn token(signer: &JsValue, sign: &Function) -> Result<String, Error> {
    let signed = match sign.call0(signer) {
        Ok(promise) => JsFuture::from(Promise::resolve(&promise)).await,
        Err(err) => Err(err),
    };
    signed
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| Error::delivery_failed("signWith.sign() did not resolve a token string"))
}

/// A string property of the delivery object, or an error naming it.
fn field(delivery: &JsValue, key: &str) -> Result<String, Error> {
    Reflect::get(delivery, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.as_string())
        .ok_or_else(|| Error::invalid_argument(format!("/{key}"), format!("a delivery has a string {key}")))
}

/// What the delivery is, for messages: `call c1: deleted /communications/calls/…`.
fn describe(delivery: &JsValue, call_id: &str) -> String {
    let first = Reflect::get(delivery, &JsValue::from_str("value"))
        .and_then(|v| Reflect::get(&v, &JsValue::from_str("value")))
        .and_then(|items| Reflect::get_u32(&items, 0))
        .unwrap_or(JsValue::UNDEFINED);
    let text =
        |key: &str| Reflect::get(&first, &JsValue::from_str(key)).ok().and_then(|v| v.as_string()).unwrap_or_default();
    format!("the {} notification of {} (call {call_id})", text("changeType"), text("resourceUrl"))
}

/// The bot's status, when 2xx.
async fn post(fetch: &Function, delivery: &JsValue, timeout_ms: u64, token: Option<String>) -> Result<u16, Error> {
    if !delivery.is_object() {
        return Err(Error::invalid_argument("", "deliver() takes a delivery {url, headers, body, callId}"));
    }
    let url = field(delivery, "url")?;
    // The body goes from the delivery to the POST as the string it is, never copied through wasm.
    let body = Reflect::get(delivery, &JsValue::from_str("body"))
        .ok()
        .filter(JsValue::is_string)
        .ok_or_else(|| Error::invalid_argument("/body", "a delivery has a string body"))?;
    let call_id = field(delivery, "callId").unwrap_or_default();
    // Named for messages only: reading it parses the body, which a POST that succeeds never needs.
    let what = || describe(delivery, &call_id);
    let headers = web_sys::Headers::new().map_err(|_| Error::invalid_state("cannot make Headers"))?;
    if let Ok(given) = Reflect::get(delivery, &JsValue::from_str("headers")) {
        if given.is_object() {
            for key in Object::keys(given.unchecked_ref::<Object>()).iter() {
                let name = key.as_string().unwrap_or_default();
                let value = Reflect::get(&given, &key).ok().and_then(|v| v.as_string()).unwrap_or_default();
                headers
                    .append(&name, &value)
                    .map_err(|_| Error::invalid_argument(format!("/headers/{name}"), "not a valid header"))?;
            }
        }
    }
    if let Some(token) = token {
        headers
            .set("Authorization", &format!("Bearer {token}"))
            .map_err(|_| Error::delivery_failed("the signer's token is not a valid header value"))?;
    }
    let abort = web_sys::AbortController::new().map_err(|_| Error::invalid_state("cannot make an AbortController"))?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&body);
    init.set_signal(Some(&abort.signal()));
    let on_timeout = Closure::once_into_js(move || abort.abort());
    let timer = set_timeout(on_timeout.unchecked_ref(), timeout_ms as f64);
    // The POST's own socket keeps Node running: its deadline must not count as the bot's
    // pending work when the driver looks for some (`timers_pending`).
    if let Ok(unref) = Reflect::get(&timer, &JsValue::from_str("unref")).and_then(|f| f.dyn_into::<Function>()) {
        let _ = unref.call0(&timer);
    }
    let sent = fetch.call2(&JsValue::UNDEFINED, &JsValue::from_str(&url), &init);
    let answered = match sent {
        Ok(promise) => JsFuture::from(Promise::resolve(&promise)).await,
        Err(err) => Err(err),
    };
    let result = match answered {
        Ok(response) => {
            let response: web_sys::Response = response.unchecked_into();
            let status = response.status();
            // Read the body to its end, so the connection is free for the next POST.
            if let Ok(text) = response.text() {
                let _ = JsFuture::from(text).await;
            }
            if (200..300).contains(&status) {
                Ok(status)
            } else {
                Err(Error::delivery_failed(format!(
                    "{url} answered {} with HTTP {status}; a bot acknowledges a callback with 2xx",
                    what()
                )))
            }
        }
        Err(err) => {
            let reason = err
                .dyn_ref::<js_sys::Error>()
                .map(|e| {
                    let cause = Reflect::get(e, &JsValue::from_str("cause"))
                        .ok()
                        .and_then(|c| c.dyn_ref::<js_sys::Error>().map(|c| String::from(c.message())))
                        .map(|c| format!(" ({c})"))
                        .unwrap_or_default();
                    format!("{}{cause}", String::from(e.message()))
                })
                .unwrap_or_else(|| "it failed".into());
            let aborted = err.dyn_ref::<js_sys::Error>().is_some_and(|e| e.name() == "AbortError");
            if aborted {
                Err(Error::delivery_failed(format!("{url} did not answer {} within {timeout_ms} ms", what())))
            } else {
                Err(Error::delivery_failed(format!("{url} could not be reached with {}: {reason}", what())))
            }
        }
    };
    clear_timeout(&timer);
    result
}
