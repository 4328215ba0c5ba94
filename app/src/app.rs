//! The root component and the route table.

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{Lazy, LazyRoute, path};

use crate::components::shell::Shell;
use crate::context::{provide_region_filter, provide_session};
use crate::sync::provide_sync;
use crate::sync::settled::once_settled;
use crate::context::remembered_lang;
use crate::i18n::*;
use crate::pages::{
    admin_users_page::AdminUsersPage, consultation_form_page::ConsultationFormPage, consultation_page::ConsultationPage,
    consultations_page::ConsultationsPage, initiative_form_page::InitiativeFormPage, initiative_page::InitiativePage,
    initiatives_page::InitiativesPage, invite_page::InvitePage, login_page::LoginPage, not_found_page::NotFoundPage,
    project_form_page::ProjectFormPage, project_page::ProjectPage, sync_page::SyncPage, translate_page::TranslatePage,
    translations_page::TranslationsPage, duplicates_page::DuplicatesPage, replicate_page::ReplicatePage,
    report_form_page::ReportFormPage, report_page::ReportPage, search_page::SearchPage,
};

/// The pages in a few groups, each a wasm chunk of its own (`docs/decisions.md`): the first
/// download is the shell and one group; the others are fetched once the first screen has its
/// records, so the app keeps working if the network goes (the service worker precaches them
/// too). A page whose chunk cannot be fetched says so and offers to try again.
macro_rules! lazy_page_groups {
    ($($(#[$doc:meta])* $group:ident { $($page:ident => $route:ident),* $(,)? })*) => {
        $(
            $(#[$doc])*
            mod $group {
                use super::*;

                // Named as the page components are.
                #[allow(clippy::enum_variant_names)]
                pub enum Page {
                    $($page),*
                }

                #[leptos::wasm_split::wasm_split($group, wasm_split_path = ::leptos::wasm_split, preload(preload), fallible)]
                pub fn view(page: Page) -> Result<AnyView, leptos::wasm_split::SplitLoaderError> {
                    Ok(match page {
                        $(Page::$page => view! { <$page/> }.into_any()),*
                    })
                }
            }

            $(
                struct $route;

                impl LazyRoute for $route {
                    fn data() -> Self {
                        $route
                    }

                    async fn view(_route: Self) -> AnyView {
                        let opening = Opening::start();
                        let view = $group::view($group::Page::$page).await;
                        drop(opening);
                        view.unwrap_or_else(|_| view! { <PageUnavailable/> }.into_any())
                    }
                }
            )*
        )*

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
    signed_out {
        LoginPage => LoginRoute,
        InvitePage => InviteRoute,
    }
    /// The first screen.
    initiatives {
        InitiativesPage => InitiativesRoute,
    }
    /// The record pages.
    reading {
        InitiativePage => InitiativeRoute,
        ProjectPage => ProjectRoute,
        ReportPage => ReportRoute,
    }
    /// Forms and translations.
    writing {
        InitiativeFormPage => InitiativeFormRoute,
        ProjectFormPage => ProjectFormRoute,
        ReportFormPage => ReportFormRoute,
        ReplicatePage => ReplicateRoute,
        TranslatePage => TranslateRoute,
        TranslationsPage => TranslationsRoute,
    }
    /// Consultations of Member States.
    consulting {
        ConsultationsPage => ConsultationsRoute,
        ConsultationPage => ConsultationRoute,
        ConsultationFormPage => ConsultationFormRoute,
    }
    /// Search, duplicates, sync details, user administration.
    tools {
        SearchPage => SearchRoute,
        DuplicatesPage => DuplicatesRoute,
        SyncPage => SyncRoute,
        AdminUsersPage => AdminUsersRoute,
    }
}

/// A page whose code could not be fetched: trying again reloads it.
#[component]
fn PageUnavailable() -> impl IntoView {
    let i18n = use_i18n();
    let reload = |_| {
        let _ = window().location().reload();
    };
    view! {
        <div class="notice error" role="alert">
            <p>{t!(i18n, errors.page_unavailable)}</p>
            <button type="button" on:click=reload>{t!(i18n, common.retry)}</button>
        </div>
    }
}

/// How many pages are waiting for their code after a link was followed.
#[derive(Clone, Copy)]
struct OpeningPage(RwSignal<u32>);

/// One page waiting for its code; it stops counting when dropped, also when the router
/// abandons the load for a newer link.
struct Opening(Option<RwSignal<u32>>);

impl Opening {
    fn start() -> Self {
        let count = use_context::<OpeningPage>().map(|o| o.0);
        count.inspect(|c| c.update(|n| *n += 1));
        Opening(count)
    }
}

impl Drop for Opening {
    fn drop(&mut self) {
        if let Some(count) = self.0 {
            let _ = count.try_update(|n| *n = n.saturating_sub(1));
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_session();
    provide_region_filter();
    provide_sync();
    once_settled(preload_every_group);
    let opening = RwSignal::new(0);
    provide_context(OpeningPage(opening));
    let is_opening = move || opening.get() > 0;
    view! {
        <I18nContextProvider>
            <RememberedLanguage/>
            <Show when=is_opening>
                <div class="opening-page" role="progressbar" aria-label=move || t_string!(use_i18n(), nav.opening_page)></div>
            </Show>
            <Router>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/login") view={Lazy::<LoginRoute>::new()}/>
                    <Route path=path!("/invite/:token") view={Lazy::<InviteRoute>::new()}/>
                    <ParentRoute path=path!("") view=Shell>
                        <Route path=path!("") view={Lazy::<InitiativesRoute>::new()}/>
                        <Route path=path!("initiatives/new") view={Lazy::<InitiativeFormRoute>::new()}/>
                        <Route path=path!("initiatives/:id") view={Lazy::<InitiativeRoute>::new()}/>
                        <Route path=path!("initiatives/:id/edit") view={Lazy::<InitiativeFormRoute>::new()}/>
                        <Route path=path!("initiatives/:id/projects/new") view={Lazy::<ProjectFormRoute>::new()}/>
                        <Route path=path!("projects/:id") view={Lazy::<ProjectRoute>::new()}/>
                        <Route path=path!("projects/:id/edit") view={Lazy::<ProjectFormRoute>::new()}/>
                        <Route path=path!("projects/:id/reports/new") view={Lazy::<ReportFormRoute>::new()}/>
                        <Route path=path!("projects/:id/replicate") view={Lazy::<ReplicateRoute>::new()}/>
                        <Route path=path!("reports/:id") view={Lazy::<ReportRoute>::new()}/>
                        <Route path=path!("reports/:id/edit") view={Lazy::<ReportFormRoute>::new()}/>
                        <Route path=path!("search") view={Lazy::<SearchRoute>::new()}/>
                        <Route path=path!("duplicates") view={Lazy::<DuplicatesRoute>::new()}/>
                        <Route path=path!("sync") view={Lazy::<SyncRoute>::new()}/>
                        <Route path=path!("translate/:kind/:id") view={Lazy::<TranslateRoute>::new()}/>
                        <Route path=path!("translations") view={Lazy::<TranslationsRoute>::new()}/>
                        <Route path=path!("consultations") view={Lazy::<ConsultationsRoute>::new()}/>
                        <Route path=path!("consultations/new") view={Lazy::<ConsultationFormRoute>::new()}/>
                        <Route path=path!("consultations/:id") view={Lazy::<ConsultationRoute>::new()}/>
                        <Route path=path!("admin/users") view={Lazy::<AdminUsersRoute>::new()}/>
                    </ParentRoute>
                </Routes>
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
