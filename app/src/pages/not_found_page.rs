//! Any path no route matches.

use leptos::prelude::*;

use crate::i18n::*;
use crate::links;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <main id="main" class="narrow">
            <h1>{t!(i18n, not_found.title)}</h1>
            <p><a href=links::INITIATIVES>{t!(i18n, not_found.home)}</a></p>
        </main>
    }
}
