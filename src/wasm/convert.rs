//! Crossing the boundary, and the one error convention of the JS API.
//!
//! In: any JS value becomes an [`Input`] (every property read through `Reflect`, so throwing
//! getters and Proxies become errors instead of exceptions unwinding through Rust frames;
//! objects that are not plain — a `Map`, a `Date`, a class instance — are refused by name).
//! Payloads for validators become JSON text: strings as given, bytes (`Uint8Array`, `Buffer`,
//! `ArrayBuffer`) decoded as UTF-8, other values through `JSON.stringify`.
//! Out: results are serialized to JSON and handed to `JSON.parse`, which builds plain objects
//! (an own `__proto__` key stays a key, never a prototype).
//! Errors: `impl From<Error> for JsValue` makes every refusal a `GraphIvrError` (the class
//! the package entry registers), so exports just return `Result<_, Error>`.

use std::cell::RefCell;

use js_sys::{Array, ArrayBuffer, Function, JsString, Reflect, Uint8Array, JSON};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::contract::pointer::escape_token;
use crate::error::{Error, ErrorCode};
use crate::input::Input;

/// Deeper option objects than this are refused (no option is nested beyond 4 levels).
const MAX_INPUT_DEPTH: usize = 32;
/// Arrays and objects with more entries than this are refused before they are copied.
const MAX_INPUT_ENTRIES: u32 = 100_000;
/// Payload bytes beyond this are not copied in (the validators refuse over 1 MiB anyway).
const MAX_PAYLOAD_BYTES: u32 = 16 * 1024 * 1024;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    fn object_keys(target: &JsValue) -> Result<Array, JsValue>;

    #[wasm_bindgen(js_namespace = Object, js_name = getPrototypeOf, catch)]
    fn prototype_of(target: &JsValue) -> Result<JsValue, JsValue>;

    /// `String.prototype.isWellFormed` (ES2024): one native call, where js-sys'
    /// `is_valid_utf16` crosses the boundary once per UTF-16 unit.
    #[wasm_bindgen(js_namespace = ["String", "prototype", "isWellFormed"], js_name = call, catch)]
    fn is_well_formed(text: &JsString) -> Result<bool, JsValue>;
}

thread_local! {
    /// The `GraphIvrError` class of the package entry (`registerErrorClass`).
    static ERROR_CLASS: RefCell<Option<Function>> = const { RefCell::new(None) };
    /// The entry's function that gives deliveries their lazy `value`.
    static DELIVERY_DECORATOR: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// The package entry's function that gives a list of deliveries a `value` parsed from `body`
/// when first read: the notification's JSON crosses the boundary once.
pub(super) fn register_delivery_decorator(decorate: Function) {
    DELIVERY_DECORATOR.with(|slot| *slot.borrow_mut() = Some(decorate));
}

/// Deliveries as JS objects. With the entry's decorator they cross as one flat array —
/// `[at, callId, url, headers (JSON text), body, …]`, each body a string of its own rather
/// than escaped inside another JSON text — and the decorator makes the objects, with `value`
/// parsed from `body` on first read. The entry registers it as it loads, before any export runs.
pub fn deliveries_to_js(deliveries: &[crate::sim::Delivery]) -> Result<JsValue, Error> {
    let decorate = DELIVERY_DECORATOR.with(|slot| slot.borrow().clone());
    let decorate = decorate.ok_or_else(|| Error::invalid_state("internal: the package entry did not register"))?;
    let flat = Array::new_with_length(deliveries.len() as u32 * 5);
    let mut last_headers: Option<(&serde_json::Map<String, serde_json::Value>, JsValue)> = None;
    for (i, d) in deliveries.iter().enumerate() {
        let headers = match &last_headers {
            // Every callback of a run carries the same headers: their text is made once.
            Some((map, text)) if *map == &d.headers => text.clone(),
            _ => {
                let mut text = String::new();
                graph_ivr_json::write::Members::open(&mut text).close(&d.headers);
                let text = JsValue::from_str(&text);
                last_headers = Some((&d.headers, text.clone()));
                text
            }
        };
        let at = i as u32 * 5;
        flat.set(at, JsValue::from_f64(d.at as f64));
        flat.set(at + 1, JsValue::from_str(&d.call_id));
        flat.set(at + 2, JsValue::from_str(&d.url));
        flat.set(at + 3, headers);
        flat.set(at + 4, JsValue::from_str(&d.body));
    }
    decorate
        .call1(&JsValue::UNDEFINED, &flat)
        .map_err(|e| Error::invalid_state(format!("internal: {}", thrown_message(&e))))
}

/// The package entry's `GraphIvrError` class, so that errors made here are instances of it
/// (`err instanceof GraphIvrError`).
pub(super) fn register_error_class(class: Function) {
    ERROR_CLASS.with(|slot| *slot.borrow_mut() = Some(class));
}

impl From<Error> for JsValue {
    /// A `GraphIvrError(code, message, path?, hint?)`, the class the entry registers as it loads
    /// (before any export can run).
    fn from(error: Error) -> JsValue {
        let path = (error.code == ErrorCode::InvalidArgument).then(|| JsValue::from_str(&error.path));
        let args = Array::of4(
            &JsValue::from_str(error.code.as_str()),
            &JsValue::from_str(&error.message),
            path.as_ref().unwrap_or(&JsValue::UNDEFINED),
            &error.hint.as_deref().map_or(JsValue::UNDEFINED, JsValue::from_str),
        );
        let class = ERROR_CLASS.with(|slot| slot.borrow().clone());
        class
            .and_then(|class| Reflect::construct(&class, &args).ok())
            .unwrap_or_else(|| js_sys::Error::new(&error.message).into())
    }
}

/// Whether a JS string is valid UTF-16 (no lone surrogate), so that it converts without loss.
fn well_formed(text: &JsString) -> bool {
    is_well_formed(text).unwrap_or_else(|_| text.is_valid_utf16())
}

/// The message of a thrown JS value.
pub(super) fn thrown_message(err: &JsValue) -> String {
    err.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| err.as_string())
        .unwrap_or_else(|| "it threw".into())
}

