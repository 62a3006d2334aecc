//! The JSON reader and writer of graph-ivr's validators, in a crate of its own so that it alone is
//! compiled for speed (`opt-level = "s"` in the workspace's release profile) while the rest of
//! the `.wasm` is compiled for size: reading is half of a validation's time.

pub mod pointer;
mod read;
pub mod tree;
pub mod write;

pub use pointer::escape_token;
pub use read::{read, Failure, Parsed, SyntaxError, MAX_DEPTH};
