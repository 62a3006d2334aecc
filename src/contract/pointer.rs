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

/// Where a value sits, as a chain of steps on the stack: the JSON Pointer string is built only
/// when a refusal needs it, so reading valid options allocates no paths.
#[derive(Debug, Clone, Copy)]
pub enum At<'a> {
    Root,
    Key(&'a At<'a>, &'a str),
    Index(&'a At<'a>, usize),
}

impl<'a> At<'a> {
    pub fn key(&'a self, key: &'a str) -> At<'a> {
        At::Key(self, key)
    }

    pub fn index(&'a self, i: usize) -> At<'a> {
        At::Index(self, i)
    }

    /// The JSON Pointer (`/prompts/0/uri`; `""` for the root).
    pub fn pointer(&self) -> String {
        match self {
            At::Root => String::new(),
            At::Key(parent, key) => child(&parent.pointer(), key),
            At::Index(parent, i) => index(&parent.pointer(), *i),
        }
    }
}

#[cfg(test)]
mod at_tests {
    use super::At;

    #[test]
    fn pointers_are_built_on_demand() {
        let root = At::Root;
        let prompts = root.key("prompts");
        let first = prompts.index(0);
        assert_eq!(first.key("a/b~c").pointer(), "/prompts/0/a~1b~0c");
        assert_eq!(root.pointer(), "");
    }
}
