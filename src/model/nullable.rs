//! Graph tells "absent" from `null` (a running recordOperation says `"recordingLocation": null`).
//! A nullable property is an `Option<Option<T>>`: `None` = absent, `Some(None)` = `null`, so that
//! what came in goes out the same.

use serde::{Deserialize, Deserializer};

/// `deserialize_with` for `Option<Option<T>>`: present (even as `null`) becomes `Some(_)`.
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
