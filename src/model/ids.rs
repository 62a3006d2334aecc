//! Call and operation ids, and the resource paths that carry them.
//!
//! The docs write one GUID two ways in one payload (CONTRACT.md §13.5): `57DAB8B1894C…` in
//! `resourceUrl` and `57dab8b1-894c-…` in `id`. Ids are therefore compared canonically: a GUID
//! in any case, with or without hyphens or braces, equals itself; any other id compares as text.

use std::borrow::Cow;
use uuid::Uuid;

/// The canonical form of an id: a GUID as lowercase hyphenated text, anything else unchanged.
pub fn canonical_id(id: &str) -> String {
    match Uuid::try_parse(id) {
        Ok(guid) => guid.hyphenated().to_string(),
        Err(_) => id.to_owned(),
    }
}

/// Whether two ids name the same thing (GUID case, hyphens and braces ignored).
pub fn same_id(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    match (Uuid::try_parse(a), Uuid::try_parse(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// The two spellings of a GUID seen in Graph traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuidStyle {
    /// `57dab8b1-894c-409a-b240-bd8beae78896` (Location, `id`, the tone `resourceUrl`).
    LowerHyphenated,
    /// `57DAB8B1894C409AB240BD8BEAE78896` (the docs' operation `resourceUrl` and `@odata.id`).
    UpperSimple,
}

/// Writes `id` in `style` when it is a GUID; any other id is written unchanged.
pub fn format_id(id: &str, style: GuidStyle) -> String {
    match Uuid::try_parse(id) {
        Ok(guid) => match style {
            GuidStyle::LowerHyphenated => guid.hyphenated().to_string(),
            GuidStyle::UpperSimple => {
                let mut buf = [0u8; uuid::fmt::Simple::LENGTH];
                guid.simple().encode_upper(&mut buf).to_owned()
            }
        },
        Err(_) => id.to_owned(),
    }
}

/// A GUID made from 16 (seeded, not OS) random bytes, as a version-4 UUID.
pub fn guid_from_bytes(bytes: [u8; 16]) -> String {
    uuid::Builder::from_random_bytes(bytes).into_uuid().hyphenated().to_string()
}

/// What a notification's `resourceUrl` (or legacy `resource`) points at. Its ids borrow from
/// the path unless percent-decoding changed them (a notification is checked without copies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourcePath<'a> {
    /// The deprecated `/app/calls/…` root instead of `/communications/calls/…`.
    pub legacy_root: bool,
    /// The call id segment, percent-decoded as far as it is valid UTF-8.
    pub call_id: Cow<'a, str>,
    pub target: PathTarget<'a>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathTarget<'a> {
    /// `/communications/calls/{id}`
    Call,
    /// `/communications/calls/{id}/operations/{opId}`
    Operation(Cow<'a, str>),
    /// Any other part of the call (`participants`, `audioRoutingGroups/…`): the rest, verbatim.
    Other(Cow<'a, str>),
}

impl<'a> ResourcePath<'a> {
    /// Parses a server-relative resource path; `None` when it is not under a call.
    pub fn parse(path: &'a str) -> Option<ResourcePath<'a>> {
        let (legacy_root, rest) = if let Some(rest) = path.strip_prefix("/communications/calls/") {
            (false, rest)
        } else if let Some(rest) = path.strip_prefix("/app/calls/") {
            (true, rest)
        } else {
            return None;
        };
        let (call_segment, tail) = match rest.split_once('/') {
            Some((call, tail)) => (call, Some(tail)),
            None => (rest, None),
        };
        if call_segment.is_empty() {
            return None;
        }
        let call_id = decode_segment(call_segment);
        let target = match tail {
            None | Some("") => PathTarget::Call,
            Some(tail) => match tail.strip_prefix("operations/") {
                Some(op) if !op.is_empty() && !op.contains('/') => PathTarget::Operation(decode_segment(op)),
                _ => PathTarget::Other(Cow::Borrowed(tail)),
            },
        };
        Some(ResourcePath { legacy_root, call_id, target })
    }

    /// Parses a path held as a `Cow`: borrowing its text when it is borrowed.
    pub fn parse_text(path: Cow<'a, str>) -> Option<ResourcePath<'a>> {
        match path {
            Cow::Borrowed(path) => ResourcePath::parse(path),
            Cow::Owned(path) => ResourcePath::parse(&path).map(ResourcePath::into_owned),
        }
    }

    /// The same path owning its ids.
    pub fn into_owned(self) -> ResourcePath<'static> {
        ResourcePath {
            legacy_root: self.legacy_root,
            call_id: Cow::Owned(self.call_id.into_owned()),
            target: match self.target {
                PathTarget::Call => PathTarget::Call,
                PathTarget::Operation(id) => PathTarget::Operation(Cow::Owned(id.into_owned())),
                PathTarget::Other(rest) => PathTarget::Other(Cow::Owned(rest.into_owned())),
            },
        }
    }

    /// The operation id, when the path names an operation.
    pub fn operation_id(&self) -> Option<&str> {
        match &self.target {
            PathTarget::Operation(id) => Some(id),
            _ => None,
        }
    }
}

/// The ids a Graph resource URL names (`parseResourceUrl`): an absolute URL with its version,
/// or a server-relative `resourceUrl`, under `/communications/calls/` or the legacy `/app/calls/`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceIds {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    pub call_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participant_id: Option<String>,
}

impl ResourceIds {
    pub fn parse(url: &str) -> Option<ResourceIds> {
        let (version, path) = if url.starts_with('/') {
            (None, before_query(url))
        } else {
            let (version, path) = split_graph_url(url)?;
            (Some(version.to_owned()), path)
        };
        let parsed = ResourcePath::parse(path)?;
        let participant_id = match &parsed.target {
            PathTarget::Other(rest) => match rest.strip_prefix("participants/") {
                Some(id) if !id.is_empty() && !id.contains('/') => Some(decode_segment(id).into_owned()),
                _ => None,
            },
            _ => None,
        };
        let operation_id = parsed.operation_id().map(str::to_owned);
        Some(ResourceIds { version, call_id: parsed.call_id.into_owned(), operation_id, participant_id })
    }
}

/// Splits an absolute Graph URL into its version (`v1.0`, `beta`) and its resource path
/// (query and fragment dropped).
pub fn split_graph_url(url: &str) -> Option<(&str, &str)> {
    let after_scheme = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let host_end = after_scheme.find('/').filter(|at| *at > 0)?;
    let path = &after_scheme[host_end..];
    let path = before_query(path);
    let rest = &path[1..];
    let slash = rest.find('/')?;
    Some((&rest[..slash], &rest[slash..]))
}

/// `url` up to its query or fragment (a byte search: a char-set pattern costs far more in
/// the size-optimized `.wasm`, and this runs for every request the simulator handles).
pub fn before_query(url: &str) -> &str {
    match url.bytes().position(|b| b == b'?' || b == b'#') {
        Some(end) => url.get(..end).unwrap_or(url),
        None => url,
    }
}

/// `https://host[:port]` of an absolute URL; `None` when there is no host.
pub fn graph_url_origin(url: &str) -> Option<&str> {
    let scheme_end = url.find("://")? + 3;
    let host_end = url[scheme_end..].find(['/', '?', '#']).map_or(url.len(), |i| scheme_end + i);
    (host_end > scheme_end).then(|| &url[..host_end])
}

fn decode_segment(segment: &str) -> Cow<'_, str> {
    percent_encoding::percent_decode_str(segment).decode_utf8_lossy()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_compare_across_styles() {
        assert!(same_id("57DAB8B1894C409AB240BD8BEAE78896", "57dab8b1-894c-409a-b240-bd8beae78896"));
        assert!(!same_id("57DAB8B1894C409AB240BD8BEAE78896", "0fe0623f-d628-42ed-b4bd-8ac290072cc5"));
        assert!(same_id("call-1", "call-1"));
        assert!(!same_id("call-1", "CALL-1"));
    }

    #[test]
    fn formats_both_styles() {
        let id = "57dab8b1-894c-409a-b240-bd8beae78896";
        assert_eq!(format_id(id, GuidStyle::UpperSimple), "57DAB8B1894C409AB240BD8BEAE78896");
        assert_eq!(format_id("57DAB8B1894C409AB240BD8BEAE78896", GuidStyle::LowerHyphenated), id);
        assert_eq!(format_id("not-a-guid", GuidStyle::UpperSimple), "not-a-guid");
    }

    #[test]
    fn parses_resource_paths() {
        let op = ResourcePath::parse("/communications/calls/57DAB8B1894C409AB240BD8BEAE78896/operations/0FE0623F");
        assert_eq!(
            op,
            Some(ResourcePath {
                legacy_root: false,
                call_id: "57DAB8B1894C409AB240BD8BEAE78896".into(),
                target: PathTarget::Operation("0FE0623F".into()),
            })
        );
        let legacy = ResourcePath::parse("/app/calls/abc");
        assert_eq!(legacy.map(|p| (p.legacy_root, p.target)), Some((true, PathTarget::Call)));
        assert_eq!(
            ResourcePath::parse("/communications/calls/a/participants").map(|p| p.target),
            Some(PathTarget::Other("participants".into()))
        );
        assert_eq!(ResourcePath::parse("/users/x"), None);
        assert_eq!(ResourcePath::parse("/communications/calls/"), None);
    }

    #[test]
    fn resource_ids_of_urls_and_paths() {
        let ids = |url| ResourceIds::parse(url).map(|r| (r.version, r.call_id, r.operation_id, r.participant_id));
        let s = |x: &str| Some(x.to_owned());
        assert_eq!(
            ids("https://graph.microsoft.com/beta/communications/calls/a%2Fb/operations/o1?x=1"),
            Some((s("beta"), "a/b".to_owned(), s("o1"), None))
        );
        assert_eq!(ids("/app/calls/c1/participants/p1"), Some((None, "c1".to_owned(), None, s("p1"))));
        assert_eq!(ids("/communications/calls/c1"), Some((None, "c1".to_owned(), None, None)));
        assert_eq!(ids("/users/me"), None);
        assert_eq!(ids("calls/c1"), None);
        assert_eq!(ids(""), None);
    }

    #[test]
    fn splits_graph_urls() {
        assert_eq!(
            split_graph_url("https://graph.microsoft.com/v1.0/communications/calls/a/operations/b"),
            Some(("v1.0", "/communications/calls/a/operations/b"))
        );
        assert_eq!(split_graph_url("ftp://x/v1.0/a"), None);
        assert_eq!(split_graph_url("https:///v1.0/communications/calls/a/playPrompt"), None, "no host");
        assert_eq!(graph_url_origin("https:///beta"), None);
        assert_eq!(graph_url_origin("http://127.0.0.1:80/x"), Some("http://127.0.0.1:80"));
    }
}
