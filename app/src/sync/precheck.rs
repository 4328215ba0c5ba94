//! The checks the server runs on a mutation, run first against this device's records, so a
//! person hears at once that a change cannot be accepted. The rules are the domain's; the
//! server runs them again on its own data, which decides.

use rihub_domain::cycle::Cycle;
use rihub_domain::region::Region;
use rihub_domain::role::Role;
use rihub_domain::sync::mutation::Op;
use rihub_domain::sync::record::{Kind, RecordKey, SyncedRecord};
use rihub_domain::sync::rules::{self, Parent};
use rihub_domain::sync::sequencer::{Refusal, plan};
use rihub_domain::validation::{FieldError, Problem};

use crate::store::records::{Records, key};

fn cycle_and_region(records: &Records, initiative: &str) -> Option<(Cycle, Region)> {
    let r = records.get(&key(Kind::Initiative, initiative))?;
    Some((serde_json::from_value(r.get("cycle").clone()).ok()?, serde_json::from_value(r.get("region").clone()).ok()?))
}

/// The region a record belongs to, after checking it against its type's rules.
fn region(records: &Records, key: &RecordKey, record: &SyncedRecord) -> Result<Region, Refusal> {
    match rules::validate(key, record)? {
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

/// Whether the server would accept `op` from a person with `roles`, as far as this device knows.
pub fn precheck(records: &Records, roles: &[Role], op: &Op) -> Result<(), Refusal> {
    let key = op.key();
    let existing = records.get(key);
    let (after, _) = plan(op, existing, 0)?;
    let before_region = existing.and_then(|r| region(records, key, r).ok());
    let after_region = after.as_ref().map(|r| region(records, key, r)).transpose()?;
    rules::authorize(roles, rules::action(key.kind, op), before_region, after_region)
}
