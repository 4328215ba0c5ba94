//! Consultations of a region's Member States: the list, a consultation's page (a delegate's
//! draft and receipt, the coordinator's overview, the published results), and the form that
//! opens one. These pages are the `consulting` chunk (`crate::app`).

pub mod draft;
pub mod form_page;
pub mod list_page;
pub mod page;
pub mod results;
pub mod standing;
