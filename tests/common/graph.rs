//! Driving a `GraphSim` from tests: options as JSON, requests as plain parts.

#![allow(dead_code)]

use graph_ivr::input::Input;
use graph_ivr::sim::{Body, Delivery, GraphConfig, GraphSim, HttpAnswer, HttpRequest, Routed};
use graph_ivr::validate::{validate_notifications, Mode, NotificationOptions};
use serde_json::{json, Value};

pub const BOT: &str = "http://127.0.0.1:9/callback";
pub const GRAPH: &str = "https://graph.microsoft.com/v1.0";

pub fn graph(options: Value) -> GraphSim {
    let config = GraphConfig::from_input(&Input::from_json(&options)).map_err(|e| e.to_string());
    GraphSim::new(config.unwrap_or_else(|e| panic!("{e}")))
}

pub fn request(method: &str, url: &str, headers: &[(&str, &str)], body: &str) -> HttpRequest {
    let headers = headers.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    HttpRequest::new(method, url, headers, body)
}

pub fn send(g: &mut GraphSim, method: &str, url: &str, headers: &[(&str, &str)], body: &str) -> HttpAnswer {
    match g.http(&request(method, url, headers, body)) {
        Routed::Answer(answer) => answer,
        Routed::ForeignHost(host) => panic!("{url} went to a foreign host {host}"),
    }
}

pub fn post(g: &mut GraphSim, url: &str, body: Value) -> HttpAnswer {
    send(g, "POST", url, &[("Content-Type", "application/json")], &body.to_string())
}

pub fn answer_body() -> Value {
    json!({ "callbackUri": BOT, "acceptedModalities": ["audio"], "mediaConfig": { "@odata.type": "#microsoft.graph.serviceHostedMediaConfig" } })
}

pub fn body_text(answer: &HttpAnswer) -> Value {
    match &answer.body {
        Body::Text(text) => serde_json::from_str(text).unwrap_or_default(),
        Body::Bytes(_) => Value::Null,
    }
}

/// Each delivery's `(changeType, state or status)` of its first item, after checking it is valid.
pub fn states(deliveries: &[Delivery]) -> Vec<(String, Option<String>)> {
    deliveries
        .iter()
        .map(|d| {
            let report = validate_notifications(&d.body, NotificationOptions { mode: Mode::Strict, version: None });
            assert!(report.valid, "{}: {:?}", d.body, report.issues);
            let value: Value = serde_json::from_str(&d.body).unwrap_or_default();
            let item = &value["value"][0];
            let data = &item["resourceData"];
            (
                item["changeType"].as_str().unwrap_or_default().to_owned(),
                data["state"].as_str().or(data["status"].as_str()).map(str::to_owned),
            )
        })
        .collect()
}

pub fn pair(change: &str, state: Option<&str>) -> (String, Option<String>) {
    (change.to_owned(), state.map(str::to_owned))
}
