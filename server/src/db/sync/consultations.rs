//! Writes to consultations, contributions and submissions: the checks are the domain's
//! (`consultation_rules`), with the consultation as stored and the server's clock.

use rihub_domain::consultation::ConsultationFields;
use rihub_domain::consultation::contribution::ContributionFields;
use rihub_domain::consultation::results::aggregate;
use rihub_domain::region::Region;
use rihub_domain::role::Role;
use rihub_domain::sync::consultation_rules::{self as checks, SubmissionFields, allowed_op, parent_consultation};
use rihub_domain::sync::mutation::Op;
use rihub_domain::sync::outcome::Refusal;
use rihub_domain::sync::record::{Kind, RecordKey, SyncedRecord};
use rihub_domain::sync::sequencer::plan;
use rihub_domain::validation::{FieldError, Problem};
use serde_json::{Map, Value};

use super::{Group, Stored, Written, initiative_region, strip_meta, write_change};
use crate::db::{DbResult, Tx};

/// The consultation `id` names, as this transaction has left it (None if there is none, or it
/// cannot be read).
async fn consultation(tx: &Tx, group: &mut Group, id: Option<&str>) -> DbResult<Option<ConsultationFields>> {
    let Some(id) = id else { return Ok(None) };
    let key = RecordKey { kind: Kind::Consultation, id: id.to_string() };
    Ok(group.record(tx, &key).await?.and_then(|s| serde_json::from_value(Value::Object(s.record.fields)).ok()))
}

pub(super) async fn decide(
    tx: &Tx,
    group: &mut Group,
    user: &str,
    roles: &[Role],
    op: &Op,
    existing: Option<Stored>,
    origin: Option<(&str, u64)>,
) -> DbResult<Result<Option<u64>, Refusal>> {
    if !allowed_op(op) {
        return Ok(Err(Refusal::Forbidden));
    }
    let key = op.key();
    let now = group.now;
    let at = group.next(tx).await?;
    let before = existing.as_ref().map(|s| &s.record);
    let (after, conflicts, audience) = match op {
        Op::Submit { content, .. } => {
            let parent = consultation(tx, group, content.get("consultation").and_then(Value::as_str)).await?;
            match checks::check_submit(roles, user, key, content, before, parent.as_ref(), now) {
                Err(refusal) => return Ok(Err(refusal)),
                Ok((_, None)) => return Ok(Ok(None)),
                Ok((audience, Some(after))) => (Some(revised(before, after, at)), Vec::new(), audience),
            }
        }
        _ => {
            let (mut after, conflicts) = match plan(op, before, at) {
                Ok(planned) => planned,
                Err(refusal) => return Ok(Err(refusal)),
            };
            let checked = match key.kind {
                Kind::Consultation => {
                    // The submissions are read only when this edit publishes the results.
                    let publishes = before.is_some_and(|b| b.get("published_at").is_null())
                        && after.as_ref().is_some_and(|a| !a.get("published_at").is_null());
                    let answers = if publishes { submitted(tx, group, &key.id).await? } else { Vec::new() };
                    let results = |c: &ConsultationFields| aggregate(&c.initiatives, &answers);
                    match checks::check_consultation(roles, key, before, after.as_mut(), now, results) {
                        Ok(audience) => initiatives_of_region(tx, group, after.as_ref(), audience.region).await?.map(|()| audience),
                        refused => refused,
                    }
                }
                _ => {
                    let parent = consultation(tx, group, after.as_ref().and_then(parent_consultation)).await?;
                    checks::check_contribution(roles, key, after.as_mut(), parent.as_ref(), now)
                }
            };
            match checked {
                Err(refusal) => return Ok(Err(refusal)),
                Ok(audience) => (after, conflicts, audience),
            }
        }
    };
    let region = audience.region;
    let written =
        Written { key, user, prev_rev: existing.as_ref().map(|s| s.rev).unwrap_or(0), after, conflicts, region, audience, origin };
    write_change(group, at, written).map(|seq| Ok(Some(seq)))
}

/// The current submitted answers of every Member State to a consultation.
async fn submitted(tx: &Tx, group: &mut Group, consultation: &str) -> DbResult<Vec<ContributionFields>> {
    // Submissions this transaction wrote are read from the database too.
    group.store(tx).await?;
    let rows: Vec<Map<String, Value>> =
        tx.rows("SELECT * FROM submission WHERE consultation = $id", serde_json::json!({"id": consultation})).await?;
    Ok(rows
        .into_iter()
        .filter_map(|mut row| {
            strip_meta(&mut row);
            serde_json::from_value::<SubmissionFields>(Value::Object(row)).ok()
        })
        .filter_map(|s| s.current().map(|v| v.content.clone()))
        .collect())
}

/// Every initiative a consultation asks about must be one of its region's.
async fn initiatives_of_region(
    tx: &Tx,
    group: &mut Group,
    after: Option<&SyncedRecord>,
    region: Option<Region>,
) -> DbResult<Result<(), Refusal>> {
    let ids: Vec<String> = after.and_then(|r| serde_json::from_value(r.get("initiatives").clone()).ok()).unwrap_or_default();
    for (i, id) in ids.iter().enumerate() {
        let problem = match initiative_region(tx, group, id).await? {
            None => Problem::UnknownCode,
            Some(r) if Some(r) != region => Problem::WrongRegion,
            Some(_) => continue,
        };
        return Ok(Err(Refusal::Invalid(vec![FieldError { field: format!("initiatives.{i}"), problem }])));
    }
    Ok(Ok(()))
}

/// A record the server wrote whole: each field that changed gets revision `at`.
fn revised(before: Option<&SyncedRecord>, mut after: SyncedRecord, at: u64) -> SyncedRecord {
    let changed: Vec<String> = after.fields.iter().filter(|(k, v)| before.map(|b| b.get(k)) != Some(*v)).map(|(k, _)| k.clone()).collect();
    for field in changed {
        after.revs.insert(field, at);
    }
    after
}
