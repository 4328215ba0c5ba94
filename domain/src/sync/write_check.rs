//! The check of one write, the same on both ends: the server runs it inside the write's
//! transaction on the records as stored, with its clock, and it decides; the device runs it on
//! its copy before queueing an edit, so a person hears at once that it cannot be accepted.
//!
//! Plan the operation (`sequencer::plan`), validate the record after it by its kind's rules,
//! find its region through its parent, authorize. What it reads besides the record itself comes
//! from a synchronous `Lookup` that each side fills first: the server reads what `needed` names
//! into its transaction; the device has every record it may read at hand.

use serde_json::Value;

use super::audience::Audience;
use super::consultation_rules::{self, allowed_op, is_consultation_kind, parent_consultation};
use super::merge::Conflict;
use super::mutation::Op;
use super::outcome::{Refusal, invalid};
use super::record::{Kind, RecordKey, SyncedRecord};
use super::report_rules::{check_report, parent_project};
use super::rules::{self, Parent};
use super::sequencer::plan;
use crate::consultation::ConsultationFields;
use crate::consultation::contribution::ContributionFields;
use crate::consultation::results::aggregate;
use crate::cycle::Cycle;
use crate::project::ProjectFields;
use crate::region::Region;
use crate::role::Role;
use crate::validation::{FieldError, Problem, is_id};

/// A record as one side has it, with the region it is kept under (a project's is its
/// initiative's; a consultation kind's and a report's, their audience's).
#[derive(Debug, Clone, PartialEq)]
pub struct Looked {
    pub record: SyncedRecord,
    pub region: Option<Region>,
}

/// What the check reads besides the record written.
pub trait Lookup {
    /// The record at `key`, or None if there is none (on a device: none it may read).
    fn record(&self, key: &RecordKey) -> Option<Looked>;
    /// The answers currently submitted to `consultation`; asked only by an edit that publishes
    /// its results (`Needed::submissions_of`).
    fn submitted(&self, consultation: &str) -> Vec<ContributionFields>;
}

/// One write to check: `op` by `user` holding `roles`, on the record `before` it (None: there
/// is none), as change number `at`, at `now` by the deciding side's clock.
pub struct Write<'a> {
    pub roles: &'a [Role],
    pub user: &'a str,
    pub op: &'a Op,
    pub before: Option<Looked>,
    pub at: u64,
    pub now: i64,
}

/// A write that passed: the record after it (None: deleted), the values it overwrote, the
/// region it is kept under and who may read it; `unchanged` when there is nothing to write (a
/// submission of the current answers again).
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub after: Option<SyncedRecord>,
    pub conflicts: Vec<Conflict>,
    pub region: Option<Region>,
    pub audience: Audience,
    pub unchanged: bool,
}

/// What `check` will ask of a `Lookup` for `op` on the record `before` it.
#[derive(Debug, Default, PartialEq)]
pub struct Needed {
    pub records: Vec<RecordKey>,
    /// The consultation whose submitted answers are asked for (its results are published).
    pub submissions_of: Option<String>,
}

/// The check of a write of any kind. (The device calls the check of the kind's family itself,
/// so that the consultations' rules stay in the consultation pages' chunk of the wasm.)
pub fn check(lookup: &impl Lookup, w: Write<'_>) -> Result<Checked, Refusal> {
    let kind = w.op.key().kind;
    if is_consultation_kind(kind) {
        consultation_kind(lookup, w)
    } else if kind == Kind::Report {
        report(lookup, w)
    } else {
        initiative_or_project(lookup, w)
    }
}

/// The records and answers `check` reads for `op` on `before`, to be read first.
pub fn needed(op: &Op, before: Option<&SyncedRecord>) -> Needed {
    let key = op.key();
    let mut needed = Needed::default();
    let Ok((after, _)) = plan(op, before, 0) else { return needed };
    let id = |kind, id: &str| RecordKey { kind, id: id.to_string() };
    match (key.kind, op) {
        (Kind::Submission, Op::Submit { content, .. }) => {
            needed.records.extend(content.get("consultation").and_then(Value::as_str).map(|c| id(Kind::Consultation, c)));
        }
        (Kind::Consultation, _) => {
            let initiatives = after.as_ref().map(|a| a.get("initiatives").as_array().cloned().unwrap_or_default()).unwrap_or_default();
            needed.records.extend(initiatives.iter().filter_map(Value::as_str).map(|i| id(Kind::Initiative, i)));
            if publishes(before, after.as_ref()) {
                needed.submissions_of = Some(key.id.clone());
            }
        }
        (Kind::Contribution | Kind::Submission, _) => {
            needed.records.extend(after.as_ref().and_then(parent_consultation).map(|c| id(Kind::Consultation, c)));
        }
        (Kind::Report, _) => needed.records.extend(after.as_ref().or(before).and_then(parent_project).map(|p| id(Kind::Project, p))),
        (Kind::Initiative | Kind::Project, _) => {
            if let Some(after) = &after {
                needed
                    .records
                    .extend(after.get("initiative").as_str().filter(|_| key.kind == Kind::Project).map(|i| id(Kind::Initiative, i)));
                needed.records.extend(rules::continues(after).filter(|_| key.kind == Kind::Initiative).map(|i| id(Kind::Initiative, i)));
                needed.records.extend(new_references(key.kind, before, after).into_iter().map(|(_, named)| named));
            }
        }
    }
    // What is no id names nothing stored: the check refuses it without reading.
    needed.records.retain(|k| is_id(&k.id));
    needed
}

