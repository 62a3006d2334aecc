//! Reading JSON text into the borrowed tree, as `JSON.parse` reads it, and noticing duplicate
//! keys (which `JSON.parse` and serde would silently collapse).
//!
//! A purpose-built reader rather than serde's deserializer driving a visitor: it builds the
//! borrowed tree straight from the bytes (a string without escapes is a slice of the text),
//! gathers each container's children on one shared stack and moves them into a vector of
//! exactly their size, checks the nesting limit as it goes, and follows the path it stands at
//! (a stack of steps, for the JSON Pointer of a duplicate key) only when a first read met a
//! duplicate. It accepts exactly RFC 8259 JSON, as serde_json and `JSON.parse` do;
//! graph-ivr's `tests/json_reader.rs` holds it to serde_json on generated texts.

use std::borrow::Cow;

use serde_json::Number;

use crate::pointer::escape_token;
use crate::tree::{mark, Entry, Map, Value};

/// Objects and arrays may nest 64 levels deep.
pub const MAX_DEPTH: usize = 64;

/// Up to this many keys an object is checked for repeats key by key as it is read; a larger
/// one is sorted once when it closes, so that reading stays O(n log n) in its size.
const LINEAR_KEYS: usize = 32;

/// A whole text read: its tree and the duplicate keys met, as (JSON Pointer of the object, key).
pub struct Parsed<'a> {
    pub value: Value<'a>,
    pub duplicates: Vec<(String, String)>,
}

/// Why a text is not read.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// Deeper than `MAX_DEPTH`.
    TooDeep,
    Syntax(SyntaxError),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::TooDeep => write!(f, "objects and arrays nest deeper than {MAX_DEPTH} levels"),
            Failure::Syntax(err) => err.fmt(f),
        }
    }
}

/// What is wrong and where, as a 1-based line and column (in characters).
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub what: &'static str,
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at line {} column {}", self.what, self.line, self.column)
    }
}

/// Reads one JSON value filling the whole `text` (whitespace around it allowed).
pub fn read(text: &str) -> Result<Parsed<'_>, Failure> {
    let parsed = read_with(text, false)?;
    if parsed.duplicates.is_empty() {
        return Ok(parsed);
    }
    // A duplicate key is rare (and a fault): only then is the text read again keeping the path,
    // so the common read pays nothing for the pointers.
    read_with(text, true)
}

fn read_with(text: &str, track: bool) -> Result<Parsed<'_>, Failure> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
        depth: 0,
        track,
        steps: Vec::new(),
        items: Vec::new(),
        entries: Vec::new(),
        duplicates: Vec::new(),
    };
    let value = reader.value()?;
    reader.skip_space();
    if reader.at < reader.bytes.len() {
        return Err(reader.fail("trailing characters"));
    }
    Ok(Parsed { value, duplicates: reader.duplicates })
}

/// Where the reader stands inside containers: an object's key or an array's index.
enum Step<'a> {
    Key(Cow<'a, str>),
    Index(usize),
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    depth: usize,
    /// Whether `steps` follows the path (for the pointers of duplicate keys); without it a
    /// duplicate is recorded with an empty pointer, and `read` reads again with it.
    track: bool,
    steps: Vec<Step<'a>>,
    /// Items of the arrays being read, innermost last; moved out when an array closes.
    items: Vec<Value<'a>>,
    /// Entries of the objects being read, likewise.
    entries: Vec<Entry<'a>>,
    duplicates: Vec<(String, String)>,
}

type Read<T> = Result<T, Failure>;

