//! Any path no route matches, shown in the frame of signed-in pages.

use leptos::prelude::*;

use crate::i18n::*;
use crate::links;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        // Inside the frame's `main`.
        <div class="narrow">
            <h1>{t!(i18n, not_found.title)}</h1>
            <p><a href=links::INITIATIVES>{t!(i18n, not_found.home)}</a></p>
        </div>
    }
}
