//! Regional initiatives: what a WTDC adopted for a region, identified by (cycle, code).

use serde::{Deserialize, Serialize};

use crate::cycle::Cycle;
use crate::region::Region;
use crate::text::Text;
use crate::validation::{Errors, FieldError, Problem, limits};

/// ITU-D priorities of the Kigali Action Plan, used as tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    AffordableConnectivity,
    DigitalTransformation,
    EnablingEnvironment,
    ResourceMobilization,
    InclusiveSecureIct,
}

impl Priority {
    pub const ALL: [Priority; 5] = [
        Priority::AffordableConnectivity,
        Priority::DigitalTransformation,
        Priority::EnablingEnvironment,
        Priority::ResourceMobilization,
        Priority::InclusiveSecureIct,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Priority::AffordableConnectivity => "affordable_connectivity",
            Priority::DigitalTransformation => "digital_transformation",
            Priority::EnablingEnvironment => "enabling_environment",
            Priority::ResourceMobilization => "resource_mobilization",
            Priority::InclusiveSecureIct => "inclusive_secure_ict",
        }
    }

    pub fn from_key(key: &str) -> Option<Priority> {
        Priority::ALL.into_iter().find(|p| p.key() == key)
    }
}

/// At which level an initiative is implemented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    National,
    Regional,
    Interregional,
    Global,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::National, Level::Regional, Level::Interregional, Level::Global];

    pub fn key(self) -> &'static str {
        match self {
            Level::National => "national",
            Level::Regional => "regional",
            Level::Interregional => "interregional",
            Level::Global => "global",
        }
    }
}

/// An ITU Sector: Radiocommunication, Standardization, Development.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Sector {
    R,
    T,
    D,
}

impl Sector {
    pub const ALL: [Sector; 3] = [Sector::R, Sector::T, Sector::D];
}

/// Where an initiative is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InitiativeStatus {
    Draft,
    Adopted,
    Implementing,
    Completed,
    Closed,
}

impl InitiativeStatus {
    pub const ALL: [InitiativeStatus; 5] = [
        InitiativeStatus::Draft,
        InitiativeStatus::Adopted,
        InitiativeStatus::Implementing,
        InitiativeStatus::Completed,
        InitiativeStatus::Closed,
    ];

    pub fn key(self) -> &'static str {
        match self {
            InitiativeStatus::Draft => "draft",
            InitiativeStatus::Adopted => "adopted",
            InitiativeStatus::Implementing => "implementing",
            InitiativeStatus::Completed => "completed",
            InitiativeStatus::Closed => "closed",
        }
    }

    pub fn from_key(key: &str) -> Option<InitiativeStatus> {
        InitiativeStatus::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// The fields a person edits; the server adds the id and revision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InitiativeFields {
    pub cycle: Cycle,
    pub code: String,
    pub region: Region,
    pub title: Text,
    #[serde(default)]
    pub objective: Text,
    #[serde(default)]
    pub expected_results: Text,
    #[serde(default)]
    pub priorities: Vec<Priority>,
    pub level: Level,
    #[serde(default)]
    pub sectors: Vec<Sector>,
    pub status: InitiativeStatus,
    /// False until a person has checked the text against the official Action Plan.
    #[serde(default)]
    pub verified: bool,
    /// Id of the initiative of the previous cycle that this one continues.
    #[serde(default)]
    pub continues: Option<String>,
    /// Initiatives a person linked as related (same content or objectives, kept apart).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
    /// The initiative this one was merged into: it continues there, and this one stays, as a
    /// pointer to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<String>,
}

/// A stored initiative.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Initiative {
    pub id: String,
    /// Incremented by every accepted edit; an edit names the revision it started from.
    pub rev: u64,
    #[serde(flatten)]
    pub fields: InitiativeFields,
}

/// The id of the initiative `code` of `cycle`: codes repeat across cycles, the pair does not.
pub fn initiative_id(cycle: Cycle, code: &str) -> String {
    format!("{}_{}", cycle.slug(), code.to_ascii_lowercase())
}

/// Checks that a code is the region's code followed by a number 1–99 ("AFR1", "ASP12").
pub fn check_code(code: &str, region: Region) -> Result<(), Problem> {
    let Some(prefix) = code.get(..3) else {
        return Err(Problem::BadFormat);
    };
    let number = &code[3..];
    let is_number = !number.is_empty() && number.len() <= 2 && number.bytes().all(|b| b.is_ascii_digit()) && !number.starts_with('0');
    if !is_number || !prefix.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(Problem::BadFormat);
    }
    if prefix != region.code() {
        return Err(Problem::WrongRegion);
    }
    Ok(())
}

impl InitiativeFields {
    /// Whether `q` is the code, or found in the title, objective or expected results in any
    /// language (ignoring case).
    pub fn matches_text(&self, q: &str) -> bool {
        self.code.eq_ignore_ascii_case(q)
            || [&self.title, &self.objective, &self.expected_results].iter().any(|t| t.contains_ignore_case(q))
    }

    /// The order of lists: newest cycle first, then region, then code by number (AFR2 before AFR10).
    pub fn list_order(&self) -> (std::cmp::Reverse<Cycle>, Region, u32) {
        let number = self.code.get(3..).and_then(|n| n.parse().ok()).unwrap_or(0);
        (std::cmp::Reverse(self.cycle), self.region, number)
    }

