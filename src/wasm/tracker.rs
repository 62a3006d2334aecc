//! `OperationTracker`, `parseResourceUrl` and `sameId`: reading what arrives.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use crate::error::Error;
use crate::input::{Input, Shown};
use crate::model::ids::{same_id, ResourceIds};
use crate::track::{Tracker, TrackerState};
use crate::validate::{validate_request, Mode, Severity};

use super::borrow_mut;
use super::convert::{payload_text, property, to_input, to_js};

// Optional arguments: typed here, marked `?` in the .d.ts.
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "TrackerState | string")]
    pub type TrackerStateArg;
    #[wasm_bindgen(typescript_type = "GraphResponse | OperationResponseInput")]
    pub type ResponseArg;
    #[wasm_bindgen(typescript_type = "string")]
    pub type CallIdArg;
}

/// Feeds it what the bot sent and what Graph POSTed back, in any order, with repeats; it
/// answers with typed events and keeps a state that is plain JSON (`toJSON()`).
#[wasm_bindgen(js_name = OperationTracker)]
pub struct OperationTrackerJs {
    tracker: RefCell<Tracker>,
}

const WHAT: &str = "OperationTracker";

#[wasm_bindgen(js_class = OperationTracker)]
impl OperationTrackerJs {
    /// A new tracker, or one that continues from a state `toJSON()` wrote (the object, or its
    /// JSON text). A state of another shape or version is refused, never misread.
    #[wasm_bindgen(constructor)]
    pub fn new(state: Option<TrackerStateArg>) -> Result<OperationTrackerJs, Error> {
        let state: JsValue = state.map_or(JsValue::UNDEFINED, Into::into);
        let tracker = if state.is_undefined() || state.is_null() {
            Tracker::new()
        } else {
            let text = match state.as_string() {
                Some(text) => text,
                None => match payload_text(&state) {
                    Ok((text, _)) => text,
                    Err(why) => return Err(Error::invalid_argument("", format!("the state cannot be read: {why}"))),
                },
            };
            Tracker::from_state(TrackerState::from_json(&text)?)
        };
        Ok(OperationTrackerJs { tracker: RefCell::new(tracker) })
    }

    /// The bot sent `request` (what a builder made, or any `{method, url, body}` of a media
    /// action); `response` is what the POST answered (`{status, headers, body}`), when known.
    /// A fetch `Response` is refused (its body is read once, asynchronously): pass
    /// `{status: r.status, body: await r.text()}`.
    #[wasm_bindgen(unchecked_return_type = "TrackerEvent[]")]
    pub fn sent(
        &self,
        #[wasm_bindgen(unchecked_param_type = "GraphRequest | RequestInput")] request: JsValue,
        response: Option<ResponseArg>,
    ) -> Result<JsValue, Error> {
        let response: JsValue = response.map_or(JsValue::UNDEFINED, Into::into);
        let request = to_input(&request)?;
        let report = validate_request(&request, Mode::Tolerant);
        let Some(parsed) = report.value else {
            let first = report.issues.iter().find(|i| i.severity == Severity::Error);
            return Err(match first {
                Some(issue) => Error::invalid_argument(
                    issue.path.clone(),
                    format!("sent() takes the request of a media action: {}", issue.message),
                ),
                None => Error::invalid_argument("", "sent() takes the request of a media action"),
            });
        };
        let response = if response.is_undefined() || response.is_null() {
            None
        } else if response.is_instance_of::<web_sys::Response>() {
            // Its body can only be read asynchronously, and only once: the caller reads it.
            return Err(Error::invalid_argument(
                "/response",
                "sent() takes the response as {status, headers, body}: for a fetch Response, pass \
                 {status: r.status, headers: Object.fromEntries(r.headers), body: await r.text()}",
            ));
        } else {
            let input =
                to_input(&response).map_err(|e| Error::invalid_argument(format!("/response{}", e.path), e.message))?;
            if !matches!(input, Input::Object(_)) {
                return Err(Error::invalid_argument(
                    "/response",
                    format!("the response is {{status, headers, body}}, got {}", Shown(&input)),
                ));
            }
            Some(input)
        };
        let events = borrow_mut(&self.tracker, WHAT)?.sent(&parsed.request, response.as_ref());
        to_js(&events)
    }

    /// A callback POST's body: JSON text, its bytes, the parsed object, or a simulator's
    /// `Delivery` (its `body` is read).
    #[wasm_bindgen(unchecked_return_type = "TrackerEvent[]")]
    pub fn received(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | ArrayBuffer | object | Delivery")]
        payload: JsValue,
    ) -> Result<JsValue, Error> {
        let text = match delivery_body(&payload) {
            Some(body) => Ok((body, None)),
            None => payload_text(&payload),
        };
        let mut tracker = borrow_mut(&self.tracker, WHAT)?;
        let events = match text {
            Ok((text, _)) => tracker.received_batch(&text),
            Err(why) => tracker.unreadable(&why).into_iter().map(|event| (None, event)).collect(),
        };
        events_in_batch(&events)
    }

