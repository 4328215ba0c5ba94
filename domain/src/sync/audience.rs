//! Who may read a record's changes, and how much of them a reader gets.

use serde::{Deserialize, Serialize};

use super::record::Kind;
use crate::consultation::access::{self, Act, Target};
use crate::region::Region;
use crate::role::Role;

/// Who a record's changes are for: its region, its Member State (contributions and
/// submissions), and whether its consultation's results are published.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audience {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_state: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub published: bool,
}

impl Audience {
    pub fn is_everyone(&self) -> bool {
        self.region.is_none()
    }
}

/// How much of a change a reader gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// The record.
    Full,
    /// That the record exists, without its content (a coordinator sees that a state has a
    /// draft, not the draft).
    Existence,
    /// Only that a change was made (its number), so the reader's sequence has no gap.
    Hidden,
}

pub fn visibility(roles: &[Role], kind: Kind, audience: &Audience) -> Visibility {
    let Some(region) = audience.region else { return Visibility::Full };
    let target = Target { region, member_state: audience.member_state.as_deref(), published: audience.published };
    let allowed = |act| access::allows(roles, act, target);
    match kind {
        Kind::Initiative | Kind::Project => Visibility::Full,
        Kind::Consultation if allowed(Act::View) => Visibility::Full,
        Kind::Contribution if allowed(Act::ViewDraft) => Visibility::Full,
        Kind::Contribution if allowed(Act::Manage) => Visibility::Existence,
        Kind::Submission if allowed(Act::ViewSubmissions) => Visibility::Full,
        Kind::Submission if allowed(Act::Manage) => Visibility::Existence,
        Kind::Consultation | Kind::Contribution | Kind::Submission => Visibility::Hidden,
        // A draft report (a published one is everyone's).
        Kind::Report if crate::experience::may_read_draft(roles, region, audience.member_state.as_deref()) => Visibility::Full,
        Kind::Report => Visibility::Hidden,
    }
}
