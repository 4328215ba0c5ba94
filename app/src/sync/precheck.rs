//! The checks the server runs on a mutation, run first against this device's records, so a
//! person hears at once that a change cannot be accepted. The rules are the domain's; the
//! server runs them again on its own data, which decides.

use rihub_domain::consultation::ConsultationFields;
use rihub_domain::consultation::results::aggregate;
use rihub_domain::cycle::Cycle;
use rihub_domain::region::Region;
use rihub_domain::role::Role;
use rihub_domain::sync::mutation::Op;
use rihub_domain::sync::outcome::Refusal;
use rihub_domain::sync::record::{Kind, RecordKey, SyncedRecord};
use rihub_domain::sync::rules::{self, Parent};
use rihub_domain::sync::sequencer::plan;
use rihub_domain::sync::{consultation_rules, report_rules};
use rihub_domain::validation::{FieldError, Problem};

use crate::store::records::{self, Records, key};

fn cycle_and_region(records: &Records, initiative: &str) -> Option<(Cycle, Region)> {
    let r = records.get(&key(Kind::Initiative, initiative))?;
    Some((serde_json::from_value(r.get("cycle").clone()).ok()?, serde_json::from_value(r.get("region").clone()).ok()?))
}

/// The region a record belongs to, after checking it against its type's rules.
fn region(records: &Records, key: &RecordKey, record: &SyncedRecord) -> Result<Region, Refusal> {
    match rules::validate(key, &mut record.clone(), 0)? {
        Parent::Region(region) => {
            if let Some(previous) = rules::continues(record) {
                rules::check_continues(record, cycle_and_region(records, previous))?;
            }
            Ok(region)
        }
        Parent::Initiative(id) => cycle_and_region(records, &id)
            .map(|(_, region)| region)
            .ok_or_else(|| Refusal::Invalid(vec![FieldError { field: "initiative".into(), problem: Problem::UnknownCode }])),
    }
}

/// The consultation a record of a consultation kind belongs to, as this device has it.
fn consultation(records: &Records, id: Option<&str>) -> Option<ConsultationFields> {
    records::consultation(records, id?)
}

/// The consultation checks, but not the clock: only the server's decides whether a
/// consultation is open, so an edit made offline near the close is queued and sent.
fn precheck_consultation(records: &Records, roles: &[Role], op: &Op) -> Result<(), Refusal> {
    let key = op.key();
    if !consultation_rules::allowed_op(op) {
        return Err(Refusal::Forbidden);
    }
    let existing = records.get(key);
    let now = (js_sys::Date::now() / 1000.0) as i64;
    let checked = match op {
        Op::Submit { content, .. } => {
            let parent = consultation(records, content.get("consultation").and_then(|c| c.as_str()));
            consultation_rules::check_submit(roles, "", key, content, existing, parent.as_ref(), now).map(|_| ())
        }
        _ => {
            let (mut after, _) = plan(op, existing, 0)?;
            match key.kind {
                Kind::Consultation => {
                    // The results are the server's to compute; what they are does not matter here.
                    let results = |c: &ConsultationFields| aggregate(&c.initiatives, &[]);
                    consultation_rules::check_consultation(roles, key, existing, after.as_mut(), now, results).map(|_| ())
                }
                _ => {
                    let parent = consultation(records, after.as_ref().and_then(consultation_rules::parent_consultation));
                    consultation_rules::check_contribution(roles, key, after.as_mut(), parent.as_ref(), now).map(|_| ())
                }
            }
        }
    };
    match checked {
        Err(Refusal::NotOpen | Refusal::NotClosed | Refusal::Closed) => Ok(()),
        other => other,
    }
}

/// The report checks, with the project as this device has it (a device that lacks it lets the
/// server decide).
fn precheck_report(records: &Records, roles: &[Role], op: &Op) -> Result<(), Refusal> {
    if matches!(op, Op::Submit { .. }) {
        return Err(Refusal::Forbidden);
    }
    let key = op.key();
    let existing = records.get(key);
    let (mut after, _) = plan(op, existing, 0)?;
    let Some(project) = after.as_ref().or(existing).and_then(report_rules::parent_project).and_then(|id| records::project(records, id))
    else {
        return Ok(());
    };
    let Some(region) = records::region(records, &records::key(Kind::Project, &project.id)) else { return Ok(()) };
    let now = (js_sys::Date::now() / 1000.0) as i64;
    report_rules::check_report(roles, key, existing, after.as_mut(), Some((region, &project.fields)), now).map(|_| ())
}

/// A check of one kind of record: whether the server would accept `op` from a person with
/// `roles`, as far as this device knows.
pub type Check = fn(&Records, &[Role], &Op) -> Result<(), Refusal>;

/// The check for records of `kind`. Only consultation pages change consultation records, so
/// those checks are in that page group's chunk (`app/src/app.rs`), fetched here if this device
/// has not yet; if it cannot be fetched, the server alone decides.
pub async fn check_for(kind: Kind) -> Check {
    if consultation_rules::is_consultation_kind(kind) {
        return consultation_check().await.unwrap_or(|_, _, _| Ok(()));
    }
    if kind == Kind::Report {
        return precheck_report;
    }
    precheck_record
}

#[leptos::wasm_split::wasm_split(consulting, wasm_split_path = ::leptos::wasm_split, fallible)]
fn consultation_check() -> Result<Check, leptos::wasm_split::SplitLoaderError> {
    Ok(precheck_consultation)
}

/// Initiatives and projects.
fn precheck_record(records: &Records, roles: &[Role], op: &Op) -> Result<(), Refusal> {
    let key = op.key();
    let existing = records.get(key);
    let (after, _) = plan(op, existing, 0)?;
    let before_region = existing.and_then(|r| region(records, key, r).ok());
    let after_region = after.as_ref().map(|r| region(records, key, r)).transpose()?;
    rules::authorize(roles, rules::action(key.kind, op), before_region, after_region)
}
