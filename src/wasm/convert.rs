//! Crossing the boundary. In: any JS value becomes an [`Input`] (reading every property through
//! `Reflect`, so throwing getters and Proxies become errors instead of exceptions unwinding
//! through Rust frames). Out: results are serialized to JSON and handed to `JSON.parse`, which
//! builds plain objects (an own `__proto__` key stays a key, never a prototype).

use js_sys::{Array, JsString, Reflect, JSON};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::error::{Error, ErrorCode};
use crate::input::Input;

/// Deeper option objects than this are refused (no option is nested beyond 4 levels).
const MAX_INPUT_DEPTH: usize = 32;
/// Arrays and objects with more entries than this are refused before they are copied.
const MAX_INPUT_ENTRIES: u32 = 100_000;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    fn object_keys(target: &JsValue) -> Result<Array, JsValue>;

    /// `String.prototype.isWellFormed` (ES2024): one native call, where js-sys'
    /// `is_valid_utf16` crosses the boundary once per UTF-16 unit.
    /// `JSON.parse` of a string that is already a JS value (no copy through wasm memory).
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub fn json_parse(text: &JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["String", "prototype", "isWellFormed"], js_name = call, catch)]
    fn is_well_formed(text: &JsString) -> Result<bool, JsValue>;
}

/// Whether a JS string is valid UTF-16 (no lone surrogate), so that it converts without loss.
fn well_formed(text: &JsString) -> bool {
    is_well_formed(text).unwrap_or_else(|_| text.is_valid_utf16())
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
        let why =
            err.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_else(|| "it threw".into());
        Error::invalid_argument(at, format!("cannot read {what}: {why}"))
    };
    if Array::is_array(value) {
        let length =
            Reflect::get(value, &JsValue::from_str("length")).map_err(|e| unreadable(path, "the array's length", e))?;
        let length = length.as_f64().unwrap_or(0.0);
        if length > MAX_INPUT_ENTRIES as f64 {
            return Err(Error::invalid_argument(
                path,
                format!("the array has {length} entries; at most {MAX_INPUT_ENTRIES} are read"),
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
        let key_path = format!("{path}/{}", crate::validate::pointer::escape_token(&name));
        let item = Reflect::get(value, &key).map_err(|e| unreadable(&key_path, &format!("property {name:?}"), e))?;
        entries.push((name, convert(&item, &key_path, depth + 1)?));
    }
    Ok(Input::Object(entries))
}

/// A payload for a validator as JSON text: a string as given, anything else through
/// `JSON.stringify`. Also returns the text as a JS string (for `JSON.parse` on the JS side).
/// `Err` carries the reason it cannot be read (BigInt, cycles, throwing getters…).
pub fn payload_text(value: &JsValue) -> Result<(String, JsValue), String> {
    if let Some(text) = value.dyn_ref::<JsString>() {
        if !well_formed(text) {
            return Err("the text is not well-formed Unicode (it has a lone surrogate)".into());
        }
        return Ok((String::from(text), value.clone()));
    }
    if value.is_undefined() {
        return Err("no payload was given (undefined)".into());
    }
    match JSON::stringify(value) {
        Ok(text) => match text.as_string() {
            Some(rust) => Ok((rust, text.into())),
            None => Err("JSON.stringify returned no text".into()),
        },
        Err(err) => Err(err
            .dyn_ref::<js_sys::Error>()
            .map(|e| format!("JSON.stringify failed: {}", String::from(e.message())))
            .unwrap_or_else(|| "JSON.stringify threw".into())),
    }
}

/// Reads one property of a JS object without letting a throwing getter escape.
pub fn property(object: &JsValue, key: &str) -> Result<JsValue, String> {
    if object.is_undefined() || object.is_null() || !object.is_object() {
        return Ok(JsValue::UNDEFINED);
    }
    Reflect::get(object, &JsValue::from_str(key)).map_err(|err| {
        err.dyn_ref::<js_sys::Error>()
            .map(|e| format!("reading {key} threw: {}", String::from(e.message())))
            .unwrap_or_else(|| format!("reading {key} threw"))
    })
}

/// Serializes `value` to JSON and parses it on the JS side.
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value)
        .map_err(|e| error_to_js(&Error::invalid_state(format!("internal: cannot serialize the result: {e}"))))?;
    JSON::parse(&text)
}

/// A real `Error` with `name = 'GraphIvrError'`, a stable `code` and, for bad options, `path`.
pub fn error_to_js(error: &Error) -> JsValue {
    let js = js_sys::Error::new(&error.message);
    js.set_name("GraphIvrError");
    let _ = Reflect::set(&js, &JsValue::from_str("code"), &JsValue::from_str(error.code.as_str()));
    if error.code == ErrorCode::InvalidArgument {
        let _ = Reflect::set(&js, &JsValue::from_str("path"), &JsValue::from_str(&error.path));
    }
    js.into()
}
