//! Reading JSON text safely: a size limit, a nesting limit checked while parsing, and a
//! parse that notices duplicate keys (which `JSON.parse` and serde would silently collapse).

use std::borrow::Cow;

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Number;

use super::issue::{IssueCode, Issues};
use super::tree::{Map, Value};
use crate::contract::pointer::escape_token;

/// Payloads over 1 MiB are refused unread.
pub const MAX_PAYLOAD_BYTES: usize = 1024 * 1024;
/// Objects and arrays may nest 64 levels deep.
pub const MAX_DEPTH: usize = 64;

/// Parses `text` under `path`, or reports why it cannot be read. Duplicate keys are reported
/// (strict: error; tolerant: warning) and the last value wins.
pub fn parse<'a>(text: &'a str, path: &str, issues: &mut Issues) -> Option<Value<'a>> {
    if text.len() > MAX_PAYLOAD_BYTES {
        issues
            .error(
                path,
                IssueCode::PayloadTooLarge,
                format!("payload is {} bytes; the limit is {MAX_PAYLOAD_BYTES}", text.len()),
            )
            .actual(text.len())
            .expected(MAX_PAYLOAD_BYTES);
        return None;
    }
    let mut tracker = Tracker { stack: Vec::new(), duplicates: Vec::new(), too_deep: false };
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = Seed { tracker: &mut tracker }.deserialize(&mut de).and_then(|value| de.end().map(|_| value));
    match parsed {
        Ok(value) => {
            for (at, key) in tracker.duplicates {
                issues
                    .tolerated(
                        &format!("{path}{at}"),
                        IssueCode::DuplicateKey,
                        format!("key {key:?} appears more than once; the last value is used"),
                    )
                    .actual(key);
            }
            Some(value)
        }
        Err(_) if tracker.too_deep => {
            issues.error(
                path,
                IssueCode::NestingTooDeep,
                format!("objects and arrays nest deeper than {MAX_DEPTH} levels"),
            );
            None
        }
        Err(err) => {
            issues.error(path, IssueCode::InvalidJson, format!("not valid JSON: {err}"));
            None
        }
    }
}

enum Segment<'de> {
    Key(Cow<'de, str>),
    Index(usize),
}

struct Tracker<'de> {
    /// The path to the value being read; its length is the nesting depth. (serde_json's own
    /// recursion limit, 128, is never reached: the parse stops at `MAX_DEPTH`.)
    stack: Vec<Segment<'de>>,
    /// (JSON Pointer of the object, duplicated key)
    duplicates: Vec<(String, String)>,
    too_deep: bool,
}

impl Tracker<'_> {
    /// Called on entering an array or object: refuses to go deeper than `MAX_DEPTH`.
    fn enter<E: serde::de::Error>(&mut self, depth: usize) -> Result<(), E> {
        if depth >= MAX_DEPTH {
            self.too_deep = true;
            return Err(E::custom("nesting too deep"));
        }
        Ok(())
    }
}

impl Tracker<'_> {
    fn pointer(&self) -> String {
        self.stack
            .iter()
            .map(|s| match s {
                Segment::Key(k) => format!("/{}", escape_token(k)),
                Segment::Index(i) => format!("/{i}"),
            })
            .collect()
    }
}

struct Seed<'t, 'de> {
    tracker: &'t mut Tracker<'de>,
}

impl<'de> DeserializeSeed<'de> for Seed<'_, 'de> {
    type Value = Value<'de>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

/// An object key, borrowed from the text when it has no escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v))
    }
}

impl<'de> Visitor<'de> for Seed<'_, 'de> {
    type Value = Value<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value<'de>, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value<'de>, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value<'de>, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value<'de>, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Owned(v)))
    }

    fn visit_unit<E>(self) -> Result<Value<'de>, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value<'de>, A::Error> {
        self.tracker.enter(self.tracker.stack.len())?;
        let mut items = Vec::new();
        loop {
            self.tracker.stack.push(Segment::Index(items.len()));
            let next = seq.next_element_seed(Seed { tracker: &mut *self.tracker });
            self.tracker.stack.pop();
            match next? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value<'de>, A::Error> {
        self.tracker.enter(self.tracker.stack.len())?;
        let mut object = Map::with_capacity(8);
        while let Some(key) = map.next_key_seed(Key)? {
            self.tracker.stack.push(Segment::Key(key));
            let value = map.next_value_seed(Seed { tracker: &mut *self.tracker });
            let Some(Segment::Key(key)) = self.tracker.stack.pop() else {
                return Err(serde::de::Error::custom("internal: path stack out of step"));
            };
            let value = value?;
            let duplicate = object.contains_key(&key);
            if duplicate {
                let at = self.tracker.pointer();
                self.tracker.duplicates.push((at, key.to_string()));
            }
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::issue::Mode;

    #[test]
    fn sixty_four_levels_pass_and_sixty_five_do_not() {
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        let mut issues = Issues::new(Mode::Strict);
        assert!(parse(&nested(64), "", &mut issues).is_some());
        let mut issues = Issues::new(Mode::Strict);
        assert!(parse(&nested(65), "", &mut issues).is_none());
        assert_eq!(crate::validate::Report::<()>::new(issues, None).codes(), ["nestingTooDeep"]);
        let mut issues = Issues::new(Mode::Strict);
        assert!(parse(&format!("{{\"a\":{}1{}}}", "[".repeat(70), "]".repeat(70)), "", &mut issues).is_none());
        assert_eq!(crate::validate::Report::<()>::new(issues, None).codes(), ["nestingTooDeep"]);
    }

    #[test]
    fn limits_and_duplicates() {
        let mut issues = Issues::new(Mode::Strict);
        assert!(parse(&"[".repeat(10_000), "", &mut issues).is_none());
        let mut issues = Issues::new(Mode::Strict);
        let value = parse(r#"{"a":{"b":1,"b":2},"s":"[[[["}"#, "", &mut issues);
        assert_eq!(value.map(|v| v.to_json()["a"]["b"].clone()), Some(serde_json::json!(2)));
        let report = crate::validate::Report::<()>::new(issues, None);
        assert_eq!(report.codes(), ["duplicateKey"]);
        assert_eq!(report.issues[0].path, "/a");
        let mut issues = Issues::new(Mode::Strict);
        assert!(parse("{} x", "", &mut issues).is_none());
        assert!(issues.has_errors());
    }
}
