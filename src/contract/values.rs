//! Checked values: each newtype can only be made through `TryFrom`, which applies its rule of
//! `rules`, so a typed request cannot hold an unchecked call id, uri, timer or tone (the
//! pattern of the `http` crate's `HeaderValue` and `Uri`). Fields are private on purpose.

use std::fmt;

use serde::{Serialize, Serializer};

use super::limits::{STOP_TONE_KEYS, TIMER_SECONDS_MAX, TIMER_SECONDS_MIN};
use super::rules;

/// Why a value was refused, in words that name the rule and the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

/// A string newtype whose only constructor is `TryFrom`, checked by `$check`.
macro_rules! checked_string {
    ($(#[$meta:meta])* $name:ident, $check:path) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = Refused;
            fn try_from(value: String) -> Result<Self, Refused> {
                $check(&value).map_err(Refused)?;
                Ok($name(value))
            }
        }

        impl TryFrom<&str> for $name {
            type Error = Refused;
            fn try_from(value: &str) -> Result<Self, Refused> {
                $name::try_from(value.to_owned())
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }
    };
}

checked_string!(
    /// A call id: one URL path segment (see `rules::check_call_id`).
    CallId,
    rules::check_call_id
);

checked_string!(
    /// `clientContext`: at most 256 UTF-16 units.
    ClientContext,
    rules::check_client_context
);

checked_string!(
    /// A prompt's `mediaInfo.uri`: an absolute http(s) URL.
    PromptUri,
    rules::check_prompt_uri
);

checked_string!(
    /// A bearer token, without the `Bearer ` prefix, safe to put in a header.
    AccessToken,
    rules::check_access_token
);

impl CallId {
    /// The id percent-encoded as exactly one path segment.
    pub fn path_segment(&self) -> std::borrow::Cow<'_, str> {
        rules::encode_segment(&self.0)
    }
}

/// An http(s) origin (`https://graph.microsoft.com`), stored without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl(String);

impl BaseUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The public Graph origin.
    pub fn graph() -> BaseUrl {
        BaseUrl(super::limits::DEFAULT_BASE_URL.to_owned())
    }
}

impl TryFrom<&str> for BaseUrl {
    type Error = Refused;
    fn try_from(value: &str) -> Result<Self, Refused> {
        rules::check_base_url(value).map(BaseUrl).map_err(Refused)
    }
}

/// One of the three recordResponse timers: whole seconds from 1 to 120.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimerSeconds(u8);

impl TimerSeconds {
    pub fn get(self) -> u32 {
        u32::from(self.0)
    }

    pub fn millis(self) -> u64 {
        u64::from(self.0) * 1000
    }
}

impl TryFrom<i64> for TimerSeconds {
    type Error = Refused;
    fn try_from(value: i64) -> Result<Self, Refused> {
        if (TIMER_SECONDS_MIN..=TIMER_SECONDS_MAX).contains(&value) {
            // In range 1..=120, so it fits a u8.
            Ok(TimerSeconds(value as u8))
        } else {
            Err(Refused(format!(
                "a timer is a whole number of seconds from {TIMER_SECONDS_MIN} to {TIMER_SECONDS_MAX}, got {value}"
            )))
        }
    }
}

impl TryFrom<f64> for TimerSeconds {
    type Error = Refused;
    /// A JS number: refused unless it is a whole number in range (`1.5`, `NaN`, `Infinity`).
    fn try_from(value: f64) -> Result<Self, Refused> {
        if value.is_finite() && value.fract() == 0.0 {
            // `as` saturates: a huge whole number stays out of range and is refused.
            TimerSeconds::try_from(value as i64)
        } else {
            Err(Refused(format!(
                "a timer is a whole number of seconds from {TIMER_SECONDS_MIN} to {TIMER_SECONDS_MAX}, got {}",
                crate::input::number_text(value)
            )))
        }
    }
}

impl Serialize for TimerSeconds {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.0)
    }
}

/// A DTMF key as a stop tone (`"#"`, `"1"`): one of the 16 characters `0-9 * # A-D`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StopTone(char);

impl StopTone {
    pub fn key(self) -> char {
        self.0
    }
}