    /// Every rule a new or edited initiative must satisfy.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Errors::default();
        if let Err(problem) = check_code(&self.code, self.region) {
            errors.add("code", problem);
        }
        errors.check(self.title.is_empty(), "title", Problem::Required);
        self.title.check(&mut errors, "title", limits::TITLE);
        for (field, text) in [("objective", &self.objective), ("expected_results", &self.expected_results)] {
            text.check(&mut errors, field, limits::LONG_TEXT);
        }
        errors.check(has_duplicates(&self.priorities), "priorities", Problem::Duplicate);
        errors.check(has_duplicates(&self.sectors), "sectors", Problem::Duplicate);
        if let Some(prev) = &self.continues {
            errors.id("continues", prev);
            let expected_prefix = self.cycle.previous().map(|c| format!("{}_", c.slug()));
            let ok = expected_prefix.is_some_and(|p| prev.starts_with(&p) && prev.len() > p.len());
            errors.check(!ok, "continues", Problem::OutOfRange);
        }
        let own = self.id();
        errors.check(self.related.len() > limits::LIST, "related", Problem::TooMany);
        for (i, id) in self.related.iter().enumerate() {
            errors.id(format!("related.{i}"), id);
        }
        if let Some(id) = &self.merged_into {
            errors.id("merged_into", id);
        }
        errors.check(self.related.contains(&own) || has_duplicates(&self.related), "related", Problem::Duplicate);
        errors.check(self.merged_into.as_ref() == Some(&own), "merged_into", Problem::Duplicate);
        errors.finish()
    }

    /// The id this initiative is stored under.
    pub fn id(&self) -> String {
        initiative_id(self.cycle, &self.code)
    }
}

fn has_duplicates<T: PartialEq>(items: &[T]) -> bool {
    items.iter().enumerate().any(|(i, a)| items[i + 1..].contains(a))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    fn afr1() -> InitiativeFields {
        InitiativeFields {
            cycle: Cycle::Wtdc22,
            code: "AFR1".into(),
            region: Region::Afr,
            title: Text::new(Lang::En, "Supporting digital transformation"),
            objective: Text::default(),
            expected_results: Text::default(),
            priorities: vec![Priority::DigitalTransformation],
            level: Level::Regional,
            sectors: vec![Sector::D],
            status: InitiativeStatus::Implementing,
            verified: true,
            continues: None,
            related: Vec::new(),
            merged_into: None,
        }
    }

    fn problems(f: &InitiativeFields) -> Vec<(String, Problem)> {
        f.validate().err().unwrap_or_default().into_iter().map(|e| (e.field, e.problem)).collect()
    }

    #[test]
    fn a_complete_initiative_is_valid() {
        assert_eq!(afr1().validate(), Ok(()));
    }

    #[test]
    fn code_must_be_region_code_and_number() {
        assert_eq!(check_code("AFR1", Region::Afr), Ok(()));
        assert_eq!(check_code("ASP12", Region::Asp), Ok(()));
        assert_eq!(check_code("AMS1", Region::Afr), Err(Problem::WrongRegion));
        for bad in ["", "AF", "AFR", "AFR0", "AFR01", "AFR123", "afr1", "AFRx", "ÄFR1", "AF1"] {
            assert_eq!(check_code(bad, Region::Afr), Err(Problem::BadFormat), "{bad:?}");
        }
    }

    #[test]
    fn title_is_required_and_limited() {
        let mut f = afr1();
        f.title = Text::default();
        assert_eq!(problems(&f), vec![("title".into(), Problem::Required)]);
        f.title = Text::new(Lang::Fr, "x".repeat(limits::TITLE + 1));
        assert_eq!(problems(&f), vec![("title".into(), Problem::TooLong)]);
    }

    #[test]
    fn tags_may_not_repeat() {
        let mut f = afr1();
        f.priorities = vec![Priority::DigitalTransformation, Priority::DigitalTransformation];
        f.sectors = vec![Sector::D, Sector::D];
        assert_eq!(problems(&f), vec![("priorities".into(), Problem::Duplicate), ("sectors".into(), Problem::Duplicate)]);
    }

    #[test]
    fn continues_only_from_the_previous_cycle() {
        let mut f = afr1();
        f.continues = Some("wtdc17_afr1".into());
        assert_eq!(f.validate(), Ok(()));
        f.continues = Some("wtdc14_afr1".into());
        assert_eq!(problems(&f), vec![("continues".into(), Problem::OutOfRange)]);
        f.cycle = Cycle::Wtdc14;
        f.continues = Some("anything".into());
        assert_eq!(problems(&f), vec![("continues".into(), Problem::OutOfRange)]);
    }

    #[test]
    fn id_is_cycle_and_code() {
        assert_eq!(afr1().id(), "wtdc22_afr1");
    }

    #[test]
    fn unknown_fields_are_refused() {
        let mut json = serde_json::to_value(afr1()).unwrap();
        json["owner"] = "me".into();
        assert!(serde_json::from_value::<InitiativeFields>(json).is_err());
    }
}
