//! One module per route.

pub mod admin_users_page;
pub mod consultation_draft;
pub mod consultation_form_page;
pub mod consultation_page;
pub mod consultation_results;
pub mod consultations_page;
pub mod duplicates_page;
pub mod initiative_form_page;
pub mod initiative_page;
pub mod initiatives_page;
pub mod invite_page;
pub mod login_page;
pub mod not_found_page;
pub mod project_form_page;
pub mod project_page;
pub mod replicate_page;
pub mod report_form_page;
pub mod report_page;
pub mod search_page;
pub mod sync_page;
pub mod translate_page;
pub mod translations_page;
