//! Checks of single values, shared by the builders (which refuse) and the request validator
//! (which reports). Each returns the reason in words, to be wrapped with a path by the caller.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::limits::{ACCESS_TOKEN_MAX, CALLBACK_URI_MAX, CALL_ID_MAX, CLIENT_CONTEXT_MAX, PROMPT_URI_MAX};

/// RFC 3986 unreserved characters stay; everything else in a path segment is escaped.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes `value` as exactly one URL path segment (borrowed when nothing needs it).
pub fn encode_segment(value: &str) -> std::borrow::Cow<'_, str> {
    utf8_percent_encode(value, SEGMENT).into()
}

/// Length as JavaScript's `String.prototype.length` counts it.
pub fn utf16_len(value: &str) -> usize {
    if value.is_ascii() {
        return value.len(); // one unit a byte: no need to walk the characters
    }
    value.encode_utf16().count()
}

/// Whether `value` has a control character (Unicode `Cc`). Ids and URLs are ASCII almost
/// always, so their bytes are checked directly; other text is walked character by character.
fn has_control(value: &str) -> bool {
    if value.is_ascii() {
        return value.bytes().any(|b| b < 0x20 || b == 0x7f);
    }
    value.chars().any(char::is_control)
}

/// The first control or whitespace character of `value`, bytes first for ASCII text.
fn control_or_space(value: &str) -> Option<char> {
    if value.is_ascii() {
        return value.bytes().find(|b| *b <= b' ' || *b == 0x7f).map(char::from);
    }
    value.chars().find(|c| c.is_control() || c.is_whitespace())
}

/// A call id is one path segment: non-empty, no control characters, not `.` or `..` (which
/// URL parsers resolve as path steps even when percent-encoded).
pub fn check_call_id(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("callId must not be empty".into());
    }
    if value.len() > CALL_ID_MAX {
        return Err(format!("callId can have at most {CALL_ID_MAX} bytes, got {}", value.len()));
    }
    if has_control(value) {
        return Err(format!("callId must not contain control characters, got {value:?}"));
    }
    if value == "." || value == ".." {
        return Err(format!("callId {value:?} is a relative path step, not an id"));
    }
    Ok(())
}

pub fn check_client_context(value: &str) -> Result<(), String> {
    let len = utf16_len(value);
    if len > CLIENT_CONTEXT_MAX {
        return Err(format!("clientContext can have at most {CLIENT_CONTEXT_MAX} characters, got {len}"));
    }
    Ok(())
}

/// A bearer token goes into a header: printable ASCII only (no CR/LF header injection).
pub fn check_access_token(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("accessToken must not be empty; leave it out to send no Authorization header".into());
    }
    if value.len() > ACCESS_TOKEN_MAX {
        return Err(format!("accessToken can have at most {ACCESS_TOKEN_MAX} bytes, got {}", value.len()));
    }
    if value.contains(['\r', '\n']) {
        return Err("accessToken must not contain CR or LF (it would split the Authorization header)".into());
    }
    if let Some(bad) = value.chars().find(|c| !(' '..='~').contains(c)) {
        return Err(format!("accessToken must be printable ASCII, found {bad:?}"));
    }
    if value.get(..7).is_some_and(|prefix| prefix.eq_ignore_ascii_case("bearer ")) {
        return Err("accessToken must be the bare token: graph-ivr adds the 'Bearer ' prefix".into());
    }
    Ok(())
}

/// `baseUrl` is an http(s) origin: scheme, host and optional port, nothing after (one trailing
/// `/` is tolerated). Returns the origin without the trailing slash.
pub fn check_base_url(value: &str) -> Result<String, String> {
    let origin = value.strip_suffix('/').unwrap_or(value);
    let Some((scheme, authority)) = origin.split_once("://") else {
        return Err(format!("baseUrl must be an http(s) origin such as https://graph.microsoft.com, got {value:?}"));
    };
    if !scheme.eq_ignore_ascii_case("https") && !scheme.eq_ignore_ascii_case("http") {
        return Err(format!("baseUrl must use https or http, got {scheme:?}"));
    }
    if let Some(bad) = authority.chars().find(|c| matches!(c, '/' | '?' | '#' | '@' | '\\')) {
        return Err(format!(
            "baseUrl must be an origin only (no path, query, fragment or credentials), found {bad:?} in {value:?}"
        ));
    }
    let (host, port) =
        split_host_port(authority).ok_or_else(|| format!("baseUrl has an invalid host or port: {value:?}"))?;
    let host_ok = if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        !v6.is_empty() && v6.chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
    } else {
        !host.is_empty()
            && host
                .split('.')
                .all(|label| !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
    };
    if !host_ok {
        return Err(format!("baseUrl has an invalid host {host:?}"));
    }
    if let Some(port) = port {
        // Digits only (`parse` would take a `+`), within u16 (empty and too long fail there).
        if !port.chars().all(|c| c.is_ascii_digit()) || port.parse::<u16>().is_err() {
            return Err(format!("baseUrl has an invalid port {port:?}"));
        }
    }
    Ok(format!("{}://{}", scheme.to_ascii_lowercase(), authority))
}

fn split_host_port(authority: &str) -> Option<(&str, Option<&str>)> {
    if authority.starts_with('[') {
        let close = authority.find(']')?;
        let (host, rest) = authority.split_at(close + 1);
        match rest.strip_prefix(':') {
            Some(port) => Some((host, Some(port))),
            None if rest.is_empty() => Some((host, None)),
            None => None,
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => Some((host, Some(port))),
            None => Some((authority, None)),
        }
    }
}

