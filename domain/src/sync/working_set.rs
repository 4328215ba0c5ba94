//! What a device keeps in full and what it keeps as a summary (protocol v4, decision 52).
//!
//! Projects and experience reports, the kinds that come by the tens of thousands, are kept in
//! full only in the device's working set: the regions of its user's roles and those the device
//! follows, and the records it pinned (every record its user opened or wrote). Of the others it
//! keeps a summary: the fields lists, filters, offline search and the device's checks read.
//! Every other kind is few and always kept whole.

use std::collections::BTreeSet;

use super::record::{Kind, RecordKey, SyncedRecord};
use crate::member_state;
use crate::region::Region;
use crate::role::Role;

/// Most pins a hello may name: a device keeps its most recently opened records pinned.
pub const MAX_PINS: usize = 1000;

/// Whether records of `kind` may be kept as summaries.
pub fn summarized(kind: Kind) -> bool {
    matches!(kind, Kind::Project | Kind::Report)
}

/// The fields a summary of a `kind` record keeps.
fn summary_fields(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Project => &["initiative", "title", "status", "start", "end", "countries", "replicated_from"],
        Kind::Report => &["project", "member_state", "title", "published_at", "recommended_for_replication"],
        _ => &[],
    }
}

impl SyncedRecord {
    /// The summary of this `kind` record (the record itself for a kind never summarized): its
    /// summary fields with their revisions, marked as a summary.
    pub fn summary(mut self, kind: Kind) -> SyncedRecord {
        if !summarized(kind) {
            return self;
        }
        let kept = summary_fields(kind);
        self.fields.retain(|field, _| kept.contains(&field.as_str()));
        self.revs.retain(|field, _| kept.contains(&field.as_str()));
        self.summary = true;
        self
    }
}

/// What a device asked to keep in full, with the regions its user's roles give it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkingSet {
    pub regions: BTreeSet<Region>,
    pub pins: BTreeSet<RecordKey>,
}

impl WorkingSet {
    /// The working set of a device of a holder of `roles` that follows `follow` and pinned
    /// `pins` (the first `MAX_PINS` of them).
    pub fn new(roles: &[Role], follow: &[Region], pins: &[RecordKey]) -> WorkingSet {
        let mut regions: BTreeSet<Region> = follow.iter().copied().collect();
        regions.extend(roles.iter().flat_map(regions_of));
        WorkingSet { regions, pins: pins.iter().take(MAX_PINS).cloned().collect() }
    }

    /// Pins `key` (an `open` on a live connection); past `MAX_PINS` another pin goes (the device
    /// then gets that record as a summary after its next change, and opens it again).
    pub fn pin(&mut self, key: RecordKey) {
        if self.pins.len() >= MAX_PINS
            && !self.pins.contains(&key)
            && let Some(first) = self.pins.iter().next().cloned()
        {
            self.pins.remove(&first);
        }
        self.pins.insert(key);
    }

    /// Whether record `key`, kept under `region` (None: unknown), is kept in full.
    pub fn holds(&self, key: &RecordKey, region: Option<Region>) -> bool {
        !summarized(key.kind) || region.is_none_or(|r| self.regions.contains(&r)) || self.pins.contains(key)
    }

    /// `record` as a device with this working set keeps it.
    pub fn shape(&self, key: &RecordKey, region: Option<Region>, record: SyncedRecord) -> SyncedRecord {
        match self.holds(key, region) {
            true => record,
            false => record.summary(key.kind),
        }
    }
}

/// The regions a role works in: an administrator's are all of them (they manage every
/// region's records, translations and duplicates, from a desk).
fn regions_of(role: &Role) -> Vec<Region> {
    match role {
        Role::Admin => Region::ALL.to_vec(),
        Role::Coordinator { region } => vec![*region],
        Role::Delegate { member_state } => member_state::lookup(member_state).map(|m| m.region).into_iter().collect(),
        Role::Partner { .. } | Role::Observer => Vec::new(),
    }
}

