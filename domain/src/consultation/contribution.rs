//! A Member State's contribution to a consultation: the draft its delegates edit together (one
//! synced record), and the versions the server stamps when they submit.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::ConsultationFields;
use crate::organization::OrgKind;
use crate::project::{Money, is_currency_code};
use crate::validation::{Errors, FieldError, Problem, limits};

/// The answers of one Member State.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContributionFields {
    pub consultation: String,
    /// ISO code of the Member State.
    pub member_state: String,
    /// Initiative ids, most important first; those left out share the remaining places.
    #[serde(default)]
    pub ranking: Vec<String>,
    #[serde(default)]
    pub partners: Vec<PartnerSuggestion>,
    #[serde(default)]
    pub financing: Vec<Offer>,
    /// Free comments, by initiative id.
    #[serde(default)]
    pub comments: BTreeMap<String, String>,
}

/// An organization, existing or new, suggested as a strategic partner for an initiative.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartnerSuggestion {
    pub initiative: String,
    pub organization: String,
    pub kind: OrgKind,
    /// The role it could play, in the delegate's words.
    #[serde(default)]
    pub role: String,
}

/// Financing offered for an initiative.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Offer {
    /// A cash pledge.
    Cash { initiative: String, amount: Money },
    /// Something given in kind (experts, equipment, venues), with its estimated value.
    InKind { initiative: String, description: String, unit: String, quantity: f64, value: Money },
}

impl Offer {
    pub fn initiative(&self) -> &str {
        match self {
            Offer::Cash { initiative, .. } | Offer::InKind { initiative, .. } => initiative,
        }
    }

    /// The money the offer is worth: the pledge, or the in-kind estimate.
    pub fn value(&self) -> &Money {
        match self {
            Offer::Cash { amount, .. } => amount,
            Offer::InKind { value, .. } => value,
        }
    }
}

/// Most partners, offers and comments in one contribution.
pub const MAX_ITEMS: usize = 200;

/// The id of a Member State's contribution to a consultation: one record per state.
pub fn contribution_id(consultation: &str, member_state: &str) -> String {
    format!("{consultation}_{}", member_state.to_ascii_lowercase())
}

impl ContributionFields {
    /// An empty draft.
    pub fn new(consultation: &str, member_state: &str) -> ContributionFields {
        ContributionFields {
            consultation: consultation.to_string(),
            member_state: member_state.to_string(),
            ranking: Vec::new(),
            partners: Vec::new(),
            financing: Vec::new(),
            comments: BTreeMap::new(),
        }
    }

    /// Checks the answers against the consultation they answer.
    pub fn validate(&self, consultation: &ConsultationFields) -> Result<(), Vec<FieldError>> {
        let asked = |id: &str| consultation.initiatives.iter().any(|i| i == id);
        let mut errors = Errors::default();
        for (i, id) in self.ranking.iter().enumerate() {
            errors.check(!asked(id), format!("ranking.{i}"), Problem::UnknownCode);
            errors.check(self.ranking[..i].contains(id), format!("ranking.{i}"), Problem::Duplicate);
        }
        errors.check(self.partners.len() > MAX_ITEMS, "partners", Problem::TooMany);
        for (i, p) in self.partners.iter().enumerate() {
            errors.check(!asked(&p.initiative), format!("partners.{i}.initiative"), Problem::UnknownCode);
            errors.required_line(format!("partners.{i}.organization"), &p.organization, limits::NAME);
            errors.text(format!("partners.{i}.role"), &p.role, limits::LONG_TEXT);
        }
        errors.check(self.financing.len() > MAX_ITEMS, "financing", Problem::TooMany);
        for (i, offer) in self.financing.iter().enumerate() {
            errors.check(!asked(offer.initiative()), format!("financing.{i}.initiative"), Problem::UnknownCode);
            let (field, money) = match offer {
                Offer::Cash { amount, .. } => ("amount", amount),
                Offer::InKind { value, .. } => ("value", value),
            };
            errors.check(money.amount <= 0, format!("financing.{i}.{field}.amount"), Problem::OutOfRange);
            errors.check(!is_currency_code(&money.currency), format!("financing.{i}.{field}.currency"), Problem::BadFormat);
            if let Offer::InKind { description, unit, quantity, .. } = offer {
                errors.check(description.trim().is_empty(), format!("financing.{i}.description"), Problem::Required);
                errors.text(format!("financing.{i}.description"), description, limits::LONG_TEXT);
                errors.line(format!("financing.{i}.unit"), unit, limits::NAME);
                errors.check(!(quantity.is_finite() && *quantity > 0.0), format!("financing.{i}.quantity"), Problem::OutOfRange);
            }
        }
        errors.check(self.comments.len() > MAX_ITEMS, "comments", Problem::TooMany);
        for (id, text) in &self.comments {
            errors.check(!asked(id), format!("comments.{id}"), Problem::UnknownCode);
            errors.text(format!("comments.{id}"), text, limits::LONG_TEXT);
        }
        errors.finish()
    }

