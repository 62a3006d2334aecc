//! `Input`: an argument as JavaScript handed it over, before we trust any of it.
//!
//! Builder options and simulator calls arrive as arbitrary JS values. JSON cannot carry
//! `undefined`, `NaN`, `Infinity`, symbols or BigInts, and those are exactly the values a
//! precise error message has to name, so the wasm layer converts a `JsValue` into this
//! small tree and the pure core checks it with a path for every refusal.

mod dictionary;

use std::fmt;

use graph_ivr_json::tree::Value;

pub use dictionary::{nearest, Dictionary, Options, UnknownKey};

/// A JavaScript value, reduced to what option parsing needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    Undefined,
    Null,
    Bool(bool),
    /// Any JS number, including `NaN` and the infinities.
    Number(f64),
    String(String),
    Array(Vec<Input>),
    /// Own enumerable properties in insertion order.
    Object(Vec<(String, Input)>),
    /// A value no option accepts (symbol, bigint, function); the name is its `typeof`.
    Other(&'static str),
}

impl Input {
    /// The JS `typeof`-like name used in messages (`null` and `array` are told apart).
    pub fn type_name(&self) -> &'static str {
        match self {
            Input::Undefined => "undefined",
            Input::Null => "null",
            Input::Bool(_) => "boolean",
            Input::Number(_) => "number",
            Input::String(_) => "string",
            Input::Array(_) => "array",
            Input::Object(_) => "object",
            Input::Other(name) => name,
        }
    }

    /// The property `key` of an object; `Undefined` for absent keys and for non-objects.
    pub fn get(&self, key: &str) -> &Input {
        const UNDEFINED: &Input = &Input::Undefined;
        match self {
            Input::Object(entries) => entries
                .iter()
                .rev() // a later duplicate wins, as in JS
                .find(|(k, _)| k == key)
                .map(|(_, v)| v)
                .unwrap_or(UNDEFINED),
            _ => UNDEFINED,
        }
    }

    /// `undefined` and `null` both mean "not given" for optional options.
    pub fn is_absent(&self) -> bool {
        matches!(self, Input::Undefined | Input::Null)
    }

    /// As the JSON reader's tree (borrowing its strings), for the readers that check JSON. As
    /// `JSON.stringify` (what the entry's fast paths send) reads it: `undefined` members are left
    /// out, and so are methods (function members) of an object inside the options, so that such
    /// an object is refused for what it is where it stands. A value no JSON can carry (`NaN`, the
    /// infinities, `undefined` in an array, a symbol, a bigint, a function option) is refused at
    /// its `path`.
    pub fn to_tree(&self, path: &str) -> Result<Value<'_>, crate::error::Error> {
        let refused = |what: &str| {
            let name = if path.is_empty() { "options" } else { &path[1..] };
            crate::error::Error::invalid_argument(
                path,
                format!("{name} is {what}, which no JSON carries: options are plain JSON values"),
            )
        };
        Ok(match self {
            Input::Null => Value::Null,
            Input::Bool(b) => Value::Bool(*b),
            Input::Number(n) if n.is_finite() => {
                let whole = n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0;
                Value::Number(if whole { serde_json::Number::from(*n as i64) } else { number_of(*n) })
            }
            Input::Number(n) => return Err(refused(&Shown(&Input::Number(*n)).to_string())),
            Input::String(s) => Value::String(s.as_str().into()),
            Input::Array(items) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| item.to_tree(&format!("{path}/{i}")))
                    .collect::<Result<_, _>>()?,
            ),
            Input::Object(entries) => {
                let mut map = graph_ivr_json::tree::Map::with_capacity(entries.len());
                let nested = !path.is_empty();
                let left_out = |v: &Input| matches!(v, Input::Undefined) || (nested && *v == Input::Other("function"));
                for (key, value) in entries.iter().filter(|(_, v)| !left_out(v)) {
                    let at = format!("{path}/{}", graph_ivr_json::escape_token(key));
                    map.insert(key.as_str(), value.to_tree(&at)?);
                }
                Value::Object(map)
            }
            Input::Undefined => return Err(refused("undefined")),
            Input::Other(kind) => return Err(refused(&format!("a {kind}"))),
        })
    }

    /// Converts parsed JSON (what Rust callers and tests have) into an `Input`.
    pub fn from_json(value: &serde_json::Value) -> Input {
        match value {
            serde_json::Value::Null => Input::Null,
            serde_json::Value::Bool(b) => Input::Bool(*b),
            serde_json::Value::Number(n) => Input::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Input::String(s.clone()),
            serde_json::Value::Array(items) => Input::Array(items.iter().map(Input::from_json).collect()),
            serde_json::Value::Object(map) => {
                Input::Object(map.iter().map(|(k, v)| (k.clone(), Input::from_json(v))).collect())
            }
        }
    }
}

/// A short, safe rendering of a value for error messages (long strings are cut).
pub struct Shown<'a>(pub &'a Input);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Input::String(s) => f.write_str(&quoted(s)),
            Input::Number(n) if n.is_nan() => f.write_str("NaN"),
            Input::Number(n) if n.is_infinite() => f.write_str(if *n > 0.0 { "Infinity" } else { "-Infinity" }),
            Input::Number(n) => f.write_str(&number_text(*n)),
            Input::Bool(b) => write!(f, "{b}"),
            other => f.write_str(other.type_name()),
        }
    }
}

/// A string as a message quotes it: at most 60 characters, `…` when cut.
pub fn quoted(text: &str) -> String {
    let cut: String = text.chars().take(60).collect();
    let more = if cut.len() < text.len() { "…" } else { "" };
    format!("{cut:?}{more}")
}

/// A finite number as JavaScript would print it in most cases (`5`, `1.5`), through
/// serde_json's float writer (Rust's own `f64` formatting is a large part of a `.wasm`: BENCHMARKS.md).
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        return (n as i64).to_string();
    }
    serde_json::Number::from_f64(n).map_or_else(|| "a number".to_owned(), |n| n.to_string())
}

/// A finite, fractional number as JSON's (`from_f64` fails only for non-finite ones).
fn number_of(n: f64) -> serde_json::Number {
    serde_json::Number::from_f64(n).unwrap_or_else(|| serde_json::Number::from(0))
}
