//! The one HTTP request of the core: what `fetch` reads from a WHATWG `Request`, what
//! `handle()` is given, and what the request validator and the simulators read. At the floor,
//! below both `validate` and `sim`.

/// A request as a client sent it: method, URL, headers in order, and the body as text.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct HttpRequest {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    /// The body as text (`""` when there is none).
    pub body: String,
}

impl HttpRequest {
    pub fn new(
        method: impl Into<String>,
        url: impl Into<String>,
        headers: Vec<(String, String)>,
        body: impl Into<String>,
    ) -> HttpRequest {
        HttpRequest { method: method.into(), url: url.into(), headers, body: body.into() }
    }

    /// The value of header `name` (case-insensitively), the first when repeated.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The URL without query and fragment.
    pub fn bare_url(&self) -> &str {
        crate::model::ids::before_query(&self.url)
    }
}
