//! Form inputs bound to a field of a record held in a signal, with their label and message.

use leptos::prelude::*;
use rihub_domain::lang::Lang;
use rihub_domain::text::Text;
use rihub_domain::validation::FieldError;

use super::field_message::{FieldMessage, problem_of};

/// How a multilingual input reaches its `Text` inside the record `F`.
pub struct TextAccess<F> {
    pub get: fn(&F) -> &Text,
    pub get_mut: fn(&mut F) -> &mut Text,
}

/// A labelled input (or textarea) editing the text of one field in the language `lang`.
pub fn text_field<F: Send + Sync + 'static>(
    fields: RwSignal<F>,
    lang: RwSignal<Lang>,
    errors: RwSignal<Vec<FieldError>>,
    name: &'static str,
    label: impl IntoView + 'static,
    access: TextAccess<F>,
    multiline: bool,
) -> impl IntoView {
    let TextAccess { get, get_mut } = access;
    let value = move || fields.with(|f| get(f).get(lang.get()).unwrap_or_default().to_string());
    let on_input = move |ev: leptos::ev::Event| fields.update(|f| get_mut(f).set(lang.get(), event_target_value(&ev)));
    let invalid = move || errors.with(|e| problem_of(e, name).is_some()).to_string();
    let described = format!("{name}-error");
    let input = if multiline {
        view! { <textarea id=name name=name rows="4" dir="auto" lang=move || lang.get().code() aria-invalid=invalid aria-describedby=described prop:value=value on:input=on_input></textarea> }.into_any()
    } else {
        view! { <input id=name name=name type="text" dir="auto" lang=move || lang.get().code() aria-invalid=invalid aria-describedby=described prop:value=value on:input=on_input/> }.into_any()
    };
    view! {
        <div class="field">
            <label for=name>{label}</label>
            {input}
            <FieldMessage errors field=name/>
        </div>
    }
}

/// A labelled single-line input bound to a plain string produced and consumed by closures.
pub fn plain_field(
    errors: RwSignal<Vec<FieldError>>,
    name: &'static str,
    label: impl IntoView + 'static,
    input_type: &'static str,
    value: impl Fn() -> String + Send + Sync + 'static,
    set: impl Fn(String) + Send + Sync + 'static,
    hint: Option<AnyView>,
) -> impl IntoView {
    let invalid = move || errors.with(|e| problem_of(e, name).is_some()).to_string();
    let described = format!("{name}-error {name}-hint");
    view! {
        <div class="field">
            <label for=name>{label}</label>
            <input id=name name=name type=input_type dir="auto" aria-invalid=invalid aria-describedby=described
                prop:value=value on:input=move |ev| set(event_target_value(&ev))/>
            {hint.map(|h| view! { <span class="hint" id=format!("{name}-hint")>{h}</span> })}
            <FieldMessage errors field=name/>
        </div>
    }
}
