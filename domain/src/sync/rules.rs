//! Which permission a mutation needs, and the typed validation of the record it produces.
//! The server runs these inside the mutation's transaction; the client can run them first.

use serde_json::{Map, Value};

use super::mutation::{Mutation, Op};
use super::outcome::{Refusal, invalid};
use super::record::{Kind, RecordKey, SyncedRecord, fields_of};
use crate::cycle::Cycle;
use crate::initiative::InitiativeFields;
use crate::permissions::{self, Action, Scope};
use crate::project::ProjectFields;
use crate::region::Region;
use crate::role::Role;
use crate::validation::{Problem, is_client_id, is_id};

/// What a record's scope depends on: an initiative names its region, a project its initiative.
/// (The consultation kinds have their own checks, in `consultation_rules`.)
#[derive(Debug, Clone, PartialEq)]
pub enum Parent {
    Region(Region),
    Initiative(String),
}

/// What every mutation must be before anything else is looked at: its client's id is a client
/// id and its record's id a record id (`validation::is_client_id`, `is_id`).
pub fn check_mutation(m: &Mutation) -> Result<(), Refusal> {
    if !is_client_id(&m.client) {
        return Err(invalid("client", Problem::BadFormat));
    }
    if !is_id(&m.op.key().id) {
        return Err(invalid("key.id", Problem::BadFormat));
    }
    Ok(())
}

/// Checks the record a mutation would leave behind (as change `at`) against the record type's
/// rules, and leaves it as the typed record is written: what is stored is what the typed record
/// accepts, never the client's JSON as sent. A field the typed form writes otherwise (a blank
/// translation dropped, a default filled in) takes revision `at`, so every device gets it.
pub fn validate(key: &RecordKey, record: &mut SyncedRecord, at: u64) -> Result<Parent, Refusal> {
    let mut fields = record.fields.clone();
    match key.kind {
        Kind::Initiative => {
            let typed: InitiativeFields = typed(fields)?;
            typed.validate().map_err(Refusal::Invalid)?;
            // The id is (cycle, code): neither can change, and a new record must be named by them.
            if typed.id() != key.id {
                return Err(invalid("code", Problem::Immutable));
            }
            record.canonical(fields_of(&typed), at);
            Ok(Parent::Region(typed.region))
        }
        Kind::Project => {
            let initiative = match fields.remove("initiative") {
                Some(Value::String(id)) if is_id(&id) => id,
                Some(_) => return Err(invalid("initiative", Problem::BadFormat)),
                None => return Err(invalid("initiative", Problem::Required)),
            };
            let typed: ProjectFields = typed(fields)?;
            typed.validate().map_err(Refusal::Invalid)?;
            let mut canonical = fields_of(&typed);
            canonical.insert("initiative".into(), Value::String(initiative.clone()));
            record.canonical(canonical, at);
            Ok(Parent::Initiative(initiative))
        }
        Kind::Consultation | Kind::Contribution | Kind::Submission | Kind::Report => {
            Err(Refusal::Refused("checked by consultation_rules or report_rules".into()))
        }
    }
}

/// A record's fields as its typed form, or why not.
fn typed<T: serde::de::DeserializeOwned>(fields: Map<String, Value>) -> Result<T, Refusal> {
    serde_json::from_value(Value::Object(fields)).map_err(|_| invalid("record", Problem::BadFormat))
}