/// Whether `err` is graph-ivr's own `invalidState` refusal (a `GraphIvrError`).
fn reentry_refused(err: &JsValue) -> bool {
    let text = |key: &str| Reflect::get(err, &JsValue::from_str(key)).ok().and_then(|v| v.as_string());
    err.is_object()
        && text("name").as_deref() == Some("GraphIvrError")
        && text("code").as_deref() == Some("invalidState")
}

/// Converts a JS value for option parsing.
pub fn to_input(value: &JsValue) -> Result<Input, Error> {
    convert(value, "", 0)
}

fn convert(value: &JsValue, path: &str, depth: usize) -> Result<Input, Error> {
    if value.is_undefined() {
        return Ok(Input::Undefined);
    }
    if value.is_null() {
        return Ok(Input::Null);
    }
    if let Some(b) = value.as_bool() {
        return Ok(Input::Bool(b));
    }
    if let Some(n) = value.as_f64() {
        return Ok(Input::Number(n));
    }
    if let Some(text) = value.dyn_ref::<JsString>() {
        if !well_formed(text) {
            // A lone surrogate cannot be an id, a uri or a header value.
            return Err(Error::invalid_argument(
                path,
                "the string is not well-formed Unicode (it has a lone surrogate)",
            ));
        }
        return Ok(Input::String(String::from(text)));
    }
    if value.is_bigint() {
        return Ok(Input::Other("bigint"));
    }
    if value.is_symbol() {
        return Ok(Input::Other("symbol"));
    }
    if value.is_function() {
        return Ok(Input::Other("function"));
    }
    if depth >= MAX_INPUT_DEPTH {
        return Err(Error::invalid_argument(path, format!("the argument nests deeper than {MAX_INPUT_DEPTH} levels")));
    }
    let unreadable = |at: &str, what: &str, err: JsValue| {
        // A getter that re-entered a simulator and was refused (it freed it mid-call): the
        // refusal itself is the error, not the argument.
        if reentry_refused(&err) {
            return Error::invalid_state(thrown_message(&err));
        }
        Error::invalid_argument(at, format!("cannot read {what}: {}", thrown_message(&err)))
    };
    if Array::is_array(value) {
        let length =
            Reflect::get(value, &JsValue::from_str("length")).map_err(|e| unreadable(path, "the array's length", e))?;
        let length = length.as_f64().unwrap_or(0.0);
        if length > MAX_INPUT_ENTRIES as f64 {
            return Err(Error::invalid_argument(
                path,
                format!("the array has {} entries; at most {MAX_INPUT_ENTRIES} are read", length as u64),
            ));
        }
        let mut items = Vec::with_capacity(length as usize);
        for i in 0..length as u32 {
            let item_path = format!("{path}/{i}");
            let item = Reflect::get_u32(value, i).map_err(|e| unreadable(&item_path, &format!("item {i}"), e))?;
            items.push(convert(&item, &item_path, depth + 1)?);
        }
        return Ok(Input::Array(items));
    }
    if let Some(kind) = not_plain(value).map_err(|e| unreadable(path, "the object's prototype", e))? {
        return Err(Error::invalid_argument(
            path,
            format!("expected a plain object, got {kind} (copy what you mean into an object literal)"),
        ));
    }
    let keys = object_keys(value).map_err(|e| unreadable(path, "the object's keys", e))?;
    if keys.length() > MAX_INPUT_ENTRIES {
        return Err(Error::invalid_argument(
            path,
            format!("the object has {} keys; at most {MAX_INPUT_ENTRIES} are read", keys.length()),
        ));
    }
    let mut entries = Vec::with_capacity(keys.length() as usize);
    for key in keys.iter() {
        let name =
            key.as_string().ok_or_else(|| Error::invalid_argument(path, "an object key is not well-formed Unicode"))?;
        let key_path = format!("{path}/{}", escape_token(&name));
        let item = Reflect::get(value, &key).map_err(|e| unreadable(&key_path, &format!("property {name:?}"), e))?;
        entries.push((name, convert(&item, &key_path, depth + 1)?));
    }
    Ok(Input::Object(entries))
}

