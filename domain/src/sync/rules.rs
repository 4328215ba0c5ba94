//! Which permission a mutation needs, and the typed validation of the record it produces.
//! The server runs these inside the mutation's transaction; the client can run them first.

use serde_json::Value;

use super::mutation::Op;
use super::record::{Kind, RecordKey, SyncedRecord};
use super::sequencer::Refusal;
use crate::initiative::InitiativeFields;
use crate::permissions::{self, Action, Scope};
use crate::project::ProjectFields;
use crate::region::Region;
use crate::role::Role;
use crate::validation::{FieldError, Problem};

/// What a record's scope depends on: an initiative names its region, a project its initiative.
#[derive(Debug, Clone, PartialEq)]
pub enum Parent {
    Region(Region),
    Initiative(String),
}

fn invalid(field: &str, problem: Problem) -> Refusal {
    Refusal::Invalid(vec![FieldError { field: field.into(), problem }])
}

/// Checks the record a mutation would leave behind against the record type's rules.
pub fn validate(key: &RecordKey, record: &SyncedRecord) -> Result<Parent, Refusal> {
    let mut fields = record.fields.clone();
    match key.kind {
        Kind::Initiative => {
            let typed: InitiativeFields = serde_json::from_value(Value::Object(fields)).map_err(|_| invalid("record", Problem::BadFormat))?;
            typed.validate().map_err(Refusal::Invalid)?;
            // The id is (cycle, code): neither can change, and a new record must be named by them.
            if typed.id() != key.id {
                return Err(invalid("code", Problem::Immutable));
            }
            Ok(Parent::Region(typed.region))
        }
        Kind::Project => {
            let initiative = match fields.remove("initiative") {
                Some(Value::String(id)) if !id.is_empty() => id,
                _ => return Err(invalid("initiative", Problem::Required)),
            };
            let typed: ProjectFields = serde_json::from_value(Value::Object(fields)).map_err(|_| invalid("record", Problem::BadFormat))?;
            typed.validate().map_err(Refusal::Invalid)?;
            Ok(Parent::Initiative(initiative))
        }
    }
}

/// The permission an operation on a record of `kind` needs.
pub fn action(kind: Kind, op: &Op) -> Action {
    match (kind, op) {
        (Kind::Initiative, Op::Create { .. }) => Action::CreateInitiative,
        (Kind::Initiative, Op::Edit { .. }) => Action::EditInitiative,
        (Kind::Initiative, Op::Delete { .. }) => Action::DeleteInitiative,
        (Kind::Project, Op::Create { .. }) => Action::CreateProject,
        (Kind::Project, Op::Edit { .. }) => Action::EditProject,
        (Kind::Project, Op::Delete { .. }) => Action::DeleteProject,
    }
}

/// Allowed only if the roles permit the action in the record's region before the mutation
/// and in its region after (a move needs both).
pub fn authorize(roles: &[Role], action: Action, before: Option<Region>, after: Option<Region>) -> Result<(), Refusal> {
    let allowed = [before, after].into_iter().flatten().all(|r| permissions::allows(roles, action, Scope::Region(r)));
    if allowed && (before.is_some() || after.is_some()) { Ok(()) } else { Err(Refusal::Forbidden) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(v: Value) -> SyncedRecord {
        SyncedRecord::created(v.as_object().cloned().unwrap_or_default(), 1)
    }

    fn initiative_key(id: &str) -> RecordKey {
        RecordKey { kind: Kind::Initiative, id: id.into() }
    }

    #[test]
    fn an_initiative_must_keep_the_id_of_its_cycle_and_code() {
        let r = record(json!({"cycle": "WTDC-25", "code": "AFR2", "region": "AFR", "title": {"en": "t"}, "level": "regional", "status": "draft"}));
        assert_eq!(validate(&initiative_key("wtdc25_afr2"), &r), Ok(Parent::Region(Region::Afr)));
        assert_eq!(validate(&initiative_key("wtdc25_afr1"), &r), Err(invalid("code", Problem::Immutable)));
    }

    #[test]
    fn unknown_fields_and_broken_rules_are_refused() {
        let r = record(json!({"cycle": "WTDC-25", "code": "AFR2", "region": "AFR", "title": {}, "level": "regional", "status": "draft"}));
        assert_eq!(validate(&initiative_key("wtdc25_afr2"), &r), Err(invalid("title", Problem::Required)));
        let r = record(json!({"cycle": "WTDC-25", "code": "AFR2", "region": "AFR", "title": {"en": "t"}, "level": "regional", "status": "draft", "owner": "x"}));
        assert_eq!(validate(&initiative_key("wtdc25_afr2"), &r), Err(invalid("record", Problem::BadFormat)));
    }

    #[test]
    fn a_project_names_its_initiative() {
        let key = RecordKey { kind: Kind::Project, id: "p1".into() };
        let r = record(json!({"initiative": "wtdc22_asp1", "title": {"en": "t"}, "status": "planned"}));
        assert_eq!(validate(&key, &r), Ok(Parent::Initiative("wtdc22_asp1".into())));
        let r = record(json!({"title": {"en": "t"}, "status": "planned"}));
        assert_eq!(validate(&key, &r), Err(invalid("initiative", Problem::Required)));
    }

    #[test]
    fn a_move_needs_the_right_in_both_regions() {
        let roles = [Role::Coordinator { region: Region::Afr }];
        assert_eq!(authorize(&roles, Action::EditProject, Some(Region::Afr), Some(Region::Afr)), Ok(()));
        assert_eq!(authorize(&roles, Action::EditProject, Some(Region::Afr), Some(Region::Asp)), Err(Refusal::Forbidden));
        assert_eq!(authorize(&roles, Action::EditProject, Some(Region::Asp), Some(Region::Afr)), Err(Refusal::Forbidden));
        assert_eq!(authorize(&roles, Action::DeleteProject, Some(Region::Afr), None), Ok(()));
        assert_eq!(authorize(&[Role::Observer], Action::CreateProject, None, Some(Region::Afr)), Err(Refusal::Forbidden));
    }
}
