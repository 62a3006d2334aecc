//! The emulator's way into a `GraphSimulator` (`graph.__serve`, used by `js/emulator.cjs`): a
//! request's parts as an HTTP server read them in, Graph's answer's parts out. It is
//! `graph.fetch` without the `Request` and `Response` made on either side (what a server has
//! already parsed and will write itself): the same journal, the same held answers under
//! `faults.latencyMs`, the same count of the bot's requests in flight for `run`. BENCHMARKS.md's
//! row `emulator.serveVsFetch` pays for it.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::error::Error;
use crate::sim::{Body, HttpAnswer, HttpRequest, Routed, Submitted};

use super::borrow_mut;
use super::fetch::{answer_later, call_of, journal_answer, journal_request, Sent, Service};
use super::graph::GraphSimulator;

#[wasm_bindgen(js_class = GraphSimulator)]
impl GraphSimulator {
    /// Graph's answer to `method url` with `headers` (a server's raw list joined by newlines:
    /// name, value, name, value …; neither can hold one) and `body` (its bytes, read as
    /// `fetch` reads text): `[status, headers, body]` (headers as a flat list, body a string
    /// or, for a recording, bytes), or a promise of it while `faults.latencyMs` holds it.
    #[wasm_bindgen(js_name = __serve, skip_typescript)]
    pub fn serve(&self, method: String, url: String, headers: &str, body: &[u8]) -> Result<JsValue, JsValue> {
        let request = HttpRequest {
            method,
            url,
            headers: header_pairs(headers),
            body: String::from_utf8_lossy(body).into_owned(),
        };
        let (submitted, journaled) = {
            let mut graph = borrow_mut(&self.state, "GraphSimulator")?;
            let journaled = journal_request(&mut *graph, &request);
            (graph.submit(&request), journaled)
        };
        let activity = self.fetch.activity.clone();
        let service: Rc<RefCell<dyn Service>> = self.state.clone();
        match submitted {
            Submitted::Answered(routed) => {
                activity.answered_at_once();
                journal_answer(&service, journaled, &routed)
                    .map_err(|_| Error::invalid_state("the journal is busy"))?;
                as_parts(&service, routed)
            }
            later => {
                let call = call_of(&request.url);
                activity.begin(&call);
                Ok(answer_later(service, activity, call, Ok(Sent::Submitted(later, journaled)), as_parts).into())
            }
        }
    }
}

/// Headers from lines of name, value, name, value … (names lowercased, as `Headers` keeps them).
fn header_pairs(lines: &str) -> Vec<(String, String)> {
    let mut lines = lines.split('\n');
    let mut pairs = Vec::new();
    while let (Some(name), Some(value)) = (lines.next(), lines.next()) {
        pairs.push((name.to_ascii_lowercase(), value.to_owned()));
    }
    pairs
}

/// `__serve`'s reply: `[status, headers, body]`.
fn as_parts(_: &Rc<RefCell<dyn Service>>, routed: Routed) -> Result<JsValue, JsValue> {
    let HttpAnswer { status, headers, body } = match routed {
        Routed::Answer(answer) => answer,
        Routed::ForeignHost(host) => {
            return Err(Error::invalid_argument("/url", format!("{host} is not this simulator's Graph")).into())
        }
    };
    let flat = Array::new();
    for (name, value) in &headers {
        flat.push(&JsValue::from_str(name));
        flat.push(&JsValue::from_str(value.as_str().unwrap_or_default()));
    }
    let body = match body {
        Body::Text(text) => JsValue::from_str(&text),
        Body::Bytes(bytes) => Uint8Array::from(bytes.as_slice()).into(),
    };
    Ok(Array::of3(&JsValue::from(status), &flat, &body).into())
}
