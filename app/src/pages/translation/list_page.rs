//! `/translations?lang=fr`: what needs translation into a language, counted by region and
//! listed for the region chosen in the header. Computed from the records on the device, so a
//! translator can work through it offline.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use rihub_domain::lang::Lang;
use rihub_domain::region::Region;
use rihub_domain::sync::record::{Kind, RecordKey};
use rihub_domain::text::Text;
use rihub_domain::translation;

use crate::components::local_data::LocalDataGate;
use crate::components::localized_text::{LocalizedText, reader_lang};
use crate::components::status::Empty;
use crate::context::use_region_filter;
use crate::i18n::*;
use crate::labels;
use crate::links;
use crate::store::records;
use crate::sync::use_sync;

/// A record with texts to translate into the chosen language.
#[derive(Clone, PartialEq)]
struct Work {
    key: RecordKey,
    region: Region,
    title: Text,
    fields: Vec<&'static str>,
}

#[component]
pub fn TranslationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let region = use_region_filter();
    let query = use_query_map();
    let initial = query.with_untracked(|q| q.get("lang")).and_then(|c| Lang::from_code(&c));
    let lang = RwSignal::new(initial.unwrap_or_else(|| reader_lang(i18n.get_locale_untracked())));
    let work = Memo::new(move |_| {
        let lang = lang.get();
        sync.records.with(|all| {
            let mut list: Vec<Work> = all
                .iter()
                .filter_map(|(key, record)| {
                    let fields = translation::needing(key.kind, &record.fields, lang);
                    if fields.is_empty() {
                        return None;
                    }
                    let title = translation::texts(key.kind, &record.fields).into_iter().next().map(|(_, t)| t).unwrap_or_default();
                    Some(Work { key: key.clone(), region: records::region(all, key)?, title, fields })
                })
                .collect();
            list.sort_by(|a, b| (a.region, a.key.kind, &a.key.id).cmp(&(b.region, b.key.kind, &b.key.id)));
            list
        })
    });
    let count_in = move |r: Region| work.with(|w| w.iter().filter(|x| x.region == r).count());
    let shown = move || work.get().into_iter().filter(|w| region.get().is_none_or(|r| r == w.region)).collect::<Vec<_>>();
    // Of records kept as summaries (`working_set`) only the titles are on this device.
    let summaries = Memo::new(move |_| sync.records.with(|r| r.values().any(|r| r.summary)));
    view! {
        <h1>{t!(i18n, translations.title)}</h1>
        <p>{t!(i18n, translations.intro)}</p>
        <div class="field compact">
            <label for="translations-lang">{t!(i18n, translations.language)}</label>
            <select id="translations-lang" prop:value=move || lang.get().code()
                on:change=move |ev| if let Some(l) = Lang::from_code(&event_target_value(&ev)) { lang.set(l) }>
                {Lang::ALL.into_iter().map(|l| view! { <option value=l.code()>{l.endonym()}</option> }).collect_view()}
            </select>
        </div>
        <LocalDataGate>
            <h2>{t!(i18n, translations.by_region)}</h2>
            <table id="translation-counts">
                <tbody>
                    {Region::ALL.into_iter().map(|r| view! {
                        <tr data-region=r.code()>
                            <th scope="row">{move || labels::region(i18n.get_locale(), r)}</th>
                            <td class="count">{move || crate::intl::number(count_in(r) as f64, i18n.get_locale())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <Show when=move || summaries.get()>
                <p class="muted" id="translation-summaries"><a href="/sync">{t!(i18n, translations.summaries)}</a></p>
            </Show>
            <h2 id="translation-work-heading">{move || crate::plural!(i18n, plural_records, shown().len())}</h2>
            <Show when=move || !shown().is_empty() fallback=move || view! { <Empty>{t!(i18n, translations.empty)}</Empty> }>
                <ul class="cards" id="translation-work">
                    <For each=shown key=|w| (w.key.clone(), w.fields.clone()) let:w>
                        <WorkItem work=w lang=lang.get_untracked()/>
                    </For>
                </ul>
            </Show>
        </LocalDataGate>
    }
}

#[component]
fn WorkItem(work: Work, lang: Lang) -> impl IntoView {
    let i18n = use_i18n();
    let kind: Kind = work.key.kind;
    let fields = work.fields.clone();
    let href = links::translate(&work.key, Some(lang));
    view! {
        <li class="card" data-id=work.key.id.clone()>
            <div class="card-meta">
                <span>{move || labels::record_kind(i18n.get_locale(), kind)}</span>
                <span>{move || labels::region(i18n.get_locale(), work.region)}</span>
            </div>
            <h3><LocalizedText text=work.title/></h3>
            <p class="muted">
                {t!(i18n, translations.fields)}": "
                {move || fields.iter().map(|f| labels::text_field(i18n.get_locale(), kind, f)).collect::<Vec<_>>().join(" · ")}
            </p>
            <a class="button" href=href>{t!(i18n, common.translate)}</a>
        </li>
    }
}