    /// SHA-256 of the answers in their canonical JSON form, in hex: the same content gives the
    /// same hash on every device, so a receipt can be checked against a downloaded copy.
    pub fn content_hash(&self) -> String {
        let canonical = serde_json::to_vec(self).unwrap_or_default();
        Sha256::digest(&canonical).iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// A submitted version, stamped by the server. Versions are kept: an amendment adds one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    pub version: u32,
    /// Unix seconds, by the server's clock.
    pub submitted_at: i64,
    /// The user id of the delegate who submitted.
    pub submitted_by: String,
    pub hash: String,
    pub content: ContributionFields,
}

impl Submission {
    pub fn receipt(&self) -> Receipt {
        Receipt {
            consultation: self.content.consultation.clone(),
            member_state: self.content.member_state.clone(),
            version: self.version,
            submitted_at: self.submitted_at,
            hash: self.hash.clone(),
        }
    }
}

/// What a delegate keeps as proof of a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub consultation: String,
    pub member_state: String,
    pub version: u32,
    pub submitted_at: i64,
    pub hash: String,
}

/// What submitting `content` does, given the state's current version: nothing when the same
/// content is already the current version (a retry, or a second delegate submitting the same
/// draft), else a new version.
pub fn next_version(current: Option<&Submission>, content: &ContributionFields) -> Option<u32> {
    match current {
        Some(s) if s.hash == content.content_hash() => None,
        Some(s) => Some(s.version + 1),
        None => Some(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consultation::tests::consultation;

    fn usd(amount: i64) -> Money {
        Money { amount, currency: "USD".into() }
    }

    fn kenya() -> ContributionFields {
        let mut c = ContributionFields::new("afr_2026", "KE");
        c.ranking = vec!["wtdc25_afr2".into(), "wtdc25_afr1".into()];
        c.partners.push(PartnerSuggestion {
            initiative: "wtdc25_afr1".into(),
            organization: "Smart Africa".into(),
            kind: OrgKind::RegionalTelecomOrganization,
            role: "Policy harmonisation".into(),
        });
        c.financing.push(Offer::Cash { initiative: "wtdc25_afr2".into(), amount: usd(250_000) });
        c.comments.insert("wtdc25_afr3".into(), "Needs a regional spectrum plan first".into());
        c
    }

    #[test]
    fn answers_must_be_about_the_consultations_initiatives_and_make_sense() {
        assert_eq!(kenya().validate(&consultation()), Ok(()));
        let mut c = kenya();
        c.ranking.push("wtdc25_afr2".into());
        c.ranking.push("wtdc22_eur1".into());
        c.financing.push(Offer::InKind {
            initiative: "wtdc25_afr1".into(),
            description: " ".into(),
            unit: "expert-days".into(),
            quantity: 0.0,
            value: Money { amount: 0, currency: "usd".into() },
        });
        let fields: Vec<String> = c.validate(&consultation()).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec![
                "ranking.2",
                "ranking.3",
                "financing.1.value.amount",
                "financing.1.value.currency",
                "financing.1.description",
                "financing.1.quantity"
            ]
        );
    }

    #[test]
    fn the_same_content_has_the_same_hash_and_any_change_another() {
        assert_eq!(kenya().content_hash(), kenya().content_hash());
        assert_eq!(kenya().content_hash().len(), 64);
        let mut other = kenya();
        other.ranking.swap(0, 1);
        assert_ne!(other.content_hash(), kenya().content_hash());
    }

    #[test]
    fn a_retry_or_the_same_draft_submitted_twice_makes_no_new_version_and_an_amendment_does() {
        assert_eq!(next_version(None, &kenya()), Some(1));
        let v1 = Submission { version: 1, submitted_at: 10, submitted_by: "u1".into(), hash: kenya().content_hash(), content: kenya() };
        assert_eq!(next_version(Some(&v1), &kenya()), None);
        let mut amended = kenya();
        amended.comments.clear();
        assert_eq!(next_version(Some(&v1), &amended), Some(2));
        assert_eq!(v1.receipt().hash, kenya().content_hash());
    }

    #[test]
    fn one_record_per_member_state() {
        assert_eq!(contribution_id("afr_2026", "KE"), "afr_2026_ke");
    }
}
