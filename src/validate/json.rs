//! Reading JSON text safely for the validators: a size limit, then the reader of the
//! `graph-ivr-json` crate (nesting limit, duplicate keys), its failures as issues.
//!

use super::issue::{IssueCode, Issues};
pub use graph_ivr_json::{read, Failure, Parsed, SyntaxError, MAX_DEPTH};

use super::tree::Value;

/// Payloads over 1 MiB are refused unread.
pub const MAX_PAYLOAD_BYTES: usize = 1024 * 1024;

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
    match read(text) {
        Ok(parsed) => {
            for (at, key) in parsed.duplicates {
                issues
                    .tolerated(
                        &format!("{path}{at}"),
                        IssueCode::DuplicateKey,
                        format!("key {key:?} appears more than once; the last value is used"),
                    )
                    .actual(key);
            }
            Some(parsed.value)
        }
        Err(Failure::TooDeep) => {
            issues.error(
                path,
                IssueCode::NestingTooDeep,
                format!("objects and arrays nest deeper than {MAX_DEPTH} levels"),
            );
            None
        }
        Err(Failure::Syntax(err)) => {
            issues.error(path, IssueCode::InvalidJson, format!("not valid JSON: {err}"));
            None
        }
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

    #[test]
    fn duplicates_are_placed_by_pointer() {
        let parsed = read(r#"[{"x":[1,{"a/b~":{"k":1,"k":2}}]}]"#).ok().map(|p| p.duplicates);
        assert_eq!(parsed, Some(vec![("/0/x/1/a~1b~0".to_owned(), "k".to_owned())]));
        let parsed = read(r#"{"\u0061":1,"a":2}"#).ok().map(|p| (p.value.to_json(), p.duplicates));
        assert_eq!(parsed, Some((serde_json::json!({"a": 2}), vec![(String::new(), "a".to_owned())])));
    }

    #[test]
    fn errors_say_what_and_where() {
        let err = |text: &str| match read(text) {
            Err(Failure::Syntax(e)) => e.to_string(),
            other => format!("{:?}", other.map(|p| p.value)),
        };
        assert_eq!(err(""), "EOF while parsing a value at line 1 column 1");
        assert_eq!(err("{\n  \"a\": tru }"), "expected value at line 2 column 8");
        assert_eq!(err("[1,]"), "expected value at line 1 column 4");
        assert_eq!(err("\"\\ud800\""), "lone leading surrogate in hex escape at line 1 column 8");
        assert_eq!(err("1e400"), "number out of range at line 1 column 6");
        assert_eq!(err("01"), "trailing characters at line 1 column 2");
    }
}
