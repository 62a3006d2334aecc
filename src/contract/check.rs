//! The checks every validator is made of: one `Checker` walks a JSON value, reports each fault
//! once at its JSON Pointer, and normalizes tolerated variants in place (PascalCase enum
//! values, a `@odata.type` without `#`) so that the typed value reads the same either way.

use crate::contract::pointer::At;
use crate::input::{nearest, Input};
use crate::model::ApiVersion;

use super::issue::{json_type, shown, IssueCode, Issues, Mode, Report};
use std::borrow::Cow;

use graph_ivr_json::tree::{Map, Value};

/// What the checks of a payload found, before any typed model is built: the issues, and the
/// normalized JSON when it reads as the typed model.
pub struct Checked<'a> {
    pub issues: Issues,
    /// The payload with tolerated variants normalized; `None` when it is not JSON or a fault
    /// makes it unreadable as the typed model.
    pub value: Option<Value<'a>>,
    /// Whether normalization changed anything: when not, `value` is the input as parsed.
    pub changed: bool,
}

pub struct Checker {
    pub issues: Issues,
    /// The contract version payloads are checked against; `None` accepts either's properties.
    pub version: Option<ApiVersion>,
    /// Set when a tolerated variant was normalized in place: the value differs from the input.
    pub changed: bool,
    /// Set when a fault makes the payload unreadable as its typed model (a wrong JSON type, a
    /// missing required property, an integer out of range): then no `value` is returned.
    pub untyped: bool,
}

impl Checked<'_> {
    /// The report with the typed model. When the checks passed but the model cannot be built
    /// from the value, that is a bug of graph-ivr: reported as an `internal` issue, never
    /// dropped silently.
    pub fn into_report<T: serde::de::DeserializeOwned>(self) -> Report<T> {
        let mut issues = self.issues;
        let typed = match self.value.map(|value| serde_json::from_value::<T>(value.to_json())) {
            Some(Ok(typed)) => Some(typed),
            Some(Err(why)) => {
                issues.error(
                    "",
                    IssueCode::Internal,
                    format!("internal: the payload passed the checks but its typed model could not be built: {why}"),
                );
                None
            }
            None => None,
        };
        Report::new(issues, typed)
    }
}

/// Whether an enum may grow: unknown values of an evolvable enum are warnings, not errors.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Evolvable {
    Yes,
    No,
}

impl Checker {
    pub fn new(mode: Mode) -> Self {
        Checker { issues: Issues::new(mode), version: None, changed: false, untyped: false }
    }