impl<'a> Reader<'a> {
    fn fail(&self, what: &'static str) -> Failure {
        let before = self.text.get(..self.at.min(self.text.len())).unwrap_or(self.text);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Failure::Syntax(SyntaxError { what, line, column })
    }

    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    #[inline(always)]
    fn skip_space(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.at += 1;
        }
    }

    /// Consumes `byte` (after whitespace) or fails with `what`.
    #[inline(always)]
    fn expect(&mut self, byte: u8, what: &'static str) -> Read<()> {
        self.skip_space();
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.fail(what))
        }
    }

    fn value(&mut self) -> Read<Value<'a>> {
        self.skip_space();
        match self.peek() {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => {
                self.at += 1;
                Ok(Value::String(self.string()?))
            }
            Some(b't') => self.word("true", Value::Bool(true)),
            Some(b'f') => self.word("false", Value::Bool(false)),
            Some(b'n') => self.word("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.fail("expected value")),
            None => Err(self.fail("EOF while parsing a value")),
        }
    }

    #[inline(always)]
    fn word(&mut self, word: &'static str, value: Value<'a>) -> Read<Value<'a>> {
        if self.bytes.get(self.at..self.at + word.len()) == Some(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.fail("expected value"))
        }
    }

    #[inline(always)]
    fn enter(&mut self) -> Read<()> {
        if self.depth >= MAX_DEPTH {
            return Err(Failure::TooDeep);
        }
        self.depth += 1;
        self.at += 1;
        Ok(())
    }

    fn array(&mut self) -> Read<Value<'a>> {
        self.enter()?;
        let start = self.items.len();
        self.skip_space();
        if self.peek() == Some(b']') {
            self.at += 1;
        } else {
            if self.track {
                self.steps.push(Step::Index(0));
            }
            loop {
                if let (true, Some(Step::Index(i))) = (self.track, self.steps.last_mut()) {
                    *i = self.items.len() - start;
                }
                let item = self.value()?;
                self.items.push(item);
                self.skip_space();
                match self.peek() {
                    Some(b',') => self.at += 1,
                    Some(b']') => {
                        self.at += 1;
                        break;
                    }
                    Some(_) => return Err(self.fail("expected `,` or `]`")),
                    None => return Err(self.fail("EOF while parsing a list")),
                }
            }
            if self.track {
                self.steps.pop();
            }
        }
        self.depth -= 1;
        Ok(Value::Array(self.items.split_off(start)))
    }

    fn object(&mut self) -> Read<Value<'a>> {
        self.enter()?;
        let start = self.entries.len();
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.at += 1;
        } else {
            loop {
                self.skip_space();
                match self.peek() {
                    Some(b'"') => self.at += 1,
                    Some(_) => return Err(self.fail("key must be a string")),
                    None => return Err(self.fail("EOF while parsing an object")),
                }
                let key = self.string()?;
                self.expect(b':', "expected `:`")?;
                if self.track {
                    self.steps.push(Step::Key(key.clone()));
                }
                let value = self.value()?;
                if self.track {
                    self.steps.pop();
                }
                // A small object is kept free of duplicates as it is read; a large one is
                // sorted once when it closes (a scan per key would make it quadratic).
                if self.entries.len() - start < LINEAR_KEYS {
                    let m = mark(&key);
                    match self.entries.iter_mut().skip(start).find(|e| e.is(m, &key)) {
                        Some(entry) => {
                            entry.set(value);
                            let at = if self.track { self.pointer() } else { String::new() };
                            self.duplicates.push((at, key.into_owned()));
                        }
                        None => self.entries.push(Entry::new(key, value)),
                    }
                } else {
                    self.entries.push(Entry::new(key, value));
                }
                self.skip_space();
                match self.peek() {
                    Some(b',') => self.at += 1,
                    Some(b'}') => {
                        self.at += 1;
                        break;
                    }
                    Some(_) => return Err(self.fail("expected `,` or `}`")),
                    None => return Err(self.fail("EOF while parsing an object")),
                }
            }
        }
        self.depth -= 1;
        let mut entries = self.entries.split_off(start);
        if entries.len() > LINEAR_KEYS {
            self.merge_duplicates(&mut entries);
        }
        Ok(Value::Object(Map::from_entries(entries)))
    }

    /// Merges the repeated keys of a large object as the linear check would have: a key keeps
    /// its first position and takes its last value; each repetition is recorded, in order.
    fn merge_duplicates(&mut self, entries: &mut Vec<Entry<'a>>) {
        // Positions by key, then by position: a heap sort (O(n log n) whatever the keys, and
        // far less code in the `.wasm` than the slice sorts' small-sort networks).
        let heap: std::collections::BinaryHeap<(&str, usize)> =
            entries.iter().enumerate().map(|(i, e)| (e.key(), i)).collect();
        let order: Vec<usize> = heap.into_sorted_vec().into_iter().map(|(_, i)| i).collect();
        let mut runs = Vec::new();
        let mut repeated = vec![false; entries.len()];
        for group in order.chunk_by(|&a, &b| entries[a].key() == entries[b].key()) {
            if let [first, .., last] = *group {
                runs.push((first, last));
                group[1..].iter().for_each(|&i| repeated[i] = true);
            }
        }
        if runs.is_empty() {
            return;
        }
        for (first, last) in runs {
            let value = entries[last].take_value();
            entries[first].set(value);
        }
        let at = if self.track { self.pointer() } else { String::new() };
        for (entry, _) in entries.iter().zip(&repeated).filter(|(_, r)| **r) {
            self.duplicates.push((at.clone(), entry.key().to_owned()));
        }
        let mut gone = repeated.iter();
        entries.retain(|_| !gone.next().copied().unwrap_or(false));
    }

    /// The JSON Pointer of the container being read.
    fn pointer(&self) -> String {
        let mut out = String::new();
        for step in &self.steps {
            out.push('/');
            match step {
                Step::Key(k) => out.push_str(&escape_token(k)),
                Step::Index(i) => out.push_str(&i.to_string()),
            }
        }
        out
    }

    /// A string's contents, the opening quote consumed: a slice of the text unless it holds
    /// escapes.
    fn string(&mut self) -> Read<Cow<'a, str>> {
        let start = self.at;
        self.at = plain_run(self.bytes, self.at);
        loop {
            match self.peek() {
                Some(b'"') => {
                    let text = self.text.get(start..self.at).ok_or_else(|| self.fail("invalid UTF-8"))?;
                    self.at += 1;
                    return Ok(Cow::Borrowed(text));
                }
                Some(b'\\') => break,
                Some(0..=0x1f) => {
                    return Err(self.fail("control character (\\u0000-\\u001F) found while parsing a string"))
                }
                Some(_) => self.at += 1,
                None => return Err(self.fail("EOF while parsing a string")),
            }
        }
        let mut owned = String::from(self.text.get(start..self.at).ok_or_else(|| self.fail("invalid UTF-8"))?);
        loop {
            let run = self.at;
            self.at = plain_run(self.bytes, self.at);
            owned.push_str(self.text.get(run..self.at).ok_or_else(|| self.fail("invalid UTF-8"))?);
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(Cow::Owned(owned));
                }
                Some(b'\\') => {
                    self.at += 1;
                    self.escape(&mut owned)?;
                }
                Some(_) => return Err(self.fail("control character (\\u0000-\\u001F) found while parsing a string")),
                None => return Err(self.fail("EOF while parsing a string")),
            }
        }
    }

    /// One escape, its backslash consumed.
    fn escape(&mut self, out: &mut String) -> Read<()> {
        let Some(byte) = self.peek() else {
            return Err(self.fail("EOF while parsing a string"));
        };
        self.at += 1;
        let decoded = match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex4()?;
                match unit {
                    0xD800..=0xDBFF => {
                        if self.bytes.get(self.at..self.at + 2) != Some(b"\\u") {
                            return Err(self.fail("lone leading surrogate in hex escape"));
                        }
                        self.at += 2;
                        let low = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return Err(self.fail("lone leading surrogate in hex escape"));
                        }
                        let code = 0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                        char::from_u32(code).ok_or_else(|| self.fail("invalid unicode code point"))?
                    }
                    0xDC00..=0xDFFF => return Err(self.fail("lone trailing surrogate in hex escape")),
                    _ => char::from_u32(u32::from(unit)).ok_or_else(|| self.fail("invalid unicode code point"))?,
                }
            }
            _ => return Err(self.fail("invalid escape")),
        };
        out.push(decoded);
        Ok(())
    }

    fn hex4(&mut self) -> Read<u16> {
        let mut unit = 0u16;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                Some(_) => return Err(self.fail("invalid escape")),
                None => return Err(self.fail("EOF while parsing a string")),
            };
            unit = unit * 16 + u16::from(digit);
            self.at += 1;
        }
        Ok(unit)
    }

    /// A number as serde_json reads one: an integer that fits `u64` (or `i64` when negative)
    /// stays an integer, anything else is an `f64`; a number too large for `f64` is refused.
    fn number(&mut self) -> Read<Value<'a>> {
        let start = self.at;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.fail("invalid number")),
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            integer = false;
            self.at += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.fail("invalid number"));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            integer = false;
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.fail("invalid number"));
            }
            self.digits();
        }
        let text = self.text.get(start..self.at).ok_or_else(|| self.fail("invalid number"))?;
        if integer {
            let magnitude = text.trim_start_matches('-');
            if let Some(n) = small_integer(magnitude) {
                if !negative {
                    return Ok(Value::Number(n.into()));
                }
                if n == 0 {
                    return Ok(Value::Number(Number::from_f64(-0.0).unwrap_or_else(|| 0.into())));
                }
                if n <= 1 << 63 {
                    return Ok(Value::Number((0i64.wrapping_sub_unsigned(n)).into()));
                }
            }
        }
        match float(text) {
            Some(n) => Number::from_f64(n).map(Value::Number).ok_or_else(|| self.fail("number out of range")),
            None => Err(self.fail("invalid number")),
        }
    }

    #[inline(always)]
    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
    }
}

