//! Translations: what needs translating into a language, and translating one record.

pub mod list_page;
pub mod page;
