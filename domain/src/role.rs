//! Roles a user may hold. A user may hold several (a coordinator of two regions, say).

use serde::{Deserialize, Serialize};

use crate::member_state;
use crate::region::Region;

/// One role, with the scope it applies to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Role {
    /// BDT headquarters: manages users, cycles and everything else.
    Admin,
    /// A regional office coordinator: edits the region's initiatives and projects.
    Coordinator { region: Region },
    /// A Member State delegate (ISO code of the state).
    Delegate { member_state: String },
    /// A partner organization.
    Partner { organization: String },
    /// Reads what is published.
    Observer,
}

/// The kind of a role without its scope, for the permission table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleKind {
    Admin,
    Coordinator,
    Delegate,
    Partner,
    Observer,
}

impl RoleKind {
    pub const ALL: [RoleKind; 5] = [RoleKind::Admin, RoleKind::Coordinator, RoleKind::Delegate, RoleKind::Partner, RoleKind::Observer];

    pub fn key(self) -> &'static str {
        match self {
            RoleKind::Admin => "admin",
            RoleKind::Coordinator => "coordinator",
            RoleKind::Delegate => "delegate",
            RoleKind::Partner => "partner",
            RoleKind::Observer => "observer",
        }
    }

    pub fn from_key(key: &str) -> Option<RoleKind> {
        RoleKind::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// Why a role was refused when assigned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoleError {
    #[error("{0:?} is not an ITU Member State code")]
    UnknownMemberState(String),
    #[error("the organization name is empty or longer than 200 characters")]
    BadOrganization,
}

impl Role {
    pub fn kind(&self) -> RoleKind {
        match self {
            Role::Admin => RoleKind::Admin,
            Role::Coordinator { .. } => RoleKind::Coordinator,
            Role::Delegate { .. } => RoleKind::Delegate,
            Role::Partner { .. } => RoleKind::Partner,
            Role::Observer => RoleKind::Observer,
        }
    }

    /// The region this role is limited to, if any. A delegate's region is its state's.
    pub fn region(&self) -> Option<Region> {
        match self {
            Role::Coordinator { region } => Some(*region),
            Role::Delegate { member_state } => member_state::lookup(member_state).map(|m| m.region),
            _ => None,
        }
    }

    /// Checks the role's scope and normalizes it (upper-case state codes, trimmed names).
    pub fn validated(self) -> Result<Role, RoleError> {
        match self {
            Role::Delegate { member_state } => member_state::lookup(&member_state)
                .map(|m| Role::Delegate { member_state: m.code.to_string() })
                .ok_or(RoleError::UnknownMemberState(member_state)),
            Role::Partner { organization } => {
                let name = organization.trim();
                if name.is_empty() || crate::validation::line_problem(name, crate::validation::limits::NAME).is_some() {
                    Err(RoleError::BadOrganization)
                } else {
                    Ok(Role::Partner { organization: name.to_string() })
                }
            }
            other => Ok(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_with_its_scope() {
        let r = Role::Coordinator { region: Region::Afr };
        assert_eq!(serde_json::to_string(&r).unwrap(), r#"{"kind":"coordinator","region":"AFR"}"#);
        let d: Role = serde_json::from_str(r#"{"kind":"delegate","member_state":"KE"}"#).unwrap();
        assert_eq!(d.region(), Some(Region::Afr));
    }

    #[test]
    fn validation_normalizes_and_refuses_unknown_states() {
        let d = Role::Delegate { member_state: "ke".into() }.validated();
        assert_eq!(d, Ok(Role::Delegate { member_state: "KE".into() }));
        assert!(Role::Delegate { member_state: "XX".into() }.validated().is_err());
        assert!(Role::Partner { organization: " ".into() }.validated().is_err());
    }
}
