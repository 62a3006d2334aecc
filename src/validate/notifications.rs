//! `validateNotifications`: a commsNotifications POST as a bot's callback receives it.

use crate::contract::pointer::At;
use crate::model::call::CALL_TYPE;
use crate::model::ids::{same_id, PathTarget, ResourcePath};
use crate::model::notification::{is_operation_type, COMMS_NOTIFICATIONS_TYPE, COMMS_NOTIFICATION_TYPE};
use crate::model::operation::COMMS_OPERATION_TYPE;
use crate::model::{ChangeType, CommsNotifications};

use super::check::shortened;
use super::check::{Checked, Checker, Evolvable, Field};
use super::entities::operation_types;
use super::issue::{IssueCode, Issues, Report};
use super::json;
use super::options::NotificationOptions;
use super::tree::{Map, Value};

/// The root type one 2018 capture carried (REALWORLD.md).
const LEGACY_ROOT_TYPE: &str = "#Microsoft.Graph.Notifications";

/// Checks notification JSON text (the fast path of the JS API: no typed model is built).
pub fn check_notifications(text: &str, options: NotificationOptions) -> Checked<'_> {
    let (checker, value) = checked_tree(text, options);
    let readable = !checker.untyped;
    Checked { issues: checker.issues, value: value.filter(|_| readable), changed: checker.changed }
}

/// The checks, and the checked (normalized) tree even where a fault makes part of it
/// unreadable as the typed model: a reader that goes notification by notification (the
/// operation tracker) still gets the items without faults of their own.
pub fn check_notifications_tree(text: &str, options: NotificationOptions) -> (Issues, Option<Value<'_>>) {
    let (checker, value) = checked_tree(text, options);
    (checker.issues, value)
}

fn checked_tree(text: &str, options: NotificationOptions) -> (Checker, Option<Value<'_>>) {
    let mut checker = Checker::new(options.mode);
    checker.version = options.version;
    let mut value = json::parse(text, "", &mut checker.issues);
    if let Some(value) = value.as_mut() {
        checker.root(value);
    }
    (checker, value)
}

/// Validates notification JSON text.
pub fn validate_notifications(text: &str, options: NotificationOptions) -> Report<CommsNotifications> {
    check_notifications(text, options).into_report()
}

impl Checker {
    fn root(&mut self, value: &mut Value<'_>) {
        let Some(root) = self.object(value, &At::Root, "a commsNotifications payload") else { return };
        if let Some(marker) = legacy_format(root) {
            // One issue, not a list of what a Graph payload lacks: it is another protocol.
            self.issues
                .error(
                    "",
                    IssueCode::LegacyFormat,
                    format!("this is a notification in the pre-Graph callback format (it has {marker:?} and no value)"),
                )
                .hint("answer 204 No Content: Graph sends it again in the Graph format (LIFECYCLE.md §6)");
            self.untyped = true;
            return;
        }
        let legacy_root =
            root.get("@odata.type").and_then(Value::as_str).filter(|t| t.eq_ignore_ascii_case(LEGACY_ROOT_TYPE));
        if let Some(legacy) = legacy_root {
            self.issues
                .tolerated(
                    "/@odata.type",
                    IssueCode::UnexpectedODataType,
                    format!("{legacy:?} is the 2018 name of the notifications root"),
                )
                .expected(COMMS_NOTIFICATIONS_TYPE)
                .actual(legacy)
                .hint("tolerant mode reads it as #microsoft.graph.commsNotifications");
            root.insert("@odata.type", Value::from(COMMS_NOTIFICATIONS_TYPE));
            self.changed = true;
        } else {
            self.odata_type(root, &At::Root, &[COMMS_NOTIFICATIONS_TYPE], Some(COMMS_NOTIFICATIONS_TYPE));
        }
        match root.get_mut("value") {
            None => self.missing(&At::Root, "value", "commsNotifications"),
            Some(Value::Array(items)) => {
                let values = At::Root.key("value");
                for (i, item) in items.iter_mut().enumerate() {
                    self.notification(item, &values.index(i));
                }
            }
            // Not an array: the payload cannot be read as the typed model (so no `value`).
            Some(other) => self.wrong_type(&At::Root, "value", "an array of notifications", "array", other),
        }
    }

