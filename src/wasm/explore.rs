//! The explorer's plan for the JS driver (`js/explorer.js`): its options read once, then the
//! scenario of any run and the scenarios a failing one shrinks to.

use wasm_bindgen::prelude::*;

use crate::error::Error;
use crate::explore::{scenario_of_run, smaller, ExploreOptions};
use crate::input::Input;

use super::convert::{to_input, to_js};

#[wasm_bindgen(js_name = __ExplorePlan, skip_typescript)]
pub struct ExplorePlan {
    options: ExploreOptions,
}

#[wasm_bindgen(js_class = __ExplorePlan)]
impl ExplorePlan {
    /// The explorer's own options (the driver's already taken out).
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<ExplorePlan, Error> {
        Ok(ExplorePlan { options: ExploreOptions::from_input(&to_input(&options)?)? })
    }

    #[wasm_bindgen(getter)]
    pub fn runs(&self) -> f64 {
        self.options.runs as f64
    }

    #[wasm_bindgen(getter)]
    pub fn seed(&self) -> f64 {
        self.options.seed as f64
    }

    /// How far each run goes: the caller's horizon.
    #[wasm_bindgen(getter, js_name = horizonMs)]
    pub fn horizon_ms(&self) -> f64 {
        self.options.caller.horizon_ms as f64
    }

    /// The scenario of run `run`, its call ringing at `callbackUri`.
    pub fn scenario(&self, run: f64, callback_uri: String) -> Result<JsValue, Error> {
        to_js(&scenario_of_run(&self.options, run as u64, &callback_uri))
    }

    /// The scenarios one step smaller than `scenario`, largest cuts first.
    pub fn smaller(&self, scenario: JsValue) -> Result<JsValue, Error> {
        let input = to_input(&scenario)?;
        let tree = input.to_tree("")?;
        let Input::Object(_) = input else { return to_js(&Vec::<serde_json::Value>::new()) };
        to_js(&smaller(&tree.to_json()))
    }
}
