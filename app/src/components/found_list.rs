//! A list of records found by a search or by "similar": kind, region, title, and where each
//! matched (search) or the words it shares (similar).

use leptos::prelude::*;
use rihub_domain::search::{Found, Snippet};
use rihub_domain::sync::record::RecordKey;

use crate::components::localized_text::LocalizedText;
use crate::i18n::*;
use crate::intl;
use crate::labels;
use crate::links;
use crate::sync::use_sync;

#[component]
pub fn FoundList(found: Vec<Found>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    view! {
        <ul class="cards found">
            {found.into_iter().map(|f| {
                let key = RecordKey { kind: f.kind, id: f.id.clone() };
                let href = sync.records.with_untracked(|r| links::record(r, &key));
                let kind = f.kind;
                let region = f.region;
                let score = f.score;
                let shared = (!f.shared.is_empty()).then(|| f.shared.join(", "));
                view! {
                    <li class="card">
                        <p class="card-meta">
                            <span class="badge">{move || labels::record_kind(i18n.get_locale(), kind)}</span>
                            {region.map(|r| view! { <span>{move || labels::region(i18n.get_locale(), r)}</span> })}
                            {shared.is_some().then(|| view! {
                                <span>{t!(i18n, similar.score)}": "{move || intl::percent(score, i18n.get_locale())}</span>
                            })}
                        </p>
                        <a href=href><LocalizedText text=f.title.clone()/></a>
                        {shared.map(|words| view! { <p class="hint">{t!(i18n, similar.shared)}": "<span dir="auto">{words}</span></p> })}
                        {f.matches.into_iter().map(|s| view! { <SnippetView snippet=s/> }).collect_view()}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// Where a record matched, with the matched words marked.
#[component]
fn SnippetView(snippet: Snippet) -> impl IntoView {
    view! {
        <p class="snippet" lang=snippet.lang.code() dir="auto">
            <span class="lang-mark">{snippet.lang.code()}</span>" "
            {snippet.parts.into_iter().map(|p| match p.hit {
                true => view! { <mark>{p.text}</mark> }.into_any(),
                false => view! { <span>{p.text}</span> }.into_any(),
            }).collect_view()}
        </p>
    }
}
