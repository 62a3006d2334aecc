//! The constant `@odata.type` members of the wire types, as the JSON Schema derives name them
//! (`schemars(with = …)`). Never compiled into the .wasm.

use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};

use super::call::CALL_TYPE;
use super::notification::{COMMS_NOTIFICATIONS_TYPE, COMMS_NOTIFICATION_TYPE};
use super::prompt::{MEDIA_INFO_TYPE, MEDIA_PROMPT_TYPE};

/// An `@odata.type` that can only be one value, inlined where it is used.
macro_rules! odata_type {
    ($($name:ident = $value:expr),+) => {$(
        pub struct $name;
        impl JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({ "type": "string", "const": $value })
            }
        }
    )+};
}

odata_type!(
    NotificationsType = COMMS_NOTIFICATIONS_TYPE,
    NotificationType = COMMS_NOTIFICATION_TYPE,
    CallType = CALL_TYPE,
    MediaPromptType = MEDIA_PROMPT_TYPE,
    MediaInfoType = MEDIA_INFO_TYPE
);