    /// The call ended: every operation still open on it is `orphaned`.
    #[wasm_bindgen(js_name = callEnded, unchecked_return_type = "TrackerEvent[]")]
    pub fn call_ended(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] call_id: JsValue,
    ) -> Result<JsValue, Error> {
        let call_id = id_argument(&call_id, "callId")?;
        let events = borrow_mut(&self.tracker, WHAT)?.call_ended(&call_id);
        to_js(&events)
    }

    /// Operations whose outcome is still to come, of one call (ids compared canonically) or all.
    #[wasm_bindgen(unchecked_return_type = "TrackedOperation[]")]
    pub fn pending(&self, call_id: Option<CallIdArg>) -> Result<JsValue, Error> {
        let call_id = match call_id {
            None => None,
            Some(id) => Some(id_argument(&id.into(), "callId")?),
        };
        let pending = borrow_mut(&self.tracker, WHAT)?.pending(call_id.as_deref());
        to_js(&pending)
    }

    /// Drops everything known of a call, to bound the state of a long-lived bot.
    pub fn forget(&self, #[wasm_bindgen(unchecked_param_type = "string")] call_id: JsValue) -> Result<(), Error> {
        let call_id = id_argument(&call_id, "callId")?;
        borrow_mut(&self.tracker, WHAT)?.forget(&call_id);
        Ok(())
    }

    /// The state as plain JSON: `new OperationTracker(state)` continues from it.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "TrackerState")]
    pub fn to_json(&self) -> Result<JsValue, Error> {
        to_js(borrow_mut(&self.tracker, WHAT)?.state())
    }
}

/// The `body` of a `Delivery` (`{at, callId, url, headers, body, value}`), not its JSON.
fn delivery_body(payload: &JsValue) -> Option<String> {
    if !payload.is_object() {
        return None;
    }
    let text = |key: &str| property(payload, key).ok().and_then(|v| v.as_string());
    let looks_like_delivery = text("url").is_some() && text("callId").is_some();
    looks_like_delivery.then(|| text("body")).flatten()
}

/// An id argument: a non-empty string.
fn id_argument(value: &JsValue, name: &str) -> Result<String, Error> {
    match value.as_string() {
        Some(id) if !id.is_empty() => Ok(id),
        _ => Err(Error::invalid_argument("", format!("{name} must be a non-empty string"))),
    }
}

/// The ids a Graph resource URL names: an absolute URL (`version` set) or a notification's
/// `resourceUrl`, under `/communications/calls/` or the legacy `/app/calls/`; `undefined` when
/// it names no call.
#[wasm_bindgen(js_name = parseResourceUrl, unchecked_return_type = "ResourceIds | undefined")]
pub fn parse_resource_url(#[wasm_bindgen(unchecked_param_type = "string")] url: JsValue) -> Result<JsValue, Error> {
    let Some(url) = url.as_string() else {
        return Err(Error::invalid_argument("", "parseResourceUrl() takes a URL string"));
    };
    match ResourceIds::parse(&url) {
        Some(ids) => to_js(&ids),
        None => Ok(JsValue::UNDEFINED),
    }
}

/// The events of `received` as JS, each with the index of its notification in the batch
/// (`duplicate` and `unmatched` name theirs already): the index goes into each event's JSON
/// object before its closing brace.
fn events_in_batch(events: &[(Option<usize>, crate::track::TrackerEvent)]) -> Result<JsValue, Error> {
    use crate::track::TrackerEvent;
    let mut text = String::from("[");
    for (i, (index, event)) in events.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        let one = serde_json::to_string(event)
            .map_err(|e| Error::invalid_state(format!("internal: cannot serialize an event: {e}")))?;
        let named = matches!(event, TrackerEvent::Duplicate(_) | TrackerEvent::Unmatched(_));
        match index.filter(|_| !named) {
            Some(index) if one.ends_with('}') => {
                text.push_str(&one[..one.len() - 1]);
                text.push_str(&format!(",\"index\":{index}}}"));
            }
            _ => text.push_str(&one),
        }
    }
    text.push(']');
    js_sys::JSON::parse(&text).map_err(|_| Error::invalid_state("internal: the events are not JSON"))
}

/// The form `sameId` compares: a GUID lowercase and hyphenated (`57dab8b1-894c-…`, whichever way
/// Graph spelled it), any other id as it is. A key for a bot's own `Map` of calls.
#[wasm_bindgen(js_name = canonicalId)]
pub fn canonical_id_js(#[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Result<String, Error> {
    id.as_string()
        .map(|id| crate::model::ids::canonical_id(&id))
        .ok_or_else(|| Error::invalid_argument("", "canonicalId() takes an id string"))
}

/// Whether two ids name the same thing: GUIDs in any case, with or without hyphens or braces;
/// other ids exactly.
#[wasm_bindgen(js_name = sameId)]
pub fn same_id_js(
    #[wasm_bindgen(unchecked_param_type = "string")] a: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] b: JsValue,
) -> Result<bool, Error> {
    match (a.as_string(), b.as_string()) {
        (Some(a), Some(b)) => Ok(same_id(&a, &b)),
        (None, _) => Err(Error::invalid_argument("/0", "sameId() takes two id strings")),
        (_, None) => Err(Error::invalid_argument("/1", "sameId() takes two id strings")),
    }
}
