//! Every address inside the app, built in one place: pages link and navigate with these,
//! never with a path of their own. The route table (`app.rs`) matches the same shapes. Ids are
//! used as they are: record ids are `[a-z0-9_-]` (`validation::is_id`).

use rihub_domain::lang::Lang;
use rihub_domain::sync::record::{Kind, RecordKey};

use crate::store::records::Records;

/// The list of initiatives, the first screen.
pub const INITIATIVES: &str = "/";
pub const NEW_INITIATIVE: &str = "/initiatives/new";
pub const CONSULTATIONS: &str = "/consultations";
pub const NEW_CONSULTATION: &str = "/consultations/new";
pub const TRANSLATIONS: &str = "/translations";
pub const SEARCH: &str = "/search";
pub const DUPLICATES: &str = "/duplicates";
pub const SYNC: &str = "/sync";
pub const USERS: &str = "/admin/users";
pub const LOGIN: &str = "/login";

pub fn initiative(id: &str) -> String {
    format!("/initiatives/{id}")
}

pub fn edit_initiative(id: &str) -> String {
    format!("/initiatives/{id}/edit")
}

/// A new project under initiative `initiative`.
pub fn new_project(initiative: &str) -> String {
    format!("/initiatives/{initiative}/projects/new")
}

pub fn project(id: &str) -> String {
    format!("/projects/{id}")
}

pub fn edit_project(id: &str) -> String {
    format!("/projects/{id}/edit")
}

/// A new experience report on project `project`.
pub fn new_report(project: &str) -> String {
    format!("/projects/{project}/reports/new")
}

/// A replica of project `project` in another region.
pub fn replicate(project: &str) -> String {
    format!("/projects/{project}/replicate")
}

pub fn report(id: &str) -> String {
    format!("/reports/{id}")
}

pub fn edit_report(id: &str) -> String {
    format!("/reports/{id}/edit")
}

pub fn consultation(id: &str) -> String {
    format!("/consultations/{id}")
}

/// The translation page of a record, into `to` if given.
pub fn translate(key: &RecordKey, to: Option<Lang>) -> String {
    let page = format!("/translate/{}/{}", key.kind.code(), key.id);
    match to {
        Some(lang) => format!("{page}?to={}", lang.code()),
        None => page,
    }
}

/// Search with a query string already encoded (`q=…&region=…`).
pub fn search(query: &str) -> String {
    format!("{SEARCH}?{query}")
}

/// Signing in, then back to `next`.
pub fn login(next: &str) -> String {
    format!("{LOGIN}?next={}", js_sys::encode_uri_component(next))
}

/// The page that shows a record (a state's answers are shown on their consultation's page).
pub fn record(records: &Records, key: &RecordKey) -> String {
    match key.kind {
        Kind::Initiative => initiative(&key.id),
        Kind::Project => project(&key.id),
        Kind::Consultation => consultation(&key.id),
        Kind::Report => report(&key.id),
        Kind::Contribution | Kind::Submission => match records.get(key).and_then(|r| r.get("consultation").as_str()) {
            Some(id) => consultation(id),
            None => CONSULTATIONS.to_string(),
        },
    }
}
