//! The root component and the route table.

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

use crate::components::shell::Shell;
use crate::context::{provide_region_filter, provide_session};
use crate::sync::provide_sync;
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

#[component]
pub fn App() -> impl IntoView {
    provide_session();
    provide_region_filter();
    provide_sync();
    view! {
        <I18nContextProvider>
            <RememberedLanguage/>
            <Router>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/login") view=LoginPage/>
                    <Route path=path!("/invite/:token") view=InvitePage/>
                    <ParentRoute path=path!("") view=Shell>
                        <Route path=path!("") view=InitiativesPage/>
                        <Route path=path!("initiatives/new") view=InitiativeFormPage/>
                        <Route path=path!("initiatives/:id") view=InitiativePage/>
                        <Route path=path!("initiatives/:id/edit") view=InitiativeFormPage/>
                        <Route path=path!("initiatives/:id/projects/new") view=ProjectFormPage/>
                        <Route path=path!("projects/:id") view=ProjectPage/>
                        <Route path=path!("projects/:id/edit") view=ProjectFormPage/>
                        <Route path=path!("projects/:id/reports/new") view=ReportFormPage/>
                        <Route path=path!("projects/:id/replicate") view=ReplicatePage/>
                        <Route path=path!("reports/:id") view=ReportPage/>
                        <Route path=path!("reports/:id/edit") view=ReportFormPage/>
                        <Route path=path!("search") view=SearchPage/>
                        <Route path=path!("duplicates") view=DuplicatesPage/>
                        <Route path=path!("sync") view=SyncPage/>
                        <Route path=path!("translate/:kind/:id") view=TranslatePage/>
                        <Route path=path!("translations") view=TranslationsPage/>
                        <Route path=path!("consultations") view=ConsultationsPage/>
                        <Route path=path!("consultations/new") view=ConsultationFormPage/>
                        <Route path=path!("consultations/:id") view=ConsultationPage/>
                        <Route path=path!("admin/users") view=AdminUsersPage/>
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