    fn notification(&mut self, item: &mut Value<'_>, path: &At<'_>) {
        let Some(obj) = self.object(item, path, "a commsNotification") else { return };
        self.odata_type(obj, path, &[COMMS_NOTIFICATION_TYPE], Some(COMMS_NOTIFICATION_TYPE));
        self.enumeration(obj, path, Field::required("changeType"), ChangeType::KNOWN, Evolvable::No);
        let resource = self.resource_url(obj, path);
        let data_path = path.key("resourceData");
        match obj.get_mut("resourceData") {
            None => self.missing(path, "resourceData", "a commsNotification"),
            Some(Value::Array(items)) => {
                for (i, entity) in items.iter_mut().enumerate() {
                    if let Value::Object(entity) = entity {
                        self.entity(entity, &data_path.index(i), None);
                    }
                }
            }
            Some(data) => {
                if let Some(data) = self.object(data, &data_path, "resourceData") {
                    self.entity(data, &data_path, resource.as_ref());
                }
            }
        }
    }

    /// Checks `resourceUrl` (or the legacy `resource`) and returns the path it names.
    fn resource_url<'t>(&mut self, obj: &mut Map<'t>, path: &At<'_>) -> Option<ResourcePath<'t>> {
        if !obj.contains_key("resourceUrl") {
            let legacy = obj.get("resource").and_then(Value::as_str).map(str::to_owned);
            let Some(legacy) = legacy else {
                self.missing(path, "resourceUrl", "a commsNotification");
                return None;
            };
            self.issues
                .tolerated(
                    &path.key("resource").pointer(),
                    IssueCode::LegacyProperty,
                    "resource is the pre-September-2019 name of resourceUrl",
                )
                .expected("resourceUrl")
                .actual("resource")
                .hint("tolerant mode copies it to resourceUrl under /communications/calls/");
            let modern = match legacy.strip_prefix("/app/calls/") {
                Some(rest) => format!("/communications/calls/{rest}"),
                None => legacy.clone(),
            };
            obj.insert("resourceUrl", Value::from(modern));
            self.changed = true;
            return ResourcePath::parse(&legacy).map(ResourcePath::into_owned);
        }
        self.string(obj, path, Field::required("resourceUrl"))?;
        // The text's own string (a slice of the payload unless it held escapes), so the path
        // borrows from the payload rather than from `obj`, which the caller goes on to change.
        let Some(Value::String(url)) = obj.get("resourceUrl").cloned() else { return None };
        let at = || path.key("resourceUrl").pointer();
        match ResourcePath::parse_text(url.clone()) {
            None => {
                self.issues
                    .error(
                        &at(),
                        IssueCode::InvalidResourceUrl,
                        format!("resourceUrl {:?} is not a path under /communications/calls/{{id}}", shortened(&url)),
                    )
                    .actual(&*url);
                None
            }
            Some(parsed) => {
                if parsed.legacy_root {
                    self.issues
                        .tolerated(&at(), IssueCode::LegacyPath, "resourceUrl uses the deprecated /app/calls/ root")
                        .expected("/communications/calls/…")
                        .actual(&*url);
                }
                Some(parsed)
            }
        }
    }

    /// resourceData (or one entity of a collection), dispatched on `@odata.type`; when that is
    /// absent, the resource path implies it.
    fn entity(&mut self, data: &mut Map<'_>, path: &At<'_>, resource: Option<&ResourcePath>) {
        let implied = match resource.map(|r| &r.target) {
            Some(PathTarget::Operation(_)) => Some(COMMS_OPERATION_TYPE),
            Some(PathTarget::Call) => Some(CALL_TYPE),
            _ => None,
        };
        let declared_any = data.contains_key("@odata.type");
        // The declared type as one of our constants (no copy of the text), or whether it is a
        // known type in another spelling.
        let declared = data.get("@odata.type").and_then(Value::as_str).map(|t| match known_entity_type(t) {
            Some(known) => Ok(known),
            None => Err(canonical_type(t).is_some()),
        });
        let odata_type = match declared {
            Some(Ok(t)) => Some(std::borrow::Cow::Borrowed(t)),
            Some(Err(true)) => {
                let mut accepted = operation_types();
                accepted.push(CALL_TYPE);
                self.odata_type(data, path, &accepted, None)
            }
            // Other entity types (participants, …) are outside this library's scope: kept as is.
            Some(Err(false)) => return,
            None => self.odata_type(data, path, &[], implied),
        };
        match odata_type.as_deref() {
            Some(CALL_TYPE) => {
                self.call(data, path);
                self.same_resource(data, path, resource, false);
            }
            Some(t) if is_operation_type(t) => {
                self.operation(data, path, Some(t), declared_any);
                self.same_resource(data, path, resource, true);
            }
            _ => {}
        }
    }

