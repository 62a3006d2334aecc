//! The request journal of a `GraphSimulator`: every Graph request it answered and every
//! callback it POSTed to the bot, in order, with the simulator's time and the wall clock's,
//! for a test to assert on (`expectRequest`) and the emulator's dashboard to show. Credentials
//! are never kept. It holds the latest entries only, so an emulator left open all day stays
//! small.

use std::collections::VecDeque;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::model::ids::{same_id, ResourceIds};

/// How many entries a journal keeps (the oldest go first).
pub const JOURNAL_CAPACITY: usize = 5_000;

/// What the bot sent Graph, or what Graph POSTed to the bot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum EntryKind {
    Request,
    Callback,
}

/// One request and its answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct JournalEntry {
    /// Its place in the journal, from 1: `journal({after})` reads on from one.
    pub seq: u64,
    pub kind: EntryKind,
    /// Virtual ms when it was sent, and when it was answered.
    pub at: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<u64>,
    /// Wall-clock ms (`Date.now()`) when it was sent, and how long the answer took.
    pub wall_time: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<f64>,
    /// The call it is about (as its URL or the callback names it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_id: Option<String>,
    pub method: String,
    pub url: String,
    /// Its headers, credentials written `<scheme> redacted`.
    pub headers: Map<String, Value>,
    pub body: String,
    /// The status answered (by Graph to a request, by the bot to a callback).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Graph's answer to a request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
    /// Why a callback was not taken (the bot's status, a timeout, no connection).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What one entry says when it is made.
pub struct Sent<'a> {
    pub kind: EntryKind,
    pub at: u64,
    pub wall_time: f64,
    pub call_id: Option<String>,
    pub method: &'a str,
    pub url: &'a str,
    pub headers: &'a [(String, String)],
    pub body: &'a str,
}

/// How an entry ended.
pub struct Answer {
    pub answered_at: u64,
    pub latency_ms: f64,
    pub status: Option<u16>,
    pub response: Option<String>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Journal {
    entries: VecDeque<JournalEntry>,
    last_seq: u64,
}

impl Journal {
    /// An empty journal whose entries follow `last_seq`.
    pub fn continuing(last_seq: u64) -> Journal {
        Journal { entries: VecDeque::new(), last_seq }
    }

    /// Adds an entry; its `seq`.
    pub fn sent(&mut self, sent: Sent<'_>) -> u64 {
        let Sent { kind, at, wall_time, call_id, method, url, headers, body } = sent;
        self.last_seq += 1;
        let call_id = call_id.or_else(|| ResourceIds::parse(url).map(|ids| ids.call_id));
        let headers = redacted(headers).into_iter().map(|(name, value)| (name, Value::String(value))).collect();
        if self.entries.len() == JOURNAL_CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(JournalEntry {
            seq: self.last_seq,
            kind,
            at,
            answered_at: None,
            wall_time,
            latency_ms: None,
            call_id,
            method: method.to_owned(),
            url: url.to_owned(),
            headers,
            body: body.to_owned(),
            status: None,
            response: None,
            error: None,
        });
        self.last_seq
    }

    /// Completes entry `seq` (gone already if the journal moved past it).
    pub fn answered(&mut self, seq: u64, answer: Answer) {
        let Answer { answered_at, latency_ms, status, response, error } = answer;
        if let Some(entry) = self.entries.iter_mut().rev().find(|e| e.seq == seq) {
            // A call the bot placed is named by Graph's answer: the request is that call's.
            if entry.call_id.is_none() && status == Some(201) {
                entry.call_id = response.as_deref().and_then(placed_call_id);
            }
            entry.answered_at = Some(answered_at);
            entry.latency_ms = Some(latency_ms);
            entry.status = status;
            entry.response = response;
            entry.error = error;
        }
    }

    /// The entries of call `call_id` (canonically compared; all when `None`) sent at or after
    /// virtual time `since`, and after the entry `after`.
    pub fn read(&self, call_id: Option<&str>, since: u64, after: u64) -> Vec<&JournalEntry> {
        self.entries
            .iter()
            .filter(|e| e.seq > after && e.at >= since)
            .filter(|e| call_id.is_none_or(|id| e.call_id.as_deref().is_some_and(|own| same_id(own, id))))
            .collect()
    }

