//! The merge rule: edits of different fields both apply; an edit of a field someone changed
//! since the editor last saw it still applies (the server's order decides), and the value it
//! overwrote is kept as a conflict both authors can restore. Nothing is lost silently.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::mutation::FieldChange;
use super::record::{RecordKey, SyncedRecord};
use crate::region::Region;
use crate::role::Role;

/// Who made an edit: an account's id and its name when the edit was made. Empty when not known
/// (the change was made before authors were kept, or by the server itself).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    pub id: String,
    pub name: String,
}

/// A value that was overwritten by a concurrent edit, kept so it can be restored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub key: RecordKey,
    pub field: String,
    /// The value that lost, and the change sequence number that had set it. A null value (a
    /// field that was not set) is absent from the stored log, which keeps no nulls.
    #[serde(default)]
    pub lost: Value,
    pub lost_rev: u64,
    /// The value that won, and the sequence number of the change that set it.
    #[serde(default)]
    pub won: Value,
    pub won_rev: u64,
    /// Whose edit won, and whose was overwritten; the server names them after the merge
    /// (`server/src/db/sync/authors.rs`).
    #[serde(default)]
    pub won_by: Author,
    #[serde(default)]
    pub lost_by: Author,
}

impl Conflict {
    /// Whether the person `user` with `roles` is shown this conflict: it is theirs (their edit
    /// won or was overwritten), or they coordinate the record's `region` and can act on it.
    /// Everyone else who receives the change has nothing to do with it.
    pub fn concerns(&self, user: &str, roles: &[Role], region: Option<Region>) -> bool {
        let theirs = !user.is_empty() && (self.won_by.id == user || self.lost_by.id == user);
        let coordinates = region.is_some_and(|region| roles.contains(&Role::Coordinator { region }));
        theirs || coordinates
    }
}

/// Applies `changes` to `record` as the change numbered `at`; returns the conflicts it made.
/// A change that sets a field to the value it already has changes nothing.
pub fn apply_changes(key: &RecordKey, record: &mut SyncedRecord, changes: &[FieldChange], at: u64) -> Vec<Conflict> {
    let mut conflicts = Vec::new();
    for change in changes {
        let current = record.get(&change.field).clone();
        if current == change.value {
            continue;
        }
        let current_rev = record.rev(&change.field);
        if change.base < current_rev {
            conflicts.push(Conflict {
                key: key.clone(),
                field: change.field.clone(),
                lost: current,
                lost_rev: current_rev,
                won: change.value.clone(),
                won_rev: at,
                // Only the server knows who made each change; it names them once merged.
                won_by: Author::default(),
                lost_by: Author::default(),
            });
        }
        if change.value.is_null() {
            record.fields.remove(&change.field);
        } else {
            record.fields.insert(change.field.clone(), change.value.clone());
        }
        record.revs.insert(change.field.clone(), at);
    }
    conflicts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::record::Kind;
    use serde_json::json;

    fn key() -> RecordKey {
        RecordKey { kind: Kind::Initiative, id: "wtdc25_afr1".into() }
    }

    fn record() -> SyncedRecord {
        let fields = json!({"title": "A", "objective": "O"}).as_object().cloned().unwrap_or_default();
        SyncedRecord::created(fields, 1)
    }

    fn change(field: &str, value: Value, base: u64) -> FieldChange {
        FieldChange { field: field.into(), value, base }
    }

    #[test]
    fn edits_of_different_fields_both_survive() {
        let mut r = record();
        assert!(apply_changes(&key(), &mut r, &[change("title", json!("B"), 1)], 2).is_empty());
        assert!(apply_changes(&key(), &mut r, &[change("objective", json!("P"), 1)], 3).is_empty());
        assert_eq!((r.get("title"), r.get("objective")), (&json!("B"), &json!("P")));
        assert_eq!((r.rev("title"), r.rev("objective")), (2, 3));
    }

    #[test]
    fn a_stale_edit_of_the_same_field_wins_by_order_and_keeps_the_loser() {
        let mut r = record();
        apply_changes(&key(), &mut r, &[change("title", json!("first"), 1)], 2);
        let conflicts = apply_changes(&key(), &mut r, &[change("title", json!("second"), 1)], 3);
        assert_eq!(r.get("title"), &json!("second"));
        assert_eq!(conflicts.len(), 1);
        assert_eq!((conflicts[0].lost.clone(), conflicts[0].lost_rev), (json!("first"), 2));
        assert_eq!(conflicts[0].won_rev, 3);
    }

    #[test]
    fn an_edit_based_on_the_current_revision_is_no_conflict() {
        let mut r = record();
        apply_changes(&key(), &mut r, &[change("title", json!("first"), 1)], 2);
        assert!(apply_changes(&key(), &mut r, &[change("title", json!("second"), 2)], 3).is_empty());
    }

    #[test]
    fn writing_the_same_value_concurrently_is_no_conflict() {
        let mut r = record();
        apply_changes(&key(), &mut r, &[change("title", json!("same"), 1)], 2);
        assert!(apply_changes(&key(), &mut r, &[change("title", json!("same"), 1)], 3).is_empty());
        assert_eq!(r.rev("title"), 2);
    }

    #[test]
    fn a_conflict_concerns_its_two_authors_and_the_region_coordinators_only() {
        let mut r = record();
        apply_changes(&key(), &mut r, &[change("title", json!("first"), 1)], 2);
        let mut conflict = apply_changes(&key(), &mut r, &[change("title", json!("second"), 1)], 3).remove(0);
        conflict.won_by = Author { id: "amina".into(), name: "Amina".into() };
        conflict.lost_by = Author { id: "kofi".into(), name: "Kofi".into() };
        let coordinator = |region| [Role::Coordinator { region }];
        let region = Some(Region::Afr);
        assert!(conflict.concerns("amina", &[Role::Observer], region));
        assert!(conflict.concerns("kofi", &[], region));
        assert!(conflict.concerns("someone", &coordinator(Region::Afr), region));
        assert!(!conflict.concerns("someone", &coordinator(Region::Eur), region));
        assert!(!conflict.concerns("someone", &[Role::Observer, Role::Admin], region));
        // Unnamed authors (an older change) concern no one by name, not even an unnamed reader.
        conflict.lost_by = Author::default();
        assert!(!conflict.concerns("", &[Role::Observer], region));
        assert!(!conflict.concerns("someone", &coordinator(Region::Afr), None));
    }
}
