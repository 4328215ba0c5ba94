//! Who may see and do what in a consultation: the one table both ends consult.
//!
//! A Member State's draft and submissions are its own until the results are published;
//! the region's coordinators see what was submitted (never drafts); admins see everything;
//! partners and observers see published results only.

use serde::{Deserialize, Serialize};

use crate::region::Region;
use crate::role::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Act {
    /// See the consultation: its questions, dates and who has answered.
    View,
    /// Open, edit and remind: the coordinator's work.
    Manage,
    ViewDraft,
    EditDraft,
    /// Submit or amend the state's contribution.
    Submit,
    ViewSubmissions,
    /// The consolidated results.
    ViewResults,
    Publish,
}

impl Act {
    pub const ALL: [Act; 8] =
        [Act::View, Act::Manage, Act::ViewDraft, Act::EditDraft, Act::Submit, Act::ViewSubmissions, Act::ViewResults, Act::Publish];
}

/// What an act is about: a consultation of `region`, and for a contribution its Member State.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub region: Region,
    pub member_state: Option<&'a str>,
    pub published: bool,
}

pub fn allows(roles: &[Role], act: Act, target: Target) -> bool {
    roles.iter().any(|role| role_allows(role, act, target))
}

fn role_allows(role: &Role, act: Act, t: Target) -> bool {
    // Published results, and the consultation they answer, are for every signed-in user.
    if t.published && matches!(act, Act::View | Act::ViewResults) {
        return true;
    }
    match role {
        // Admins see everything; drafting and submitting belong to the state's delegates.
        Role::Admin => !matches!(act, Act::EditDraft | Act::Submit),
        Role::Coordinator { region } => {
            *region == t.region && matches!(act, Act::View | Act::Manage | Act::ViewSubmissions | Act::ViewResults | Act::Publish)
        }
        Role::Delegate { member_state } => {
            let own_state = t.member_state == Some(member_state.as_str());
            match act {
                Act::View => role.region() == Some(t.region),
                Act::ViewDraft | Act::EditDraft | Act::Submit | Act::ViewSubmissions => own_state && role.region() == Some(t.region),
                Act::Manage | Act::ViewResults | Act::Publish => false,
            }
        }
        Role::Partner { .. } | Role::Observer => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Act::*;

    fn target(member_state: Option<&str>, published: bool) -> Target<'_> {
        Target { region: Region::Afr, member_state, published }
    }

    /// Every role against every act, on Kenya's contribution to an African consultation,
    /// before and after publication: the whole table, written out.
    #[test]
    fn the_permission_table_for_every_role() {
        let roles: [(&str, Role); 7] = [
            ("admin", Role::Admin),
            ("coordinator of Africa", Role::Coordinator { region: Region::Afr }),
            ("coordinator of Europe", Role::Coordinator { region: Region::Eur }),
            ("delegate of Kenya", Role::Delegate { member_state: "KE".into() }),
            ("delegate of Ghana", Role::Delegate { member_state: "GH".into() }),
            ("partner", Role::Partner { organization: "ADB".into() }),
            ("observer", Role::Observer),
        ];
        // (role, allowed before publication, allowed after)
        let expected: [(&str, &[Act], &[Act]); 7] = [
            (
                "admin",
                &[View, Manage, ViewDraft, ViewSubmissions, ViewResults, Publish],
                &[View, Manage, ViewDraft, ViewSubmissions, ViewResults, Publish],
            ),
            (
                "coordinator of Africa",
                &[View, Manage, ViewSubmissions, ViewResults, Publish],
                &[View, Manage, ViewSubmissions, ViewResults, Publish],
            ),
            ("coordinator of Europe", &[], &[View, ViewResults]),
            (
                "delegate of Kenya",
                &[View, ViewDraft, EditDraft, Submit, ViewSubmissions],
                &[View, ViewDraft, EditDraft, Submit, ViewSubmissions, ViewResults],
            ),
            ("delegate of Ghana", &[View], &[View, ViewResults]),
            ("partner", &[], &[View, ViewResults]),
            ("observer", &[], &[View, ViewResults]),
        ];
        for ((name, role), (_, before, after)) in roles.iter().zip(expected) {
            for (published, allowed) in [(false, before), (true, after)] {
                let got: Vec<Act> =
                    Act::ALL.into_iter().filter(|a| allows(std::slice::from_ref(role), *a, target(Some("KE"), published))).collect();
                assert_eq!(got, allowed.to_vec(), "{name}, published: {published}");
            }
        }
    }

    #[test]
    fn a_delegate_of_another_region_does_not_see_the_consultation() {
        let fiji = [Role::Delegate { member_state: "FJ".into() }];
        assert!(!allows(&fiji, View, target(None, false)));
    }
}
