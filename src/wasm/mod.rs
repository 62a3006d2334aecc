//! The JavaScript face of graph-ivr: the only module that names wasm-bindgen or js-sys.
//! Each export converts its arguments (`convert`), calls the pure core, and converts back;
//! every export returns `Result<_, Error>` and `convert`'s `From<Error> for JsValue` makes
//! refusals real `GraphIvrError`s. The package entry (`js/entry.js`) registers that class and
//! guards freed objects.

mod builders;
mod convert;
mod delivery;
mod fetch;
mod graph;
mod simulator;
mod validators;

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("types.d.ts");

fn or_undefined<T: Into<JsValue>>(options: Option<T>) -> JsValue {
    options.map_or(JsValue::UNDEFINED, Into::into)
}
