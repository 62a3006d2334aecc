//! Fast paths, each opt-in by the package entry (`js/fast.js`) and each paid for by a row of
//! BENCHMARKS.md; the plain exports give the same answers (`tests/js/fast-paths.test.mjs`)
//! and pass every JS test without them. What they save is the crossing of objects: the entry
//! hands over UTF-8 bytes of text it already has (a payload, `JSON.stringify` of plain-JSON
//! options, a request's parts) in one copy, and makes the result from one string.

use wasm_bindgen::prelude::*;

use graph_ivr_json::tree::Value;

use crate::error::Error;
use crate::http::HttpRequest;
use crate::model::OperationKind;
use crate::validate::issue::{IssueCode, Issues};
use crate::validate::{self, Mode};

use super::convert::not_utf8;
use super::simulator::CallSimulator;
use super::validators::{notifications_answer, options, refused};

fn text(bytes: &[u8]) -> Result<&str, Error> {
    std::str::from_utf8(bytes).map_err(|e| Error::invalid_argument("", not_utf8(e)))
}

/// `validateNotifications` of a well-formed string, as the UTF-8 bytes the entry encoded it
/// into: the answer of `__validateNotifications`, the value the caller's own text.
#[wasm_bindgen(js_name = __fastValidateNotifications, skip_typescript)]
pub fn validate_notifications(payload: &[u8], options: JsValue) -> String {
    let mut problems = Issues::new(Mode::Strict);
    let options = self::options(&options, &mut problems, validate::notification_options);
    if problems.has_errors() {
        return refused(problems);
    }
    match std::str::from_utf8(payload) {
        Ok(text) => notifications_answer(text, options, true),
        Err(e) => {
            problems.error("", IssueCode::UnsupportedInput, not_utf8(e));
            refused(problems)
        }
    }
}

/// A builder of plain-JSON options (no `undefined`, no non-finite number, no getter: the entry
/// checks), given as `JSON.stringify`'s UTF-8: `url`, `\n`, `body`, and `\n` + the
/// `Authorization` value when there is one (none of them can hold a newline: the URL and the
/// token are checked, the body is JSON). Refusals are the plain builders' own.
#[wasm_bindgen(js_name = __fastBuild, skip_typescript)]
pub fn build(operation: &str, options: &[u8]) -> Result<String, Error> {
    let kind = OperationKind::from_action(operation)
        .ok_or_else(|| Error::invalid_argument("", format!("unknown operation {operation:?}")))?;
    let built = crate::request::BuildOptions::from_json_text(text(options)?, kind)?;
    let mut out = built.url();
    out.push('\n');
    out.push_str(&serde_json::to_string(built.request.action()).unwrap_or_default());
    if let Some(authorization) = built.authorization() {
        out.push('\n');
        out.push_str(&authorization);
    }
    Ok(out)
}

#[wasm_bindgen]
impl CallSimulator {
    /// `handle` of a plain request whose method, URL and body are strings (what the builders
    /// make): `method \n url \n headers (JSON) \n body` as UTF-8, so the body crosses as it is.
    /// Method and URL hold no newline (the entry checks), the headers' JSON none; the body is
    /// the rest. Answers `status \n headers (JSON) \n body`.
    #[wasm_bindgen(js_name = __fastHandle, skip_typescript)]
    pub fn fast_handle(&self, request: &[u8]) -> Result<String, Error> {
        let mut parts = text(request)?.splitn(4, '\n');
        let (Some(method), Some(url), Some(headers), Some(body)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(Error::invalid_argument("", "handle() takes a request object {method, url, headers, body}"));
        };
        // The entry sends headers whose values are all strings (see js/fast.js).
        let parsed = graph_ivr_json::read(headers).map_err(|e| Error::invalid_argument("/headers", e.to_string()))?;
        let Value::Object(headers) = parsed.value else {
            return Err(Error::invalid_argument("/headers", "the headers are not a JSON object"));
        };
        let headers = headers.iter().map(|(k, v)| (k.to_owned(), v.as_str().unwrap_or_default().to_owned())).collect();
        let response = self.handle_request(&HttpRequest::new(method, url, headers, body))?;
        let mut out = String::with_capacity(response.body.len() + 128);
        out.push_str(&response.status.to_string());
        out.push('\n');
        graph_ivr_json::write::Members::open(&mut out).close(&response.headers);
        out.push('\n');
        out.push_str(&response.body);
        Ok(out)
    }
}