    /// `value` as an object, or one `wrongType` issue.
    pub fn object<'v, 'j>(&mut self, value: &'v mut Value<'j>, path: &At<'_>, what: &str) -> Option<&'v mut Map<'j>> {
        match value {
            Value::Object(map) => Some(map),
            other => {
                let actual = json_type(other);
                self.issues
                    .error(
                        &path.pointer(),
                        IssueCode::WrongType,
                        format!("{what} must be an object, got {}", shown(other)),
                    )
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
        obj: &mut Map<'_>,
        path: &At<'_>,
        accepted: &[&'static str],
        implied: Option<&'static str>,
    ) -> Option<Cow<'static, str>> {
        let at = || path.key("@odata.type").pointer();
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
                obj.insert("@odata.type", Value::from(implied));
                self.changed = true;
                Some(Cow::Borrowed(implied))
            }
            Some(Value::String(given)) => {
                let given: &str = given;
                if let Some(accepted) = accepted.iter().find(|a| **a == given) {
                    return Some(Cow::Borrowed(accepted));
                }
                let with_hash = if given.starts_with('#') { given.to_owned() } else { format!("#{given}") };
                if let Some(near) = accepted.iter().find(|a| a.eq_ignore_ascii_case(&with_hash)) {
                    self.issues
                        .tolerated(
                            &at(),
                            IssueCode::UnexpectedODataType,
                            format!("@odata.type {given:?} is spelled differently from {near:?}"),
                        )
                        .expected(*near)
                        .actual(given)
                        .hint(format!("did you mean {near:?}?"));
                    obj.insert("@odata.type", Value::from(*near));
                    self.changed = true;
                    return Some(Cow::Borrowed(near));
                }
                let message = format!(
                    "@odata.type {:?} is not allowed here; expected {}",
                    shortened(given),
                    quoted_list(accepted)
                );
                let issue = self.issues.error(&at(), IssueCode::UnexpectedODataType, message).actual(given);
                if accepted.len() == 1 {
                    issue.expected(accepted[0]);
                } else {
                    issue.expected(accepted.to_vec());
                }
                Some(Cow::Owned(given.to_owned()))
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
    pub fn missing(&mut self, path: &At<'_>, key: &str, what: &str) {
        self.untyped = true;
        self.issues
            .error(&path.key(key).pointer(), IssueCode::MissingProperty, format!("{what} requires {key:?}"))
            .expected(key);
    }

    /// The one wrong-type issue: `{key} must be {words}, got {value}`. A value of the wrong
    /// type cannot be read as the typed model, so the payload becomes untyped.
    pub fn wrong_type(&mut self, path: &At<'_>, key: &str, words: &str, expected: &str, value: &Value<'_>) {
        let actual = json_type(value);
        self.issues
            .error(
                &path.key(key).pointer(),
                IssueCode::WrongType,
                format!("{key} must be {words}, got {}", shown(value)),
            )
            .expected(expected)
            .actual(actual);
        self.untyped = true;
    }

    /// The value of `field`, or `None` after reporting it missing (when required) or null
    /// (when not nullable). `Some(Value::Null)` never comes back.
    fn present<'o, 'j>(
        &mut self,
        obj: &'o Map<'j>,
        path: &At<'_>,
        field: Field,
        words: &str,
        expected: &str,
    ) -> Option<&'o Value<'j>> {
        match obj.get(field.key) {
            None => {
                if field.required {
                    self.missing(path, field.key, "this object");
                }
                None
            }
            Some(Value::Null) if field.nullable => None,
            Some(Value::Null) => {
                self.wrong_type(path, field.key, words, expected, &Value::Null);
                None
            }
            Some(value) => Some(value),
        }
    }

    /// A string enum property: checked, and normalized in place when tolerated.
    pub fn enumeration(
        &mut self,
        obj: &mut Map<'_>,
        path: &At<'_>,
        field: Field,
        known: &[&str],
        evolvable: Evolvable,
    ) {
        let key = field.key;
        let at = || path.key(key).pointer();
        let given = match self.present(obj, path, field, "a string", "string") {
            None => return,
            Some(Value::String(s)) => s.clone(),
            Some(other) => {
                let other = other.clone();
                self.wrong_type(path, key, "a string", "string", &other);
                return;
            }
        };
        if known.contains(&&*given) {
            return;
        }
        if let Some(exact) = known.iter().find(|k| k.eq_ignore_ascii_case(&given)) {
            self.issues
                .tolerated(&at(), IssueCode::EnumCasing, format!("{key} {given:?} should be spelled {exact:?}"))
                .expected(*exact)
                .actual(&*given)
                .hint(format!(
                    "did you mean {exact:?}? Graph sends camelCase; PascalCase comes from the metadata or SDK logs"
                ));
            obj.insert(key.to_owned(), Value::from((*exact).to_owned()));
            self.changed = true;
            return;
        }
        let message = format!("{key} {:?} is not one of {}", shortened(&given), quoted_list(known));
        let issue = match evolvable {
            Evolvable::Yes => self.issues.warning(&at(), IssueCode::UnknownEnumValue, message),
            Evolvable::No => self.issues.error(&at(), IssueCode::UnknownEnumValue, message),
        };
        issue.expected(known.to_vec()).actual(&*given);
        if let Some(near) = nearest(&given, known) {
            issue.hint(format!("did you mean {near:?}?"));
        }
    }

    /// A string property.
    pub fn string<'o>(&mut self, obj: &'o Map<'_>, path: &At<'_>, field: Field) -> Option<&'o str> {
        let (words, expected) =
            if field.nullable { ("a string or null", "string or null") } else { ("a string", "string") };
        match self.present(obj, path, field, words, expected)? {
            Value::String(s) => Some(s),
            other => {
                self.wrong_type(path, field.key, words, expected, other);
                None
            }
        }
    }

    /// A boolean property.
    pub fn boolean(&mut self, obj: &Map<'_>, path: &At<'_>, field: Field) -> Option<bool> {
        match self.present(obj, path, field, "a boolean", "boolean")? {
            Value::Bool(b) => Some(*b),
            other => {
                self.wrong_type(path, field.key, "a boolean", "boolean", other);
                None
            }
        }
    }

    /// A whole-number property within `range` (Int32 or Int64 ranges, or a documented limit).
    pub fn integer(
        &mut self,
        obj: &Map<'_>,
        path: &At<'_>,
        field: Field,
        range: std::ops::RangeInclusive<i64>,
    ) -> Option<i64> {
        let expected = if field.required { "integer" } else { "integer or absent" };
        match self.present(obj, path, field, "a whole number", expected)? {
            Value::Number(n) => match n.as_i64() {
                Some(v) if range.contains(&v) => Some(v),
                _ => {
                    self.issues
                        .error(
                            &path.key(field.key).pointer(),
                            IssueCode::OutOfRange,
                            format!(
                                "{} must be a whole number from {} to {}, got {n}",
                                field.key,
                                range.start(),
                                range.end()
                            ),
                        )
                        .actual(serde_json::Value::Number(n.clone()));
                    self.untyped = true;
                    None
                }
            },
            other => {
                self.wrong_type(path, field.key, "a whole number", expected, other);
                None
            }
        }
    }
}

/// What a property must be: its key, whether it must be there, whether `null` stands for
/// "not given". Replaces pairs of bare booleans at every call site.
#[derive(Debug, Clone, Copy)]
pub struct Field<'k> {
    pub key: &'k str,
    pub required: bool,
    pub nullable: bool,
}

