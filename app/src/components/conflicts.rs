//! Values overwritten by concurrent edits, with a one-click restore.

use leptos::prelude::*;
use leptos::task::spawn_local;
use rihub_domain::lang::Lang;
use rihub_domain::sync::merge::{Author, Conflict};
use rihub_domain::sync::record::RecordKey;
use rihub_domain::text::Text;
use serde_json::Value;

use crate::api::ApiError;
use crate::components::localized_text::reader_lang;
use crate::components::status::ErrorNotice;
use crate::context::use_session;
use crate::i18n::*;
use crate::labels;
use crate::sync::use_sync;

/// A field's value as text a person can read: multilingual text in their language.
pub fn show_value(value: &Value, lang: Lang) -> String {
    match value {
        Value::Null => "—".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.iter().all(Value::is_string) => items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", "),
        Value::Object(_) => match serde_json::from_value::<Text>(value.clone()) {
            Ok(text) => text.best(lang).map(|(_, s)| s.to_string()).unwrap_or_else(|| "—".into()),
            Err(_) => value.to_string(),
        },
        other => other.to_string(),
    }
}

/// The conflicts of one record (`key`), or of every record.
#[component]
pub fn ConflictList(#[prop(optional)] key: Option<RecordKey>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let key = StoredValue::new(key);
    let shown = move || {
        key.with_value(|key| {
            sync.conflicts.with(|all| all.iter().filter(|c| key.as_ref().is_none_or(|k| c.key == *k)).cloned().collect::<Vec<_>>())
        })
    };
    view! {
        <Show when=move || !shown().is_empty()>
            <section class="notice conflict" aria-labelledby="conflicts-heading">
                <h2 id="conflicts-heading">{t!(i18n, sync.conflicts)}</h2>
                <p>{t!(i18n, sync.conflicts_intro)}</p>
                <ul class="conflicts">
                    <For each=shown key=|c| (c.key.clone(), c.field.clone(), c.won_rev) let:conflict>
                        <ConflictItem conflict/>
                    </For>
                </ul>
            </section>
        </Show>
    }
}

#[component]
fn ConflictItem(conflict: Conflict) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let me = use_session().me.with_untracked(|m| m.as_ref().map(|m| m.id.clone())).unwrap_or_default();
    let kind = conflict.key.kind;
    let field = conflict.field.clone();
    let field_name = field.clone();
    let (won, lost) = (conflict.won.clone(), conflict.lost.clone());
    let by = move |author: &Author| {
        let author = author.clone();
        let me = me.clone();
        // Nothing for an author not named (a change made before authors were kept).
        move || match author.id.as_str() {
            "" => None,
            id if id == me => Some(t_string!(i18n, sync.edited_by_you).to_string()),
            _ => Some(t_string!(i18n, sync.edited_by, name = author.name.clone()).to_string()),
        }
    };
    let (won_by, lost_by) = (by(&conflict.won_by), by(&conflict.lost_by));
    // The restore is offered only to someone the rules let make that edit.
    let op = sync.restoring(&conflict);
    let allowed = LocalResource::new({
        let op = op.clone();
        move || {
            let op = op.clone();
            async move { sync.precheck(&op).await.is_ok() }
        }
    });
    let restoring = RwSignal::new(false);
    // Why putting the value back was not queued (refused by the rules, or not saved).
    let failed = RwSignal::new(None::<ApiError>);
    let restore = move |_| {
        let op = op.clone();
        restoring.set(true);
        spawn_local(async move {
            failed.set(sync.mutate(op).await.err().map(ApiError::from));
            restoring.set(false);
        });
    };
    let dismiss = move |_| sync.dismiss(conflict.clone());
    let lang = move || reader_lang(i18n.get_locale());
    view! {
        <li class="conflict-item" data-field=field_name>
            <strong>{move || labels::field(i18n.get_locale(), kind, &field)}</strong>
            <dl>
                <dt>{t!(i18n, sync.current_value)}</dt>
                <dd dir="auto" class="won">{move || show_value(&won, lang())}</dd>
                {move || won_by().map(|by| view! { <dd class="muted won-by">{by}</dd> })}
                <dt>{t!(i18n, sync.replaced_value)}</dt>
                <dd dir="auto" class="lost">{move || show_value(&lost, lang())}</dd>
                {move || lost_by().map(|by| view! { <dd class="muted lost-by">{by}</dd> })}
            </dl>
            <div class="actions">
                <Show when=move || allowed.get() == Some(true)>
                    <button type="button" class="restore" on:click=restore.clone() disabled=move || restoring.get()>{t!(i18n, sync.restore)}</button>
                </Show>
                <button type="button" class="link" on:click=dismiss>{t!(i18n, sync.dismiss)}</button>
            </div>
            {move || failed.get().map(|e| view! { <ErrorNotice error=e/> })}
        </li>
    }
}