/// `None` for a plain object (its prototype is `Object.prototype`, from any realm, or null);
/// otherwise a name for what it is: `a Map`, `a Date`, `an instance of Foo`.
fn not_plain(value: &JsValue) -> Result<Option<String>, JsValue> {
    let proto = prototype_of(value)?;
    if proto.is_null() || prototype_of(&proto)?.is_null() {
        return Ok(None);
    }
    let name = Reflect::get(&proto, &JsValue::from_str("constructor"))
        .ok()
        .and_then(|c| Reflect::get(&c, &JsValue::from_str("name")).ok())
        .and_then(|n| n.as_string())
        .filter(|n| !n.is_empty());
    Ok(Some(match name {
        Some(name) if matches!(name.as_str(), "Map" | "Set" | "Date" | "RegExp" | "Promise" | "WeakMap" | "Error") => {
            format!("a {name}")
        }
        Some(name) => format!("an instance of {name}"),
        None => "an object with a custom prototype".to_owned(),
    }))
}

/// A payload for a validator as JSON text, and the same text as a JS string when the caller
/// gave one (so `JSON.parse` can build `value` without a copy through wasm memory).
/// `Err` carries the reason it cannot be read (BigInt, cycles, bad UTF-8, throwing getters…).
pub fn payload_text(value: &JsValue) -> Result<(String, Option<JsValue>), String> {
    if let Some(text) = value.dyn_ref::<JsString>() {
        if !well_formed(text) {
            return Err("the text is not well-formed Unicode (it has a lone surrogate)".into());
        }
        return Ok((String::from(text), Some(value.clone())));
    }
    if value.is_undefined() {
        return Err("no payload was given (undefined)".into());
    }
    if value.is_instance_of::<js_sys::Map>() || value.is_instance_of::<js_sys::Set>() {
        let kind = if value.is_instance_of::<js_sys::Map>() { "a Map" } else { "a Set" };
        return Err(format!(
            "expected JSON text, bytes or a plain object, got {kind} (JSON.stringify would read it as {{}})"
        ));
    }
    if let Some(bytes) = payload_bytes(value) {
        if bytes.length() > MAX_PAYLOAD_BYTES {
            return Err(format!("the payload has {} bytes; at most {MAX_PAYLOAD_BYTES} are read", bytes.length()));
        }
        return String::from_utf8(bytes.to_vec()).map(|text| (text, None)).map_err(|e| not_utf8(e.utf8_error()));
    }
    match JSON::stringify(value) {
        Ok(text) => match text.as_string() {
            Some(rust) => Ok((rust, Some(text.into()))),
            None => Err("JSON.stringify returned no text".into()),
        },
        Err(err) => Err(err
            .dyn_ref::<js_sys::Error>()
            .map(|e| format!("JSON.stringify failed: {}", String::from(e.message())))
            .unwrap_or_else(|| "JSON.stringify threw".into())),
    }
}

/// Why bytes are not a JSON payload.
pub fn not_utf8(e: std::str::Utf8Error) -> String {
    format!("the bytes are not valid UTF-8 (at byte {}); a JSON payload is UTF-8 text", e.valid_up_to())
}

/// The bytes of a `Uint8Array` (a Node `Buffer` is one) or an `ArrayBuffer`.
fn payload_bytes(value: &JsValue) -> Option<Uint8Array> {
    if let Some(bytes) = value.dyn_ref::<Uint8Array>() {
        return Some(bytes.clone());
    }
    value.dyn_ref::<ArrayBuffer>().map(|buffer| Uint8Array::new(buffer))
}

/// Reads one property of a JS object without letting a throwing getter escape.
pub fn property(object: &JsValue, key: &str) -> Result<JsValue, String> {
    if object.is_undefined() || object.is_null() || !object.is_object() {
        return Ok(JsValue::UNDEFINED);
    }
    Reflect::get(object, &JsValue::from_str(key))
        .map_err(|err| format!("reading {key} threw: {}", thrown_message(&err)))
}

/// Serializes `value` to JSON and parses it on the JS side.
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, Error> {
    let text = serde_json::to_string(value)
        .map_err(|e| Error::invalid_state(format!("internal: cannot serialize the result: {e}")))?;
    JSON::parse(&text).map_err(|e| Error::invalid_state(format!("internal: {}", thrown_message(&e))))
}
