//! Reading JSON text safely: a size limit, a nesting limit checked before parsing, and a
//! parse that notices duplicate keys (which `JSON.parse` and serde would silently collapse).

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::issue::{IssueCode, Issues};
use super::pointer::escape_token;

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
    if let Some(depth) = depth_exceeding(text.as_bytes(), MAX_DEPTH) {
        issues.error(
            path,
            IssueCode::NestingTooDeep,
            format!("objects and arrays nest deeper than {MAX_DEPTH} levels (at least {depth})"),
        );
        return None;
    }
    let mut tracker = Tracker { stack: Vec::new(), duplicates: Vec::new() };
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
        Err(err) => {
            issues.error(path, IssueCode::InvalidJson, format!("not valid JSON: {err}"));
            None
        }
    }
}

/// The first depth above `limit` reached outside strings, if any.
fn depth_exceeding(bytes: &[u8], limit: usize) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &b in bytes {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(depth);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

enum Segment {
    Key(String),
    Index(usize),
}

struct Tracker {
    stack: Vec<Segment>,
    /// (JSON Pointer of the object, duplicated key)
    duplicates: Vec<(String, String)>,
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
    fn limits_and_duplicates() {
        let mut issues = Issues::new(Mode::Strict);
        assert!(parse(&"[".repeat(10_000), "", &mut issues).is_none());
        let mut issues = Issues::new(Mode::Strict);
        let value = parse(r#"{"a":{"b":1,"b":2},"s":"[[[["}"#, "", &mut issues).unwrap();
        assert_eq!(value["a"]["b"], 2);
        let report = crate::validate::Report::<()>::new(issues, None);
        assert_eq!(report.codes(), ["duplicateKey"]);
        assert_eq!(report.issues[0].path, "/a");
        let mut issues = Issues::new(Mode::Strict);
        assert!(parse("{} x", "", &mut issues).is_none());
        assert!(issues.has_errors());
    }
}
