//! The checks every validator is made of: one `Checker` walks a JSON value, reports each fault
//! once at its JSON Pointer, and normalizes tolerated variants in place (PascalCase enum
//! values, a `@odata.type` without `#`) so that the typed value reads the same either way.

use serde_json::{Map, Value};

use crate::input::Input;

use super::issue::{json_type, IssueCode, Issues, Mode};
use super::pointer::child;

/// What the checks of a payload found, before any typed model is built: the issues, and the
/// normalized JSON when it reads as the typed model.
pub struct Checked {
    pub issues: Issues,
    /// The payload with tolerated variants normalized; `None` when it is not JSON or a fault
    /// makes it unreadable as the typed model.
    pub value: Option<Value>,
    /// Whether normalization changed anything: when not, `value` is the input as parsed.
    pub changed: bool,
}

pub struct Checker {
    pub issues: Issues,
    /// Set when a tolerated variant was normalized in place: the value differs from the input.
    pub changed: bool,
    /// Set when a fault makes the payload unreadable as its typed model (a wrong JSON type, a
    /// missing required property, an integer out of range): then no `value` is returned.
    pub untyped: bool,
}

/// Whether an enum may grow: unknown values of an evolvable enum are warnings, not errors.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Evolvable {
    Yes,
    No,
}

impl Checker {
    pub fn new(mode: Mode) -> Self {
        Checker { issues: Issues::new(mode), changed: false, untyped: false }
    }

