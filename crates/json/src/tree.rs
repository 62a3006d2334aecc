//! The JSON the validators walk: a tree that borrows its strings from the payload text (a key
//! or a string without escapes is a slice of it) and keeps an object's entries in a small
//! vector, searched linearly — payload objects have a handful of keys, so this beats hashing
//! every key into an IndexMap, and dropping the tree frees a few vectors instead of a String
//! per key. Entries keep their order; a duplicate key keeps its first position and takes the
//! last value, as `JSON.parse` does.

use std::borrow::Cow;

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(Cow<'a, str>),
    Array(Vec<Value<'a>>),
    Object(Map<'a>),
}

/// An object's entries, in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map<'a> {
    entries: Vec<Entry<'a>>,
}

/// One entry, with a mark of its key (length, first and last byte) that rules out most other
/// keys with one integer comparison: lookups compare strings only where the marks agree.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry<'a> {
    mark: u32,
    key: Cow<'a, str>,
    value: Value<'a>,
}

impl<'a> Entry<'a> {
    pub(crate) fn new(key: Cow<'a, str>, value: Value<'a>) -> Self {
        Entry { mark: mark(&key), key, value }
    }

    /// Whether this entry's key is `key`, whose mark is `mark`.
    #[inline(always)]
    pub(crate) fn is(&self, mark: u32, key: &str) -> bool {
        self.mark == mark && same_text(&self.key, key)
    }

    pub(crate) fn set(&mut self, value: Value<'a>) {
        self.value = value;
    }

    pub(crate) fn key(&self) -> &str {
        &self.key
    }

    pub(crate) fn take_value(&mut self) -> Value<'a> {
        std::mem::replace(&mut self.value, Value::Null)
    }
}

/// Whether two strings are equal, compared eight bytes a step: the `.wasm`'s `memcmp` goes
/// byte by byte, and key lookups are most of what the checks do.
#[inline(always)]
pub fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let word = |chunk: &[u8]| <[u8; 8]>::try_from(chunk).map_or(0, u64::from_le_bytes);
    let mut x = a.chunks_exact(8);
    let mut y = b.chunks_exact(8);
    for (p, q) in x.by_ref().zip(y.by_ref()) {
        if word(p) != word(q) {
            return false;
        }
    }
    x.remainder().iter().zip(y.remainder()).all(|(p, q)| p == q)
}

#[inline(always)]
pub(crate) fn mark(key: &str) -> u32 {
    let b = key.as_bytes();
    (b.len() as u32 & 0xffff)
        | (u32::from(b.first().copied().unwrap_or(0)) << 16)
        | (u32::from(b.last().copied().unwrap_or(0)) << 24)
}

impl<'a> Map<'a> {
    pub fn new() -> Self {
        Map { entries: Vec::new() }
    }

    pub fn with_capacity(n: usize) -> Self {
        Map { entries: Vec::with_capacity(n) }
    }

    /// A map of `entries` whose keys are already distinct (the JSON reader makes sure).
    pub(crate) fn from_entries(entries: Vec<Entry<'a>>) -> Self {
        Map { entries }
    }

    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        let m = mark(key);
        self.entries.iter().find(|e| e.is(m, key)).map(|e| &e.value)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value<'a>> {
        let m = mark(key);
        self.entries.iter_mut().find(|e| e.is(m, key)).map(|e| &mut e.value)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        let m = mark(key);
        self.entries.iter().any(|e| e.is(m, key))
    }

    /// Sets `key`: in place when it exists (returning the old value), else at the end.
    pub fn insert(&mut self, key: impl Into<Cow<'a, str>>, value: Value<'a>) -> Option<Value<'a>> {
        let key = key.into();
        let m = mark(&key);
        match self.entries.iter_mut().find(|e| e.is(m, &key)) {
            Some(entry) => Some(std::mem::replace(&mut entry.value, value)),
            None => {
                self.entries.push(Entry { mark: m, key, value });
                None
            }
        }
    }

    /// Takes `key` out, keeping the order of the others.
    pub fn remove(&mut self, key: &str) -> Option<Value<'a>> {
        let m = mark(key);
        let at = self.entries.iter().position(|e| e.is(m, key))?;
        Some(self.entries.remove(at).value)
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.key.as_ref())
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value<'a>)> {
        self.entries.iter().map(|e| (e.key.as_ref(), &e.value))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// As serde_json's map (for the typed model and for values kept in the Rust API).
    pub fn to_json(&self) -> serde_json::Map<String, serde_json::Value> {
        self.entries.iter().map(|e| (e.key.to_string(), e.value.to_json())).collect()
    }
}

impl<'a> Value<'a> {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// As a `serde_json::Value` (the Rust API's typed model is built from it).
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::Value::Number(n.clone()),
            Value::String(s) => serde_json::Value::String(s.to_string()),
            Value::Array(items) => serde_json::Value::Array(items.iter().map(Value::to_json).collect()),
            Value::Object(map) => serde_json::Value::Object(map.to_json()),
        }
    }
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(s: &'a str) -> Self {
        Value::String(Cow::Borrowed(s))
    }
}

impl From<String> for Value<'_> {
    fn from(s: String) -> Self {
        Value::String(Cow::Owned(s))
    }
}

impl Serialize for Value<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) => n.serialize(s),
            Value::String(text) => s.serialize_str(text),
            Value::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Object(map) => map.serialize(s),
        }
    }
}

impl Serialize for Map<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = s.serialize_map(Some(self.entries.len()))?;
        for e in &self.entries {
            out.serialize_entry(e.key.as_ref(), &e.value)?;
        }
        out.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_text_agrees_with_string_equality() {
        let base: String = "abcdefghijklmnopqrstu".into();
        for len in 0..base.len() {
            let a = &base[..len];
            assert!(same_text(a, a));
            for at in 0..len {
                let mut b = a.to_owned().into_bytes();
                b[at] = b'#';
                let b = String::from_utf8(b).unwrap_or_default();
                assert!(!same_text(a, &b), "{a} vs {b}");
            }
            assert!(!same_text(a, &base[..len + 1]));
        }
    }

    #[test]
    fn maps_keep_order_and_replace_in_place() {
        let mut map = Map::new();
        map.insert("a", Value::from("1"));
        map.insert("b", Value::Bool(true));
        assert_eq!(map.insert("a", Value::Null), Some(Value::from("1")));
        assert_eq!(map.keys().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(serde_json::to_string(&Value::Object(map.clone())).ok().as_deref(), Some(r#"{"a":null,"b":true}"#));
        assert_eq!(map.to_json(), serde_json::json!({ "a": null, "b": true }).as_object().cloned().unwrap_or_default());
    }
}
