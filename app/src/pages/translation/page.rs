//! `/translate/:kind/:id?to=fr`: a record's texts, the original beside the translation, field by
//! field. Saving a field records it as a translation of the text shown beside it, which makes
//! it current; it goes through sync like any edit, so it works offline.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_params_map, use_query_map};
use rihub_domain::lang::Lang;
use rihub_domain::permissions::{self, Action, Scope};
use rihub_domain::sync::mutation::Op;
use rihub_domain::sync::record::{Kind, RecordKey, SyncedRecord};
use rihub_domain::text::{Status, Text};
use rihub_domain::translation;

use crate::api::ApiError;
use crate::components::conflicts::ConflictList;
use crate::components::local_data::{LocalDataGate, WholeRecords};
use crate::components::localized_text::{LocalizedText, reader_lang};
use crate::components::pending_notice::PendingNotice;
use crate::components::status::{Empty, ErrorNotice};
use crate::context::use_session;
use crate::i18n::*;
use crate::labels;
use crate::links;
use crate::store::records;
use crate::sync::use_sync;

/// The kinds of record that have texts to translate.
fn kind_from_path(segment: &str) -> Option<Kind> {
    Kind::from_code(segment).filter(|k| !translation::text_fields(*k).is_empty())
}

/// What a translator has typed, by field and language, and the field saved last: kept outside
/// the record's view, which is rebuilt whenever the record changes, so that saving one field
/// keeps the others' drafts.
#[derive(Clone, Copy)]
struct Desk {
    drafts: RwSignal<HashMap<(&'static str, Lang), String>>,
    saved: RwSignal<Option<(&'static str, Lang)>>,
}

#[component]
pub fn TranslatePage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let session = use_session();
    let params = use_params_map();
    let query = use_query_map();
    let key = Memo::new(move |_| params.with(|p| Some(records::key(kind_from_path(&p.get("kind")?)?, &p.get("id")?))));
    let initial = query.with_untracked(|q| q.get("to")).and_then(|c| Lang::from_code(&c));
    let to = RwSignal::new(initial.unwrap_or_else(|| reader_lang(i18n.get_locale_untracked())));
    let desk = Desk { drafts: RwSignal::new(HashMap::new()), saved: RwSignal::new(None) };
    let found = Memo::new(move |_| {
        let key = key.get()?;
        sync.records.with(|r| Some((key.clone(), r.get(&key)?.clone(), records::region(r, &key)?)))
    });
    let allowed = move |kind: Kind, region, record: &SyncedRecord| {
        session.me.with(|m| {
            m.as_ref().is_some_and(|m| match kind {
                // A report's writers: its region's coordinators, or its Member State's delegates.
                Kind::Report => rihub_domain::experience::may_read_draft(&m.roles, region, record.get("member_state").as_str()),
                Kind::Initiative => permissions::allows(&m.roles, Action::EditInitiative, Scope::Region(region)),
                _ => permissions::allows(&m.roles, Action::EditProject, Scope::Region(region)),
            })
        })
    };
    view! {
        <h1>{t!(i18n, translate.title)}</h1>
        <LocalDataGate>
            <WholeRecords keys=Signal::derive(move || key.get().into_iter().collect())>
            {move || match found.get() {
                None => view! { <ErrorNotice error=ApiError::NotFound/> }.into_any(),
                Some((key, record, region)) if !allowed(key.kind, region, &record) => view! {
                    <p class="notice warn" role="alert">{t!(i18n, translate.not_allowed)}</p>
                }.into_any(),
                Some((key, record, _)) => view! { <TranslateRecord key record to desk/> }.into_any(),
            }}
            </WholeRecords>
        </LocalDataGate>
    }
}

#[component]
fn TranslateRecord(key: RecordKey, record: SyncedRecord, to: RwSignal<Lang>, desk: Desk) -> impl IntoView {
    let i18n = use_i18n();
    let texts = translation::texts(key.kind, &record.fields);
    let title = texts.first().map(|(_, t)| t.clone()).unwrap_or_default();
    let record_href = use_sync().records.with_untracked(|r| links::record(r, &key));
    let nothing = texts.iter().all(|(_, t)| t.is_empty());
    view! {
        <p class="card-meta">
            <span>{move || labels::record_kind(i18n.get_locale(), key.kind)}</span>
            <a href=record_href><LocalizedText text=title/></a>
        </p>
        <PendingNotice key=key.clone()/>
        <ConflictList key=key.clone()/>
        <div class="field">
            <label for="translate-to">{t!(i18n, translate.into)}</label>
            <select id="translate-to" prop:value=move || to.get().code() on:change=move |ev| {
                if let Some(lang) = Lang::from_code(&event_target_value(&ev)) { to.set(lang) }
            }>
                {Lang::ALL.into_iter().map(|l| view! { <option value=l.code()>{l.endonym()}</option> }).collect_view()}
            </select>
        </div>
        {if nothing {
            view! { <Empty>{t!(i18n, translate.nothing)}</Empty> }.into_any()
        } else {
            texts.into_iter().filter(|(_, t)| !t.is_empty()).map(|(field, text)| view! {
                <TranslateField key=key.clone() base=record.clone() field text to desk/>
            }).collect_view().into_any()
        }}
    }
}

#[component]
fn TranslateField(key: RecordKey, base: SyncedRecord, field: &'static str, text: Text, to: RwSignal<Lang>, desk: Desk) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let kind = key.kind;
    let Desk { drafts, saved } = desk;
    let (error, set_error) = signal(None::<ApiError>);
    // The source: the language this translation was made from, else the original.
    let source_for = {
        let text = text.clone();
        move |to: Lang| {
            text.source(to).filter(|l| text.get(*l).is_some() && *l != to).or_else(|| text.original().map(|(l, _)| l).filter(|l| *l != to))
        }
    };
    let chosen = RwSignal::new(None::<Lang>);
    let from = Memo::new(move |_| chosen.get().filter(|l| *l != to.get()).or_else(|| source_for(to.get())));
    let text_now = StoredValue::new(text);
    let draft = move || {
        let lang = to.get();
        drafts
            .with(|d| d.get(&(field, lang)).cloned())
            .unwrap_or_else(|| text_now.with_value(|t| t.get(lang).unwrap_or_default().to_string()))
    };
    let status = move || text_now.with_value(|t| t.status(to.get()));
    let id = format!("translation-{field}");
    let from_id = format!("source-{field}");
    let save = move |_| {
        let (Some(from), lang) = (from.get_untracked(), to.get_untracked()) else { return };
        let mut text = text_now.get_value();
        if !text.translate(lang, draft(), from) {
            return;
        }
        let mut fields = base.fields.clone();
        fields.insert(field.to_string(), serde_json::to_value(&text).unwrap_or_default());
        let op = Op::edit_from(&key, &base, &fields);
        saved.set(None);
        spawn_local(async move {
            match sync.mutate(op).await {
                Ok(()) => {
                    drafts.update(|d| {
                        d.remove(&(field, lang));
                    });
                    set_error.set(None);
                    saved.set(Some((field, lang)));
                }
                Err(rejected) => set_error.set(Some(rejected.into())),
            }
        });
    };
    view! {
        <section class="translate-field" data-field=field>
            <h2>{move || labels::text_field(i18n.get_locale(), kind, field)}</h2>
            <div class="side-by-side">
                <div class="source">
                    <label for=from_id.clone()>{t!(i18n, translate.from)}</label>
                    <select id=from_id prop:value=move || from.get().map(|l| l.code()).unwrap_or_default()
                        on:change=move |ev| chosen.set(Lang::from_code(&event_target_value(&ev)))>
                        {move || text_now.with_value(|t| t.languages().filter(|l| *l != to.get()).collect::<Vec<_>>()).into_iter().map(|l| view! {
                            <option value=l.code()>{l.endonym()}</option>
                        }).collect_view()}
                    </select>
                    <p class="source-text" dir="auto" lang=move || from.get().map(|l| l.code()).unwrap_or_default()>
                        {move || from.get().and_then(|l| text_now.with_value(|t| t.get(l).map(str::to_string))).unwrap_or_default()}
                    </p>
                </div>
                <div class="target">
                    <label for=id.clone()>{move || to.get().endonym()}</label>
                    <span class="badge translation-status" data-status=move || match status() {
                        None => "missing", Some(Status::Original) => "original", Some(Status::Translation) => "current", Some(Status::Outdated) => "outdated",
                    }>
                        {move || match status() {
                            None => t_string!(i18n, translate.missing).to_string(),
                            Some(Status::Original) => t_string!(i18n, translate.original).to_string(),
                            Some(Status::Translation) => t_string!(i18n, translate.current).to_string(),
                            Some(Status::Outdated) => t_string!(i18n, translate.outdated).to_string(),
                        }}
                    </span>
                    <textarea id=id rows="4" dir="auto" lang=move || to.get().code() prop:value=draft
                        on:input=move |ev| { let v = event_target_value(&ev); drafts.update(|d| { d.insert((field, to.get_untracked()), v); }); saved.set(None); }>
                    </textarea>
                    <Show when=move || from.get().is_none()>
                        <p class="muted">{t!(i18n, translate.same_language)}</p>
                    </Show>
                    <div class="actions">
                        <button type="button" class="primary" disabled=move || from.get().is_none() || draft().trim().is_empty() on:click=save>
                            {t!(i18n, translate.save)}
                        </button>
                        <Show when=move || saved.get() == Some((field, to.get()))><span role="status" class="saved">{t!(i18n, translate.saved)}</span></Show>
                    </div>
                    {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
                </div>
            </div>
        </section>
    }
}
