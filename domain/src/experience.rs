//! Experience reports: what a project did and learned, written by the region's coordinators
//! (or a delegate, for their own country's part of a project), shared with every region once
//! published, so that others can find it and replicate what worked.

use serde::{Deserialize, Serialize};

use crate::project::{Money, ProjectFields, is_currency_code};
use crate::region::Region;
use crate::role::Role;
use crate::text::Text;
use crate::validation::{Errors, FieldError, Problem, limits};

/// Most indicator results, stakeholders and resource lines in one report.
pub const MAX_ITEMS: usize = 100;

/// Where an indicator of the project ended up, as the report tells it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorResult {
    /// Position of the indicator in the project's list.
    pub indicator: usize,
    pub achieved: f64,
    #[serde(default)]
    pub note: Text,
}

/// The fields of an experience report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportFields {
    /// The project it reports on.
    pub project: String,
    /// For a delegate's report on their country's part: that Member State (ISO code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_state: Option<String>,
    pub title: Text,
    #[serde(default)]
    pub context: Text,
    #[serde(default)]
    pub what_was_done: Text,
    #[serde(default)]
    pub results: Vec<IndicatorResult>,
    #[serde(default)]
    pub what_worked: Text,
    #[serde(default)]
    pub what_did_not: Text,
    #[serde(default)]
    pub lessons: Text,
    #[serde(default)]
    pub stakeholders: Vec<String>,
    /// Money spent, by currency.
    #[serde(default)]
    pub money_used: Vec<Money>,
    #[serde(default)]
    pub in_kind_used: Text,
    #[serde(default)]
    pub recommended_for_replication: bool,
    /// When it was published to every region; None while it is a draft.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<i64>,
}

impl ReportFields {
    /// Checks the report against the project it reports on.
    pub fn validate(&self, project: &ProjectFields) -> Result<(), Vec<FieldError>> {
        let mut errors = Errors::default();
        errors.check(self.title.is_empty(), "title", Problem::Required);
        self.title.check(&mut errors, "title", limits::TITLE);
        errors.id("project", &self.project);
        let long = [
            ("context", &self.context),
            ("what_was_done", &self.what_was_done),
            ("what_worked", &self.what_worked),
            ("what_did_not", &self.what_did_not),
            ("lessons", &self.lessons),
            ("in_kind_used", &self.in_kind_used),
        ];
        for (field, text) in long {
            text.check(&mut errors, field, limits::LONG_TEXT);
        }
        if let Some(state) = &self.member_state {
            errors.check(!project.countries.contains(state), "member_state", Problem::UnknownCode);
        }
        errors.check(self.results.len() > MAX_ITEMS, "results", Problem::TooMany);
        for (i, r) in self.results.iter().enumerate() {
            errors.check(r.indicator >= project.indicators.len(), format!("results.{i}.indicator"), Problem::UnknownCode);
            errors.check(
                self.results[..i].iter().any(|o| o.indicator == r.indicator),
                format!("results.{i}.indicator"),
                Problem::Duplicate,
            );
            errors.check(!r.achieved.is_finite(), format!("results.{i}.achieved"), Problem::OutOfRange);
            r.note.check(&mut errors, &format!("results.{i}.note"), limits::LONG_TEXT);
        }
        errors.check(self.stakeholders.len() > MAX_ITEMS, "stakeholders", Problem::TooMany);
        for (i, s) in self.stakeholders.iter().enumerate() {
            errors.required_line(format!("stakeholders.{i}"), s, limits::NAME);
        }
        errors.check(self.money_used.len() > MAX_ITEMS, "money_used", Problem::TooMany);
        for (i, m) in self.money_used.iter().enumerate() {
            errors.check(m.amount < 0, format!("money_used.{i}.amount"), Problem::OutOfRange);
            errors.check(!is_currency_code(&m.currency), format!("money_used.{i}.currency"), Problem::BadFormat);
        }
        errors.finish()
    }

    pub fn is_published(&self) -> bool {
        self.published_at.is_some()
    }
}

/// Whether `role` is one of a report's writers, as far as the role tells: an admin, the
/// region's coordinators, and the delegates of the Member State whose part it reports on.
fn writes(role: &Role, region: Region, member_state: Option<&str>) -> bool {
    match role {
        Role::Admin => true,
        Role::Coordinator { region: own } => *own == region,
        Role::Delegate { member_state: own } => member_state == Some(own.as_str()),
        Role::Partner { .. } | Role::Observer => false,
    }
}

