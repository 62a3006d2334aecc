//! The JavaScript face of graph-ivr: the only module that names wasm-bindgen or js-sys.
//! Each export converts its arguments (`convert`), calls the pure core, and converts back;
//! every export returns `Result<_, Error>` and `convert`'s `From<Error> for JsValue` makes
//! refusals real `GraphIvrError`s. The package entry (`js/entry.js`) registers that class and
//! guards freed objects.

mod auth;
mod builders;
mod convert;
mod delivery;
mod explore;
mod fast;
mod fetch;
mod graph;
mod idle;
mod report;
mod serve;
mod simulator;
mod tracker;
mod validators;

use std::cell::{Ref, RefCell, RefMut};

use wasm_bindgen::prelude::*;

use crate::error::Error;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("types.d.ts");

/// The wire types, generated from `schema/` by `scripts/types.mjs`.
#[wasm_bindgen(typescript_custom_section)]
const PAYLOAD_TYPES: &'static str = include_str!("payloads.d.ts");

/// Called once by the package entry as it loads (one crossing): its `GraphIvrError` class, its
/// delivery decorator, and the platform's `fetch` (`undefined` where there is none). Answers the
/// constants the entry's own code needs, so that they are written once, here.
#[wasm_bindgen(js_name = __register, skip_typescript)]
pub fn register(
    error_class: js_sys::Function,
    decorate_deliveries: js_sys::Function,
    platform_fetch: JsValue,
) -> Result<JsValue, Error> {
    convert::register_error_class(error_class);
    convert::register_delivery_decorator(decorate_deliveries);
    delivery::remember_platform_fetch(platform_fetch.dyn_into().ok());
    convert::to_js(&EntryConstants::new())
}

/// The one dictionary check, for options read in JS (the emulator's `startEmulator`): throws
/// what every export throws for options that are not an object or hold an unknown key (with
/// its did-you-mean hint).
#[wasm_bindgen(js_name = __checkOptions, skip_typescript)]
pub fn check_options(options: JsValue, taker: String, keys: Vec<String>) -> Result<(), Error> {
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    crate::input::Dictionary::options(&taker, &keys).read(&convert::to_input(&options)?, "", false)?;
    Ok(())
}

/// What the package entry's type guards compare with.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct EntryConstants {
    /// The `@odata.type` of every operation: the four subtypes and the base type.
    operation_types: Vec<&'static str>,
    call_type: &'static str,
}

impl EntryConstants {
    fn new() -> EntryConstants {
        use crate::model::operation::COMMS_OPERATION_TYPE;
        use crate::model::OperationKind;
        let mut operation_types: Vec<&'static str> = OperationKind::ALL.iter().map(|k| k.odata_type()).collect();
        operation_types.push(COMMS_OPERATION_TYPE);
        EntryConstants { operation_types, call_type: crate::model::call::CALL_TYPE }
    }
}

fn or_undefined<T: Into<JsValue>>(options: Option<T>) -> JsValue {
    options.map_or(JsValue::UNDEFINED, Into::into)
}

/// The simulator state behind a `RefCell`, or `invalidState` when it is in use: arguments are
/// converted before any borrow, so this never happens through them, but it is an error, never
/// a panic.
fn borrow_mut<'a, T: ?Sized>(cell: &'a RefCell<T>, what: &str) -> Result<RefMut<'a, T>, Error> {
    cell.try_borrow_mut().map_err(|_| busy(what))
}

fn borrow<'a, T: ?Sized>(cell: &'a RefCell<T>, what: &str) -> Result<Ref<'a, T>, Error> {
    cell.try_borrow().map_err(|_| busy(what))
}

fn busy(what: &str) -> Error {
    Error::invalid_state(format!("this {what} is busy: it was called back while it was working"))
}
