//! Projects: the concrete work under an initiative, with partners, budget and indicators.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::member_state;
use crate::organization::OrgKind;
use crate::text::Text;
use crate::validation::{Errors, FieldError, Problem, comparable, limits};

/// What a partner does in a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartnerRole {
    Funding,
    Implementing,
    InKind,
    Technical,
    Beneficiary,
}

impl PartnerRole {
    pub const ALL: [PartnerRole; 5] =
        [PartnerRole::Funding, PartnerRole::Implementing, PartnerRole::InKind, PartnerRole::Technical, PartnerRole::Beneficiary];

    pub fn key(self) -> &'static str {
        match self {
            PartnerRole::Funding => "funding",
            PartnerRole::Implementing => "implementing",
            PartnerRole::InKind => "in_kind",
            PartnerRole::Technical => "technical",
            PartnerRole::Beneficiary => "beneficiary",
        }
    }

    pub fn from_key(key: &str) -> Option<PartnerRole> {
        PartnerRole::ALL.into_iter().find(|r| r.key() == key)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    pub name: String,
    pub kind: OrgKind,
    pub role: PartnerRole,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    Planned,
    Ongoing,
    Completed,
    Suspended,
}

impl ProjectStatus {
    pub const ALL: [ProjectStatus; 4] =
        [ProjectStatus::Planned, ProjectStatus::Ongoing, ProjectStatus::Completed, ProjectStatus::Suspended];

    pub fn key(self) -> &'static str {
        match self {
            ProjectStatus::Planned => "planned",
            ProjectStatus::Ongoing => "ongoing",
            ProjectStatus::Completed => "completed",
            ProjectStatus::Suspended => "suspended",
        }
    }

    pub fn from_key(key: &str) -> Option<ProjectStatus> {
        ProjectStatus::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// An amount of money in whole units of an ISO 4217 currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Money {
    pub amount: i64,
    pub currency: String,
}

/// A measurable indicator: where it started, where it should end, where it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub name: Text,
    #[serde(default)]
    pub unit: String,
    pub baseline: f64,
    pub target: f64,
    #[serde(default)]
    pub actual: Option<f64>,
}

/// The fields a person edits on a project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectFields {
    pub title: Text,
    #[serde(default)]
    pub summary: Text,
    /// ISO 3166-1 alpha-2 codes of the Member States involved.
    #[serde(default)]
    pub countries: Vec<String>,
    #[serde(default)]
    pub partners: Vec<Partner>,
    pub status: ProjectStatus,
    #[serde(default)]
    pub start: Option<NaiveDate>,
    #[serde(default)]
    pub end: Option<NaiveDate>,
    #[serde(default)]
    pub budget: Option<Money>,
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    #[serde(default)]
    pub outcomes: Text,
    /// The project this one replicates in another region, if it started as a copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicated_from: Option<String>,
}

/// A stored project. Its region is its initiative's region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub id: String,
    pub initiative: String,
    pub rev: u64,
    #[serde(flatten)]
    pub fields: ProjectFields,
}

