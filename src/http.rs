//! The one HTTP request of the core: what `fetch` reads from a WHATWG `Request`, what
//! `handle()` is given, and what the request validator and the simulators read. At the floor,
//! below both `validate` and `sim`.

use crate::input::{Input, Shown};

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

    /// `{method, url, headers?, body?}` as JS hands it over; `Err` names the first part no HTTP
    /// client could send (a method or URL that is not text, headers that are not an object of
    /// text, a body that is not text), as the simulator's `400` says it.
    pub fn from_input(input: &Input) -> Result<HttpRequest, String> {
        let text = |key: &str, absent: Option<&str>| match input.get(key) {
            Input::String(text) => Ok(text.clone()),
            other if other.is_absent() && absent.is_some() => Ok(absent.unwrap_or_default().to_owned()),
            other => Err(format!("{key} must be a string, got {} (at /{key})", Shown(other))),
        };
        let headers = match input.get("headers") {
            absent if absent.is_absent() => Vec::new(),
            Input::Object(entries) => entries
                .iter()
                .map(|(name, value)| match value {
                    Input::String(value) => Ok((name.clone(), value.clone())),
                    // As `fetch`'s Headers take them: a number or boolean as its text.
                    Input::Number(n) if n.is_finite() => Ok((name.clone(), crate::input::number_text(*n))),
                    Input::Bool(b) => Ok((name.clone(), b.to_string())),
                    other => Err(format!("a header's value must be a string, got {} (at /headers)", Shown(other))),
                })
                .collect::<Result<_, _>>()?,
            other => return Err(format!("headers must be an object, got {} (at /headers)", other.type_name())),
        };
        Ok(HttpRequest {
            method: text("method", None)?,
            url: text("url", None)?,
            headers,
            body: text("body", Some(""))?,
        })
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
