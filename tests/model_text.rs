//! The model's hand-written JSON text (`model::text`) is byte for byte what its serde derives
//! write: on every notification and operation of the docs' fixtures (unknown properties,
//! nulls, collections, other entity types), and on values built to reach every branch.
//! (`tests/sim_properties.rs` checks every simulated delivery the same way.)

mod common;

use graph_ivr::model::text::{notifications_text, operation_text};
use graph_ivr::model::{CommsNotifications, CommsOperation};

fn fixtures() -> Vec<(String, String)> {
    let Some(root) = common::contract_dir() else { return Vec::new() };
    let mut found = Vec::new();
    for dir in ["fixtures", "lifecycle"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else { continue };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".json") {
                if let Ok(text) = std::fs::read_to_string(entry.path()) {
                    found.push((name, text));
                }
            }
        }
    }
    found
}

#[test]
fn every_fixture_notification_and_operation_is_written_as_serde_writes_it() {
    let (mut notifications, mut operations) = (0, 0);
    for (name, text) in fixtures() {
        if let Ok(value) = serde_json::from_str::<CommsNotifications>(&text) {
            assert_eq!(notifications_text(&value), serde_json::to_string(&value).unwrap_or_default(), "{name}");
            notifications += 1;
        } else if let Ok(value) = serde_json::from_str::<CommsOperation>(&text) {
            assert_eq!(operation_text(&value), serde_json::to_string(&value).unwrap_or_default(), "{name}");
            operations += 1;
        }
    }
    assert!(notifications >= 10, "the contract's notification fixtures were not found ({notifications})");
    assert!(operations >= 1, "the contract's operation fixtures were not found ({operations})");
}

#[test]
fn every_branch_is_written_as_serde_writes_it() {
    let text = r##"{"@odata.type":"#microsoft.graph.commsNotifications","value":[
        {"@odata.type":"#microsoft.graph.commsNotification","changeType":"updated","resource":"/app/calls/a","resourceUrl":"/communications/calls/a/operations/b",
         "resourceData":{"@odata.type":"#microsoft.graph.recordOperation","@odata.id":"/x","@odata.etag":"W/\"1\"","id":"b","clientContext":null,"status":"Failed\u0001",
           "resultInfo":{"@odata.type":"#microsoft.graph.resultInfo","code":-400,"subcode":8508,"message":null,"extra":{"z":[1.5,true,null]}},
           "recordingLocation":"https://r/\"q\"","recordingAccessToken":null,"completionReason":"stopToneDetected","status2":"\u00e9\ud83d\ude00"},"x":1},
        {"changeType":"deleted","resourceUrl":"/communications/calls/a","resourceData":{"@odata.type":"#microsoft.graph.call","state":null,"resultInfo":null,
           "mediaState":{"@odata.type":"#microsoft.graph.callMediaState","audio":"inactive","x":{}},
           "toneInfo":{"@odata.type":"#microsoft.graph.toneInfo","sequenceId":9007199254740993,"tone":"tone#","y":"\n"}}},
        {"changeType":"created","resourceUrl":"/communications/calls/a/participants","resourceData":[{"a":1},{"b":[]}]},
        {"changeType":"updated","resourceUrl":"/communications/calls/a/audioRoutingGroups/1","resourceData":{"@odata.type":"#microsoft.graph.audioRoutingGroup","q":1}},
        {"changeType":"updated","resourceUrl":"/communications/calls/a","resourceData":{"@odata.type":"#microsoft.graph.call","mediaState":null,"toneInfo":null,"state":"established","id":"a"}}
    ],"trailing":{"k":"v"}}"##;
    let value: CommsNotifications = serde_json::from_str(text).unwrap_or_else(|e| panic!("the sample must read: {e}"));
    assert_eq!(value.value.len(), 5);
    assert_eq!(notifications_text(&value), serde_json::to_string(&value).unwrap_or_default());
}
