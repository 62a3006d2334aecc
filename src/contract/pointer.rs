//! JSON Pointers (RFC 6901) for issue paths: `/value/0/resourceData/status`.

/// Escapes one reference token: `~` → `~0`, `/` → `~1`.
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// `base` + `/token`, escaped.
pub fn child(base: &str, token: &str) -> String {
    format!("{base}/{}", escape_token(token))
}

/// `base` + `/index`.
pub fn index(base: &str, i: usize) -> String {
    format!("{base}/{i}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes() {
        assert_eq!(super::child("", "a/b~c"), "/a~1b~0c");
        assert_eq!(super::index("/value", 3), "/value/3");
    }
}
