//! The checks for writes to consultations, contributions and submissions, and who may read
//! their changes. The server runs them inside the mutation's transaction with the stored
//! consultation and its own clock; the browser may run them first on its copy.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::audience::Audience;
use super::mutation::Op;
use super::outcome::{Refusal, invalid, typed};
use super::record::{Kind, RecordKey, SyncedRecord, fields_of};
use crate::consultation::access::{self, Act, Target};
use crate::consultation::contribution::{ContributionFields, Submission, contribution_id, next_version};
use crate::consultation::results::Results;
use crate::consultation::{ConsultationFields, window};
use crate::role::Role;
use crate::validation::Problem;
use crate::validation::is_id;

fn refused_by_clock(e: window::TooEarlyOrLate) -> Refusal {
    match e {
        window::TooEarlyOrLate::NotOpen => Refusal::NotOpen,
        window::TooEarlyOrLate::Closed => Refusal::Closed,
    }
}

/// The consultation a contribution or a submission belongs to (its id, from the record).
pub fn parent_consultation(record: &SyncedRecord) -> Option<&str> {
    record.get("consultation").as_str()
}

/// A write to a consultation: the region's coordinators (or an admin) manage it; its region
/// never changes; publishing is its own permission, allowed once after the close, and stamped
/// with the server's time, and the results published are the server's (`results`: computed
/// from the current submissions when it publishes). Returns the audience of the record after
/// the write.
pub fn check_consultation(
    roles: &[Role],
    key: &RecordKey,
    before: Option<&SyncedRecord>,
    after: Option<&mut SyncedRecord>,
    now: i64,
    results: impl FnOnce(&ConsultationFields) -> Results,
) -> Result<Audience, Refusal> {
    let before: Option<ConsultationFields> = before.map(typed).transpose()?;
    let Some(after) = after else {
        // A consultation with answers is part of the record of the region's work: not deleted.
        return Err(Refusal::Forbidden);
    };
    if !is_id(&key.id) {
        return Err(invalid("id", Problem::BadFormat));
    }
    let mut fields: ConsultationFields = typed(after)?;
    fields.validate().map_err(Refusal::Invalid)?;
    let target = |c: &ConsultationFields| Target { region: c.region, member_state: None, published: c.is_published() };
    if !access::allows(roles, Act::Manage, target(&fields))
        || before.as_ref().is_some_and(|b| !access::allows(roles, Act::Manage, target(b)))
    {
        return Err(Refusal::Forbidden);
    }
    if fields.results != before.as_ref().and_then(|b| b.results.clone()) {
        return Err(invalid("results", Problem::Immutable));
    }
    if let Some(b) = &before {
        if b.region != fields.region {
            return Err(invalid("region", Problem::Immutable));
        }
        // Reminders are only added, and stamped with the server's time.
        if !fields.reminders.starts_with(&b.reminders) {
            return Err(invalid("reminders", Problem::Immutable));
        }
        for reminder in &mut fields.reminders[b.reminders.len()..] {
            reminder.at = now;
        }
        match (b.published_at, fields.published_at) {
            (None, Some(_)) => {
                if !access::allows(roles, Act::Publish, target(b)) {
                    return Err(Refusal::Forbidden);
                }
                if !window::may_publish(b, now) {
                    return Err(Refusal::NotClosed);
                }
                fields.published_at = Some(now);
                fields.results = Some(results(&fields));
            }
            (Some(was), Some(is)) if was != is => return Err(invalid("published_at", Problem::Immutable)),
            (Some(_), None) => return Err(invalid("published_at", Problem::Immutable)),
            _ => {}
        }
    } else if fields.published_at.is_some() {
        return Err(invalid("published_at", Problem::Immutable));
    } else if !fields.reminders.is_empty() {
        return Err(invalid("reminders", Problem::Immutable));
    }
    after.fields = fields_of(&fields);
    Ok(Audience { region: Some(fields.region), member_state: None, published: fields.is_published() })
}

