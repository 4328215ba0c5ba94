//! Experience reports on a project: a report's page and its form.

pub mod form_page;
pub mod page;
