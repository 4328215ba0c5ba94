//! Pieces that several pages use.

pub mod conflicts;
pub mod field_message;
pub mod form_state;
pub mod found_list;
pub mod local_data;
pub mod localized_text;
pub mod member_state_name;
pub mod new_version;
pub mod pending_notice;
pub mod reminders;
pub mod shell;
pub mod similar;
pub mod status;
pub mod sync_status;
pub mod text_field;
pub mod viewers;
pub mod windowed_list;
