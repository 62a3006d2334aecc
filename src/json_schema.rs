//! The transforms the wire types' `JsonSchema` derives apply (schemars' `transform`): at the
//! floor, so that the model and the contract name them without depending on `schema`, which
//! generates the files from both. Never compiled into the .wasm.

use schemars::Schema;
use serde_json::{json, Value};

/// An action's body: closed (Graph takes an action's declared parameters only, and
/// `validateRequest` refuses any other), and never `null` (absent options are left out):
/// `Option` fields are their value's schema, not "or null".
pub fn request_body(schema: &mut Schema) {
    schema.ensure_object().insert("additionalProperties".into(), Value::Bool(false));
    let Some(Value::Object(props)) = schema.get_mut("properties") else { return };
    for property in props.values_mut() {
        let Value::Object(map) = property else { continue };
        if let Some(Value::Array(types)) = map.get_mut("type") {
            types.retain(|t| t != "null");
            if types.len() == 1 {
                let only = types.remove(0);
                map.insert("type".into(), only);
            }
        }
        if let Some(Value::Array(members)) = map.get_mut("anyOf") {
            members.retain(|m| m.get("type").is_none_or(|t| t != "null"));
            if members.len() == 1 {
                let only = members.remove(0);
                map.remove("anyOf");
                if let Value::Object(only) = only {
                    map.extend(only);
                }
            }
        }
    }
}

/// `@odata.type` is required: strict validation reports it missing, and `value` always has it
/// (tolerant mode writes the type the position implies).
pub fn odata_type_required(schema: &mut Schema) {
    require(schema, "@odata.type");
}

/// Marks `key` required in an object schema.
pub fn require(schema: &mut Schema, key: &str) {
    let required = schema.ensure_object().entry("required").or_insert_with(|| json!([]));
    if let Value::Array(list) = required {
        if !list.iter().any(|k| k == key) {
            list.insert(0, key.into());
        }
    }
}
