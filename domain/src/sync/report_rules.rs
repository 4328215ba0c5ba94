//! The checks for writes to experience reports, and who may read a draft. The server runs them
//! inside the mutation's transaction with the project as stored and its own clock.

use super::audience::Audience;
use super::outcome::{Refusal, invalid, typed};
use super::record::{RecordKey, SyncedRecord, fields_of};
use crate::experience::{ReportFields, may_write};
use crate::project::ProjectFields;
use crate::region::Region;
use crate::role::Role;
use crate::validation::Problem;
use crate::validation::is_id;

/// The project a report is on (its id, from the record).
pub fn parent_project(record: &SyncedRecord) -> Option<&str> {
    record.get("project").as_str()
}

/// A write to a report on `project` (its region and fields, as stored; None if there is no
/// such project): only by those who may write it before and after; its project never
/// changes; publishing is for good and stamped with the server's time; a published report is
/// part of the record of the regions' experience and is not deleted. Returns the audience of
/// the record after the write: everyone once published, its writers before.
pub fn check_report(
    roles: &[Role],
    key: &RecordKey,
    before: Option<&SyncedRecord>,
    after: Option<&mut SyncedRecord>,
    project: Option<(Region, &ProjectFields)>,
    now: i64,
) -> Result<Audience, Refusal> {
    if !is_id(&key.id) {
        return Err(invalid("id", Problem::BadFormat));
    }
    let before: Option<ReportFields> = before.map(typed).transpose()?;
    let (region, project) = project.ok_or_else(|| invalid("project", Problem::UnknownCode))?;
    if let Some(b) = &before
        && !may_write(roles, region, project, b.member_state.as_deref())
    {
        return Err(Refusal::Forbidden);
    }
    let draft_audience = |member_state: Option<String>| Audience { region: Some(region), member_state, published: false };
    let Some(after) = after else {
        return match before {
            Some(b) if !b.is_published() => Ok(draft_audience(b.member_state)),
            _ => Err(Refusal::Forbidden),
        };
    };
    let mut fields: ReportFields = typed(after)?;
    if !may_write(roles, region, project, fields.member_state.as_deref()) {
        return Err(Refusal::Forbidden);
    }
    if let Some(b) = &before {
        if b.project != fields.project {
            return Err(invalid("project", Problem::Immutable));
        }
        if b.member_state != fields.member_state {
            return Err(invalid("member_state", Problem::Immutable));
        }
    }
    fields.validate(project).map_err(Refusal::Invalid)?;
    match (before.as_ref().and_then(|b| b.published_at), fields.published_at) {
        (None, Some(_)) => fields.published_at = Some(now),
        (Some(was), is) if is != Some(was) => return Err(invalid("published_at", Problem::Immutable)),
        _ => {}
    }
    after.fields = fields_of(&fields);
    Ok(match fields.is_published() {
        true => Audience::default(),
        false => draft_audience(fields.member_state),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use crate::project::ProjectStatus;
    use crate::sync::audience::{Visibility, visibility};
    use crate::sync::record::Kind;
    use crate::text::Text;

    fn project() -> ProjectFields {
        ProjectFields {
            title: Text::new(Lang::En, "Smart villages"),
            summary: Text::default(),
            countries: vec!["KE".into()],
            partners: Vec::new(),
            status: ProjectStatus::Completed,
            start: None,
            end: None,
            budget: None,
            indicators: Vec::new(),
            outcomes: Text::default(),
            replicated_from: None,
        }
    }

    fn key() -> RecordKey {
        RecordKey { kind: Kind::Report, id: "r1".into() }
    }

    fn draft(member_state: Option<&str>) -> SyncedRecord {
        let mut fields = serde_json::json!({"project": "p1", "title": {"en": "What we learned"}});
        if let Some(state) = member_state {
            fields["member_state"] = state.into();
        }
        SyncedRecord::created(fields.as_object().cloned().unwrap_or_default(), 1)
    }

    fn published(mut record: SyncedRecord, at: i64) -> SyncedRecord {
        record.fields.insert("published_at".into(), at.into());
        record
    }

    const AFR: &[Role] = &[Role::Coordinator { region: Region::Afr }];

    #[test]
    fn a_draft_is_for_its_writers_and_publishing_makes_it_everyones_stamped_by_the_server() {
        let p = project();
        let kenya = [Role::Delegate { member_state: "KE".into() }];
        let mut own = draft(Some("KE"));
        let audience = check_report(&kenya, &key(), None, Some(&mut own), Some((Region::Afr, &p)), 5).expect("a delegate's own part");
        assert_eq!(audience, Audience { region: Some(Region::Afr), member_state: Some("KE".into()), published: false });
        assert_eq!(visibility(AFR, Kind::Report, &audience), Visibility::Full);
        assert_eq!(visibility(&kenya, Kind::Report, &audience), Visibility::Full);
        assert_eq!(visibility(&[Role::Coordinator { region: Region::Asp }], Kind::Report, &audience), Visibility::Hidden);
        assert_eq!(visibility(&[Role::Delegate { member_state: "GH".into() }], Kind::Report, &audience), Visibility::Hidden);
        assert_eq!(check_report(&kenya, &key(), None, Some(&mut draft(None)), Some((Region::Afr, &p)), 5), Err(Refusal::Forbidden));

        let mut publish = published(draft(Some("KE")), 1);
        assert_eq!(check_report(&kenya, &key(), Some(&own), Some(&mut publish), Some((Region::Afr, &p)), 99), Ok(Audience::default()));
        assert_eq!(publish.get("published_at"), &serde_json::json!(99), "the server's clock, not the device's");
        assert_eq!(visibility(&[Role::Observer], Kind::Report, &Audience::default()), Visibility::Full);
    }

    #[test]
    fn a_published_report_stays_published_on_its_project_and_is_not_deleted() {
        let p = project();
        let live = published(draft(None), 7);
        assert_eq!(check_report(AFR, &key(), Some(&live), None, Some((Region::Afr, &p)), 9), Err(Refusal::Forbidden));
        let mut unpublished = draft(None);
        assert_eq!(
            check_report(AFR, &key(), Some(&live), Some(&mut unpublished), Some((Region::Afr, &p)), 9),
            Err(invalid("published_at", Problem::Immutable))
        );
        let mut moved = published(draft(None), 7);
        moved.fields.insert("project".into(), "p2".into());
        assert_eq!(
            check_report(AFR, &key(), Some(&live), Some(&mut moved), Some((Region::Afr, &p)), 9),
            Err(invalid("project", Problem::Immutable))
        );
        assert!(check_report(AFR, &key(), Some(&draft(None)), None, Some((Region::Afr, &p)), 9).is_ok(), "a draft may be deleted");
    }

    #[test]
    fn a_report_needs_its_project_and_a_writer_of_its_region() {
        let p = project();
        assert_eq!(check_report(AFR, &key(), None, Some(&mut draft(None)), None, 1), Err(invalid("project", Problem::UnknownCode)));
        assert_eq!(
            check_report(&[Role::Coordinator { region: Region::Eur }], &key(), None, Some(&mut draft(None)), Some((Region::Afr, &p)), 1),
            Err(Refusal::Forbidden)
        );
        let mut untitled = draft(None);
        untitled.fields.insert("title".into(), serde_json::json!({}));
        assert!(matches!(check_report(AFR, &key(), None, Some(&mut untitled), Some((Region::Afr, &p)), 1), Err(Refusal::Invalid(_))));
        let bad_id = RecordKey { kind: Kind::Report, id: "R 1".into() };
        assert_eq!(
            check_report(AFR, &bad_id, None, Some(&mut draft(None)), Some((Region::Afr, &p)), 1),
            Err(invalid("id", Problem::BadFormat))
        );
    }
}
