//! Organizations that partner in projects.

use serde::{Deserialize, Serialize};

/// What kind of body an organization is. Partners are named on projects with one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    MemberStateAdministration,
    SectorMember,
    Associate,
    Academia,
    FinancialInstitution,
    InternationalOrganization,
    RegionalTelecomOrganization,
    Regulator,
    Operator,
    Supplier,
}

impl OrgKind {
    pub const ALL: [OrgKind; 10] = [
        OrgKind::MemberStateAdministration,
        OrgKind::SectorMember,
        OrgKind::Associate,
        OrgKind::Academia,
        OrgKind::FinancialInstitution,
        OrgKind::InternationalOrganization,
        OrgKind::RegionalTelecomOrganization,
        OrgKind::Regulator,
        OrgKind::Operator,
        OrgKind::Supplier,
    ];

    /// The serialized name, also the translation key suffix in the UI.
    pub fn key(self) -> &'static str {
        match self {
            OrgKind::MemberStateAdministration => "member_state_administration",
            OrgKind::SectorMember => "sector_member",
            OrgKind::Associate => "associate",
            OrgKind::Academia => "academia",
            OrgKind::FinancialInstitution => "financial_institution",
            OrgKind::InternationalOrganization => "international_organization",
            OrgKind::RegionalTelecomOrganization => "regional_telecom_organization",
            OrgKind::Regulator => "regulator",
            OrgKind::Operator => "operator",
            OrgKind::Supplier => "supplier",
        }
    }

    pub fn from_key(key: &str) -> Option<OrgKind> {
        OrgKind::ALL.into_iter().find(|k| k.key() == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_matches_serialized_name() {
        for kind in OrgKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.key()));
            assert_eq!(OrgKind::from_key(kind.key()), Some(kind));
        }
    }
}