    /// `value` as an object, or one `wrongType` issue.
    pub fn object<'v>(&mut self, value: &'v mut Value, path: &str, what: &str) -> Option<&'v mut Map<String, Value>> {
        match value {
            Value::Object(map) => Some(map),
            other => {
                let actual = json_type(other);
                self.issues
                    .error(path, IssueCode::WrongType, format!("{what} must be an object, got {actual}"))
                    .expected("object")
                    .actual(actual);
                self.untyped = true;
                None
            }
        }
    }

    /// Checks `@odata.type` against `accepted`. When it is absent and `implied` is set (the
    /// position implies the type), that is tolerated and `implied` is filled in.
    pub fn odata_type(
        &mut self,
        obj: &mut Map<String, Value>,
        path: &str,
        accepted: &[&str],
        implied: Option<&str>,
    ) -> Option<String> {
        let at = || child(path, "@odata.type");
        match obj.get("@odata.type") {
            None => {
                let implied = implied?;
                self.issues
                    .tolerated(
                        &at(),
                        IssueCode::MissingODataType,
                        format!("@odata.type is missing; expected {implied:?}"),
                    )
                    .expected(implied);
                obj.insert("@odata.type".into(), implied.into());
                self.changed = true;
                Some(implied.to_owned())
            }
            Some(Value::String(given)) => {
                if accepted.contains(&given.as_str()) {
                    return Some(given.clone());
                }
                let with_hash = if given.starts_with('#') { given.clone() } else { format!("#{given}") };
                if let Some(near) = accepted.iter().find(|a| a.eq_ignore_ascii_case(&with_hash)) {
                    self.issues
                        .tolerated(
                            &at(),
                            IssueCode::UnexpectedODataType,
                            format!("@odata.type {given:?} is spelled differently from {near:?}"),
                        )
                        .expected(*near)
                        .actual(given.as_str())
                        .hint(format!("did you mean {near:?}?"));
                    obj.insert("@odata.type".into(), (*near).into());
                    self.changed = true;
                    return Some((*near).to_owned());
                }
                let message = format!(
                    "@odata.type {:?} is not allowed here; expected {}",
                    shortened(given),
                    quoted_list(accepted)
                );
                let issue = self.issues.error(&at(), IssueCode::UnexpectedODataType, message).actual(given.as_str());
                if accepted.len() == 1 {
                    issue.expected(accepted[0]);
                } else {
                    issue.expected(accepted.to_vec());
                }
                Some(given.clone())
            }
            Some(other) => {
                let actual = json_type(other);
                self.issues
                    .error(&at(), IssueCode::WrongType, format!("@odata.type must be a string, got {actual}"))
                    .expected("string")
                    .actual(actual);
                None
            }
        }
    }

    /// The JSON text of a request's or response's `body`: `None` when absent, null or blank;
    /// any other type than a string is reported (`allowed` says what would have been).
    pub fn body_text<'i>(&mut self, body: &'i Input, allowed: &str) -> Option<&'i str> {
        match body {
            Input::String(text) => Some(text.as_str()).filter(|t| !t.trim().is_empty()),
            absent if absent.is_absent() => None,
            other => {
                self.issues
                    .error("/body", IssueCode::WrongType, format!("body must be {allowed}, got {}", other.type_name()))
                    .expected("string")
                    .actual(other.type_name());
                None
            }
        }
    }

    /// Reports `key` as missing.
    pub fn missing(&mut self, path: &str, key: &str, what: &str) {
        self.untyped = true;
        self.issues
            .error(&child(path, key), IssueCode::MissingProperty, format!("{what} requires {key:?}"))
            .expected(key);
    }

    /// A string enum property. Returns the (normalized) value when it is a string.
    pub fn enum_field(
        &mut self,
        obj: &mut Map<String, Value>,
        path: &str,
        key: &str,
        known: &[&str],
        evolvable: Evolvable,
        required: bool,
    ) -> Option<String> {
        let at = || child(path, key);
        let given = match obj.get(key) {
            None if required => {
                self.missing(path, key, "this object");
                return None;
            }
            None => return None,
            Some(Value::Null) if !required => return None,
            Some(Value::String(s)) => s.clone(),
            Some(other) => {
                let actual = json_type(other);
                self.issues
                    .error(&at(), IssueCode::WrongType, format!("{key} must be a string, got {actual}"))
                    .expected("string")
                    .actual(actual);
                self.untyped = true;
                return None;
            }
        };
        if known.contains(&given.as_str()) {
            return Some(given);
        }
        if let Some(exact) = known.iter().find(|k| k.eq_ignore_ascii_case(&given)) {
            self.issues
                .tolerated(&at(), IssueCode::EnumCasing, format!("{key} {given:?} should be spelled {exact:?}"))
                .expected(*exact)
                .actual(given.as_str())
                .hint(format!(
                    "did you mean {exact:?}? Graph sends camelCase; PascalCase comes from the metadata or SDK logs"
                ));
            obj.insert(key.to_owned(), (*exact).into());
            self.changed = true;
            return Some((*exact).to_owned());
        }
        let message = format!("{key} {:?} is not one of {}", shortened(&given), quoted_list(known));
        let issue = match evolvable {
            Evolvable::Yes => self.issues.warning(&at(), IssueCode::UnknownEnumValue, message),
            Evolvable::No => self.issues.error(&at(), IssueCode::UnknownEnumValue, message),
        };
        issue.expected(known.to_vec()).actual(given.as_str());
        if let Some(near) = nearest(&given, known) {
            issue.hint(format!("did you mean {near:?}?"));
        }
        Some(given)
    }

    /// A string property (`null` allowed when `nullable`).
    pub fn string_field<'o>(
        &mut self,
        obj: &'o Map<String, Value>,
        path: &str,
        key: &str,
        nullable: bool,
        required: bool,
    ) -> Option<&'o str> {
        match obj.get(key) {
            None => {
                if required {
                    self.missing(path, key, "this object");
                }
                None
            }
            Some(Value::String(s)) => Some(s),
            Some(Value::Null) if nullable => None,
            Some(other) => {
                let actual = json_type(other);
                let expected = if nullable { "string or null" } else { "string" };
                self.issues
                    .error(&child(path, key), IssueCode::WrongType, format!("{key} must be a {expected}, got {actual}"))
                    .expected(expected)
                    .actual(actual);
                self.untyped = true;
                None
            }
        }
    }

    /// A whole-number property within `min..=max` (Int32 or Int64 ranges).
    pub fn integer_field(
        &mut self,
        obj: &Map<String, Value>,
        path: &str,
        key: &str,
        min: i64,
        max: i64,
        required: bool,
    ) -> Option<i64> {
        let at = || child(path, key);
        match obj.get(key) {
            None => {
                if required {
                    self.missing(path, key, "this object");
                }
                None
            }
            Some(Value::Number(n)) => match n.as_i64() {
                Some(v) if (min..=max).contains(&v) => Some(v),
                _ => {
                    self.issues
                        .error(
                            &at(),
                            IssueCode::OutOfRange,
                            format!("{key} must be a whole number from {min} to {max}, got {n}"),
                        )
                        .actual(Value::Number(n.clone()));
                    self.untyped = true;
                    None
                }
            },
            Some(other) => {
                let actual = json_type(other);
                let expected = if required { "integer" } else { "integer or absent" };
                self.issues
                    .error(&at(), IssueCode::WrongType, format!("{key} must be a whole number, got {actual}"))
                    .expected(expected)
                    .actual(actual);
                self.untyped = true;
                None
            }
        }
    }
}

/// The known value closest to `given`, when it is close enough to be a typo.
pub fn nearest<'k>(given: &str, known: &[&'k str]) -> Option<&'k str> {
    // A typo is short; a long string is not worth an edit distance (it is quadratic).
    if given.len() > 64 {
        return None;
    }
    let lower = given.to_ascii_lowercase();
    known
        .iter()
        .map(|k| (strsim::levenshtein(&lower, &k.to_ascii_lowercase()), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// At most 80 characters of a value, for messages (the value itself stays whole in `actual`).
pub fn shortened(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

fn quoted_list(items: &[&str]) -> String {
    items.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ")
}