/// Whether an edit of a consultation publishes its results.
fn publishes(before: Option<&SyncedRecord>, after: Option<&SyncedRecord>) -> bool {
    before.is_some_and(|b| b.get("published_at").is_null()) && after.is_some_and(|a| !a.get("published_at").is_null())
}

/// The references `after` makes that `before` did not: only those are looked up, the record's
/// others were checked when it was written.
fn new_references(kind: Kind, before: Option<&SyncedRecord>, after: &SyncedRecord) -> Vec<(String, RecordKey)> {
    let had = before.map(|b| rules::references(kind, b)).unwrap_or_default();
    rules::references(kind, after).into_iter().filter(|r| !had.contains(r)).collect()
}

/// Initiatives and projects.
pub fn initiative_or_project(lookup: &impl Lookup, w: Write<'_>) -> Result<Checked, Refusal> {
    let key = w.op.key();
    let before = w.before.as_ref().map(|b| &b.record);
    let (mut after, conflicts) = plan(w.op, before, w.at)?;
    let after_region = match &mut after {
        None => None,
        Some(record) => Some(region(lookup, key, record, w.at)?),
    };
    if let Some(record) = &after {
        for (field, named) in new_references(key.kind, before, record) {
            if lookup.record(&named).is_none() {
                return Err(rules::unknown(&field));
            }
        }
    }
    let before_region = w.before.as_ref().and_then(|b| b.region);
    rules::authorize(w.roles, rules::action(key.kind, w.op), before_region, after_region)?;
    Ok(Checked { after, conflicts, region: after_region.or(before_region), audience: Audience::default(), unchanged: false })
}

/// The region of an initiative or a project after a write, once its kind's rules pass.
fn region(lookup: &impl Lookup, key: &RecordKey, record: &mut SyncedRecord, at: u64) -> Result<Region, Refusal> {
    let initiative = |id: &str| lookup.record(&RecordKey { kind: Kind::Initiative, id: id.to_string() });
    match rules::validate(key, record, at)? {
        Parent::Region(region) => {
            if let Some(previous) = rules::continues(record) {
                let previous = initiative(previous).and_then(|p| {
                    let cycle: Option<Cycle> = serde_json::from_value(p.record.get("cycle").clone()).ok();
                    cycle.zip(p.region)
                });
                rules::check_continues(record, previous)?;
            }
            Ok(region)
        }
        Parent::Initiative(id) => initiative(&id)
            .and_then(|i| i.region)
            .ok_or_else(|| Refusal::Invalid(vec![FieldError { field: "initiative".into(), problem: Problem::UnknownCode }])),
    }
}

/// Consultations, drafts and submissions.
pub fn consultation_kind(lookup: &impl Lookup, w: Write<'_>) -> Result<Checked, Refusal> {
    if !allowed_op(w.op) {
        return Err(Refusal::Forbidden);
    }
    let key = w.op.key();
    let before = w.before.as_ref().map(|b| &b.record);
    let consultation = |id: Option<&str>| -> Option<ConsultationFields> {
        let looked = lookup.record(&RecordKey { kind: Kind::Consultation, id: id?.to_string() })?;
        serde_json::from_value(Value::Object(looked.record.fields)).ok()
    };
    let (after, conflicts, audience) = match w.op {
        Op::Submit { content, .. } => {
            let parent = consultation(content.get("consultation").and_then(Value::as_str));
            match consultation_rules::check_submit(w.roles, w.user, key, content, before, parent.as_ref(), w.now)? {
                (audience, None) => {
                    return Ok(Checked { after: None, conflicts: Vec::new(), region: audience.region, audience, unchanged: true });
                }
                (audience, Some(after)) => (Some(revised(before, after, w.at)), Vec::new(), audience),
            }
        }
        _ => {
            let (mut after, conflicts) = plan(w.op, before, w.at)?;
            let audience = match key.kind {
                Kind::Consultation => {
                    let answers = if publishes(before, after.as_ref()) { lookup.submitted(&key.id) } else { Vec::new() };
                    let results = |c: &ConsultationFields| aggregate(&c.initiatives, &answers);
                    let audience = consultation_rules::check_consultation(w.roles, key, before, after.as_mut(), w.now, results)?;
                    initiatives_of_region(lookup, after.as_ref(), audience.region)?;
                    audience
                }
                _ => {
                    let parent = consultation(after.as_ref().and_then(parent_consultation));
                    consultation_rules::check_contribution(w.roles, key, after.as_mut(), parent.as_ref(), w.now)?
                }
            };
            (after, conflicts, audience)
        }
    };
    Ok(Checked { after, conflicts, region: audience.region, audience, unchanged: false })
}

