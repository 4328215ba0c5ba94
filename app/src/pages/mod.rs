//! The pages, by feature: each folder holds a feature's pages and the parts only they use. A
//! page does not import another page; what two pages share is a component
//! (`crate::components`) or a part of their folder.

pub mod account;
pub mod consultation;
pub mod initiative;
pub mod not_found_page;
pub mod project;
pub mod report;
pub mod search_page;
pub mod sync_page;
pub mod translation;
