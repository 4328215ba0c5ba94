//! The root component and the route table.

use std::pin::Pin;

use leptos::prelude::*;
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::hooks::use_params_map;
use leptos_router::{Lazy, LazyRoute, path};

use crate::components::member_state_name::provide_member_state_names;
use crate::components::shell::Shell;
use crate::context::remembered_lang;
use crate::context::{provide_region_filter, provide_session};
use crate::i18n::*;
use crate::pages::account::{invite_page::InvitePage, login_page::LoginPage, users_page::AdminUsersPage};
use crate::pages::consultation::{form_page::ConsultationFormPage, list_page::ConsultationsPage, page::ConsultationPage};
use crate::pages::initiative::{
    duplicates_page::DuplicatesPage, form_page::InitiativeFormPage, list_page::InitiativesPage, page::InitiativePage,
};
use crate::pages::project::{form_page::ProjectFormPage, page::ProjectPage, replicate_page::ReplicatePage};
use crate::pages::report::{form_page::ReportFormPage, page::ReportPage};
use crate::pages::translation::{list_page::TranslationsPage, page::TranslatePage};
use crate::pages::{not_found_page::NotFoundPage, search_page::SearchPage, sync_page::SyncPage};
use crate::sync::provide_sync;
use crate::sync::settled::once_settled;