/// A float's value from its (already checked) text. Exact, as `JSON.parse` gives it, for up to
/// 15 significant digits and a decimal exponent within ±22 (one rounding of exact operands:
/// every number of a Graph payload). Beyond, within a few units in the last place, as
/// serde_json's default reading: core's correctly rounded parser carries large tables into the
/// `.wasm` (BENCHMARKS.md), and the `value` a JS caller reads is `JSON.parse`'s own.
fn float(text: &str) -> Option<f64> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (digits, exponent) = match rest.find(['e', 'E']) {
        Some(e) => (rest.get(..e)?, exponent_value(rest.get(e + 1..)?)?),
        None => (rest, 0),
    };
    let mut mantissa = 0u64;
    let mut scale = exponent;
    let mut significant = 0;
    let mut after_point = false;
    for b in digits.bytes() {
        match b {
            b'.' => after_point = true,
            b'0'..=b'9' => {
                if significant < 19 {
                    mantissa = mantissa * 10 + u64::from(b - b'0');
                    if mantissa > 0 {
                        significant += 1;
                    }
                    if after_point {
                        scale -= 1;
                    }
                } else if !after_point {
                    scale += 1;
                }
            }
            _ => return None,
        }
    }
    const EXACT: [f64; 23] = {
        let mut table = [1.0; 23];
        let mut i = 1;
        while i < 23 {
            table[i] = table[i - 1] * 10.0;
            i += 1;
        }
        table
    };
    let m = mantissa as f64;
    let value = if mantissa == 0 {
        0.0
    } else if mantissa < 1 << 53 && (-22..=22).contains(&scale) {
        if scale >= 0 {
            m * EXACT[scale as usize]
        } else {
            m / EXACT[(-scale) as usize]
        }
    } else if scale >= 0 {
        m * 10f64.powi(scale.min(400) as i32)
    } else if scale >= -300 {
        m / 10f64.powi((-scale) as i32)
    } else {
        m / 1e300 / 10f64.powi((-scale - 300).min(400) as i32)
    };
    // Rounding on the way may overflow a number just under `f64::MAX` (1.7976931348623157e308,
    // the largest a 17-digit text rounds to): it is `MAX`, as `JSON.parse` reads it.
    let value = if value.is_infinite() && below_max(digits, exponent) { f64::MAX } else { value };
    Some(if negative { -value } else { value })
}

