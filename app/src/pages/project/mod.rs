//! Projects under an initiative: a project's page, its form, and replicating one from another
//! region.

pub mod form_page;
pub mod page;
pub mod replicate_page;
