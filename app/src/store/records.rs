//! Typed reads of the synced records, as pages show them. A record this build cannot read (a
//! field added by a newer server) is left out rather than shown wrong.

use std::collections::BTreeMap;

use rihub_domain::consultation::ConsultationFields;
use rihub_domain::consultation::contribution::{ContributionFields, contribution_id};
use rihub_domain::experience::ReportFields;
use rihub_domain::initiative::{Initiative, InitiativeFields};
use rihub_domain::project::{Project, ProjectFields};
use rihub_domain::sync::consultation_rules::SubmissionFields;
use rihub_domain::sync::record::{Kind, RecordKey, SyncedRecord};
use serde_json::Value;

pub type Records = BTreeMap<RecordKey, SyncedRecord>;

/// A random id chosen on the device (so records can be created offline): 26 hex digits, which
/// `validation::is_id` accepts; unique, not secret.
pub fn random_id() -> String {
    // 52 random bits: 13 hex digits each.
    let part = || (js_sys::Math::random() * 4_503_599_627_370_496.0) as u64;
    format!("{:013x}{:013x}", part(), part())
}

pub fn key(kind: Kind, id: &str) -> RecordKey {
    RecordKey { kind, id: id.to_string() }
}

/// The records of one kind: a range of the map (ordered by kind, then id), not a scan of all.
pub fn of_kind(records: &Records, kind: Kind) -> impl Iterator<Item = (&RecordKey, &SyncedRecord)> {
    records.range(key(kind, "")..).take_while(move |(k, _)| k.kind == kind)
}

/// The whole-record revision shown to people: the newest of its fields' revisions.
fn rev(r: &SyncedRecord) -> u64 {
    r.revs.values().copied().max().unwrap_or(0)
}

fn to_initiative(id: &str, r: &SyncedRecord) -> Option<Initiative> {
    let fields: InitiativeFields = serde_json::from_value(Value::Object(r.fields.clone())).ok()?;
    Some(Initiative { id: id.to_string(), rev: rev(r), fields })
}

fn to_project(id: &str, r: &SyncedRecord) -> Option<Project> {
    let mut fields = r.fields.clone();
    let initiative = fields.remove("initiative")?.as_str()?.to_string();
    let fields: ProjectFields = serde_json::from_value(Value::Object(fields)).ok()?;
    Some(Project { id: id.to_string(), initiative, rev: rev(r), fields })
}

pub fn initiative(records: &Records, id: &str) -> Option<Initiative> {
    records.get(&key(Kind::Initiative, id)).and_then(|r| to_initiative(id, r))
}

/// Every initiative, in list order.
pub fn initiatives(records: &Records) -> Vec<Initiative> {
    let mut list: Vec<Initiative> = of_kind(records, Kind::Initiative).filter_map(|(k, r)| to_initiative(&k.id, r)).collect();
    list.sort_by_key(|i| i.fields.list_order());
    list
}

pub fn project(records: &Records, id: &str) -> Option<Project> {
    records.get(&key(Kind::Project, id)).and_then(|r| to_project(id, r))
}

/// How many projects each initiative has, by initiative id. Read from each project's
/// `initiative` field alone: decoding every project would cost the list page a second with
/// tens of thousands of them.
pub fn project_counts(records: &Records) -> std::collections::HashMap<String, u64> {
    let mut counts = std::collections::HashMap::new();
    for (_, r) in of_kind(records, Kind::Project) {
        if let Some(initiative) = r.get("initiative").as_str() {
            *counts.entry(initiative.to_string()).or_insert(0) += 1;
        }
    }
    counts
}

pub fn projects_of(records: &Records, initiative: &str) -> Vec<Project> {
    let mut list: Vec<Project> = of_kind(records, Kind::Project)
        .filter(|(_, r)| r.get("initiative").as_str() == Some(initiative))
        .filter_map(|(k, r)| to_project(&k.id, r))
        .collect();
    list.sort_by(|a, b| a.fields.start.cmp(&b.fields.start).then_with(|| a.id.cmp(&b.id)));
    list
}

