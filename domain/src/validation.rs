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
        self.0.push(FieldError {
            field: field.into(),
            problem,
        });
    }

    /// Records `problem` on `field` when `failed` is true.
    pub fn check(&mut self, failed: bool, field: impl Into<String>, problem: Problem) {
        if failed {
            self.add(field, problem);
        }
    }

    pub fn finish(self) -> Result<(), Vec<FieldError>> {
        if self.0.is_empty() { Ok(()) } else { Err(self.0) }
    }
}

/// Length limits, in characters, for text a person types.
pub mod limits {
    pub const TITLE: usize = 500;
    pub const LONG_TEXT: usize = 10_000;
    pub const NAME: usize = 200;
    pub const LIST: usize = 200;
}