/// The region codes a device follows, sorted, as its scope names them.
pub fn follow_codes(follow: &[Region]) -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = follow.iter().map(|r| r.code()).collect();
    codes.sort_unstable();
    codes.dedup();
    codes
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn key(kind: Kind, id: &str) -> RecordKey {
        RecordKey { kind, id: id.into() }
    }

    #[test]
    fn a_summary_keeps_what_lists_need_and_says_it_is_one() {
        let fields = json!({"initiative": "wtdc22_afr1", "title": {"en": "T"}, "summary": {"en": "long"}, "status": "ongoing",
            "start": "2026-01-01", "outcomes": {"en": "long"}});
        let record = SyncedRecord::created(fields.as_object().cloned().unwrap(), 7);
        let summary = record.clone().summary(Kind::Project);
        assert!(summary.summary);
        let names: Vec<&str> = summary.fields.keys().map(String::as_str).collect();
        assert_eq!(names, ["initiative", "start", "status", "title"]);
        assert_eq!(summary.revs.len(), 4);
        assert_eq!(record.clone().summary(Kind::Initiative), record, "initiatives are always whole");
    }

    #[test]
    fn the_working_set_is_the_roles_regions_what_is_followed_and_the_pins() {
        let kenya = [Role::Delegate { member_state: "KE".into() }];
        let set = WorkingSet::new(&kenya, &[Region::Eur], &[key(Kind::Project, "p9")]);
        assert!(set.holds(&key(Kind::Project, "p1"), Some(Region::Afr)), "the delegate's state's region");
        assert!(set.holds(&key(Kind::Project, "p2"), Some(Region::Eur)), "a followed region");
        assert!(!set.holds(&key(Kind::Project, "p3"), Some(Region::Asp)));
        assert!(set.holds(&key(Kind::Project, "p9"), Some(Region::Asp)), "a pin");
        assert!(set.holds(&key(Kind::Report, "r1"), None), "a record of no known region is sent whole");
        assert!(set.holds(&key(Kind::Initiative, "i"), Some(Region::Asp)), "initiatives are never summarized");
        assert!(WorkingSet::new(&[Role::Admin], &[], &[]).holds(&key(Kind::Project, "p3"), Some(Region::Asp)), "an admin's is everything");
        assert!(!WorkingSet::new(&[Role::Observer], &[], &[]).holds(&key(Kind::Project, "p3"), Some(Region::Asp)));
        assert!(set.shape(&key(Kind::Project, "p3"), Some(Region::Asp), SyncedRecord::default()).summary);
    }

    #[test]
    fn a_summarys_change_makes_a_whole_record_a_summary_and_opening_makes_it_whole_again() {
        let whole = SyncedRecord::created(json!({"title": {"en": "T"}, "summary": {"en": "S"}}).as_object().cloned().unwrap(), 3);
        let mut held = whole.clone();
        // Someone changed a field a summary leaves out: the change says only that it is one.
        let change = SyncedRecord::created(json!({"summary": {"en": "New"}}).as_object().cloned().unwrap(), 9).summary(Kind::Project);
        held.merge(&change);
        assert!(held.summary, "its long texts may be stale now");
        assert_eq!(held.get("summary"), &json!({"en": "S"}));
        let mut replica = crate::sync::replica::Replica::new("c");
        replica.opened(key(Kind::Project, "p"), whole.clone());
        assert_eq!(replica.confirmed[&key(Kind::Project, "p")], whole);
    }

    #[test]
    fn a_hello_names_at_most_so_many_pins() {
        let pins: Vec<RecordKey> = (0..MAX_PINS + 5).map(|n| key(Kind::Project, &format!("p{n}"))).collect();
        let mut set = WorkingSet::new(&[], &[], &pins);
        assert_eq!(set.pins.len(), MAX_PINS);
        set.pin(key(Kind::Project, "new"));
        assert_eq!(set.pins.len(), MAX_PINS, "an open past the limit lets another pin go");
        assert!(set.pins.contains(&key(Kind::Project, "new")));
    }
}