/// Every initiative a consultation asks about must be one of its region's.
fn initiatives_of_region(lookup: &impl Lookup, after: Option<&SyncedRecord>, region: Option<Region>) -> Result<(), Refusal> {
    let ids: Vec<String> = after.and_then(|r| serde_json::from_value(r.get("initiatives").clone()).ok()).unwrap_or_default();
    for (i, id) in ids.iter().enumerate() {
        let problem = match lookup.record(&RecordKey { kind: Kind::Initiative, id: id.clone() }).and_then(|l| l.region) {
            None => Problem::UnknownCode,
            Some(r) if Some(r) != region => Problem::WrongRegion,
            Some(_) => continue,
        };
        return Err(invalid(&format!("initiatives.{i}"), problem));
    }
    Ok(())
}

/// A record written whole (a submission): each field that changed gets revision `at`.
fn revised(before: Option<&SyncedRecord>, mut after: SyncedRecord, at: u64) -> SyncedRecord {
    let changed: Vec<String> = after.fields.iter().filter(|(k, v)| before.map(|b| b.get(k)) != Some(*v)).map(|(k, _)| k.clone()).collect();
    for field in changed {
        after.revs.insert(field, at);
    }
    after
}

/// Experience reports.
pub fn report(lookup: &impl Lookup, w: Write<'_>) -> Result<Checked, Refusal> {
    if matches!(w.op, Op::Submit { .. }) {
        return Err(Refusal::Forbidden);
    }
    let key = w.op.key();
    let before = w.before.as_ref().map(|b| &b.record);
    let (mut after, conflicts) = plan(w.op, before, w.at)?;
    let named = after.as_ref().or(before).and_then(parent_project);
    let project = named.and_then(|id| lookup.record(&RecordKey { kind: Kind::Project, id: id.to_string() })).and_then(|looked| {
        let mut fields = looked.record.fields;
        fields.remove("initiative");
        let typed: ProjectFields = serde_json::from_value(Value::Object(fields)).ok()?;
        Some((looked.region?, typed))
    });
    let audience = check_report(w.roles, key, before, after.as_mut(), project.as_ref().map(|(r, p)| (*r, p)), w.now)?;
    Ok(Checked { after, conflicts, region: project.map(|(region, _)| region), audience, unchanged: false })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;
    use crate::sync::mutation::FieldChange;

    /// Records at hand, as either side would have them.
    #[derive(Default)]
    struct Records(BTreeMap<RecordKey, Looked>);

    impl Lookup for Records {
        fn record(&self, key: &RecordKey) -> Option<Looked> {
            self.0.get(key).cloned()
        }

        fn submitted(&self, _: &str) -> Vec<ContributionFields> {
            Vec::new()
        }
    }

    fn key(kind: Kind, id: &str) -> RecordKey {
        RecordKey { kind, id: id.into() }
    }

    fn initiative(cycle: &str, code: &str, region: &str) -> serde_json::Map<String, Value> {
        json!({"cycle": cycle, "code": code, "region": region, "title": {"en": "t"}, "level": "regional", "status": "draft"})
            .as_object()
            .cloned()
            .unwrap_or_default()
    }

    fn records() -> Records {
        let mut records = Records::default();
        for (id, cycle, code, region) in [("wtdc22_afr1", "WTDC-22", "AFR1", Region::Afr), ("wtdc22_asp1", "WTDC-22", "ASP1", Region::Asp)]
        {
            let record = SyncedRecord::created(initiative(cycle, code, region.code()), 1);
            records.0.insert(key(Kind::Initiative, id), Looked { record, region: Some(region) });
        }
        records
    }

    fn coordinator(region: Region) -> Vec<Role> {
        vec![Role::Coordinator { region }]
    }

    fn create(kind: Kind, id: &str, fields: Value) -> Op {
        Op::Create { key: key(kind, id), fields: fields.as_object().cloned().unwrap_or_default() }
    }

    fn write<'a>(roles: &'a [Role], op: &'a Op, before: Option<Looked>) -> Write<'a> {
        Write { roles, user: "u", op, before, at: 2, now: 1_800_000_000 }
    }

    fn project(initiative: &str) -> Value {
        json!({"initiative": initiative, "title": {"en": "Smart villages"}, "status": "planned"})
    }

    #[test]
    fn a_project_takes_its_initiatives_region_and_is_authorized_there() {
        let records = records();
        let op = create(Kind::Project, "p1", project("wtdc22_afr1"));
        let checked = check(&records, write(&coordinator(Region::Afr), &op, None)).expect("Africa's coordinator creates it");
        assert_eq!(checked.region, Some(Region::Afr));
        assert_eq!(check(&records, write(&coordinator(Region::Asp), &op, None)), Err(Refusal::Forbidden));
        let orphan = create(Kind::Project, "p2", project("wtdc22_xyz9"));
        assert_eq!(check(&records, write(&coordinator(Region::Afr), &orphan, None)), Err(invalid("initiative", Problem::UnknownCode)));
    }

    #[test]
    fn moving_a_project_needs_both_regions_and_its_new_references_must_exist() {
        let records = records();
        let before =
            Looked { record: SyncedRecord::created(project("wtdc22_afr1").as_object().cloned().unwrap(), 1), region: Some(Region::Afr) };
        let change = |field: &str, value: Value| Op::Edit {
            key: key(Kind::Project, "p1"),
            changes: vec![FieldChange { field: field.into(), value, base: 1 }],
        };
        let moved = change("initiative", json!("wtdc22_asp1"));
        assert_eq!(check(&records, write(&coordinator(Region::Afr), &moved, Some(before.clone()))), Err(Refusal::Forbidden));
        let both = [Role::Coordinator { region: Region::Afr }, Role::Coordinator { region: Region::Asp }];
        assert_eq!(check(&records, write(&both, &moved, Some(before.clone()))).map(|c| c.region), Ok(Some(Region::Asp)));
        let replica = change("replicated_from", json!("no-such-project"));
        assert_eq!(check(&records, write(&both, &replica, Some(before))), Err(rules::unknown("replicated_from")));
    }

    #[test]
    fn what_a_write_reads_is_named_before_it_is_checked() {
        let op = create(Kind::Project, "p1", json!({"initiative": "wtdc22_afr1", "replicated_from": "p0"}));
        assert_eq!(needed(&op, None).records, vec![key(Kind::Initiative, "wtdc22_afr1"), key(Kind::Project, "p0")]);
        let mut continuing = initiative("WTDC-25", "AFR1", "AFR");
        continuing.insert("continues".into(), json!("wtdc22_afr1"));
        assert_eq!(
            needed(&create(Kind::Initiative, "wtdc25_afr1", Value::Object(continuing)), None).records,
            vec![key(Kind::Initiative, "wtdc22_afr1")]
        );
        let draft = create(Kind::Contribution, "c1_ke", json!({"consultation": "c1", "member_state": "KE"}));
        assert_eq!(needed(&draft, None).records, vec![key(Kind::Consultation, "c1")]);
        let blank = create(Kind::Project, "p2", json!({"initiative": "", "replicated_from": "not an id"}));
        assert_eq!(needed(&blank, None).records, vec![]);
        let report = create(Kind::Report, "r1", json!({"project": "p1"}));
        assert_eq!(needed(&report, None), Needed { records: vec![key(Kind::Project, "p1")], submissions_of: None });
    }

    #[test]
    fn publishing_a_consultations_results_reads_the_submissions() {
        let before = SyncedRecord::created(json!({"initiatives": ["wtdc22_afr1"]}).as_object().cloned().unwrap(), 1);
        let publish = Op::Edit {
            key: key(Kind::Consultation, "c1"),
            changes: vec![FieldChange { field: "published_at".into(), value: json!(1), base: 0 }],
        };
        let needed = needed(&publish, Some(&before));
        assert_eq!((needed.records, needed.submissions_of), (vec![key(Kind::Initiative, "wtdc22_afr1")], Some("c1".to_string())));
    }

    #[test]
    fn a_report_on_a_project_nobody_has_is_refused() {
        let op = create(Kind::Report, "r1", json!({"project": "p9", "title": {"en": "Lessons"}}));
        assert_eq!(check(&records(), write(&coordinator(Region::Afr), &op, None)), Err(invalid("project", Problem::UnknownCode)));
    }
}
