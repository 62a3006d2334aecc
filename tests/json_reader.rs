//! The validators' own JSON reader and writer against serde_json: on generated JSON, on generated near-JSON
//! and on every fixture of the contract, both accept and refuse the same texts and read the
//! same values. Floats of up to 15 significant digits are read exactly; longer ones within a few
//! units in the last place (see `float` in crates/json/src/read.rs).

mod common;

use graph_ivr::validate::issue::{IssueCode, Issues, Mode};
use graph_ivr::validate::json::{read, Failure};
use graph_ivr::validate::json_text;
use proptest::prelude::*;

/// What serde_json reads, as the reader's tree would show it (`None`: refused).
fn serde_reading(text: &str) -> Option<serde_json::Value> {
    serde_json::from_str(text).ok()
}

fn our_reading(text: &str) -> Option<serde_json::Value> {
    read(text).ok().map(|parsed| parsed.value.to_json())
}

/// Equal, numbers with more than 15 significant digits within 8 units in the last place.
fn same(a: &Option<serde_json::Value>, b: &Option<serde_json::Value>) -> bool {
    use serde_json::Value;
    fn close(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => match (x.as_f64(), y.as_f64()) {
                (Some(x), Some(y)) => x == y || ((x - y).abs() <= 8.0 * f64::EPSILON * x.abs().max(y.abs())),
                _ => false,
            },
            (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| close(x, y)),
            (Value::Object(x), Value::Object(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|((kx, x), (ky, y))| kx == ky && close(x, y))
            }
            _ => a == b,
        }
    }
    match (a, b) {
        (Some(a), Some(b)) => close(a, b),
        (None, None) => true,
        _ => false,
    }
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| n.into()),
        any::<u64>().prop_map(|n| n.into()),
        (-1e6f64..1e6).prop_map(|n| serde_json::json!(n)),
        "\\PC{0,12}".prop_map(serde_json::Value::String),
        "[\"\\\\/a\u{e9}\u{1F600}\n\t\u{1}]{0,6}".prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(6, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::vec(("[a-c\"\\\\]{0,3}", inner), 0..6)
                .prop_map(|entries| serde_json::Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// Texts near JSON: a JSON text with one byte changed, removed or repeated.
fn near_json() -> impl Strategy<Value = String> {
    (json_value(), any::<prop::sample::Index>(), 0u8..3, prop::sample::select(b"{}[],:\"\\-.eE0 tfnu\n".to_vec()))
        .prop_map(|(value, at, how, byte)| {
            let mut bytes = serde_json::to_string_pretty(&value).unwrap_or_default().into_bytes();
            let i = at.index(bytes.len().max(1)).min(bytes.len());
            match how {
                0 if i < bytes.len() => bytes[i] = byte,
                1 if i < bytes.len() => {
                    bytes.remove(i);
                }
                _ => bytes.insert(i, byte),
            }
            String::from_utf8_lossy(&bytes).into_owned()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn reads_what_serde_json_reads(value in json_value(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&value) } else { serde_json::to_string(&value) };
        let text = text.unwrap_or_default();
        let ours = our_reading(&text);
        prop_assert!(same(&ours, &Some(value)), "{}", text);
    }

    #[test]
    fn refuses_what_serde_json_refuses(text in near_json()) {
        prop_assert!(same(&our_reading(&text), &serde_reading(&text)), "{}", text);
    }

    #[test]
    fn short_floats_are_exact(mantissa in -999_999_999_999_999i64..999_999_999_999_999, point in 0usize..16, scale in -22i32..=22) {
        // mantissa × 10^scale, written with a decimal point `point` digits from the right.
        let digits = mantissa.unsigned_abs().to_string();
        let point = point.min(digits.len() - 1);
        let (int, frac) = digits.split_at(digits.len() - point);
        let sign = if mantissa < 0 { "-" } else { "" };
        let text = if frac.is_empty() { format!("{sign}{int}e{scale}") } else { format!("{sign}{int}.{frac}e{}", scale + point as i32) };
        let expected: f64 = text.parse().unwrap_or(f64::NAN);
        let ours = read(&text).ok().and_then(|p| p.value.to_json().as_f64());
        prop_assert_eq!(ours.map(f64::to_bits), Some(expected.to_bits()), "{}", text);
    }

    #[test]
    fn writes_what_serde_json_writes(value in json_value(), path in "\\PC{0,8}", message in "[\"\\\\\n\u{1}\u{7f}a\u{e9}]{0,8}") {
        let text = serde_json::to_string(&value).unwrap_or_default();
        let tree = read(&text).map(|p| p.value).unwrap_or(graph_ivr::validate::tree::Value::Null);
        let mut written = String::new();
        json_text::write_tree(&mut written, &tree);
        prop_assert_eq!(written, serde_json::to_string(&tree.to_json()).unwrap_or_default());
        let mut issues = Issues::new(Mode::Strict);
        issues.error(&path, IssueCode::WrongType, message.clone()).expected(value.clone()).actual(message.as_str());
        issues.warning("", IssueCode::EnumCasing, "m").hint(message);
        let issues = issues.into_vec();
        let mut written = String::new();
        json_text::write_issues(&mut written, &issues);
        prop_assert_eq!(written, serde_json::to_string(&issues).unwrap_or_default());
    }

    #[test]
    fn never_panics_on_any_text(text in "\\PC{0,40}") {
        prop_assert_eq!(our_reading(&text), serde_reading(&text));
    }
}

#[test]
fn numbers_and_escapes_as_serde_json_reads_them() {
    for text in [
        "0",
        "-0",
        "-0.0",
        "1",
        "-1",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "1.5",
        "1e3",
        "1E+3",
        "1e-3",
        "2.5e-308",
        "1.7976931348623157e308",
        "1e400",
        "-1e400",
        "01",
        "1.",
        ".5",
        "-",
        "+1",
        "1e",
        "0x10",
        "\"\\u00e9\\ud83d\\ude00\"",
        "\"\\ud83d\"",
        "\"\\ude00\"",
        "\"\\ud83d\\u0041\"",
        "\"\\x\"",
        "\"a\u{1}\"",
        "\"\\/\\b\\f\\n\\r\\t\"",
        " [ ] ",
        "[1 2]",
        "{\"a\" 1}",
        "{1:2}",
        "nul",
        "truex",
        "[",
        "{",
        "\"",
        // Exponents past any i64 (a fuzz target found the overflow): 0, 0, out of range.
        "0e99999999999999999999",
        "1e-99999999999999999999",
        "1e99999999999999999999",
        "-1e+99999999999999999999",
        "0.000e-9223372036854775808",
        "66e0000000000000000000000000000009223372036854775807",
    ] {
        assert!(same(&our_reading(text), &serde_reading(text)), "{text}");
    }
}

#[test]
fn every_contract_fixture_reads_as_serde_json_reads_it() {
    let Some(root) = common::contract_dir() else { return };
    let mut seen = 0;
    for dir in ["fixtures", "lifecycle"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else { continue };
        for entry in entries.flatten() {
            let Ok(text) = std::fs::read_to_string(entry.path()) else { continue };
            assert_eq!(our_reading(&text), serde_reading(&text), "{}", entry.path().display());
            seen += 1;
        }
    }
    assert!(seen > 20, "the contract fixtures were not found beside the repo ({seen})");
}

#[test]
fn nesting_beyond_the_limit_is_named() {
    let deep = format!("{}{}", "[".repeat(65), "]".repeat(65));
    assert!(matches!(read(&deep), Err(Failure::TooDeep)));
    assert!(read(&deep[1..deep.len() - 1]).is_ok());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Small objects are checked key by key, large ones sorted once: either way a repeated key
    /// keeps its first place and its last value, and every repetition is named, in order.
    #[test]
    fn repeated_keys_of_small_and_large_objects(keys in prop::collection::vec(0u8..60, 0..120)) {
        let members: Vec<String> = keys.iter().enumerate().map(|(i, k)| format!("\"k{k}\":{i}")).collect();
        let text = format!("{{\"o\":{{{}}}}}", members.join(","));
        let parsed = read(&text).map_err(|e| format!("{e}"));
        prop_assert!(parsed.is_ok(), "{:?}", parsed.err());
        let Ok(parsed) = parsed else { return Ok(()) };
        prop_assert_eq!(Some(parsed.value.to_json()), serde_reading(&text));
        let mut seen = std::collections::HashSet::new();
        let expected: Vec<(String, String)> =
            keys.iter().filter(|k| !seen.insert(**k)).map(|k| ("/o".to_owned(), format!("k{k}"))).collect();
        prop_assert_eq!(parsed.duplicates, expected);
    }
}

#[test]
fn a_wide_object_is_read_whole() {
    // 150,000 distinct keys (about 1.3 MB; the reader itself has no size limit): sorted once at
    // its end. This checks the merge keeps every key; it cannot see the time a scan of the
    // earlier keys for each key would take (10^10 steps); the README's figure was measured through
    // the API.
    let members: Vec<String> = (0..150_000).map(|i| format!("\"k{i}\":{i}")).collect();
    let text = format!("{{{}}}", members.join(","));
    let parsed = read(&text).map(|p| (p.duplicates.len(), p.value.to_json().as_object().map(|o| o.len())));
    assert_eq!(parsed.ok(), Some((0, Some(150_000))));
}
