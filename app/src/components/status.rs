//! Loading, error and empty states, the same on every page.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::*;
use crate::labels;
use crate::links;

#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="status loading" role="status" aria-live="polite"><span class="spinner" aria-hidden="true"></span>{t!(i18n, common.loading)}</p> }
}

/// A failed request, said in the person's language, with a retry button when one helps.
#[component]
pub fn ErrorNotice(error: ApiError, #[prop(optional, into)] retry: Option<Callback<()>>) -> impl IntoView {
    let i18n = use_i18n();
    let retryable = matches!(error, ApiError::Offline | ApiError::Server);
    let signed_out = error == ApiError::Unauthenticated;
    let message = move || labels::error(i18n.get_locale(), &error);
    view! {
        <div class="notice error" role="alert">
            <p>{message}</p>
            {retry.filter(|_| retryable).map(|retry| view! {
                <button type="button" on:click=move |_| retry.run(())>{t!(i18n, common.retry)}</button>
            })}
            {signed_out.then(|| view! { <a href=links::LOGIN>{t!(i18n, login.title)}</a> })}
        </div>
    }
}

#[component]
pub fn Empty(children: Children) -> impl IntoView {
    view! { <p class="status empty">{children()}</p> }
}

/// What a page shows instead of a form its reader may not use: said when it opens, not at Save.
pub fn forbidden() -> AnyView {
    view! { <ErrorNotice error=ApiError::Forbidden/> }.into_any()
}