/// The records a record names, besides its parent, that must exist (field, record): the
/// initiatives an initiative is related to or merged into, the project a project replicates.
pub fn references(kind: Kind, record: &SyncedRecord) -> Vec<(String, RecordKey)> {
    let named = |field: &str, kind: Kind| record.get(field).as_str().map(|id| (field.to_string(), RecordKey { kind, id: id.to_string() }));
    match kind {
        Kind::Initiative => {
            let related = record.get("related").as_array().into_iter().flatten().enumerate();
            let related =
                related.filter_map(|(i, id)| id.as_str().map(|id| (format!("related.{i}"), RecordKey { kind, id: id.to_string() })));
            related.chain(named("merged_into", kind)).collect()
        }
        Kind::Project => named("replicated_from", kind).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// A reference to a record that does not exist.
pub fn unknown(field: &str) -> Refusal {
    invalid(field, Problem::UnknownCode)
}

/// The id of the initiative this initiative continues, if it names one.
pub fn continues(record: &SyncedRecord) -> Option<&str> {
    record.get("continues").as_str()
}

/// An initiative may continue only an existing initiative (`previous`: its cycle and region, as
/// stored) of the cycle before its own, in its own region.
pub fn check_continues(record: &SyncedRecord, previous: Option<(Cycle, Region)>) -> Result<(), Refusal> {
    let own: Option<(Cycle, Region)> =
        serde_json::from_value(record.get("cycle").clone()).ok().zip(serde_json::from_value(record.get("region").clone()).ok());
    let fits = match (own, previous) {
        (Some((cycle, region)), Some((prev_cycle, prev_region))) => cycle.previous() == Some(prev_cycle) && region == prev_region,
        _ => false,
    };
    if fits { Ok(()) } else { Err(invalid("continues", Problem::UnknownCode)) }
}

/// The permission an operation on an initiative or a project needs (None for the consultation
/// kinds, which `consultation_rules` checks).
pub fn action(kind: Kind, op: &Op) -> Option<Action> {
    Some(match (kind, op) {
        (Kind::Initiative, Op::Create { .. }) => Action::CreateInitiative,
        (Kind::Initiative, Op::Edit { .. }) => Action::EditInitiative,
        (Kind::Initiative, Op::Delete { .. }) => Action::DeleteInitiative,
        (Kind::Project, Op::Create { .. }) => Action::CreateProject,
        (Kind::Project, Op::Edit { .. }) => Action::EditProject,
        (Kind::Project, Op::Delete { .. }) => Action::DeleteProject,
        (Kind::Initiative | Kind::Project, Op::Submit { .. })
        | (Kind::Consultation | Kind::Contribution | Kind::Submission | Kind::Report, _) => return None,
    })
}

/// Allowed only if the roles permit the action in the record's region before the mutation
/// and in its region after (a move needs both).
pub fn authorize(roles: &[Role], action: Option<Action>, before: Option<Region>, after: Option<Region>) -> Result<(), Refusal> {
    let Some(action) = action else { return Err(Refusal::Forbidden) };
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
    fn the_records_a_record_names_are_listed_with_their_fields() {
        let i = record(json!({"related": ["a", "b"], "merged_into": "c", "continues": "d"}));
        let names: Vec<(String, String)> = references(Kind::Initiative, &i).into_iter().map(|(f, k)| (f, k.id)).collect();
        assert_eq!(names, vec![("related.0".into(), "a".into()), ("related.1".into(), "b".into()), ("merged_into".into(), "c".into())]);
        let p = record(json!({"replicated_from": "p0"}));
        assert_eq!(references(Kind::Project, &p), vec![("replicated_from".into(), RecordKey { kind: Kind::Project, id: "p0".into() })]);
        assert!(references(Kind::Project, &record(json!({}))).is_empty());
    }

    #[test]
    fn an_initiative_must_keep_the_id_of_its_cycle_and_code() {
        let r = record(
            json!({"cycle": "WTDC-25", "code": "AFR2", "region": "AFR", "title": {"en": "t"}, "level": "regional", "status": "draft"}),
        );
        assert_eq!(validate(&initiative_key("wtdc25_afr2"), &mut r.clone(), 2), Ok(Parent::Region(Region::Afr)));
        assert_eq!(validate(&initiative_key("wtdc25_afr1"), &mut r.clone(), 2), Err(invalid("code", Problem::Immutable)));
    }

    #[test]
    fn unknown_fields_and_broken_rules_are_refused() {
        let r = record(json!({"cycle": "WTDC-25", "code": "AFR2", "region": "AFR", "title": {}, "level": "regional", "status": "draft"}));
        assert_eq!(validate(&initiative_key("wtdc25_afr2"), &mut r.clone(), 2), Err(invalid("title", Problem::Required)));
        let r = record(
            json!({"cycle": "WTDC-25", "code": "AFR2", "region": "AFR", "title": {"en": "t"}, "level": "regional", "status": "draft", "owner": "x"}),
        );
        assert_eq!(validate(&initiative_key("wtdc25_afr2"), &mut r.clone(), 2), Err(invalid("record", Problem::BadFormat)));
    }

    #[test]
    fn a_project_names_its_initiative() {
        let key = RecordKey { kind: Kind::Project, id: "p1".into() };
        let r = record(json!({"initiative": "wtdc22_asp1", "title": {"en": "t"}, "status": "planned"}));
        assert_eq!(validate(&key, &mut r.clone(), 2), Ok(Parent::Initiative("wtdc22_asp1".into())));
        let r = record(json!({"title": {"en": "t"}, "status": "planned"}));
        assert_eq!(validate(&key, &mut r.clone(), 2), Err(invalid("initiative", Problem::Required)));
    }

    #[test]
    fn a_mutations_client_and_record_ids_are_ids() {
        let m = |client: &str, id: &str| Mutation {
            client: client.into(),
            seq: 1,
            op: Op::Delete { key: RecordKey { kind: Kind::Project, id: id.into() } },
        };
        assert_eq!(check_mutation(&m("phone-1", "p1")), Ok(()));
        assert_eq!(check_mutation(&m(&"c".repeat(65), "p1")), Err(invalid("client", Problem::BadFormat)));
        assert_eq!(check_mutation(&m("phone-1", "../P 1")), Err(invalid("key.id", Problem::BadFormat)));
    }

    #[test]
    fn what_is_stored_is_the_typed_record_with_what_it_changed_at_this_revision() {
        let mut r = record(
            json!({"initiative": "wtdc22_asp1", "title": {"en": "t", "fr": "  ", "translated": {"ru": {"from": "en", "of": "x"}}}, "status": "planned"}),
        );
        let key = RecordKey { kind: Kind::Project, id: "p1".into() };
        validate(&key, &mut r, 7).unwrap();
        assert_eq!(r.get("title"), &json!({"en": "t"}), "a blank language and a note beside no text are not kept");
        assert_eq!((r.rev("title"), r.rev("initiative")), (7, 1), "the rewritten field is this change's");
        assert_eq!(r.get("countries"), &json!([]), "a default, filled in");
        assert_eq!(r.rev("countries"), 7);
    }

    #[test]
    fn an_initiative_continues_only_the_previous_cycle_in_its_region() {
        let r = record(json!({"cycle": "WTDC-25", "region": "AFR", "continues": "wtdc22_afr1"}));
        assert_eq!(continues(&r), Some("wtdc22_afr1"));
        assert_eq!(check_continues(&r, Some((Cycle::Wtdc22, Region::Afr))), Ok(()));
        for previous in [None, Some((Cycle::Wtdc17, Region::Afr)), Some((Cycle::Wtdc22, Region::Asp))] {
            assert_eq!(check_continues(&r, previous), Err(invalid("continues", Problem::UnknownCode)), "{previous:?}");
        }
    }

    #[test]
    fn a_move_needs_the_right_in_both_regions() {
        let roles = [Role::Coordinator { region: Region::Afr }];
        assert_eq!(authorize(&roles, Some(Action::EditProject), Some(Region::Afr), Some(Region::Afr)), Ok(()));
        assert_eq!(authorize(&roles, Some(Action::EditProject), Some(Region::Afr), Some(Region::Asp)), Err(Refusal::Forbidden));
        assert_eq!(authorize(&roles, Some(Action::EditProject), Some(Region::Asp), Some(Region::Afr)), Err(Refusal::Forbidden));
        assert_eq!(authorize(&roles, Some(Action::DeleteProject), Some(Region::Afr), None), Ok(()));
        assert_eq!(authorize(&[Role::Observer], Some(Action::CreateProject), None, Some(Region::Afr)), Err(Refusal::Forbidden));
    }
}
