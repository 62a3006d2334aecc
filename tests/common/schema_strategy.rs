//! Proptest strategies made from a JSON Schema (the draft-07 subset `schema/*.json` uses):
//! values the schema accepts, so that a test holds a reader to the schema the package ships
//! instead of to a generator written by hand beside it.

use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// Values `schema` (a whole schema file, whose `$ref`s point into its `definitions`) accepts.
pub fn from_schema(schema: &Value) -> BoxedStrategy<Value> {
    strategy(schema, schema)
}

fn strategy(schema: &Value, root: &Value) -> BoxedStrategy<Value> {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.trim_start_matches("#/definitions/");
        let definition = root.get("definitions").and_then(|d| d.get(name));
        return strategy(definition.unwrap_or_else(|| panic!("no definition {reference}")), root);
    }
    if let Some(constant) = schema.get("const") {
        return Just(constant.clone()).boxed();
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return prop::sample::select(values.clone()).boxed();
    }
    if let Some(members) = schema.get("anyOf").or_else(|| schema.get("oneOf")).and_then(Value::as_array) {
        let members: Vec<_> = members.iter().map(|member| strategy(member, root)).collect();
        return prop::strategy::Union::new(members).boxed();
    }
    match schema.get("type") {
        Some(Value::Array(types)) => {
            let members: Vec<_> = types
                .iter()
                .map(|t| {
                    let mut one = schema.clone();
                    one["type"] = t.clone();
                    strategy(&one, root)
                })
                .collect();
            prop::strategy::Union::new(members).boxed()
        }
        Some(Value::String(t)) => match t.as_str() {
            "null" => Just(Value::Null).boxed(),
            "boolean" => any::<bool>().prop_map(Value::Bool).boxed(),
            "integer" => {
                let min = schema.get("minimum").and_then(Value::as_i64).unwrap_or(-1_000);
                let max = schema.get("maximum").and_then(Value::as_i64).unwrap_or(1_000);
                (min..=max).prop_map(|n| json!(n)).boxed()
            }
            "string" => string(schema),
            "array" => {
                let items = schema.get("items").map_or_else(|| Just(Value::Null).boxed(), |i| strategy(i, root));
                let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
                let max = schema.get("maxItems").and_then(Value::as_u64).map_or(min + 4, |m| m as usize);
                prop::collection::vec(items, min..=max).prop_map(Value::Array).boxed()
            }
            "object" => object(schema, root),
            other => panic!("no strategy for type {other}"),
        },
        _ => panic!("no strategy for {schema}"),
    }
}

/// A string within `minLength`/`maxLength` and matching `pattern` when there is one.
fn string(schema: &Value) -> BoxedStrategy<Value> {
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = schema.get("maxLength").and_then(Value::as_u64).map_or(24, |m| (m as usize).min(24));
    let text = match schema.get("pattern").and_then(Value::as_str) {
        // proptest's generator takes the pattern without its anchors (it matches whole strings).
        Some(pattern) => {
            let unanchored = pattern.trim_start_matches('^').trim_end_matches('$');
            let generated = proptest::string::string_regex(unanchored).unwrap_or_else(|e| panic!("{pattern}: {e}"));
            generated
                .prop_filter("within the length limits", move |s| (min..=max.max(64)).contains(&s.chars().count()))
                .boxed()
        }
        None => proptest::string::string_regex(&format!("[a-zA-Z0-9 \"\\\\\u{e9}\u{1F600}\n]{{{min},{max}}}"))
            .unwrap_or_else(|e| panic!("{e}"))
            .boxed(),
    };
    text.prop_map(Value::String).boxed()
}

/// An object with every required property and any subset of the others (no extra ones).
fn object(schema: &Value, root: &Value) -> BoxedStrategy<Value> {
    let required: Vec<String> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default();
    let properties = schema.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
    let members: Vec<BoxedStrategy<Option<(String, Value)>>> = properties
        .iter()
        .map(|(key, property)| {
            let key = key.clone();
            let value = strategy(property, root);
            if required.contains(&key) {
                value.prop_map(move |v| Some((key.clone(), v))).boxed()
            } else {
                prop::option::of(value).prop_map(move |v| v.map(|v| (key.clone(), v))).boxed()
            }
        })
        .collect();
    members.prop_map(|members| Value::Object(members.into_iter().flatten().collect::<Map<String, Value>>())).boxed()
}