/// The pages in a few groups, each a wasm chunk of its own (`docs/decisions.md`): the first
/// download is the shell and one group; the others are fetched once the first screen has its
/// records, so the app keeps working if the network goes (the service worker precaches them
/// too). Each page is a lazy route of `leptos_router` whose code is its group's chunk
/// (`lazy::InitiativePage` …); one whose chunk cannot be fetched says so and offers to try
/// again.
macro_rules! lazy_page_groups {
    ($($(#[$doc:meta])* $group:ident { $($page:ident),* $(,)? })*) => {
        $(
            $(#[$doc])*
            mod $group {
                use super::*;

                #[allow(clippy::enum_variant_names)]
                pub enum Page {
                    $($page),*
                }

                /// What makes the page's view: a function in the chunk.
                #[leptos::wasm_split::wasm_split($group, wasm_split_path = ::leptos::wasm_split, preload(preload), fallible)]
                pub fn view(page: Page) -> Result<fn() -> AnyView, leptos::wasm_split::SplitLoaderError> {
                    Ok(match page {
                        $(Page::$page => || view! { <$page/> }.into_any(),)*
                    })
                }
            }
        )*

        /// The route table's views: each page, once its group's chunk is on the device.
        mod lazy {
            use super::*;

            $($(
                pub struct $page;

                impl LazyRoute for $page {
                    fn data() -> Self {
                        $page
                    }

                    async fn view(_: Self) -> AnyView {
                        shown(|| Box::pin(super::$group::view(super::$group::Page::$page))).await
                    }
                }
            )*)*
        }

        /// Fetches every group's chunk, one after another.
        fn preload_every_group() {
            leptos::task::spawn_local(async {
                // A group that fails now is fetched again when one of its pages opens.
                $(let _ = $group::preload().await;)*
            });
        }
    };
}

lazy_page_groups! {
    /// Pages for someone not signed in.
    signed_out { LoginPage, InvitePage }
    /// The first screen.
    initiatives { InitiativesPage }
    /// The record pages.
    reading { InitiativePage, ProjectPage, ReportPage }
    /// Forms and translations.
    writing { InitiativeFormPage, ProjectFormPage, ReportFormPage, ReplicatePage, TranslatePage, TranslationsPage }
    /// Consultations of Member States.
    consulting { ConsultationsPage, ConsultationPage, ConsultationFormPage }
    /// Search, duplicates, sync details, user administration.
    tools { SearchPage, DuplicatesPage, SyncPage, AdminUsersPage }
}

/// Fetches a page's chunk (if this device has not yet) and gives what makes its view.
type Load = fn() -> Pin<Box<dyn Future<Output = Result<fn() -> AnyView, leptos::wasm_split::SplitLoaderError>>>>;

/// A page's view once `load` has its code, made anew whenever the path's parameters change
/// (from one initiative to another), so that every page is made for the record it shows; or,
/// if its code could not be fetched, a notice saying so.
async fn shown(load: Load) -> AnyView {
    match load().await {
        Ok(page) => view! { <ForItsParams page/> }.into_any(),
        Err(_) => view! { <PageUnavailable load/> }.into_any(),
    }
}

#[component]
fn ForItsParams(page: fn() -> AnyView) -> impl IntoView {
    let params = use_params_map();
    move || {
        params.track();
        page()
    }
}

/// A page whose code could not be fetched (offline, before this device had it): trying again
/// fetches it, with the progress bar, and shows the page once it has come.
#[component]
fn PageUnavailable(load: Load) -> impl IntoView {
    let i18n = use_i18n();
    let opening = expect_context::<OpeningPage>().0;
    let page = RwSignal::new(None::<fn() -> AnyView>);
    let retry = move |_| {
        opening.set(true);
        leptos::task::spawn_local(async move {
            let loaded = load().await;
            opening.set(false);
            page.set(loaded.ok());
        });
    };
    move || match page.get() {
        Some(page) => view! { <ForItsParams page/> }.into_any(),
        None => view! {
            <div class="notice error" role="alert">
                <p>{t!(i18n, errors.page_unavailable)}</p>
                <button type="button" on:click=retry>{t!(i18n, common.retry)}</button>
            </div>
        }
        .into_any(),
    }
}

/// Whether a page's code is on its way: the progress bar along the top edge.
#[derive(Clone, Copy)]
struct OpeningPage(RwSignal<bool>);

#[component]
pub fn App() -> impl IntoView {
    let session = provide_session();
    provide_region_filter();
    provide_member_state_names();
    provide_sync(session);
    once_settled(preload_every_group);
    let opening = RwSignal::new(false);
    provide_context(OpeningPage(opening));
    view! {
        <I18nContextProvider>
            <RememberedLanguage/>
            <Router set_is_routing=opening>
                <Show when=move || opening.get()>
                    <div class="opening-page" role="progressbar" aria-label=move || t_string!(use_i18n(), nav.opening_page)></div>
                </Show>
                // The shell frames every page but signing in and accepting an invitation.
                <Shell>
                    <FlatRoutes fallback=NotFoundPage>
                        <Route path=path!("/login") view={Lazy::<lazy::LoginPage>::new()}/>
                        <Route path=path!("/invite/:token") view={Lazy::<lazy::InvitePage>::new()}/>
                        <Route path=path!("/") view={Lazy::<lazy::InitiativesPage>::new()}/>
                        <Route path=path!("/initiatives/new") view={Lazy::<lazy::InitiativeFormPage>::new()}/>
                        <Route path=path!("/initiatives/:id") view={Lazy::<lazy::InitiativePage>::new()}/>
                        <Route path=path!("/initiatives/:id/edit") view={Lazy::<lazy::InitiativeFormPage>::new()}/>
                        <Route path=path!("/initiatives/:id/projects/new") view={Lazy::<lazy::ProjectFormPage>::new()}/>
                        <Route path=path!("/projects/:id") view={Lazy::<lazy::ProjectPage>::new()}/>
                        <Route path=path!("/projects/:id/edit") view={Lazy::<lazy::ProjectFormPage>::new()}/>
                        <Route path=path!("/projects/:id/reports/new") view={Lazy::<lazy::ReportFormPage>::new()}/>
                        <Route path=path!("/projects/:id/replicate") view={Lazy::<lazy::ReplicatePage>::new()}/>
                        <Route path=path!("/reports/:id") view={Lazy::<lazy::ReportPage>::new()}/>
                        <Route path=path!("/reports/:id/edit") view={Lazy::<lazy::ReportFormPage>::new()}/>
                        <Route path=path!("/search") view={Lazy::<lazy::SearchPage>::new()}/>
                        <Route path=path!("/duplicates") view={Lazy::<lazy::DuplicatesPage>::new()}/>
                        <Route path=path!("/sync") view={Lazy::<lazy::SyncPage>::new()}/>
                        <Route path=path!("/translate/:kind/:id") view={Lazy::<lazy::TranslatePage>::new()}/>
                        <Route path=path!("/translations") view={Lazy::<lazy::TranslationsPage>::new()}/>
                        <Route path=path!("/consultations") view={Lazy::<lazy::ConsultationsPage>::new()}/>
                        <Route path=path!("/consultations/new") view={Lazy::<lazy::ConsultationFormPage>::new()}/>
                        <Route path=path!("/consultations/:id") view={Lazy::<lazy::ConsultationPage>::new()}/>
                        <Route path=path!("/admin/users") view={Lazy::<lazy::AdminUsersPage>::new()}/>
                    </FlatRoutes>
                </Shell>
            </Router>
        </I18nContextProvider>
    }
}

/// Starts in the language last chosen on this device, if any; otherwise the browser's.
#[component]
fn RememberedLanguage() -> impl IntoView {
    let i18n = use_i18n();
    // In an effect: the provider sets the browser's language in its own first effect, and
    // effects run in the order they were made, so this one comes after it.
    Effect::new(move |_| {
        if let Some(locale) = remembered_lang().and_then(|code| Locale::get_all().iter().copied().find(|l| l.as_str() == code)) {
            i18n.set_locale(locale);
        }
    });
}
