//! Writing JSON text by hand: byte for byte what `serde_json::to_string` writes (and what
//! `JSON.stringify` would: the same escapes, lowercase `\u00xx`), without serde's generic
//! serializer and its `io::Write` plumbing. The validators write every issue and every
//! normalized value with it.

use serde_json::{Map, Value as Json};

use crate::tree::Value;

/// Appends `value`'s JSON text to `out`.
pub fn write_tree(out: &mut String, value: &Value<'_>) {
    tree(out, value)
}

/// Appends `value` (serde_json's tree) as JSON text to `out`.
pub fn write_json(out: &mut String, value: &Json) {
    json(out, value)
}

/// Appends `text` as a JSON string to `out`.
pub fn write_string(out: &mut String, text: &str) {
    string(out, text)
}

fn tree(out: &mut String, value: &Value<'_>) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => string(out, s),
        Value::Array(items) => write_list(out, '[', ']', items.iter(), tree),
        Value::Object(map) => write_list(out, '{', '}', map.iter(), |out, (key, item)| member(out, key, item, tree)),
    }
}

fn json(out: &mut String, value: &Json) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => out.push_str(&n.to_string()),
        Json::String(s) => string(out, s),
        Json::Array(items) => write_list(out, '[', ']', items.iter(), json),
        Json::Object(map) => write_list(out, '{', '}', map.iter(), |out, (key, item)| member(out, key, item, json)),
    }
}

/// `open`, the items written by `write` with commas between them, `close`.
pub fn write_list<T>(
    out: &mut String,
    open: char,
    close: char,
    items: impl Iterator<Item = T>,
    mut write: impl FnMut(&mut String, T),
) {
    out.push(open);
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write(out, item);
    }
    out.push(close);
}

/// `"key":` and the value written by `write`.
fn member<V: ?Sized>(out: &mut String, key: &str, value: &V, write: fn(&mut String, &V)) {
    string(out, key);
    out.push(':');
    write(out, value);
}

/// A JSON string: runs that need no escape copied whole (found eight bytes a step).
fn string(out: &mut String, text: &str) {
    out.push('"');
    let bytes = text.as_bytes();
    let mut run = 0;
    let mut at = 0;
    loop {
        at = crate::read::plain_run(bytes, at);
        let Some(&b) = bytes.get(at) else { break };
        out.push_str(text.get(run..at).unwrap_or_default());
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            _ => "",
        };
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            let code = [b'\\', b'u', b'0', b'0', HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]];
            out.push_str(std::str::from_utf8(&code).unwrap_or_default());
        } else {
            out.push_str(escape);
        }
        at += 1;
        run = at;
    }
    out.push_str(text.get(run..).unwrap_or_default());
    out.push('"');
}

/// An object written member by member, as serde writes a struct: members that are `None` left
/// out, a flattened map of other members last.
pub struct Members<'o> {
    pub out: &'o mut String,
    first: bool,
}

impl<'o> Members<'o> {
    pub fn open(out: &'o mut String) -> Self {
        out.push('{');
        Members { out, first: true }
    }

    /// Writes `"key":` (after a comma when it is not the first member).
    pub fn key(&mut self, key: &str) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        string(self.out, key);
        self.out.push(':');
    }

    /// A string member, left out when `None`.
    pub fn text(&mut self, key: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.key(key);
            string(self.out, value);
        }
    }

    /// A member whose JSON text is `value` (a number, a boolean, `null`), left out when `None`.
    pub fn raw(&mut self, key: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.key(key);
            self.out.push_str(value);
        }
    }

    /// Writes the members of `extra`, then closes the object.
    pub fn close(mut self, extra: &Map<String, Json>) {
        for (key, value) in extra {
            self.key(key);
            json(self.out, value);
        }
        self.end();
    }

    /// Closes the object.
    pub fn end(self) {
        self.out.push('}');
    }
}