/// Whether `code` looks like an ISO 4217 currency code (three capital letters).
pub fn is_currency_code(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

impl ProjectFields {
    /// A new draft project in another region that starts from `source` (stored as
    /// `source_id`): its objectives, partners and their roles, budget and indicators, with the
    /// indicators' baselines, targets and results left for the new project to set, and no
    /// countries, dates or outcomes of its own yet.
    pub fn replicate(&self, source_id: &str) -> ProjectFields {
        ProjectFields {
            title: self.title.clone(),
            summary: self.summary.clone(),
            countries: Vec::new(),
            partners: self.partners.clone(),
            status: ProjectStatus::Planned,
            start: None,
            end: None,
            budget: self.budget.clone(),
            indicators: self.indicators.iter().map(|i| Indicator { baseline: 0.0, target: 0.0, actual: None, ..i.clone() }).collect(),
            outcomes: Text::default(),
            replicated_from: Some(source_id.to_string()),
        }
    }

    /// Every rule a new or edited project must satisfy.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Errors::default();
        errors.check(self.title.is_empty(), "title", Problem::Required);
        self.title.check(&mut errors, "title", limits::TITLE);
        for (field, text) in [("summary", &self.summary), ("outcomes", &self.outcomes)] {
            text.check(&mut errors, field, limits::LONG_TEXT);
        }
        errors.check(self.countries.len() > limits::LIST, "countries", Problem::TooMany);
        for (i, c) in self.countries.iter().enumerate() {
            errors.check(member_state::lookup(c).is_none(), format!("countries.{i}"), Problem::UnknownCode);
            errors.check(self.countries[..i].iter().any(|o| comparable(o) == comparable(c)), format!("countries.{i}"), Problem::Duplicate);
        }
        errors.check(self.partners.len() > limits::LIST, "partners", Problem::TooMany);
        for (i, p) in self.partners.iter().enumerate() {
            errors.required_line(format!("partners.{i}.name"), &p.name, limits::NAME);
            let same = |o: &Partner| comparable(&o.name) == comparable(&p.name) && o.role == p.role;
            errors.check(self.partners[..i].iter().any(same), format!("partners.{i}.name"), Problem::Duplicate);
        }
        if let Some(id) = &self.replicated_from {
            errors.id("replicated_from", id);
        }
        if let (Some(start), Some(end)) = (self.start, self.end) {
            errors.check(end < start, "end", Problem::EndBeforeStart);
        }
        if let Some(budget) = &self.budget {
            errors.check(budget.amount < 0, "budget.amount", Problem::OutOfRange);
            errors.check(!is_currency_code(&budget.currency), "budget.currency", Problem::BadFormat);
        }
        errors.check(self.indicators.len() > limits::LIST, "indicators", Problem::TooMany);
        for (i, ind) in self.indicators.iter().enumerate() {
            errors.check(ind.name.is_empty(), format!("indicators.{i}.name"), Problem::Required);
            ind.name.check(&mut errors, &format!("indicators.{i}.name"), limits::TITLE);
            errors.line(format!("indicators.{i}.unit"), &ind.unit, limits::NAME);
            let finite = ind.baseline.is_finite() && ind.target.is_finite() && ind.actual.is_none_or(f64::is_finite);
            errors.check(!finite, format!("indicators.{i}"), Problem::OutOfRange);
        }
        errors.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    fn project() -> ProjectFields {
        ProjectFields {
            title: Text::new(Lang::En, "Smart Villages and Smart Islands"),
            summary: Text::default(),
            countries: vec!["FJ".into(), "TO".into()],
            partners: vec![Partner {
                name: "Asian Development Bank".into(),
                kind: OrgKind::FinancialInstitution,
                role: PartnerRole::Funding,
            }],
            status: ProjectStatus::Ongoing,
            start: NaiveDate::from_ymd_opt(2024, 1, 1),
            end: NaiveDate::from_ymd_opt(2025, 12, 31),
            budget: Some(Money { amount: 500_000, currency: "USD".into() }),
            indicators: vec![Indicator {
                name: Text::new(Lang::En, "Villages connected"),
                unit: "villages".into(),
                baseline: 0.0,
                target: 20.0,
                actual: Some(6.0),
            }],
            outcomes: Text::default(),
            replicated_from: None,
        }
    }

    #[test]
    fn a_replica_keeps_the_plan_and_resets_what_its_region_must_set() {
        let copy = project().replicate("p1");
        assert_eq!(copy.replicated_from.as_deref(), Some("p1"));
        assert_eq!(
            (copy.title.clone(), copy.partners.clone(), copy.budget.clone()),
            (project().title, project().partners, project().budget)
        );
        assert_eq!(copy.status, ProjectStatus::Planned);
        assert!(copy.countries.is_empty() && copy.start.is_none() && copy.outcomes.is_empty());
        let indicator = &copy.indicators[0];
        assert_eq!((indicator.name.clone(), indicator.unit.as_str()), (project().indicators[0].name.clone(), "villages"));
        assert_eq!((indicator.baseline, indicator.target, indicator.actual), (0.0, 0.0, None));
        assert_eq!(copy.validate(), Ok(()));
    }

    fn fields(p: &ProjectFields) -> Vec<String> {
        p.validate().err().unwrap_or_default().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_complete_project_is_valid() {
        assert_eq!(project().validate(), Ok(()));
    }

    #[test]
    fn countries_must_be_member_states_listed_once() {
        let mut p = project();
        p.countries = vec!["FJ".into(), "XX".into(), "fj".into()];
        assert_eq!(fields(&p), vec!["countries.1", "countries.2"], "a code differing only in case is the same state");
    }

    #[test]
    fn end_may_not_precede_start() {
        let mut p = project();
        p.end = NaiveDate::from_ymd_opt(2023, 1, 1);
        assert_eq!(fields(&p), vec!["end"]);
    }

    #[test]
    fn budget_needs_a_currency_code_and_no_negative_amount() {
        let mut p = project();
        p.budget = Some(Money { amount: -1, currency: "usd".into() });
        assert_eq!(fields(&p), vec!["budget.amount", "budget.currency"]);
    }

    #[test]
    fn indicators_need_a_name_and_finite_numbers() {
        let mut p = project();
        p.indicators[0].name = Text::default();
        p.indicators[0].actual = Some(f64::NAN);
        assert_eq!(fields(&p), vec!["indicators.0.name", "indicators.0"]);
    }

    #[test]
    fn partners_need_a_name() {
        let mut p = project();
        p.partners[0].name = "  ".into();
        assert_eq!(fields(&p), vec!["partners.0.name"]);
    }
}