/// A write to a Member State's draft: only its delegates, only for their state, only until the
/// close, and only with answers about the consultation's own initiatives.
/// What is stored is the typed draft, never the JSON as sent.
pub fn check_contribution(
    roles: &[Role],
    key: &RecordKey,
    after: Option<&mut SyncedRecord>,
    consultation: Option<&ConsultationFields>,
    now: i64,
) -> Result<Audience, Refusal> {
    let Some(after) = after else { return Err(Refusal::Forbidden) };
    let fields: ContributionFields = typed(after)?;
    let consultation = consultation.ok_or_else(|| invalid("consultation", Problem::UnknownCode))?;
    if contribution_id(&fields.consultation, &fields.member_state) != key.id {
        return Err(invalid("member_state", Problem::Immutable));
    }
    let target = Target { region: consultation.region, member_state: Some(&fields.member_state), published: consultation.is_published() };
    if !access::allows(roles, Act::EditDraft, target) {
        return Err(Refusal::Forbidden);
    }
    window::check_draft(consultation, now).map_err(refused_by_clock)?;
    fields.validate(consultation).map_err(Refusal::Invalid)?;
    after.fields = fields_of(&fields);
    Ok(Audience { region: Some(consultation.region), member_state: Some(fields.member_state), published: consultation.is_published() })
}

/// A state's submission record. It keeps only the current version (records
/// written before may hold every earlier one too, newest last): each amendment's change then
/// carries one version, and earlier ones stay in the change log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmissionFields {
    pub consultation: String,
    pub member_state: String,
    pub versions: Vec<Submission>,
}

/// Amendments a Member State may submit to one consultation.
pub const MAX_VERSIONS: u32 = 100;
/// The largest submission, as JSON.
pub const MAX_SUBMISSION_BYTES: usize = 64 * 1024;

impl SubmissionFields {
    pub fn current(&self) -> Option<&Submission> {
        self.versions.last()
    }
}

/// A submission of `content`: checked like a draft, but only while the consultation is open.
/// Returns the submission record after it, or None when `content` is already the current
/// version (a retry, or a second delegate submitting the same answers), which changes nothing.
pub fn check_submit(
    roles: &[Role],
    user: &str,
    key: &RecordKey,
    content: &Value,
    before: Option<&SyncedRecord>,
    consultation: Option<&ConsultationFields>,
    now: i64,
) -> Result<(Audience, Option<SyncedRecord>), Refusal> {
    if serde_json::to_string(content).map_or(true, |json| json.len() > MAX_SUBMISSION_BYTES) {
        return Err(invalid("content", Problem::TooLong));
    }
    let content: ContributionFields = serde_json::from_value(content.clone()).map_err(|_| invalid("content", Problem::BadFormat))?;
    let consultation = consultation.ok_or_else(|| invalid("consultation", Problem::UnknownCode))?;
    if key.kind != Kind::Submission || contribution_id(&content.consultation, &content.member_state) != key.id {
        return Err(invalid("member_state", Problem::Immutable));
    }
    let target = Target { region: consultation.region, member_state: Some(&content.member_state), published: consultation.is_published() };
    if !access::allows(roles, Act::Submit, target) {
        return Err(Refusal::Forbidden);
    }
    window::check_submission(consultation, now).map_err(refused_by_clock)?;
    content.validate(consultation).map_err(Refusal::Invalid)?;
    let audience = Audience {
        region: Some(consultation.region),
        member_state: Some(content.member_state.clone()),
        published: consultation.is_published(),
    };
    let mut record: SubmissionFields = match before {
        Some(r) => typed(r)?,
        None => SubmissionFields {
            consultation: content.consultation.clone(),
            member_state: content.member_state.clone(),
            versions: Vec::new(),
        },
    };
    let Some(version) = next_version(record.current(), &content) else { return Ok((audience, None)) };
    if version > MAX_VERSIONS {
        return Err(invalid("versions", Problem::TooMany));
    }
    let hash = content.content_hash();
    record.versions = vec![Submission { version, submitted_at: now, submitted_by: user.to_string(), hash, content }];
    let mut after = before.cloned().unwrap_or_default();
    after.fields = fields_of(&record);
    Ok((audience, Some(after)))
}

/// Whether records of `kind` are checked here rather than by `rules`.
pub fn is_consultation_kind(kind: Kind) -> bool {
    matches!(kind, Kind::Consultation | Kind::Contribution | Kind::Submission)
}

