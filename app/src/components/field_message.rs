//! The validation message under a form field.

use leptos::prelude::*;
use rihub_domain::validation::FieldError;

use crate::i18n::*;
use crate::labels;

/// The first problem reported for `field` (or any of its sub-fields), if any.
pub fn problem_of(errors: &[FieldError], field: &str) -> Option<rihub_domain::validation::Problem> {
    errors.iter().find(|e| e.field == field || e.field.starts_with(&format!("{field}."))).map(|e| e.problem)
}

/// Renders the problem of `field`; its element id is `{field}-error` for `aria-describedby`.
#[component]
pub fn FieldMessage(errors: RwSignal<Vec<FieldError>>, #[prop(into)] field: String) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("{}-error", field.replace('.', "-"));
    let message = move || errors.with(|e| problem_of(e, &field)).map(|p| labels::problem(i18n.get_locale(), p));
    view! { <span class="field-error" id=id aria-live="polite">{message}</span> }
}