impl<'k> Field<'k> {
    pub const fn required(key: &'k str) -> Self {
        Field { key, required: true, nullable: false }
    }

    pub const fn optional(key: &'k str) -> Self {
        Field { key, required: false, nullable: false }
    }

    /// `null` is allowed and reads as absent.
    pub const fn nullable(self) -> Self {
        Field { nullable: true, ..self }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Input;
    use crate::model::CommsNotifications;

    fn tree(text: &str) -> Value<'_> {
        graph_ivr_json::read(text).map(|parsed| parsed.value).unwrap_or(Value::Null)
    }

    fn object(text: &str) -> Map<'_> {
        match tree(text) {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    #[test]
    fn a_value_the_typed_model_cannot_read_is_an_internal_issue() {
        let checked = Checked {
            issues: Issues::new(Mode::Strict),
            value: Some(tree(r#"{ "value": "not an array" }"#)),
            changed: false,
        };
        let report = checked.into_report::<CommsNotifications>();
        assert!(report.value.is_none());
        assert!(!report.valid);
        assert_eq!(report.codes(), ["internal"]);
    }

    #[test]
    fn typo_hints_are_near_misses_only() {
        let known = ["completed", "failed", "running", "notStarted"];
        assert_eq!(nearest("complted", &known), Some("completed"));
        assert_eq!(nearest("Failed", &known), Some("failed"));
        assert_eq!(nearest("notstarted", &known), Some("notStarted"));
        assert_eq!(nearest("banana", &known), None);
        assert_eq!(nearest(&"x".repeat(65), &known), None, "long values get no edit distance");
    }

    #[test]
    fn enums_normalize_casing_and_name_the_known_values() {
        let mut obj = object(r#"{ "status": "Completed", "other": "complted", "x": 5 }"#);
        let mut checker = Checker::new(Mode::Tolerant);
        checker.enumeration(
            &mut obj,
            &At::Root.key("op"),
            Field::required("status"),
            &["completed", "failed"],
            Evolvable::No,
        );
        assert_eq!(obj.get("status").and_then(Value::as_str), Some("completed"));
        assert!(checker.changed);
        checker.enumeration(
            &mut obj,
            &At::Root.key("op"),
            Field::required("other"),
            &["completed", "failed"],
            Evolvable::No,
        );
        checker.enumeration(&mut obj, &At::Root.key("op"), Field::required("x"), &["completed"], Evolvable::Yes);
        checker.enumeration(
            &mut obj,
            &At::Root.key("op"),
            Field::optional("absent").nullable(),
            &["completed"],
            Evolvable::Yes,
        );
        let issues = checker.issues.into_vec();
        let summary: Vec<(String, &str)> = issues.iter().map(|i| (i.path.clone(), i.code.as_str())).collect();
        assert_eq!(
            summary,
            [
                ("/op/status".into(), "enumCasing"),
                ("/op/other".into(), "unknownEnumValue"),
                ("/op/x".into(), "wrongType")
            ]
        );
        assert_eq!(issues[1].message, r#"other "complted" is not one of "completed", "failed""#);
        assert_eq!(issues[1].hint.as_deref(), Some(r#"did you mean "completed"?"#));
    }

    #[test]
    fn odata_types_expect_one_or_a_list() {
        let mut obj = object(r##"{ "@odata.type": "#x" }"##);
        let mut checker = Checker::new(Mode::Strict);
        checker.odata_type(&mut obj, &At::Root, &["#a"], None);
        checker.odata_type(&mut obj, &At::Root, &["#a", "#b"], None);
        let expected: Vec<Option<serde_json::Value>> =
            checker.issues.into_vec().into_iter().map(|i| i.expected).collect();
        assert_eq!(expected, [Some(serde_json::json!("#a")), Some(serde_json::json!(["#a", "#b"]))]);
    }

    #[test]
    fn bodies_absent_null_or_blank_are_no_body() {
        let mut checker = Checker::new(Mode::Strict);
        assert_eq!(checker.body_text(&Input::Null, "text"), None);
        assert_eq!(checker.body_text(&Input::Undefined, "text"), None);
        assert_eq!(checker.body_text(&Input::String("  ".into()), "text"), None);
        assert_eq!(checker.body_text(&Input::String("{}".into()), "text"), Some("{}"));
        assert!(!checker.issues.has_errors());
        assert_eq!(checker.body_text(&Input::Number(1.0), "text"), None);
        assert!(checker.issues.has_errors());
    }

    #[test]
    fn long_values_are_shortened_in_messages() {
        assert_eq!(shortened("abc"), "abc");
        let long = "é".repeat(100);
        assert_eq!(shortened(&long), format!("{}…", "é".repeat(80)));
        assert_eq!(nearest(&"x".repeat(64), &["x"]), None, "too far anyway");
        assert_eq!(nearest("abcdefghijkl", &["abcdefghijxx"]), Some("abcdefghijxx"), "12 / 4 = 3 edits allowed");
        assert_eq!(nearest("abcdefghijkl", &["abcdefghixxx"]), Some("abcdefghixxx"));
        assert_eq!(nearest("abcdefghijkl", &["abcdefghxxxx"]), None);
        let known = ["a".repeat(64)];
        let known: Vec<&str> = known.iter().map(String::as_str).collect();
        assert_eq!(nearest(&"a".repeat(64), &known), Some(known[0]), "64 characters still get a hint");
        assert_eq!(nearest(&"a".repeat(65), &known), None);
    }

    #[test]
    fn fields_say_what_they_accept() {
        let obj = object(r#"{ "a": null, "b": 5, "c": "x" }"#);
        let mut checker = Checker::new(Mode::Strict);
        assert_eq!(checker.string(&obj, &At::Root, Field::optional("a").nullable()), None);
        assert!(!checker.issues.has_errors(), "null is absent for a nullable field");
        assert_eq!(checker.string(&obj, &At::Root, Field::optional("c")), Some("x"));
        assert_eq!(checker.string(&obj, &At::Root, Field::optional("zz")), None);
        assert!(!checker.issues.has_errors());
        assert_eq!(checker.string(&obj, &At::Root, Field::optional("a")), None);
        assert_eq!(checker.string(&obj, &At::Root, Field::required("zz")), None);
        assert_eq!(checker.integer(&obj, &At::Root, Field::required("b"), 0..=4), None);
        assert_eq!(checker.integer(&obj, &At::Root, Field::required("b"), 5..=5), Some(5));
        let codes: Vec<&str> = checker.issues.into_vec().iter().map(|i| i.code.as_str()).collect();
        assert_eq!(codes, ["wrongType", "missingProperty", "outOfRange"]);
    }
}
