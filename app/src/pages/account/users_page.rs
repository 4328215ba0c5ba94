//! `/admin/users`: accounts, their roles, enabling and disabling, and invitations.
//! The server refuses all of it to anyone but an admin; this page only mirrors that.

use leptos::prelude::*;
use leptos::task::spawn_local;
use rihub_domain::api::{InviteCreated, NewInvite, SetDisabled, SetRoles, UserSummary};
use rihub_domain::region::Region;
use rihub_domain::role::{Role, RoleKind};

use crate::api::{self, ApiError};
use crate::components::field_message::FieldMessage;
use crate::components::form_state::FormState;
use crate::components::member_state_name::use_member_state_name;
use crate::components::status::{ErrorNotice, Loading};
use crate::components::text_field::plain_field;
use crate::i18n::*;
use crate::labels;

/// Builds a role from the pickers of a role form.
fn role_from(kind: RoleKind, region: Region, scope: &str) -> Role {
    match kind {
        RoleKind::Admin => Role::Admin,
        RoleKind::Observer => Role::Observer,
        RoleKind::Coordinator => Role::Coordinator { region },
        RoleKind::Delegate => Role::Delegate { member_state: scope.trim().to_uppercase() },
        RoleKind::Partner => Role::Partner { organization: scope.trim().to_string() },
    }
}

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let users = LocalResource::new(|| api::get::<Vec<UserSummary>>("/api/admin/users"));
    view! {
        <h1>{t!(i18n, admin.title)}</h1>
        {move || match users.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorNotice error=e retry=Callback::new(move |_| users.refetch())/> }.into_any(),
            Some(Ok(list)) => view! {
                <table class="users stacks">
                    <thead><tr>
                        <th scope="col">{t!(i18n, admin.name)}</th><th scope="col">{t!(i18n, admin.email)}</th>
                        <th scope="col">{t!(i18n, admin.roles)}</th><th scope="col">{t!(i18n, admin.state)}</th>
                    </tr></thead>
                    <tbody>{list.into_iter().map(|u| view! { <UserRow user=u on_change=Callback::new(move |_| users.refetch())/> }).collect_view()}</tbody>
                </table>
                <InviteForm/>
            }.into_any(),
        }}
    }
}

#[component]
fn RolePicker(kind: RwSignal<RoleKind>, region: RwSignal<Region>, scope: RwSignal<String>, id: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <select id=format!("{id}-kind") aria-label=move || t_string!(i18n, admin.role).to_string()
            on:change=move |ev| if let Some(k) = RoleKind::from_key(&event_target_value(&ev)) { kind.set(k) } prop:value=move || kind.get().key()>
            {RoleKind::ALL.into_iter().map(|k| view! { <option value=k.key()>{move || labels::role(i18n.get_locale(), k)}</option> }).collect_view()}
        </select>
        <Show when=move || kind.get() == RoleKind::Coordinator>
            <select aria-label=move || t_string!(i18n, admin.region).to_string() on:change=move |ev| if let Some(r) = Region::from_code(&event_target_value(&ev)) { region.set(r) }
                prop:value=move || region.get().code()>
                {Region::ALL.into_iter().map(|r| view! { <option value=r.code()>{move || labels::region(i18n.get_locale(), r)}</option> }).collect_view()}
            </select>
        </Show>
        <Show when=move || matches!(kind.get(), RoleKind::Delegate | RoleKind::Partner)>
            <input type="text" dir="auto" prop:value=move || scope.get() on:input=move |ev| scope.set(event_target_value(&ev))
                aria-label=move || if kind.get() == RoleKind::Delegate { t_string!(i18n, admin.member_state).to_string() } else { t_string!(i18n, admin.organization).to_string() }/>
        </Show>
    }
}