impl TryFrom<&str> for StopTone {
    type Error = Refused;
    fn try_from(text: &str) -> Result<Self, Refused> {
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (Some(key), None) if STOP_TONE_KEYS.contains(key) => Ok(StopTone(key)),
            _ => {
                let hint = if text.len() == 1 && STOP_TONE_KEYS.contains(&text.to_ascii_uppercase()) {
                    format!(" (did you mean {:?}?)", text.to_ascii_uppercase())
                } else {
                    String::new()
                };
                Err(Refused(format!("a stop tone is one DTMF character of 0-9 * # A-D, got {text:?}{hint}")))
            }
        }
    }
}

impl Serialize for StopTone {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0u8; 4];
        s.serialize_str(self.0.encode_utf8(&mut buf))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::limits::*;

    #[test]
    fn call_id_boundary() {
        assert!(CallId::try_from("a".repeat(CALL_ID_MAX)).is_ok());
        assert!(CallId::try_from("a".repeat(CALL_ID_MAX + 1)).is_err());
        assert!(CallId::try_from("").is_err());
        assert_eq!(CallId::try_from("a/b").map(|c| c.path_segment().into_owned()), Ok("a%2Fb".to_owned()));
    }

    #[test]
    fn client_context_boundary_counts_utf16() {
        assert!(ClientContext::try_from("x".repeat(CLIENT_CONTEXT_MAX)).is_ok());
        assert!(ClientContext::try_from("x".repeat(CLIENT_CONTEXT_MAX + 1)).is_err());
        // 128 astral characters are 256 UTF-16 units: the last allowed; one more is refused.
        assert!(ClientContext::try_from("😀".repeat(CLIENT_CONTEXT_MAX / 2)).is_ok());
        assert!(ClientContext::try_from(format!("{}x", "😀".repeat(CLIENT_CONTEXT_MAX / 2))).is_err());
    }

    #[test]
    fn prompt_uri_boundary() {
        let base = "https://x/";
        assert!(PromptUri::try_from(format!("{base}{}", "a".repeat(PROMPT_URI_MAX - base.len()))).is_ok());
        assert!(PromptUri::try_from(format!("{base}{}", "a".repeat(PROMPT_URI_MAX - base.len() + 1))).is_err());
    }

    #[test]
    fn access_token_boundary() {
        assert!(AccessToken::try_from("a".repeat(ACCESS_TOKEN_MAX)).is_ok());
        assert!(AccessToken::try_from("a".repeat(ACCESS_TOKEN_MAX + 1)).is_err());
    }

    #[test]
    fn refusals_read_as_their_reason() {
        assert_eq!(Refused("why".into()).to_string(), "why");
    }

    #[test]
    fn timer_boundaries() {
        assert!(TimerSeconds::try_from(1e300f64).is_err());
        assert!(TimerSeconds::try_from(-1e300f64).is_err());
        assert!(TimerSeconds::try_from(0i64).is_err());
        assert_eq!(TimerSeconds::try_from(1i64).map(TimerSeconds::get), Ok(1));
        assert_eq!(TimerSeconds::try_from(120i64).map(TimerSeconds::get), Ok(120));
        assert!(TimerSeconds::try_from(121i64).is_err());
        assert!(TimerSeconds::try_from(1.5f64).is_err());
        assert!(TimerSeconds::try_from(f64::NAN).is_err());
        assert!(TimerSeconds::try_from(f64::INFINITY).is_err());
        assert_eq!(TimerSeconds::try_from(2.0f64).map(TimerSeconds::millis), Ok(2000));
    }

    #[test]
    fn stop_tones_and_hints() {
        for key in STOP_TONE_KEYS.chars() {
            assert_eq!(StopTone::try_from(key.to_string().as_str()).map(StopTone::key), Ok(key));
        }
        let refused = StopTone::try_from("a").map(StopTone::key);
        assert_eq!(
            refused,
            Err(Refused("a stop tone is one DTMF character of 0-9 * # A-D, got \"a\" (did you mean \"A\"?)".into()))
        );
        let no_hint = StopTone::try_from("##").map(StopTone::key);
        assert!(no_hint.is_err_and(|e| !e.0.contains("did you mean")));
        assert!(StopTone::try_from("").is_err());
        assert!(StopTone::try_from("E").is_err());
    }
}
