//! Option dictionaries: every export takes its options as one object of known keys (undici's
//! way), and one reader refuses what is not such an object and each unknown key, with a
//! "did you mean" hint for a near miss, for every export alike.

use graph_ivr_json::escape_token;

use crate::error::Error;

use super::Input;

/// The keys an options object may hold, and who takes them (for messages).
#[derive(Debug, Clone, Copy)]
pub struct Dictionary<'k> {
    /// Who takes the options, as a message names it: `verifyCallbackToken`, `this builder`.
    pub taker: &'k str,
    pub keys: &'k [&'k str],
    /// What the message calls a key: `option`, or `property` inside a nested value.
    pub noun: &'k str,
}

/// One key the dictionary does not know, ready to be thrown or reported.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownKey {
    pub path: String,
    pub message: String,
    /// `did you mean "…"?` when a known key is near.
    pub hint: Option<String>,
}

impl UnknownKey {
    pub fn into_error(self) -> Error {
        let error = Error::invalid_argument(self.path, self.message);
        match self.hint {
            Some(hint) => error.with_hint(hint),
            None => error,
        }
    }
}

/// An options object read against its dictionary: lookups by key, `undefined` for the absent.
#[derive(Debug, Clone, Copy)]
pub struct Options<'i> {
    entries: &'i [(String, Input)],
}

impl<'k> Dictionary<'k> {
    pub const fn options(taker: &'k str, keys: &'k [&'k str]) -> Dictionary<'k> {
        Dictionary { taker, keys, noun: "option" }
    }

    pub const fn properties(taker: &'k str, keys: &'k [&'k str]) -> Dictionary<'k> {
        Dictionary { taker, keys, noun: "property" }
    }

    /// Every unknown key of `keys` (in order), at `base/key`.
    pub fn unknown<'a>(
        &'a self,
        keys: impl IntoIterator<Item = &'a str> + 'a,
        base: &'a str,
    ) -> impl Iterator<Item = UnknownKey> + 'a {
        keys.into_iter().filter(|key| !self.keys.contains(key)).map(move |key| self.unknown_key(key, base))
    }

    /// `key`, which this dictionary does not know, at `base/key`.
    pub fn unknown_key(&self, key: &str, base: &str) -> UnknownKey {
        UnknownKey {
            path: format!("{base}/{}", escape_token(key)),
            message: format!("unknown {} {key:?}; {} takes {}", self.noun, self.taker, self.keys.join(", ")),
            hint: nearest(key, self.keys).map(|near| format!("did you mean {near:?}?")),
        }
    }

    /// Reads `input` (at `base`) as these options, refusing a non-object and the first unknown
    /// key. Absent options (`undefined`, `null`) read as an empty object unless `required`.
    pub fn read<'i>(&self, input: &'i Input, base: &str, required: bool) -> Result<Options<'i>, Error> {
        let entries: &'i [(String, Input)] = match input {
            Input::Object(entries) => entries,
            absent if absent.is_absent() && !required => &[],
            other => {
                return Err(Error::invalid_argument(
                    base,
                    format!("{}'s options must be an object, got {}", self.taker, other.type_name()),
                ))
            }
        };
        match self.unknown(entries.iter().map(|(key, _)| key.as_str()), base).next() {
            Some(unknown) => Err(unknown.into_error()),
            None => Ok(Options { entries }),
        }
    }
}

impl<'i> Options<'i> {
    /// The value of `key`; `undefined` when absent (a later duplicate wins, as in JS).
    pub fn get(&self, key: &str) -> &'i Input {
        const UNDEFINED: &Input = &Input::Undefined;
        self.entries.iter().rev().find(|(k, _)| k == key).map_or(UNDEFINED, |(_, v)| v)
    }

    /// The given entries (neither `undefined` nor `null`), in order.
    pub fn given(&self) -> impl Iterator<Item = (&'i str, &'i Input)> {
        self.entries.iter().filter(|(_, v)| !v.is_absent()).map(|(k, v)| (k.as_str(), v))
    }

    /// `read(value)` of `key` when it is given.
    pub fn optional<T>(&self, key: &str, read: impl FnOnce(&'i Input) -> Result<T, Error>) -> Result<Option<T>, Error> {
        match self.get(key) {
            absent if absent.is_absent() => Ok(None),
            given => read(given).map(Some),
        }
    }
}

/// The known word nearest to `given` (case-insensitively, within a few edits), for hints.
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

#[cfg(test)]
mod tests {
    use super::*;

    const VERIFY: Dictionary<'static> = Dictionary::options("verifyCallbackToken", &["jwks", "audience"]);

    fn object(keys: &[&str]) -> Input {
        Input::Object(keys.iter().map(|k| ((*k).to_owned(), Input::Bool(true))).collect())
    }

    #[test]
    fn unknown_keys_with_hints() {
        let refused = VERIFY.read(&object(&["jwks", "audiance"]), "", true).err();
        let refused = refused.map(|e| (e.path, e.hint, e.message));
        assert_eq!(
            refused,
            Some((
                "/audiance".to_owned(),
                Some("did you mean \"audience\"?".to_owned()),
                "unknown option \"audiance\"; verifyCallbackToken takes jwks, audience; did you mean \"audience\"?"
                    .to_owned()
            ))
        );
        let far = VERIFY.unknown(["zzzzzzzz"], "/o").next();
        assert_eq!(far.map(|u| (u.path, u.hint)), Some(("/o/zzzzzzzz".to_owned(), None)));
    }

    #[test]
    fn absent_and_non_objects() {
        assert!(VERIFY.read(&Input::Undefined, "", false).is_ok());
        assert_eq!(VERIFY.read(&Input::Undefined, "", true).err().map(|e| e.path), Some(String::new()));
        assert!(VERIFY.read(&Input::Number(1.0), "/x", false).is_err_and(|e| e.path == "/x"));
    }

    #[test]
    fn nearest_words() {
        let known = ["completed", "failed", "notStarted"];
        assert_eq!(nearest("complted", &known), Some("completed"));
        assert_eq!(nearest("Failed", &known), Some("failed"));
        assert_eq!(nearest("banana", &known), None);
        assert_eq!(nearest(&"a".repeat(65), &["a"]), None, "long values get no edit distance");
    }
}