#[component]
fn UserRow(user: UserSummary, on_change: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let roles = RwSignal::new(user.roles.clone());
    let error = RwSignal::new(None::<ApiError>);
    let kind = RwSignal::new(RoleKind::Observer);
    let region = RwSignal::new(Region::Afr);
    let scope = RwSignal::new(String::new());
    let id = user.id.clone();
    let save_roles = move |new_roles: Vec<Role>| {
        let id = id.clone();
        spawn_local(async move {
            match api::send::<_, ()>(
                gloo_net::http::Method::PUT,
                &format!("/api/admin/users/{id}/roles"),
                &SetRoles { roles: new_roles.clone() },
            )
            .await
            {
                Ok(()) => {
                    roles.set(new_roles);
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let save_add = save_roles.clone();
    let id = user.id.clone();
    let disabled = user.disabled;
    let toggle_disabled = move |_| {
        let id = id.clone();
        spawn_local(async move {
            match api::send::<_, ()>(
                gloo_net::http::Method::PUT,
                &format!("/api/admin/users/{id}/disabled"),
                &SetDisabled { disabled: !disabled },
            )
            .await
            {
                Ok(()) => on_change.run(()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let picker_id = format!("add-role-{}", user.id);
    let state_name = use_member_state_name();
    view! {
        <tr>
            <td dir="auto" data-label=move || t_string!(i18n, admin.name).to_string()>{user.name.clone()}</td>
            // An address runs left to right, beside its label on a right-to-left page too.
            <td data-label=move || t_string!(i18n, admin.email).to_string()><bdi dir="ltr">{user.email.clone()}</bdi></td>
            <td data-label=move || t_string!(i18n, admin.roles).to_string()>
                <ul class="chips">
                    {move || roles.get().into_iter().map(|r| {
                        let save = save_roles.clone();
                        let label = labels::role_label(i18n.get_locale(), &r, state_name);
                        view! { <li class="chip">{label.clone()}
                            <button type="button" class="link" aria-label=format!("{} {label}", t_string!(i18n, common.remove))
                                on:click=move |_| save(roles.get_untracked().into_iter().filter(|x| *x != r).collect())>"×"</button></li> }
                    }).collect_view()}
                </ul>
                <div class="row compact-row">
                    <RolePicker kind region scope id=picker_id/>
                    <button type="button" on:click=move |_| {
                        let mut next = roles.get_untracked();
                        next.push(role_from(kind.get_untracked(), region.get_untracked(), &scope.get_untracked()));
                        save_add(next);
                    }>{t!(i18n, admin.add_role)}</button>
                </div>
                {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
            </td>
            <td data-label=move || t_string!(i18n, admin.state).to_string()>
                {if disabled { t!(i18n, admin.disabled).into_any() } else { t!(i18n, admin.active).into_any() }}
                " "
                <button type="button" class="link" on:click=toggle_disabled>
                    {if disabled { t!(i18n, admin.enable).into_any() } else { t!(i18n, admin.disable).into_any() }}
                </button>
            </td>
        </tr>
    }
}

#[component]
fn InviteForm() -> impl IntoView {
    let i18n = use_i18n();
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(RoleKind::Delegate);
    let region = RwSignal::new(Region::Afr);
    let scope = RwSignal::new(String::new());
    let state = FormState::new();
    let errors = state.errors;
    let created = RwSignal::new(None::<InviteCreated>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !state.begin(Ok(())) {
            return;
        }
        let body = NewInvite {
            email: email.get_untracked(),
            name: name.get_untracked(),
            roles: vec![role_from(kind.get_untracked(), region.get_untracked(), &scope.get_untracked())],
        };
        spawn_local(async move {
            match api::send::<_, InviteCreated>(gloo_net::http::Method::POST, "/api/admin/invites", &body).await {
                Ok(c) => {
                    created.set(Some(c));
                    state.succeed();
                }
                Err(e) => state.fail(e),
            }
        });
    };
    view! {
        <section aria-labelledby="invite-heading">
            <h2 id="invite-heading">{t!(i18n, admin.invite)}</h2>
            <form class="record-form" on:submit=submit novalidate>
                {plain_field(errors, "email", t!(i18n, admin.email), "email", move || email.get(), move |v| email.set(v), None)}
                {plain_field(errors, "name", t!(i18n, admin.name), "text", move || name.get(), move |v| name.set(v), None)}
                <div class="row compact-row"><RolePicker kind region scope id="invite-role".to_string()/></div>
                <FieldMessage errors field="roles"/>
                {move || state.failure.get().map(|e| view! { <ErrorNotice error=e/> })}
                <button type="submit" class="primary" disabled=move || state.pending.get()>{t!(i18n, admin.invite_submit)}</button>
            </form>
            {move || created.get().map(|c| {
                let date = chrono::DateTime::from_timestamp(c.expires_at, 0).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
                view! {
                    <div class="notice" role="status">
                        <p>{t!(i18n, admin.invite_link, date = move || date.clone())}</p>
                        <input id="invite-link" type="text" readonly dir="ltr" prop:value=c.link.clone()/>
                    </div>
                }
            })}
        </section>
    }
}
