//! What every answer of Graph carries (the docs' error-responses page): the `request-id` and
//! `client-request-id` headers, and in an error body an `innerError` with the date and both
//! ids. The ids are GUIDs of a stream of their own, so that they change nothing else a seed
//! gives.

use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;
use serde_json::{Map, Value};

use super::date::iso_date;
use super::inferred::EPOCH_MS;

/// Draws a request id per answer and writes it in.
pub struct RequestIds {
    rng: ChaCha8Rng,
}

impl RequestIds {
    pub fn new(seed: u64) -> RequestIds {
        RequestIds { rng: ChaCha8Rng::seed_from_u64(seed ^ 0x7265_7175_6573_7469) }
    }

    /// Writes the ids into an answer given at virtual time `now`. `client_request_id` is the
    /// bot's, echoed as Graph echoes it; without one Graph answers with its own request id.
    pub fn stamp(
        &mut self,
        status: u16,
        headers: &mut Map<String, Value>,
        body: &mut String,
        client_request_id: Option<&str>,
        now: u64,
    ) {
        let request_id = super::next_guid(&mut self.rng);
        let client_request_id = client_request_id.map_or_else(|| request_id.clone(), str::to_owned);
        if status >= 400 {
            // The crate's own reader: serde_json's text deserializer stays out of the `.wasm`.
            let parsed = graph_ivr_json::read(body).map(|parsed| parsed.value.to_json());
            if let Ok(Value::Object(mut error_body)) = parsed {
                if let Some(Value::Object(error)) = error_body.get_mut("error") {
                    let mut inner = Map::new();
                    inner.insert("date".into(), iso_date(EPOCH_MS + now).into());
                    inner.insert("request-id".into(), request_id.clone().into());
                    inner.insert("client-request-id".into(), client_request_id.clone().into());
                    error.entry("innerError").or_insert(Value::Object(inner));
                    *body = Value::Object(error_body).to_string();
                }
            }
        }
        headers.insert("request-id".into(), request_id.into());
        headers.insert("client-request-id".into(), client_request_id.into());
    }
}
