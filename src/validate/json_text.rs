//! Writing JSON text by hand for what crosses to JavaScript on every validation: the issues and
//! a normalized tree. Byte for byte what `serde_json::to_string` writes (and what
//! `JSON.stringify` would: the same escapes, lowercase `\u00xx`), without serde's generic
//! serializer and its `io::Write` plumbing, which at the `.wasm`'s size-first optimization cost
//! a third of an invalid payload's validation.

use serde_json::Value as Json;

use super::issue::Issue;
use super::tree::Value;

/// `value` as JSON text.
pub fn tree_text(value: &Value<'_>) -> String {
    let mut out = String::with_capacity(1024);
    write_tree(&mut out, value);
    out
}

/// `issues` as a JSON array of issue objects.
pub fn issues_text(issues: &[Issue]) -> String {
    let mut out = String::with_capacity(256 * issues.len());
    write_issues(&mut out, issues);
    out
}

/// Appends `value`'s JSON text to `out`.
pub fn write_tree(out: &mut String, value: &Value<'_>) {
    tree(out, value)
}

/// Appends the JSON array of `issues` to `out`.
pub fn write_issues(out: &mut String, issues: &[Issue]) {
    out.push('[');
    for (i, issue) in issues.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"path\":");
        string(out, &issue.path);
        out.push_str(",\"code\":\"");
        out.push_str(issue.code.as_str());
        out.push_str(match issue.severity {
            super::issue::Severity::Error => "\",\"severity\":\"error\",\"message\":",
            super::issue::Severity::Warning => "\",\"severity\":\"warning\",\"message\":",
        });
        string(out, &issue.message);
        if let Some(expected) = &issue.expected {
            out.push_str(",\"expected\":");
            json(out, expected);
        }
        if let Some(actual) = &issue.actual {
            out.push_str(",\"actual\":");
            json(out, actual);
        }
        if let Some(hint) = &issue.hint {
            out.push_str(",\"hint\":");
            string(out, hint);
        }
        out.push('}');
    }
    out.push(']');
}

fn tree(out: &mut String, value: &Value<'_>) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                tree(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(out, key);
                out.push(':');
                tree(out, item);
            }
            out.push('}');
        }
    }
}

fn json(out: &mut String, value: &Json) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => out.push_str(&n.to_string()),
        Json::String(s) => string(out, s),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json(out, item);
            }
            out.push(']');
        }
        Json::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(out, key);
                out.push(':');
                json(out, item);
            }
            out.push('}');
        }
    }
}

/// A JSON string: runs that need no escape copied whole.
fn string(out: &mut String, text: &str) {
    out.push('"');
    let mut run = 0;
    for (i, b) in text.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(text.get(run..i).unwrap_or_default());
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push_str(escape);
        }
        run = i + 1;
    }
    out.push_str(text.get(run..).unwrap_or_default());
    out.push('"');
}
