//! Field-level validation errors, shared by forms in the browser and checks on the server.

use serde::{Deserialize, Serialize};

/// Why a field's value was refused. The code is stable: the UI translates it, the API returns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    Required,
    TooLong,
    BadFormat,
    UnknownCode,
    WrongRegion,
    OutOfRange,
    EndBeforeStart,
    Duplicate,
    TooMany,
    /// The field identifies the record and cannot change after creation.
    Immutable,
}

impl Problem {
    pub fn code(self) -> &'static str {
        match self {
            Problem::Required => "required",
            Problem::TooLong => "too_long",
            Problem::BadFormat => "bad_format",
            Problem::UnknownCode => "unknown_code",
            Problem::WrongRegion => "wrong_region",
            Problem::OutOfRange => "out_of_range",
            Problem::EndBeforeStart => "end_before_start",
            Problem::Duplicate => "duplicate",
            Problem::TooMany => "too_many",
            Problem::Immutable => "immutable",
        }
    }
}

/// One refused field: which (a dotted path such as `indicators.2.target`) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub problem: Problem,
}

/// Collects field errors while a validator walks a record.
#[derive(Debug, Default)]
pub struct Errors(Vec<FieldError>);

impl Errors {
    pub fn add(&mut self, field: impl Into<String>, problem: Problem) {
        self.0.push(FieldError { field: field.into(), problem });
    }

    /// Records `problem` on `field` when `failed` is true.
    pub fn check(&mut self, failed: bool, field: impl Into<String>, problem: Problem) {
        if failed {
            self.add(field, problem);
        }
    }

    /// Checks a one-line text a person types (a name, a unit): `line_problem`.
    pub fn line(&mut self, field: impl Into<String>, text: &str, max: usize) {
        if let Some(problem) = line_problem(text, max) {
            self.add(field, problem);
        }
    }

    /// Checks a one-line text that must not be blank.
    pub fn required_line(&mut self, field: impl Into<String>, text: &str, max: usize) {
        let field = field.into();
        if text.trim().is_empty() {
            self.add(field, Problem::Required);
        } else {
            self.line(field, text, max);
        }
    }

    /// Checks a text of several lines (a comment, a description): `text_problem`.
    pub fn text(&mut self, field: impl Into<String>, text: &str, max: usize) {
        if let Some(problem) = text_problem(text, max) {
            self.add(field, problem);
        }
    }

    /// Checks a record id another record names (`is_id`).
    pub fn id(&mut self, field: impl Into<String>, id: &str) {
        self.check(!is_id(id), field, Problem::BadFormat);
    }

    pub fn finish(self) -> Result<(), Vec<FieldError>> {
        if self.0.is_empty() { Ok(()) } else { Err(self.0) }
    }
}

/// Length limits, in characters, for text a person types, and for ids.
pub mod limits {
    pub const TITLE: usize = 500;
    pub const LONG_TEXT: usize = 10_000;
    pub const NAME: usize = 200;
    pub const LIST: usize = 200;
    /// Record ids and client ids.
    pub const ID: usize = 64;
}

/// Whether `id` is an id as the store and URLs take it as is (a record's, a client's):
/// 1–64 lowercase ASCII letters, digits, `_` or `-`.
pub fn is_id(id: &str) -> bool {
    (1..=limits::ID).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// Whether `id` is a sync client's id: 1–64 ASCII letters, digits, `_` or `-` (chosen by the
/// client, kept in the store as a value, never in a URL).
pub fn is_client_id(id: &str) -> bool {
    (1..=limits::ID).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// What is wrong with a one-line text, if anything: longer than `max` characters, or holding
/// a control character (a line break included).
pub fn line_problem(text: &str, max: usize) -> Option<Problem> {
    if text.chars().count() > max {
        Some(Problem::TooLong)
    } else if text.chars().any(char::is_control) {
        Some(Problem::BadFormat)
    } else {
        None
    }
}

/// What is wrong with a text of several lines, if anything: longer than `max` characters, or
/// holding a control character other than a line break or a tab.
pub fn text_problem(text: &str, max: usize) -> Option<Problem> {
    if text.chars().count() > max {
        Some(Problem::TooLong)
    } else if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        Some(Problem::BadFormat)
    } else {
        None
    }
}

/// A code or a name as compared for uniqueness: without spaces, in lower case ("ITU D" and
/// "itu-d" differ; "ITU-D " and "itu-d" do not).
pub fn comparable(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_short_lowercase_words() {
        for ok in ["wtdc22_afr1", "p-1", "a", &"x".repeat(64)] {
            assert!(is_id(ok), "{ok}");
        }
        for bad in ["", " a", "A1", "a/b", "a b", "é", &"x".repeat(65)] {
            assert!(!is_id(bad), "{bad:?}");
        }
        assert!(is_client_id("dup-AFR8") && !is_client_id("a b") && !is_client_id(""));
    }

    #[test]
    fn one_line_texts_have_no_control_characters_and_long_texts_only_line_breaks() {
        assert_eq!(line_problem("Asian Development Bank", 200), None);
        assert_eq!(line_problem("two\nlines", 200), Some(Problem::BadFormat));
        assert_eq!(line_problem("bell\u{7}", 200), Some(Problem::BadFormat));
        assert_eq!(line_problem("\u{202e}ok", 200), None, "a bidirectional mark is a format character, not a control one");
        assert_eq!(line_problem(&"é".repeat(201), 200), Some(Problem::TooLong), "characters, not bytes");
        assert_eq!(text_problem("a\r\nb\tc", 10), None);
        assert_eq!(text_problem("a\u{0}b", 10), Some(Problem::BadFormat));
    }

    #[test]
    fn codes_compare_without_case_or_spaces() {
        assert_eq!(comparable(" ITU-D "), comparable("itu-d"));
        assert_ne!(comparable("ITU D"), comparable("itu-d"));
    }
}
