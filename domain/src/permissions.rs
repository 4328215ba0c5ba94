//! Who may do what, where: the one permission table both ends consult.
//!
//! The browser uses it to decide what to show; the server uses it to decide what to allow.
//! Only the server's answer protects anything.

use serde::{Deserialize, Serialize};

use crate::region::Region;
use crate::role::{Role, RoleKind};

/// Something a user may try to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Read initiatives, projects and published material.
    Read,
    CreateInitiative,
    EditInitiative,
    DeleteInitiative,
    CreateProject,
    EditProject,
    DeleteProject,
    /// Invite users, change roles, disable accounts.
    ManageUsers,
}

impl Action {
    pub const ALL: [Action; 8] = [
        Action::Read,
        Action::CreateInitiative,
        Action::EditInitiative,
        Action::DeleteInitiative,
        Action::CreateProject,
        Action::EditProject,
        Action::DeleteProject,
        Action::ManageUsers,
    ];
}

/// What a record belongs to: one region, or the whole organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    Global,
    Region(Region),
}

/// How far a role's permission for an action reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    Anywhere,
    /// Only records of a region the role is scoped to.
    OwnRegion,
}

use Action::*;
use Reach::*;
use RoleKind as K;

/// The table. An action not listed for a role is refused.
pub const TABLE: &[(RoleKind, Action, Reach)] = &[
    (K::Admin, Read, Anywhere),
    (K::Admin, CreateInitiative, Anywhere),
    (K::Admin, EditInitiative, Anywhere),
    (K::Admin, DeleteInitiative, Anywhere),
    (K::Admin, CreateProject, Anywhere),
    (K::Admin, EditProject, Anywhere),
    (K::Admin, DeleteProject, Anywhere),
    (K::Admin, ManageUsers, Anywhere),
    (K::Coordinator, Read, Anywhere),
    (K::Coordinator, CreateInitiative, OwnRegion),
    (K::Coordinator, EditInitiative, OwnRegion),
    (K::Coordinator, DeleteInitiative, OwnRegion),
    (K::Coordinator, CreateProject, OwnRegion),
    (K::Coordinator, EditProject, OwnRegion),
    (K::Coordinator, DeleteProject, OwnRegion),
    (K::Delegate, Read, Anywhere),
    (K::Partner, Read, Anywhere),
    (K::Observer, Read, Anywhere),
];

fn role_allows(role: &Role, action: Action, scope: Scope) -> bool {
    TABLE.iter().filter(|(kind, a, _)| *kind == role.kind() && *a == action).any(|(_, _, reach)| match (reach, scope) {
        (Anywhere, _) => true,
        (OwnRegion, Scope::Region(region)) => role.region() == Some(region),
        (OwnRegion, Scope::Global) => false,
    })
}

/// Whether a user holding `roles` may do `action` on a record in `scope`.
pub fn allows(roles: &[Role], action: Action, scope: Scope) -> bool {
    roles.iter().any(|r| role_allows(r, action, scope))
}

/// Whether an edit that moves a record from one scope to another is allowed: both must be.
pub fn allows_move(roles: &[Role], action: Action, from: Scope, to: Scope) -> bool {
    allows(roles, action, from) && allows(roles, action, to)
}

/// Whether the user may do `action` somewhere (to decide whether to offer it at all).
pub fn allows_somewhere(roles: &[Role], action: Action) -> bool {
    allows(roles, action, Scope::Global) || Region::ALL.into_iter().any(|r| allows(roles, action, Scope::Region(r)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coordinator(region: Region) -> Role {
        Role::Coordinator { region }
    }

    const EDITS: [Action; 6] = [CreateInitiative, EditInitiative, DeleteInitiative, CreateProject, EditProject, DeleteProject];

    /// The whole table, role × action × scope, written out as expectations.
    #[test]
    fn every_role_action_and_scope_is_as_specified() {
        let afr = Scope::Region(Region::Afr);
        let asp = Scope::Region(Region::Asp);
        let roles = [
            ("admin", Role::Admin),
            ("coordinator AFR", coordinator(Region::Afr)),
            ("delegate KE", Role::Delegate { member_state: "KE".into() }),
            ("partner", Role::Partner { organization: "ADB".into() }),
            ("observer", Role::Observer),
        ];
        for (name, role) in &roles {
            for action in Action::ALL {
                for scope in [Scope::Global, afr, asp] {
                    let expected = match (role.kind(), action, scope) {
                        (_, Read, _) => true,
                        (RoleKind::Admin, _, _) => true,
                        (RoleKind::Coordinator, a, s) if EDITS.contains(&a) => s == afr,
                        _ => false,
                    };
                    assert_eq!(allows(std::slice::from_ref(role), action, scope), expected, "{name} {action:?} {scope:?}");
                }
            }
        }
    }

    #[test]
    fn no_roles_allow_nothing() {
        for action in Action::ALL {
            assert!(!allows(&[], action, Scope::Global));
        }
    }

    #[test]
    fn coordinator_cannot_move_a_record_out_of_their_region() {
        let roles = [coordinator(Region::Afr)];
        let (afr, eur) = (Scope::Region(Region::Afr), Scope::Region(Region::Eur));
        assert!(allows_move(&roles, EditInitiative, afr, afr));
        assert!(!allows_move(&roles, EditInitiative, afr, eur));
        assert!(!allows_move(&roles, EditInitiative, eur, afr));
    }

    #[test]
    fn roles_add_up() {
        let roles = [coordinator(Region::Afr), coordinator(Region::Eur)];
        assert!(allows(&roles, EditProject, Scope::Region(Region::Eur)));
        assert!(!allows(&roles, EditProject, Scope::Region(Region::Asp)));
        assert!(allows_somewhere(&roles, CreateInitiative));
        assert!(!allows_somewhere(&roles, ManageUsers));
    }
}
