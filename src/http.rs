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

    /// A request object as JS hands one over (`{method, url, headers?, body?}`, what the
    /// builders make; other members are not read): strings, or the path of what is not one.
    pub fn from_js_object(input: &crate::input::Input) -> Result<HttpRequest, crate::Error> {
        use crate::input::Input;
        let text = |key: &str, required: bool| match input.get(key) {
            Input::String(s) => Ok(s.clone()),
            absent if absent.is_absent() && !required => Ok(String::new()),
            other => Err(crate::Error::invalid_argument(
                format!("/{key}"),
                format!("a request's {key} is a string, got {}", other.type_name()),
            )),
        };
        let headers = string_headers(input.get("headers"), "/headers")?;
        Ok(HttpRequest { method: text("method", true)?, url: text("url", true)?, headers, body: text("body", false)? })
    }

    /// The URL without query and fragment.
    pub fn bare_url(&self) -> &str {
        crate::model::ids::before_query(&self.url)
    }
}

/// Headers given as an object of strings (absent: none), or the path of what is not a string.
pub fn string_headers(input: &crate::input::Input, path: &str) -> Result<Vec<(String, String)>, crate::Error> {
    use crate::input::Input;
    let entries = match input {
        Input::Object(entries) => entries.as_slice(),
        absent if absent.is_absent() => &[],
        other => {
            return Err(crate::Error::invalid_argument(
                path,
                format!("headers are an object of strings, got {}", other.type_name()),
            ))
        }
    };
    let mut headers = Vec::with_capacity(entries.len());
    for (name, value) in entries {
        let Input::String(value) = value else {
            return Err(crate::Error::invalid_argument(
                format!("{path}/{}", graph_ivr_json::escape_token(name)),
                format!("a header's value is a string, got {}", value.type_name()),
            ));
        };
        headers.push((name.clone(), value.clone()));
    }
    Ok(headers)
}