/// A prompt uri must be an absolute http(s) URL the media service can fetch.
pub fn check_prompt_uri(value: &str) -> Result<(), String> {
    check_http_url(value, "a prompt uri", PROMPT_URI_MAX)
}

/// A bot's `callbackUri`: an absolute http(s) URL Graph can POST to (the docs require https;
/// bots tested on loopback listen on http).
pub fn check_callback_uri(value: &str) -> Result<(), String> {
    check_http_url(value, "a callbackUri", CALLBACK_URI_MAX)
}

/// An absolute http(s) URL with a host, no whitespace or control characters, at most `max`
/// bytes; `what` names it in the reason.
fn check_http_url(value: &str, what: &str, max: usize) -> Result<(), String> {
    if value.len() > max {
        return Err(format!("{what} can have at most {max} bytes, got {}", value.len()));
    }
    let scheme = |prefix: &str| value.get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix));
    let rest = if scheme("https://") {
        &value[8..]
    } else if scheme("http://") {
        &value[7..]
    } else {
        return Err(format!("{what} must be an absolute http(s) URL, got {:?}", shorten(value)));
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    if rest[..host_end].is_empty() {
        return Err(format!("{what} needs a host, got {:?}", shorten(value)));
    }
    if let Some(bad) = control_or_space(value) {
        return Err(format!("{what} must not contain whitespace or control characters, found {bad:?}"));
    }
    Ok(())
}

fn shorten(value: &str) -> String {
    value.chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_escaped() {
        assert_eq!(encode_segment("a/b?c#d%2F"), "a%2Fb%3Fc%23d%252F");
        assert_eq!(encode_segment("57dab8b1-894c"), "57dab8b1-894c");
        assert_eq!(encode_segment("é"), "%C3%A9");
    }

    #[test]
    fn base_urls() {
        assert_eq!(check_base_url("https://graph.microsoft.com/"), Ok("https://graph.microsoft.com".to_owned()));
        assert_eq!(check_base_url("http://127.0.0.1:8080"), Ok("http://127.0.0.1:8080".to_owned()));
        assert_eq!(check_base_url("http://[::1]:3000"), Ok("http://[::1]:3000".to_owned()));
        assert_eq!(check_base_url("http://localhost:65535"), Ok("http://localhost:65535".to_owned()));
        assert_eq!(check_base_url("http://[::1]"), Ok("http://[::1]".to_owned()));
        assert!(check_base_url("http://localhost:+80").is_err());
        assert_eq!(check_base_url("HTTPS://Graph.example"), Ok("https://Graph.example".to_owned()));
        for bad in [
            "http://localhost:65536",
            "http://localhost:",
            "http://localhost:123456",
            "http://localhost:8o",
            "http://[::1]x",
            "http://[]",
            "http://[zz]",
            "https://a_b",
            "graph.microsoft.com",
            "ftp://x",
            "https://x/v1.0",
            "https://x?a",
            "https://u@x",
            "https://x:99999",
            "https://",
            "https://a..b",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ascii_fast_paths_agree_with_the_unicode_rules() {
        for text in ["abc", "a b", "a\u{7f}", "a\tb", "é", "a\u{85}b", "a\u{a0}b", "a\u{2028}", "😀x", ""] {
            assert_eq!(has_control(text), text.chars().any(char::is_control), "{text:?}");
            assert_eq!(control_or_space(text), text.chars().find(|c| c.is_control() || c.is_whitespace()), "{text:?}");
            assert_eq!(utf16_len(text), text.encode_utf16().count(), "{text:?}");
        }
    }

    #[test]
    fn callback_uris() {
        assert!(check_callback_uri("http://127.0.0.1:9/cb").is_ok());
        assert!(check_callback_uri("https://bot.contoso.com/api/calls").is_ok());
        for bad in ["ftp://x/cb", "https://", "http:///cb", "https://a/b c", "bot.contoso.com"] {
            assert!(check_callback_uri(bad).is_err(), "{bad}");
        }
        let base = "https://a/";
        assert!(check_callback_uri(&format!("{base}{}", "x".repeat(CALLBACK_URI_MAX - base.len()))).is_ok());
        assert!(check_callback_uri(&format!("{base}{}", "x".repeat(CALLBACK_URI_MAX - base.len() + 1))).is_err());
    }

    #[test]
    fn prompt_uris_name_the_value_briefly() {
        let long = format!("ftp://{}", "x".repeat(200));
        let why = check_prompt_uri(&long).err().unwrap_or_default();
        assert!(why.contains("ftp://xxx") && why.len() < 200, "{why}");
        assert!(check_prompt_uri("https://a/b.wav").is_ok());
        assert!(check_prompt_uri("HTTP://a/b.wav").is_ok());
        assert!(check_prompt_uri("https://?x").is_err());
        assert!(check_prompt_uri(r"https://a/b\c").is_ok(), "a backslash is not whitespace");
        assert!(check_prompt_uri("https://a/b\tc").is_err(), "a tab is");
        assert!(check_prompt_uri("https://a/b c").is_err());
    }

    #[test]
    fn tokens_and_ids() {
        assert!(check_access_token("abc.def").is_ok());
        assert!(check_access_token("a\r\nX-Evil: 1").is_err());
        assert!(check_access_token("Bearer abc").is_err());
        assert!(check_access_token("bearer ").is_err());
        assert!(check_access_token("Bearer").is_ok(), "a token that merely looks like the word");
        assert!(check_call_id("..").is_err());
        assert!(check_call_id("a\u{7}").is_err());
        assert!(check_call_id("a/b").is_ok(), "encoded later, not refused");
    }
}
