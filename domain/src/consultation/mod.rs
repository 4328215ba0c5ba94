//! Consultations of a region's Member States before initiatives are implemented (WTDC
//! Resolution 17): the questions a coordinator opens, the contributions delegates draft and
//! submit, who may see and do what, and the consolidated results.
//!
//! - [`window`]: when a consultation accepts submissions, by the server's clock.
//! - [`contribution`]: a Member State's answers, their validation and content hash.
//! - [`access`]: the permission table for every role.
//! - [`results`]: the aggregation (Borda count, partners, financing).

pub mod access;
pub mod contribution;
pub mod results;
pub mod window;

use serde::{Deserialize, Serialize};

use crate::region::Region;
use crate::text::Text;
use crate::validation::{Errors, FieldError, Problem, limits};

/// Most initiatives one consultation asks about.
pub const MAX_INITIATIVES: usize = 30;
/// Most reminders one consultation keeps.
pub const MAX_REMINDERS: usize = 1000;

/// A consultation as its coordinator defines it. Times are Unix seconds (UTC); `time_zone`
/// (IANA, e.g. `Africa/Addis_Ababa`) is how the coordinator entered them and how they are shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsultationFields {
    pub region: Region,
    pub title: Text,
    #[serde(default)]
    pub intro: Text,
    pub opens_at: i64,
    pub closes_at: i64,
    pub time_zone: String,
    /// Ids of the region's initiatives it asks about, in the order they are presented.
    pub initiatives: Vec<String>,
    /// When the results were published to every signed-in user; None until then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<i64>,
    /// The consolidated results, computed by the server from the submissions when it publishes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results: Option<results::Results>,
    /// Reminders sent by the coordinators to states that have not submitted, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reminders: Vec<Reminder>,
}

/// A reminder to a Member State's delegates, stamped by the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reminder {
    pub member_state: String,
    pub at: i64,
}

impl ConsultationFields {
    /// Checks the fields on their own; that each initiative exists and belongs to the region
    /// needs the store and is checked by the server.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Errors::default();
        errors.check(self.title.is_empty(), "title", Problem::Required);
        self.title.check(&mut errors, "title", limits::TITLE);
        self.intro.check(&mut errors, "intro", limits::LONG_TEXT);
        errors.check(self.closes_at <= self.opens_at, "closes_at", Problem::EndBeforeStart);
        errors.check(!is_time_zone(&self.time_zone), "time_zone", Problem::BadFormat);
        errors.check(self.initiatives.is_empty(), "initiatives", Problem::Required);
        errors.check(self.initiatives.len() > MAX_INITIATIVES, "initiatives", Problem::TooMany);
        for (i, id) in self.initiatives.iter().enumerate() {
            errors.id(format!("initiatives.{i}"), id);
            errors.check(self.initiatives[..i].contains(id), format!("initiatives.{i}"), Problem::Duplicate);
        }
        errors.check(self.reminders.len() > MAX_REMINDERS, "reminders", Problem::TooMany);
        for (i, r) in self.reminders.iter().enumerate() {
            let in_region = crate::member_state::lookup(&r.member_state).is_some_and(|m| m.region == self.region);
            errors.check(!in_region, format!("reminders.{i}.member_state"), Problem::WrongRegion);
        }
        errors.finish()
    }

    pub fn is_published(&self) -> bool {
        self.published_at.is_some()
    }

    /// The newest reminder sent to `member_state`, if any.
    pub fn reminded(&self, member_state: &str) -> Option<&Reminder> {
        self.reminders.iter().rev().find(|r| r.member_state == member_state)
    }
}

/// Whether `zone` looks like an IANA time zone name (`Area/Location`, or `UTC`).
pub fn is_time_zone(zone: &str) -> bool {
    zone == "UTC"
        || (zone.len() <= 64
            && zone.split('/').count() >= 2
            && zone.split('/').all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || "_-+".contains(c))))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::lang::Lang;

    pub fn consultation() -> ConsultationFields {
        ConsultationFields {
            region: Region::Afr,
            title: Text::new(Lang::En, "Priorities for WTDC-25 initiatives"),
            intro: Text::default(),
            opens_at: 1_800_000_000,
            closes_at: 1_800_600_000,
            time_zone: "Africa/Addis_Ababa".into(),
            initiatives: vec!["wtdc25_afr1".into(), "wtdc25_afr2".into(), "wtdc25_afr3".into()],
            published_at: None,
            results: None,
            reminders: Vec::new(),
        }
    }

    #[test]
    fn a_consultation_needs_a_title_initiatives_and_a_close_after_its_opening() {
        assert_eq!(consultation().validate(), Ok(()));
        let mut c = consultation();
        c.title = Text::default();
        c.closes_at = c.opens_at;
        c.time_zone = "somewhere".into();
        c.initiatives = vec!["a".into(), "a".into()];
        let fields: Vec<String> = c.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["title", "closes_at", "time_zone", "initiatives.1"]);
    }

    #[test]
    fn time_zones_are_iana_names() {
        assert!(is_time_zone("UTC"));
        assert!(is_time_zone("America/Argentina/Buenos_Aires"));
        assert!(!is_time_zone("GMT+3 "));
        assert!(!is_time_zone("Europe/"));
    }
}