    /// `resourceUrl`, `@odata.id` and `id` must name the same resource (ids compared canonically).
    fn same_resource(&mut self, data: &Map<'_>, path: &At<'_>, resource: Option<&ResourcePath>, is_operation: bool) {
        let Some(resource) = resource else { return };
        if is_operation && resource.operation_id().is_none() {
            self.issues
                .error(
                    &path.key("@odata.type").pointer(),
                    IssueCode::ResourceMismatch,
                    "resourceData is an operation but resourceUrl does not name an operation",
                )
                .hint("an operation's resourceUrl is /communications/calls/{callId}/operations/{operationId}");
            return;
        }
        if let Some(odata_id) = data.get("@odata.id").and_then(Value::as_str) {
            let same = ResourcePath::parse(odata_id).is_some_and(|p| {
                same_id(&p.call_id, &resource.call_id)
                    && match (p.operation_id(), resource.operation_id()) {
                        (Some(a), Some(b)) => same_id(a, b),
                        (None, None) => p.target == resource.target,
                        _ => false,
                    }
            });
            if !same {
                self.issues
                    .error(
                        &path.key("@odata.id").pointer(),
                        IssueCode::ResourceMismatch,
                        format!("@odata.id {:?} names a different resource than resourceUrl", shortened(odata_id)),
                    )
                    .actual(odata_id);
            }
        }
        let own_id = data.get("id").and_then(Value::as_str);
        let expected = if is_operation { resource.operation_id() } else { Some(&*resource.call_id) };
        if let (Some(id), Some(expected)) = (own_id, expected) {
            if !same_id(id, expected) {
                self.issues
                    .error(
                        &path.key("id").pointer(),
                        IssueCode::ResourceMismatch,
                        format!("id {:?} is not the id in resourceUrl ({expected:?})", shortened(id)),
                    )
                    .expected(expected)
                    .actual(id);
            }
        }
    }
}

/// The members of the pre-Graph (Skype bot platform) calling callback that a Graph payload
/// never has at its root; the docs give no sample, so these are *inferred* from that protocol.
const LEGACY_FORMAT_MEMBERS: [&str; 5] =
    ["callState", "participants", "presentedModalityTypes", "isMultiparty", "links"];

/// The first legacy member of a root object that has no `value`.
fn legacy_format<'m>(root: &'m Map<'_>) -> Option<&'m str> {
    if root.contains_key("value") {
        return None;
    }
    root.keys().find(|key| LEGACY_FORMAT_MEMBERS.contains(key))
}

/// The canonical spelling of a known entity type written in another case or without `#`.
fn canonical_type(t: &str) -> Option<&'static str> {
    let with_hash = if t.starts_with('#') { t.to_owned() } else { format!("#{t}") };
    operation_types().into_iter().chain([CALL_TYPE]).find(|known| known.eq_ignore_ascii_case(&with_hash))
}

/// `t` as the constant of an entity type this library checks (an operation type or the call),
/// when it is spelled exactly so.
fn known_entity_type(t: &str) -> Option<&'static str> {
    if t == CALL_TYPE {
        return Some(CALL_TYPE);
    }
    if t == COMMS_OPERATION_TYPE {
        return Some(COMMS_OPERATION_TYPE);
    }
    crate::model::OperationKind::from_odata_type(t).map(|kind| kind.odata_type())
}