/// An exponent's value, held within ±10^9: past that every mantissa a payload can hold is 0 or
/// out of range already, and the arithmetic on it cannot overflow.
fn exponent_value(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..)?),
        Some(b'+') => (false, text.get(1..)?),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let magnitude = digits.bytes().fold(0i64, |n, b| (n * 10 + i64::from(b - b'0')).min(1_000_000_000));
    Some(if negative { -magnitude } else { magnitude })
}

/// Whether digits × 10^exponent is below 1.7976931348623158e308 (compared as decimal text).
fn below_max(digits: &str, exponent: i64) -> bool {
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let int = int.trim_start_matches('0');
    let mut significant: String = int.chars().chain(frac.chars()).collect();
    let leading = significant.len() - significant.trim_start_matches('0').len();
    significant.drain(..leading);
    // The decimal exponent of the first significant digit.
    let e10 = exponent + int.len() as i64 - 1 - if int.is_empty() { leading as i64 } else { 0 };
    e10 < 308 || (e10 == 308 && significant.trim_end_matches('0') < "17976931348623158")
}

/// Where the run of string bytes that need no attention (no quote, backslash or control
/// character) starting at `at` ends: eight bytes a step, then one by one.
#[inline(always)]
pub(crate) fn plain_run(bytes: &[u8], mut at: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = bytes.get(at..at + 8).and_then(|c| <&[u8; 8]>::try_from(c).ok()) {
        let w = u64::from_le_bytes(*chunk);
        // A byte of each kind makes its high bit set in one of these (the classic "has zero
        // byte" test on w ^ pattern, and on w itself for bytes under 0x20).
        let quote = (w ^ (ONES * u64::from(b'"'))).wrapping_sub(ONES) & !(w ^ (ONES * u64::from(b'"')));
        let backslash = (w ^ (ONES * u64::from(b'\\'))).wrapping_sub(ONES) & !(w ^ (ONES * u64::from(b'\\')));
        let control = w.wrapping_sub(ONES * 0x20) & !w;
        if (quote | backslash | control) & HIGHS != 0 {
            break;
        }
        at += 8;
    }
    while let Some(&b) = bytes.get(at) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            break;
        }
        at += 1;
    }
    at
}

/// Decimal digits as a `u64`, or `None` when they overflow it.
fn small_integer(digits: &str) -> Option<u64> {
    digits.bytes().try_fold(0u64, |n, b| n.checked_mul(10)?.checked_add(u64::from(b - b'0')))
}
