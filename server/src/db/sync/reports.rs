//! Writes to experience reports: the checks are the domain's (`report_rules`), with the project
//! as stored and the server's clock.

use rihub_domain::project::ProjectFields;
use rihub_domain::region::Region;
use rihub_domain::role::Role;
use rihub_domain::sync::mutation::Op;
use rihub_domain::sync::outcome::Refusal;
use rihub_domain::sync::record::{Kind, RecordKey};
use rihub_domain::sync::report_rules::{check_report, parent_project};
use rihub_domain::sync::sequencer::plan;
use serde_json::Value;

use super::{Group, Stored, Written, write_change};
use crate::db::{DbResult, Tx};

/// The project `id` names, with its region, as this transaction has left it (None if there is
/// none).
async fn project(tx: &Tx, group: &mut Group, id: Option<&str>) -> DbResult<Option<(Region, ProjectFields)>> {
    let Some(id) = id else { return Ok(None) };
    let Some(stored) = group.record(tx, &RecordKey { kind: Kind::Project, id: id.to_string() }).await? else { return Ok(None) };
    let mut fields = stored.record.fields;
    fields.remove("initiative");
    let typed = serde_json::from_value(Value::Object(fields)).ok();
    Ok(stored.region.zip(typed))
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
    if matches!(op, Op::Submit { .. }) {
        return Ok(Err(Refusal::Forbidden));
    }
    let key = op.key();
    let at = group.next(tx).await?;
    let before = existing.as_ref().map(|s| &s.record);
    let (mut after, conflicts) = match plan(op, before, at) {
        Ok(planned) => planned,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let named = after.as_ref().or(before).and_then(parent_project);
    let project = project(tx, group, named).await?;
    let audience = match check_report(roles, key, before, after.as_mut(), project.as_ref().map(|(r, p)| (*r, p)), group.now) {
        Ok(audience) => audience,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let region = project.map(|(region, _)| region);
    let written =
        Written { key, user, prev_rev: existing.as_ref().map(|s| s.rev).unwrap_or(0), after, conflicts, region, audience, origin };
    write_change(group, at, written).map(|seq| Ok(Some(seq)))
}
