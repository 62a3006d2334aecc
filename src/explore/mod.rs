//! The bot explorer's pure core: from a seed and a run index, the scenario of one run (a caller
//! generated within bounds, Graph's faults drawn), and the smaller scenarios a failing one
//! shrinks to. The driver (which runs the bot, keeps the trace and checks the invariants) is
//! the wasm layer's JS; everything it needs to be reproducible is here.

mod generate;
mod options;
mod shrink;

pub use generate::scenario_of_run;
pub use options::{CallerBounds, ExploreOptions};
pub use shrink::smaller;
