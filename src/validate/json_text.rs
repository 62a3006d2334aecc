//! The JSON text of what crosses to JavaScript on every validation: the issues (written here)
//! and a normalized tree (by graph-ivr-json's writer). Byte for byte what
//! `serde_json::to_string` writes, without serde's generic serializer and its `io::Write`
//! plumbing, which at the `.wasm`'s size-first optimization cost a third of an invalid
//! payload's validation.

pub use graph_ivr_json::write::{tree_text, write_tree};
use graph_ivr_json::write::{write_json as json, write_string as string};

use super::issue::Issue;

/// `issues` as a JSON array of issue objects.
pub fn issues_text(issues: &[Issue]) -> String {
    let mut out = String::with_capacity(256 * issues.len());
    write_issues(&mut out, issues);
    out
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
