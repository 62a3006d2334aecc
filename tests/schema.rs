//! The shipped JSON Schemas (`schema/*.json`) are what the serde model derives: this fails when
//! the model changes and they were not regenerated (`GRAPH_IVR_WRITE_SCHEMA=1 cargo test --test
//! schema` rewrites them; `scripts/types.mjs` then rewrites the TypeScript declarations).

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::path::Path;

#[test]
fn checked_in_schemas_match_the_model() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema");
    let files = graph_ivr::schema::files();
    if std::env::var_os("GRAPH_IVR_WRITE_SCHEMA").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for entry in std::fs::read_dir(&dir).unwrap() {
            std::fs::remove_file(entry.unwrap().path()).unwrap();
        }
        for (name, schema) in &files {
            std::fs::write(dir.join(name), serde_json::to_string_pretty(schema).unwrap() + "\n").unwrap();
        }
    }
    let mut on_disk: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    on_disk.sort();
    let mut expected: Vec<String> = files.iter().map(|(name, _)| name.clone()).collect();
    expected.sort();
    assert_eq!(on_disk, expected, "schema/ holds exactly the generated files");
    for (name, schema) in &files {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        assert_eq!(
            text,
            serde_json::to_string_pretty(schema).unwrap() + "\n",
            "schema/{name} drifted from the model: run GRAPH_IVR_WRITE_SCHEMA=1 cargo test --test schema"
        );
    }
}
