//! JSON Pointers (RFC 6901) for issue paths: `/value/0/resourceData/status`.

pub use graph_ivr_json::escape_token;

/// `base` + `/token`, escaped.
pub fn child(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + token.len() + 1);
    out.push_str(base);
    out.push('/');
    out.push_str(&escape_token(token));
    out
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
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            At::Root => {}
            At::Key(parent, key) => {
                parent.write(out);
                out.push('/');
                out.push_str(&escape_token(key));
            }
            At::Index(parent, i) => {
                parent.write(out);
                out.push('/');
                out.push_str(&i.to_string());
            }
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
