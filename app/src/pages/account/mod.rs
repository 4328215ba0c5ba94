//! Accounts: signing in, accepting an invitation, and the administrator's list of users.

pub mod invite_page;
pub mod login_page;
pub mod users_page;