/// Who may write a report on a project of `region`: the region's coordinators and admins; a
/// delegate only a report on their own country's part (`member_state`) of a project that
/// involves that country.
pub fn may_write(roles: &[Role], region: Region, project: &ProjectFields, member_state: Option<&str>) -> bool {
    roles.iter().any(|role| {
        let involved = !matches!(role, Role::Delegate { .. }) || member_state.is_some_and(|s| project.countries.iter().any(|c| c == s));
        writes(role, region, member_state) && involved
    })
}

/// Who reads a draft report (on a project of `region`, on `member_state`'s part if it names
/// one): its writers.
pub fn may_read_draft(roles: &[Role], region: Region, member_state: Option<&str>) -> bool {
    roles.iter().any(|role| writes(role, region, member_state))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use crate::project::{Indicator, ProjectStatus};

    fn project() -> ProjectFields {
        ProjectFields {
            title: Text::new(Lang::En, "Smart villages"),
            summary: Text::default(),
            countries: vec!["KE".into(), "GH".into()],
            partners: Vec::new(),
            status: ProjectStatus::Completed,
            start: None,
            end: None,
            budget: None,
            indicators: vec![Indicator {
                name: Text::new(Lang::En, "Villages connected"),
                unit: String::new(),
                baseline: 0.0,
                target: 50.0,
                actual: Some(42.0),
            }],
            outcomes: Text::default(),
            replicated_from: None,
        }
    }

    fn report() -> ReportFields {
        ReportFields {
            project: "p1".into(),
            member_state: None,
            title: Text::new(Lang::En, "What smart villages taught us"),
            context: Text::default(),
            what_was_done: Text::default(),
            results: vec![IndicatorResult { indicator: 0, achieved: 42.0, note: Text::default() }],
            what_worked: Text::new(Lang::En, "Community ownership"),
            what_did_not: Text::default(),
            lessons: Text::default(),
            stakeholders: vec!["Ministry of ICT".into()],
            money_used: vec![Money { amount: 120_000, currency: "USD".into() }],
            in_kind_used: Text::default(),
            recommended_for_replication: true,
            published_at: None,
        }
    }

    #[test]
    fn a_report_is_checked_against_its_project() {
        assert_eq!(report().validate(&project()), Ok(()));
        let mut r = report();
        r.title = Text::default();
        r.member_state = Some("FR".into());
        r.results.push(IndicatorResult { indicator: 0, achieved: 1.0, note: Text::default() });
        r.results.push(IndicatorResult { indicator: 3, achieved: f64::NAN, note: Text::default() });
        r.money_used.push(Money { amount: -1, currency: "usd".into() });
        let fields: Vec<String> = r.validate(&project()).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec![
                "title",
                "member_state",
                "results.1.indicator",
                "results.2.indicator",
                "results.2.achieved",
                "money_used.1.amount",
                "money_used.1.currency"
            ]
        );
    }

    #[test]
    fn coordinators_write_their_regions_reports_and_delegates_their_countrys_part() {
        let p = project();
        assert!(may_write(&[Role::Coordinator { region: Region::Afr }], Region::Afr, &p, None));
        assert!(!may_write(&[Role::Coordinator { region: Region::Eur }], Region::Afr, &p, None));
        let kenya = [Role::Delegate { member_state: "KE".into() }];
        assert!(may_write(&kenya, Region::Afr, &p, Some("KE")));
        assert!(!may_write(&kenya, Region::Afr, &p, None), "not the whole project's report");
        assert!(!may_write(&kenya, Region::Afr, &p, Some("GH")));
        assert!(!may_write(&[Role::Delegate { member_state: "NG".into() }], Region::Afr, &p, Some("NG")), "Nigeria is not in the project");
        assert!(!may_write(&[Role::Partner { organization: "ADB".into() }], Region::Afr, &p, None));
    }

    #[test]
    fn a_draft_is_read_by_its_writers_only() {
        let afr = [Role::Coordinator { region: Region::Afr }];
        assert!(may_read_draft(&afr, Region::Afr, None));
        assert!(may_read_draft(&afr, Region::Afr, Some("KE")), "the region's coordinators read every part");
        assert!(!may_read_draft(&[Role::Coordinator { region: Region::Asp }], Region::Afr, None));
        assert!(!may_read_draft(&[Role::Observer], Region::Afr, None));
        let kenya = [Role::Delegate { member_state: "KE".into() }];
        assert!(may_read_draft(&kenya, Region::Afr, Some("KE")));
        assert!(!may_read_draft(&kenya, Region::Afr, None), "not the whole project's report");
        assert!(may_read_draft(&[Role::Admin], Region::Afr, None));
    }
}
