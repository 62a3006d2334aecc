//! JSON Pointer (RFC 6901) reference tokens.

use std::borrow::Cow;

/// Escapes one reference token: `~` → `~0`, `/` → `~1` (borrowed when there is neither).
pub fn escape_token(token: &str) -> Cow<'_, str> {
    if token.bytes().any(|b| b == b'~' || b == b'/') {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}
