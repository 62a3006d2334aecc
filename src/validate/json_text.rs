//! The JSON text of what crosses to JavaScript on every validation: the issues (written here)
//! and a normalized tree (by graph-ivr-json's writer). Byte for byte what
//! `serde_json::to_string` writes, without serde's generic serializer and its `io::Write`
//! plumbing, which at the `.wasm`'s size-first optimization cost a third of an invalid
//! payload's validation.

pub use graph_ivr_json::write::write_tree;
use graph_ivr_json::write::{write_json, write_list, write_string};

use super::issue::{Issue, Severity};

/// Appends the JSON array of `issues` to `out`, members in `Issue`'s field order. Written with
/// literal key text rather than `Members` (whose keys go through the string escaper): this runs
/// for every issue of every invalid payload (BENCHMARKS.md has what that buys).
pub fn write_issues(out: &mut String, issues: &[Issue]) {
    write_list(out, '[', ']', issues.iter(), |out, issue| {
        // Destructured whole: a new field of Issue does not compile until it is written.
        let Issue { path, code, severity, message, expected, actual, hint } = issue;
        out.push_str("{\"path\":");
        write_string(out, path);
        out.push_str(",\"code\":\"");
        out.push_str(code.as_str());
        out.push_str(match severity {
            Severity::Error => "\",\"severity\":\"error\",\"message\":",
            Severity::Warning => "\",\"severity\":\"warning\",\"message\":",
        });
        write_string(out, message);
        for (key, value) in [(",\"expected\":", expected), (",\"actual\":", actual)] {
            if let Some(value) = value {
                out.push_str(key);
                write_json(out, value);
            }
        }
        if let Some(hint) = hint {
            out.push_str(",\"hint\":");
            write_string(out, hint);
        }
        out.push('}');
    });
}
