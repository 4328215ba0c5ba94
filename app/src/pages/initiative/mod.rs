//! Initiatives: the list (the first screen), an initiative's page, its form, and the possible
//! duplicates across regions.

pub mod duplicates_page;
pub mod form_page;
pub mod list_page;
pub mod page;
