//! The one answer shape of every validator: a string the package entry turns into the
//! `Report` (`reportOf` in js/entry.js), so that issues and `value` cross as JSON text, which
//! `JSON.parse` makes into objects faster than objects can be built from here, and `value` is
//! parsed only when a caller reads it.
//!
//! `valid` (`1`/`0`), the value's kind (`0` none, `1` the caller's own payload text, `2` JSON
//! text after the issues and a newline), then the issues' JSON array (empty for none). No JSON
//! text written here holds a raw newline.

use crate::validate::issue::Issue;
use crate::validate::json_text::{write_issues, write_tree};
use crate::validate::tree::Value;

/// What the answer says of the report's `value`.
pub enum Carried<'t> {
    Nothing,
    /// The caller's own text: the entry parses it when `value` is first read.
    OwnText,
    /// JSON text, after the issues.
    Text(&'t str),
    /// A tree, written after the issues.
    Tree(&'t Value<'t>),
}

/// The answer of a report: `valid`, its `issues`, and what stands for its `value`.
pub fn answer(valid: bool, issues: &[Issue], value: Carried<'_>) -> String {
    let mut out = String::with_capacity(if issues.is_empty() { 2 } else { 512 });
    out.push(if valid { '1' } else { '0' });
    out.push(match value {
        Carried::Nothing => '0',
        Carried::OwnText => '1',
        Carried::Text(_) | Carried::Tree(_) => '2',
    });
    if !issues.is_empty() {
        write_issues(&mut out, issues);
    }
    match value {
        Carried::Text(text) => {
            out.push('\n');
            out.push_str(text);
        }
        Carried::Tree(tree) => {
            out.push('\n');
            write_tree(&mut out, tree);
        }
        Carried::Nothing | Carried::OwnText => {}
    }
    out
}
