//! "Similar in other regions": the closest records of other regions by their texts, as the
//! server finds them (it holds every region's records; a device holds only what it may read).

use leptos::prelude::*;
use rihub_domain::search::Found;
use rihub_domain::sync::record::RecordKey;

use crate::api::{self, ApiError};
use crate::components::found_list::FoundList;
use crate::components::status::{Empty, ErrorNotice};
use crate::i18n::*;

#[component]
pub fn Similar(key: RecordKey) -> impl IntoView {
    let i18n = use_i18n();
    let path = format!("/api/similar/{}/{}", key.kind.code(), key.id);
    let similar = LocalResource::new(move || {
        let path = path.clone();
        async move { api::get::<Vec<Found>>(&path).await }
    });
    view! {
        <section class="similar" aria-labelledby="similar-title">
            <h2 id="similar-title">{t!(i18n, similar.title)}</h2>
            {move || match similar.get() {
                None => view! { <p class="status loading" role="status"><span class="spinner" aria-hidden="true"></span>{t!(i18n, similar.loading)}</p> }.into_any(),
                Some(Err(ApiError::Offline)) => view! {
                    <p class="status">{t!(i18n, similar.offline)}" "
                        <button type="button" class="link" on:click=move |_| similar.refetch()>{t!(i18n, common.retry)}</button></p>
                }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e retry=Callback::new(move |_| similar.refetch())/> }.into_any(),
                Some(Ok(found)) if found.is_empty() => view! { <Empty>{t!(i18n, similar.none)}</Empty> }.into_any(),
                Some(Ok(found)) => view! { <FoundList found/> }.into_any(),
            }}
        </section>
    }
}
