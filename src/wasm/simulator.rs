//! `CallSimulator`: one simulated call. Methods take `&self` over a `RefCell`, and every
//! argument is converted before the simulator is borrowed, so a getter of an argument that
//! calls back into the simulator reads a consistent state instead of aliasing it. Freed
//! objects are refused by the package entry, before wasm-bindgen sees them.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;

use crate::error::Error;
use crate::sim::{whole_number, SimConfig, Simulator, MAX_SAFE_INTEGER};

use super::convert::{deliveries_to_js, to_input, to_js};
use super::fetch::BoundFetch;
use super::or_undefined;
use super::{borrow, borrow_mut};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "CallSimulatorOptions")]
    pub type CallSimulatorOptionsJs;
}

/// A simulated call: its media queue, its caller and a virtual clock.
#[wasm_bindgen(js_name = CallSimulator)]
pub struct CallSimulator {
    inner: Rc<RefCell<Simulator>>,
    fetch: BoundFetch,
}

impl CallSimulator {
    /// Runs `f` on the simulator. Arguments are converted before this is called, so no JS
    /// code runs while the borrow is held; a failed borrow is still an error, never a panic.
    fn with<T>(&self, f: impl FnOnce(&mut Simulator) -> Result<T, Error>) -> Result<T, Error> {
        f(&mut *borrow_mut(&self.inner, "CallSimulator")?)
    }

    fn read<T>(&self, f: impl FnOnce(&Simulator) -> T) -> Result<T, Error> {
        Ok(f(&*borrow(&self.inner, "CallSimulator")?))
    }

    /// Everything the simulator produced so far, oldest first.
    fn deliveries(&self) -> Result<JsValue, Error> {
        let deliveries = self.with(|sim| Ok(sim.drain_deliveries()))?;
        deliveries_to_js(&deliveries)
    }
}

#[wasm_bindgen(js_class = CallSimulator)]
impl CallSimulator {
    #[wasm_bindgen(constructor)]
    pub fn new(options: Option<CallSimulatorOptionsJs>) -> Result<CallSimulator, Error> {
        let config = SimConfig::from_input(&to_input(&or_undefined(options))?)?;
        Ok(CallSimulator { inner: Rc::new(RefCell::new(Simulator::new(config))), fetch: BoundFetch::new() })
    }

    /// A bound WHATWG `fetch` for this call: media actions, GET, DELETE, keepAlive and
    /// recordings; other Graph endpoints answer 501.
    #[wasm_bindgen(
        getter,
        unchecked_return_type = "(input: RequestInfo | URL, init?: RequestInit) => Promise<Response>"
    )]
    pub fn fetch(&self) -> JsValue {
        self.fetch.get(|| self.inner.clone())
    }

    /// Virtual milliseconds since the call was established.
    #[wasm_bindgen(getter)]
    pub fn now(&self) -> Result<f64, Error> {
        self.read(|sim| sim.now() as f64)
    }

    /// The simulated call's id.
    #[wasm_bindgen(getter, js_name = callId)]
    pub fn call_id(&self) -> Result<String, Error> {
        self.read(|sim| sim.call_id().to_owned())
    }

    /// When `advance` next has something to do (virtual ms): `now` while notifications wait to
    /// be taken, else the next timer; undefined when nothing is pending.
    #[wasm_bindgen(getter, js_name = nextTimeout)]
    pub fn next_timeout(&self) -> Result<Option<f64>, Error> {
        self.read(|sim| sim.next_timeout().map(|t| t as f64))
    }

    /// Answers one request (a `GraphRequest` from a builder, or any `{method, url, headers, body}`).
    /// What it causes (a cancel's failures, a barge-in) waits in `takeDeliveries()`.
    #[wasm_bindgen(unchecked_return_type = "GraphResponse")]
    pub fn handle(
        &self,
        #[wasm_bindgen(unchecked_param_type = "GraphRequest | RequestInput")] request: JsValue,
    ) -> Result<JsValue, Error> {
        if !request.is_object() {
            return Err(Error::invalid_argument("", "handle() takes a request object {method, url, headers, body}"));
        }
        let input = to_input(&request)?;
        let response = self.with(|sim| Ok(sim.handle_input(&input)))?;
        to_js(&response)
    }

    /// `handle` of a request already read (the fast path of `fast.rs`).
    pub(super) fn handle_request(&self, request: &crate::http::HttpRequest) -> Result<crate::sim::HttpResponse, Error> {
        self.with(|sim| Ok(sim.handle(request)))
    }

    /// The notifications produced without time moving (by `handle`), oldest first.
    #[wasm_bindgen(js_name = takeDeliveries, unchecked_return_type = "Delivery[]")]
    pub fn take_deliveries(&self) -> Result<JsValue, Error> {
        self.deliveries()
    }

    /// Runs the clock `ms` forward (a whole number ≥ 0) and returns the notifications, in order.
    #[wasm_bindgen(unchecked_return_type = "Delivery[]")]
    pub fn advance(&self, #[wasm_bindgen(unchecked_param_type = "number")] ms: JsValue) -> Result<JsValue, Error> {
        let ms = whole_number(&to_input(&ms)?, "/ms", 0, MAX_SAFE_INTEGER)?;
        self.with(|sim| sim.advance(ms))?;
        self.deliveries()
    }

    /// The caller presses a key: '0'-'9', '*', '#', 'A'-'D'.
    #[wasm_bindgen(js_name = pressTone, unchecked_return_type = "Delivery[]")]
    pub fn press_tone(&self, #[wasm_bindgen(unchecked_param_type = "string")] tone: JsValue) -> Result<JsValue, Error> {
        let Some(tone) = tone.as_string() else {
            let kind = tone.js_typeof().as_string().unwrap_or_else(|| "unknown".into());
            return Err(Error::invalid_argument("", format!("pressTone() takes a one-character string, got {kind}")));
        };
        self.with(|sim| sim.press_tone(&tone))?;
        self.deliveries()
    }

    #[wasm_bindgen(js_name = startSpeaking, unchecked_return_type = "Delivery[]")]
    pub fn start_speaking(&self) -> Result<JsValue, Error> {
        self.with(Simulator::start_speaking)?;
        self.deliveries()
    }

    #[wasm_bindgen(js_name = stopSpeaking, unchecked_return_type = "Delivery[]")]
    pub fn stop_speaking(&self) -> Result<JsValue, Error> {
        self.with(Simulator::stop_speaking)?;
        self.deliveries()
    }

    #[wasm_bindgen(js_name = hangUp, unchecked_return_type = "Delivery[]")]
    pub fn hang_up(&self) -> Result<JsValue, Error> {
        self.with(Simulator::hang_up)?;
        self.deliveries()
    }

    /// The queue, the running operation, timers and the tone subscription, as plain data.
    #[wasm_bindgen(unchecked_return_type = "SimSnapshot")]
    pub fn snapshot(&self) -> Result<JsValue, Error> {
        let snapshot = self.read(Simulator::snapshot)?;
        to_js(&snapshot)
    }
}
