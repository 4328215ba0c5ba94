//! What every form tracks while it saves: field problems, the failure to show, and whether a
//! save is under way; plus the pieces every record form shows.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use rihub_domain::lang::Lang;
use rihub_domain::sync::mutation::Op;
use rihub_domain::validation::FieldError;

use crate::api::ApiError;
use crate::i18n::*;
use crate::sync::engine::SyncContext;

#[derive(Clone, Copy)]
pub struct FormState {
    pub errors: RwSignal<Vec<FieldError>>,
    pub failure: RwSignal<Option<ApiError>>,
    pub pending: RwSignal<bool>,
}

impl FormState {
    pub fn new() -> FormState {
        FormState { errors: RwSignal::new(Vec::new()), failure: RwSignal::new(None), pending: RwSignal::new(false) }
    }

    /// Starts a save after the shared domain validation: false (with the problems shown) when
    /// the record is invalid or a save is already under way.
    pub fn begin(&self, validated: Result<(), Vec<FieldError>>) -> bool {
        if self.pending.get_untracked() {
            return false;
        }
        if let Err(problems) = validated {
            self.fail(ApiError::Invalid(problems));
            return false;
        }
        self.errors.set(Vec::new());
        self.failure.set(None);
        self.pending.set(true);
        true
    }

    /// Shows a failed save; field problems also go next to their fields. What was typed stays.
    pub fn fail(&self, error: ApiError) {
        self.pending.set(false);
        if let ApiError::Invalid(problems) = &error {
            self.errors.set(problems.clone());
        }
        self.failure.set(Some(error));
    }

    pub fn succeed(&self) {
        self.pending.set(false);
        self.failure.set(None);
    }

    /// Queues `op` through sync; once it is safe on this device, goes to `to`. A change that
    /// cannot be queued is shown, and what was typed stays.
    pub fn save(self, sync: SyncContext, op: Op, to: String, navigate: impl Fn(&str, NavigateOptions) + 'static) {
        spawn_local(async move {
            match sync.mutate(op).await {
                Ok(()) => {
                    self.succeed();
                    navigate(&to, Default::default());
                }
                Err(rejected) => self.fail(rejected.into()),
            }
        });
    }
}

/// A number as a person types it, with a comma or a point for decimals.
pub fn parse_number(s: &str) -> Option<f64> {
    s.trim().replace(',', ".").parse().ok()
}

/// The submit button, which says "Saving…" and is disabled while a save is under way.
#[component]
pub fn SaveButton(state: FormState) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button type="submit" class="primary" disabled=move || state.pending.get()>
            {move || if state.pending.get() { t_string!(i18n, common.saving).to_string() } else { t_string!(i18n, common.save).to_string() }}
        </button>
    }
}

/// Chooses the language the person types multilingual fields in.
#[component]
pub fn ContentLanguagePicker(lang: RwSignal<Lang>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for="content-lang">{t!(i18n, initiative.content_language)}</label>
            <select id="content-lang" on:change=move |ev| if let Some(l) = Lang::from_code(&event_target_value(&ev)) { lang.set(l) }
                prop:value=move || lang.get().code()>
                {Lang::ALL.into_iter().map(|l| view! { <option value=l.code()>{l.endonym()}</option> }).collect_view()}
            </select>
        </div>
    }
}

/// Adds `item` to a set kept as a list (a checkbox ticked), or removes it (unticked).
pub fn toggle<T: PartialEq>(items: &mut Vec<T>, item: T, on: bool) {
    let present = items.contains(&item);
    if on && !present {
        items.push(item);
    } else if !on && present {
        items.retain(|i| *i != item);
    }
}
