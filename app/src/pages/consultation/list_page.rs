//! `/consultations`: the consultations this user may see, with where each one stands.

use leptos::prelude::*;
use rihub_domain::permissions::{self, Action};

use super::standing::standing;
use crate::components::local_data::LocalDataGate;
use crate::components::localized_text::LocalizedText;
use crate::components::status::Empty;
use crate::context::{use_region_filter, use_session};
use crate::i18n::*;
use crate::labels;
use crate::links;
use crate::store::records;
use crate::sync::use_sync;

#[component]
pub fn ConsultationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let session = use_session();
    let region = use_region_filter();
    let list = Memo::new(move |_| {
        let region = region.get();
        sync.records
            .with(|r| records::consultations(r).into_iter().filter(|(_, c)| region.is_none_or(|x| x == c.region)).collect::<Vec<_>>())
    });
    let may_open =
        move || session.me.with(|m| m.as_ref().is_some_and(|m| permissions::allows_somewhere(&m.roles, Action::CreateInitiative)));
    view! {
        <div class="page-head">
            <h1>{t!(i18n, consultations.title)}</h1>
            <Show when=may_open><a class="button primary" href=links::NEW_CONSULTATION>{t!(i18n, consultations.new)}</a></Show>
        </div>
        <LocalDataGate first_screen=true>
            <Show when=move || !list.with(Vec::is_empty) fallback=move || view! { <Empty>{t!(i18n, consultations.empty)}</Empty> }>
                <ul class="cards" id="consultation-list">
                    <For each=move || list.get() key=|(id, c)| (id.clone(), c.clone().published_at, c.closes_at) let:item>
                        {
                            let (id, c) = item;
                            let region = c.region;
                            let standing_of = c.clone();
                            view! {
                                <li class="card" data-id=id.clone()>
                                    <div class="card-meta">
                                        <span>{move || labels::region(i18n.get_locale(), region)}</span>
                                        <span class="badge">{move || standing(&standing_of, i18n.get_locale())}</span>
                                    </div>
                                    <h2><a href=links::consultation(&id)><LocalizedText text=c.title.clone()/></a></h2>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </Show>
        </LocalDataGate>
    }
}