/// The region a record belongs to: an initiative's own, a project's through its initiative.
pub fn region(records: &Records, key: &RecordKey) -> Option<rihub_domain::region::Region> {
    let record = records.get(key)?;
    match key.kind {
        Kind::Initiative | Kind::Consultation => serde_json::from_value(record.get("region").clone()).ok(),
        Kind::Project | Kind::Report => region(records, &self::key(Kind::Initiative, &initiative_id(records, key)?)),
        Kind::Contribution | Kind::Submission => region(records, &self::key(Kind::Consultation, record.get("consultation").as_str()?)),
    }
}

/// The id of the initiative an initiative, a project or a report belongs to.
pub fn initiative_id(records: &Records, key: &RecordKey) -> Option<String> {
    let record = records.get(key)?;
    match key.kind {
        Kind::Initiative => Some(key.id.clone()),
        Kind::Project => record.get("initiative").as_str().map(str::to_string),
        Kind::Report => initiative_id(records, &self::key(Kind::Project, record.get("project").as_str()?)),
        Kind::Consultation | Kind::Contribution | Kind::Submission => None,
    }
}

fn typed<T: serde::de::DeserializeOwned>(records: &Records, kind: Kind, id: &str) -> Option<T> {
    serde_json::from_value(Value::Object(records.get(&key(kind, id))?.fields.clone())).ok()
}

pub fn consultation(records: &Records, id: &str) -> Option<ConsultationFields> {
    typed(records, Kind::Consultation, id)
}

/// The consultations this user may read, newest opening first.
pub fn consultations(records: &Records) -> Vec<(String, ConsultationFields)> {
    let mut list: Vec<(String, ConsultationFields)> =
        of_kind(records, Kind::Consultation).filter_map(|(k, _)| Some((k.id.clone(), consultation(records, &k.id)?))).collect();
    list.sort_by(|a, b| b.1.opens_at.cmp(&a.1.opens_at).then_with(|| a.0.cmp(&b.0)));
    list
}

/// A Member State's draft (None if there is none, or only its existence is known here).
pub fn contribution(records: &Records, consultation: &str, member_state: &str) -> Option<ContributionFields> {
    typed(records, Kind::Contribution, &contribution_id(consultation, member_state))
}

/// Whether this device knows that the state has a draft (a coordinator knows no more).
pub fn has_draft(records: &Records, consultation: &str, member_state: &str) -> bool {
    records.contains_key(&key(Kind::Contribution, &contribution_id(consultation, member_state)))
}

/// A Member State's submitted versions.
pub fn submissions(records: &Records, consultation: &str, member_state: &str) -> Option<SubmissionFields> {
    typed(records, Kind::Submission, &contribution_id(consultation, member_state))
}

/// The current submitted answers of every state this user may see, for one consultation.
pub fn submitted_answers(records: &Records, consultation: &str) -> Vec<ContributionFields> {
    of_kind(records, Kind::Submission)
        .filter(|(_, r)| r.get("consultation").as_str() == Some(consultation))
        .filter_map(|(k, _)| typed::<SubmissionFields>(records, Kind::Submission, &k.id))
        .filter_map(|s| s.current().map(|v| v.content.clone()))
        .collect()
}

pub fn report(records: &Records, id: &str) -> Option<ReportFields> {
    typed(records, Kind::Report, id)
}

/// Report `id` and the project it is on: what its pages need whole.
pub fn report_and_project(records: &Records, id: &str) -> Vec<RecordKey> {
    let report = key(Kind::Report, id);
    let project = records.get(&report).and_then(|r| r.get("project").as_str()).map(|p| key(Kind::Project, p));
    std::iter::once(report).chain(project).collect()
}

/// The reports on a project this user may read, published ones first.
pub fn reports_of(records: &Records, project: &str) -> Vec<(String, ReportFields)> {
    let mut list: Vec<(String, ReportFields)> = of_kind(records, Kind::Report)
        .filter(|(_, r)| r.get("project").as_str() == Some(project))
        .filter_map(|(k, _)| Some((k.id.clone(), report(records, &k.id)?)))
        .collect();
    list.sort_by(|a, b| b.1.published_at.cmp(&a.1.published_at).then_with(|| a.0.cmp(&b.0)));
    list
}

/// The projects started as replicas of `project`.
pub fn replicas_of(records: &Records, project: &str) -> Vec<Project> {
    of_kind(records, Kind::Project)
        .filter(|(_, r)| r.get("replicated_from").as_str() == Some(project))
        .filter_map(|(k, r)| to_project(&k.id, r))
        .collect()
}