/// Whether `op` on a consultation kind is one of the writes these rules allow at all.
pub fn allowed_op(op: &Op) -> bool {
    match (op.key().kind, op) {
        (Kind::Submission, Op::Submit { .. }) => true,
        (Kind::Submission, _) | (_, Op::Submit { .. }) | (_, Op::Delete { .. }) => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consultation::tests::consultation;
    use crate::region::Region;
    use crate::sync::audience::{Visibility, visibility};
    use serde_json::json;

    fn kenya_delegate() -> Vec<Role> {
        vec![Role::Delegate { member_state: "KE".into() }]
    }

    fn submission_key() -> RecordKey {
        RecordKey { kind: Kind::Submission, id: "afr_2026_ke".into() }
    }

    fn answers() -> Value {
        json!({"consultation": "afr_2026", "member_state": "KE", "ranking": ["wtdc25_afr2"]})
    }

    #[test]
    fn a_submission_is_stamped_once_per_content_and_an_amendment_is_the_next_version() {
        let c = consultation();
        let now = c.opens_at + 10;
        let (audience, first) = check_submit(&kenya_delegate(), "u1", &submission_key(), &answers(), None, Some(&c), now).unwrap();
        assert_eq!(audience.member_state.as_deref(), Some("KE"));
        let first = first.unwrap();
        let versions: SubmissionFields = typed(&first).unwrap();
        assert_eq!(
            (versions.versions.len(), versions.versions[0].submitted_at, versions.versions[0].submitted_by.as_str()),
            (1, now, "u1")
        );
        // The same answers again (a retry, or the other delegate): nothing new.
        let (_, again) = check_submit(&kenya_delegate(), "u2", &submission_key(), &answers(), Some(&first), Some(&c), now + 5).unwrap();
        assert_eq!(again, None);
        let mut amended = answers();
        amended["ranking"] = json!(["wtdc25_afr1", "wtdc25_afr2"]);
        let (_, second) = check_submit(&kenya_delegate(), "u2", &submission_key(), &amended, Some(&first), Some(&c), now + 9).unwrap();
        let second = second.unwrap();
        let versions: SubmissionFields = typed(&second).unwrap();
        assert_eq!(
            versions.versions.iter().map(|v| v.version).collect::<Vec<_>>(),
            vec![2],
            "only the current version: earlier ones stay in the change log"
        );
        assert_eq!(versions.current().map(|v| &v.content.ranking), Some(&vec!["wtdc25_afr1".to_string(), "wtdc25_afr2".to_string()]));
    }

    #[test]
    fn amendments_and_their_size_are_bounded() {
        let c = consultation();
        let now = c.opens_at + 10;
        let mut record = SubmissionFields { consultation: "afr_2026".into(), member_state: "KE".into(), versions: Vec::new() };
        let content: ContributionFields = serde_json::from_value(answers()).unwrap();
        record.versions.push(Submission {
            version: MAX_VERSIONS,
            submitted_at: now,
            submitted_by: "u".into(),
            hash: "old".into(),
            content,
        });
        let before = SyncedRecord::created(fields_of(&record), 1);
        let refused = check_submit(&kenya_delegate(), "u", &submission_key(), &answers(), Some(&before), Some(&c), now);
        assert_eq!(refused.map(|_| ()), Err(invalid("versions", Problem::TooMany)));
        let mut huge = answers();
        huge["comments"] = json!({"wtdc25_afr2": "x".repeat(MAX_SUBMISSION_BYTES)});
        let refused = check_submit(&kenya_delegate(), "u", &submission_key(), &huge, None, Some(&c), now);
        assert_eq!(refused.map(|_| ()), Err(invalid("content", Problem::TooLong)));
    }

    #[test]
    fn the_servers_clock_and_the_states_delegates_decide() {
        let c = consultation();
        let submit = |roles: &[Role], now| check_submit(roles, "u", &submission_key(), &answers(), None, Some(&c), now).map(|_| ());
        assert_eq!(submit(&kenya_delegate(), c.closes_at), Err(Refusal::Closed));
        assert_eq!(submit(&kenya_delegate(), c.opens_at - 1), Err(Refusal::NotOpen));
        assert_eq!(submit(&[Role::Delegate { member_state: "GH".into() }], c.opens_at), Err(Refusal::Forbidden));
        assert_eq!(submit(&[Role::Coordinator { region: Region::Afr }], c.opens_at), Err(Refusal::Forbidden));
        let wrong_state = RecordKey { kind: Kind::Submission, id: "afr_2026_gh".into() };
        assert_eq!(
            check_submit(&kenya_delegate(), "u", &wrong_state, &answers(), None, Some(&c), c.opens_at).map(|_| ()),
            Err(invalid("member_state", Problem::Immutable))
        );
    }

    #[test]
    fn drafts_are_the_states_own_until_the_close() {
        let c = consultation();
        let key = RecordKey { kind: Kind::Contribution, id: "afr_2026_ke".into() };
        let draft = SyncedRecord::created(answers().as_object().cloned().unwrap(), 1);
        assert!(check_contribution(&kenya_delegate(), &key, Some(&mut draft.clone()), Some(&c), c.opens_at - 100).is_ok());
        assert_eq!(check_contribution(&kenya_delegate(), &key, Some(&mut draft.clone()), Some(&c), c.closes_at), Err(Refusal::Closed));
        assert_eq!(check_contribution(&[Role::Admin], &key, Some(&mut draft.clone()), Some(&c), c.opens_at), Err(Refusal::Forbidden));
        assert_eq!(
            check_contribution(&kenya_delegate(), &key, Some(&mut draft.clone()), None, c.opens_at),
            Err(invalid("consultation", Problem::UnknownCode))
        );
    }

    #[test]
    fn publishing_is_stamped_by_the_server_after_the_close_and_only_once() {
        let c = consultation();
        let before = SyncedRecord::created(fields_of(&c), 1);
        let mut after = before.clone();
        after.fields.insert("published_at".into(), json!(1));
        let coordinator = [Role::Coordinator { region: Region::Afr }];
        let key = RecordKey { kind: Kind::Consultation, id: "afr_2026".into() };
        let results = |c: &ConsultationFields| crate::consultation::results::aggregate(&c.initiatives, &[]);
        assert_eq!(
            check_consultation(&coordinator, &key, Some(&before), Some(&mut after.clone()), c.closes_at - 1, results),
            Err(Refusal::NotClosed)
        );
        let audience = check_consultation(&coordinator, &key, Some(&before), Some(&mut after), c.closes_at + 7, results).unwrap();
        assert!(audience.published);
        assert_eq!(after.get("published_at"), &json!(c.closes_at + 7));
        assert_eq!(after.get("results")["priorities"].as_array().map(Vec::len), Some(3), "the server's results");
        let mut forged = before.clone();
        forged.fields.insert("results".into(), json!({"submissions": 9, "priorities": [], "partners": [], "financing": []}));
        assert_eq!(
            check_consultation(&coordinator, &key, Some(&before), Some(&mut forged), c.opens_at, results),
            Err(invalid("results", Problem::Immutable))
        );
        // A reminder is stamped with the server's time; earlier ones cannot be rewritten.
        let mut reminded = before.clone();
        reminded.fields.insert("reminders".into(), json!([{"member_state": "KE", "at": 5}]));
        check_consultation(&coordinator, &key, Some(&before), Some(&mut reminded), c.opens_at + 3, results).unwrap();
        assert_eq!(reminded.get("reminders")[0]["at"], json!(c.opens_at + 3));
        let mut rewritten = reminded.clone();
        rewritten.fields.insert("reminders".into(), json!([{"member_state": "GH", "at": 5}]));
        assert_eq!(
            check_consultation(&coordinator, &key, Some(&reminded), Some(&mut rewritten), c.opens_at + 4, results),
            Err(invalid("reminders", Problem::Immutable))
        );
        let mut outside = before.clone();
        outside.fields.insert("reminders".into(), json!([{"member_state": "FR", "at": 5}]));
        assert_eq!(
            check_consultation(&coordinator, &key, Some(&before), Some(&mut outside), c.opens_at, results),
            Err(invalid("reminders.0.member_state", Problem::WrongRegion))
        );
        let kenya = check_consultation(&kenya_delegate(), &key, Some(&before), Some(&mut before.clone()), c.opens_at, results);
        assert_eq!(kenya, Err(Refusal::Forbidden));
    }

    #[test]
    fn readers_get_what_the_table_allows() {
        let draft = Audience { region: Some(Region::Afr), member_state: Some("KE".into()), published: false };
        assert_eq!(visibility(&kenya_delegate(), Kind::Contribution, &draft), Visibility::Full);
        assert_eq!(visibility(&[Role::Coordinator { region: Region::Afr }], Kind::Contribution, &draft), Visibility::Existence);
        assert_eq!(visibility(&[Role::Coordinator { region: Region::Afr }], Kind::Submission, &draft), Visibility::Full);
        assert_eq!(visibility(&[Role::Delegate { member_state: "GH".into() }], Kind::Submission, &draft), Visibility::Hidden);
        assert_eq!(visibility(&[Role::Observer], Kind::Consultation, &Audience { published: false, ..draft.clone() }), Visibility::Hidden);
        assert_eq!(visibility(&[Role::Observer], Kind::Consultation, &Audience { published: true, ..draft.clone() }), Visibility::Full);
        assert_eq!(visibility(&[Role::Observer], Kind::Initiative, &Audience::default()), Visibility::Full);
    }
}
