//! Reading JSON text safely: a size limit, a nesting limit checked while parsing, and a
//! parse that notices duplicate keys (which `JSON.parse` and serde would silently collapse).

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::issue::{IssueCode, Issues};
use crate::contract::pointer::escape_token;

/// Payloads over 1 MiB are refused unread.
pub const MAX_PAYLOAD_BYTES: usize = 1024 * 1024;
/// Objects and arrays may nest 64 levels deep.
pub const MAX_DEPTH: usize = 64;

/// Parses `text` under `path`, or reports why it cannot be read. Duplicate keys are reported
/// (strict: error; tolerant: warning) and the last value wins.
pub fn parse(text: &str, path: &str, issues: &mut Issues) -> Option<Value> {
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

enum Segment {
    Key(String),
    Index(usize),
}

struct Tracker {
    /// The path to the value being read; its length is the nesting depth. (serde_json's own
    /// recursion limit, 128, is never reached: the parse stops at `MAX_DEPTH`.)
    stack: Vec<Segment>,
    /// (JSON Pointer of the object, duplicated key)
    duplicates: Vec<(String, String)>,
    too_deep: bool,
}

impl Tracker {
    /// Called on entering an array or object: refuses to go deeper than `MAX_DEPTH`.
    fn enter<E: serde::de::Error>(&mut self, depth: usize) -> Result<(), E> {
        if depth >= MAX_DEPTH {
            self.too_deep = true;
            return Err(E::custom("nesting too deep"));
        }
        Ok(())
    }
}

impl Tracker {
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

struct Seed<'a> {
    tracker: &'a mut Tracker,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
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

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.tracker.enter(self.tracker.stack.len())?;
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            self.tracker.stack.push(Segment::Key(key));
            let value = map.next_value_seed(Seed { tracker: &mut *self.tracker });
            let Some(Segment::Key(key)) = self.tracker.stack.pop() else {
                return Err(serde::de::Error::custom("internal: path stack out of step"));
            };
            let value = value?;
            match object.entry(key) {
                serde_json::map::Entry::Vacant(slot) => {
                    slot.insert(value);
                }
                serde_json::map::Entry::Occupied(mut slot) => {
                    let at = self.tracker.pointer();
                    self.tracker.duplicates.push((at, slot.key().clone()));
                    slot.insert(value);
                }
            }
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
        assert_eq!(value.map(|v| v["a"]["b"].clone()), Some(serde_json::json!(2)));
        let report = crate::validate::Report::<()>::new(issues, None);
        assert_eq!(report.codes(), ["duplicateKey"]);
        assert_eq!(report.issues[0].path, "/a");
        let mut issues = Issues::new(Mode::Strict);
        assert!(parse("{} x", "", &mut issues).is_none());
        assert!(issues.has_errors());
    }
}