    /// The `seq` of the last entry made.
    pub fn last_seq(&self) -> u64 {
        self.last_seq
    }
}

/// The `id` of the call a `201 Created` answer describes.
fn placed_call_id(response: &str) -> Option<String> {
    match graph_ivr_json::read(response).ok()?.value {
        graph_ivr_json::tree::Value::Object(call) => call.get("id")?.as_str().map(str::to_owned),
        _ => None,
    }
}

/// Headers as they may be kept: a credential (`Authorization: Bearer …`) written
/// `<scheme> redacted`, which says that one was sent and keeps none.
pub fn redacted(headers: &[(String, String)]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| match value.trim().split_once(' ') {
            Some((scheme, credentials))
                if name.eq_ignore_ascii_case("authorization") && !credentials.trim().is_empty() =>
            {
                (name.clone(), format!("{scheme} {REDACTED}"))
            }
            _ => (name.clone(), value.clone()),
        })
        .collect()
}

/// What stands for credentials.
pub const REDACTED: &str = "redacted";

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(journal: &mut Journal, url: &str, headers: &[(String, String)]) -> u64 {
        journal.sent(Sent {
            kind: EntryKind::Request,
            at: 5,
            wall_time: 1.0,
            call_id: None,
            method: "POST",
            url,
            headers,
            body: "{}",
        })
    }

    #[test]
    fn entries_by_call_and_since_without_credentials() {
        let mut journal = Journal::default();
        let token = [("Authorization".to_owned(), "Bearer secret".to_owned())];
        let one = sent(
            &mut journal,
            "https://graph.microsoft.com/v1.0/communications/calls/57DAB8B1894C409AB240BD8BEAE78896/playPrompt",
            &token,
        );
        let two = sent(&mut journal, "https://graph.microsoft.com/v1.0/communications/calls/other/keepAlive", &[]);
        journal.answered(
            one,
            Answer { answered_at: 7, latency_ms: 0.5, status: Some(200), response: Some("{}".into()), error: None },
        );
        let first = journal.read(Some("57dab8b1-894c-409a-b240-bd8beae78896"), 0, 0);
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].headers["Authorization"], "Bearer redacted");
        assert_eq!((first[0].status, first[0].answered_at), (Some(200), Some(7)));
        assert_eq!(journal.read(None, 0, one).iter().map(|e| e.seq).collect::<Vec<_>>(), vec![two]);
        assert_eq!(journal.read(None, 6, 0).len(), 0, "sent at 5");
        assert_eq!(journal.read(None, 5, 0).len(), 2, "at or after");
        assert_eq!(journal.read(None, 0, 0).len(), 2);
        let placed = sent(&mut journal, "https://graph.microsoft.com/v1.0/communications/calls", &[]);
        let created = r##"{"@odata.type":"#microsoft.graph.call","id":"2f1a0b00-aaaa-4bbb-8ccc-000000000001"}"##;
        journal.answered(
            placed,
            Answer { answered_at: 9, latency_ms: 1.0, status: Some(201), response: Some(created.into()), error: None },
        );
        assert_eq!(journal.read(Some("2F1A0B00AAAA4BBB8CCC000000000001"), 0, 0).len(), 1, "the call it placed");
        assert_eq!(redacted(&[("authorization".into(), "Bearer".into())])[0].1, "Bearer", "nothing to hide");
    }

    #[test]
    fn the_oldest_go_first() {
        let mut journal = Journal::default();
        for _ in 0..JOURNAL_CAPACITY + 3 {
            sent(&mut journal, "https://graph.microsoft.com/v1.0/communications/calls/a/answer", &[]);
        }
        let all = journal.read(None, 0, 0);
        assert_eq!(all.len(), JOURNAL_CAPACITY);
        assert_eq!(all[0].seq, 4);
        assert_eq!(journal.last_seq(), JOURNAL_CAPACITY as u64 + 3);
    }
}
