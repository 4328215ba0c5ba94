//! Pieces that several pages use.

pub mod field_message;
pub mod form_state;
pub mod localized_text;
pub mod shell;
pub mod status;
pub mod text_field;
