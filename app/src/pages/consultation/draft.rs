//! A Member State's answers to a consultation: the shared draft (every change is a synced edit,
//! so it works offline and the state's delegates can write it together), the submission and
//! its receipt.

use leptos::prelude::*;
use leptos::task::spawn_local;
use rihub_domain::consultation::ConsultationFields;
use rihub_domain::consultation::contribution::{ContributionFields, Offer, PartnerSuggestion, contribution_id};
use rihub_domain::organization::OrgKind;
use rihub_domain::project::Money;
use rihub_domain::sync::mutation::Op;
use rihub_domain::sync::record::{Kind, fields_of};

use crate::api::ApiError;
use crate::components::localized_text::LocalizedText;
use crate::components::member_state_name::use_member_state_name;
use crate::components::pending_notice::PendingNotice;
use crate::components::status::ErrorNotice;
use crate::i18n::*;
use crate::intl;
use crate::labels;
use crate::store::records;
use crate::sync::use_sync;

/// An initiative's code and title, from the records on this device.
#[component]
pub fn InitiativeName(id: String) -> impl IntoView {
    let sync = use_sync();
    let found = sync.records.with_untracked(|r| records::initiative(r, &id));
    match found {
        Some(i) => view! { <span class="code" dir="ltr">{i.fields.code.clone()}</span>" "<LocalizedText text=i.fields.title/> }.into_any(),
        None => view! { <span dir="ltr">{id}</span> }.into_any(),
    }
}

/// A data: URL that downloads `text` as a file.
pub fn download_href(mime: &str, text: &str) -> String {
    format!("data:{mime};charset=utf-8,{}", String::from(js_sys::encode_uri_component(text)))
}

#[component]
pub fn DraftEditor(consultation: String, c: ConsultationFields, state: String) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let record_id = contribution_id(&consultation, &state);
    let key = StoredValue::new(records::key(Kind::Contribution, &record_id));
    let submission_key = StoredValue::new(records::key(Kind::Submission, &record_id));
    let ids = StoredValue::new((consultation.clone(), state.clone()));
    let initiatives = StoredValue::new(c.initiatives.clone());
    let draft = Memo::new(move |_| {
        let (cid, ms) = ids.get_value();
        sync.records.with(|r| records::contribution(r, &cid, &ms)).unwrap_or_else(|| ContributionFields::new(&cid, &ms))
    });
    let submission = Memo::new(move |_| ids.with_value(|(cid, ms)| sync.records.with(|r| records::submissions(r, cid, ms))));
    let (error, set_error) = signal(None::<ApiError>);
    let send = move |op: Op| {
        spawn_local(async move {
            match sync.mutate(op).await {
                Ok(()) => set_error.set(None),
                Err(rejected) => set_error.set(Some(rejected.into())),
            }
        });
    };
    // Every change of the draft is saved at once, as an edit of the fields it changes.
    let change = move |edit: Box<dyn FnOnce(&mut ContributionFields)>| {
        let mut next = draft.get_untracked();
        edit(&mut next);
        let key = key.get_value();
        let op = sync.records.with_untracked(|r| match r.get(&key) {
            Some(base) => Op::edit_from(&key, base, &fields_of(&next)),
            None => Op::Create { key: key.clone(), fields: fields_of(&next) },
        });
        send(op);
    };
    let submit = move |_| {
        let content = serde_json::to_value(draft.get_untracked()).unwrap_or_default();
        send(Op::Submit { key: submission_key.get_value(), content });
    };

    // Ranking: most important first; the rest are "not ranked".
    let ranked = move || draft.with(|d| d.ranking.clone());
    let unranked =
        move || initiatives.with_value(|all| all.iter().filter(|i| !draft.with(|d| d.ranking.contains(i))).cloned().collect::<Vec<_>>());
    let move_by = move |i: usize, up: bool| {
        change(Box::new(move |d| {
            let j = if up { i.checked_sub(1) } else { Some(i + 1).filter(|j| *j < d.ranking.len()) };
            if let Some(j) = j {
                d.ranking.swap(i, j);
            }
        }))
    };

    // The rows being added.
    let partner = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(OrgKind::InternationalOrganization),
        RwSignal::new(String::new()),
    );
    let offer = (
        RwSignal::new(String::new()),
        RwSignal::new(false),
        RwSignal::new(String::new()),
        RwSignal::new("USD".to_string()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let first = c.initiatives.first().cloned().unwrap_or_default();
    partner.0.set(first.clone());
    offer.0.set(first);
    let initiative_options =
        move || initiatives.get_value().into_iter().map(|id| view! { <option value=id.clone()>{id.clone()}</option> }).collect_view();
    let add_partner = move |_| {
        let suggestion = PartnerSuggestion {
            initiative: partner.0.get_untracked(),
            organization: partner.1.get_untracked().trim().to_string(),
            kind: partner.2.get_untracked(),
            role: partner.3.get_untracked(),
        };
        if suggestion.organization.is_empty() {
            return;
        }
        partner.1.set(String::new());
        partner.3.set(String::new());
        change(Box::new(move |d| d.partners.push(suggestion)));
    };
    let add_offer = move |_| {
        let amount: i64 = offer.2.get_untracked().trim().parse().unwrap_or(0);
        let money = Money { amount, currency: offer.3.get_untracked().trim().to_uppercase() };
        let initiative = offer.0.get_untracked();
        let new = if offer.1.get_untracked() {
            let quantity = offer.6.get_untracked().trim().parse().unwrap_or(0.0);
            Offer::InKind { initiative, description: offer.4.get_untracked(), unit: offer.5.get_untracked(), quantity, value: money }
        } else {
            Offer::Cash { initiative, amount: money }
        };
        offer.2.set(String::new());
        change(Box::new(move |d| d.financing.push(new)));
    };

    let state_name = use_member_state_name();

    view! {
        <section id="draft" class="draft" data-state=state.clone() aria-labelledby="draft-heading">
            <h2 id="draft-heading">{let state = state.clone(); move || t_string!(i18n, consultation.your_answers, state = state_name(&state)).to_string()}</h2>
            <PendingNotice key=key.get_value()/>
            {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}

            <h3>{t!(i18n, consultation.ranking)}</h3>
            <p class="hint">{t!(i18n, consultation.ranking_hint)}</p>
            <ol id="ranking">
                {move || ranked().into_iter().enumerate().map(|(i, id)| {
                    let remove_id = id.clone();
                    view! {
                        <li data-id=id.clone()>
                            <InitiativeName id=id.clone()/>
                            <span class="row-actions">
                                <button type="button" class="link" aria-label=move || t_string!(i18n, consultation.rank_up).to_string() on:click=move |_| move_by(i, true)>"↑"</button>
                                <button type="button" class="link" aria-label=move || t_string!(i18n, consultation.rank_down).to_string() on:click=move |_| move_by(i, false)>"↓"</button>
                                <button type="button" class="link" on:click=move |_| { let id = remove_id.clone(); change(Box::new(move |d| d.ranking.retain(|r| *r != id))) }>
                                    {t!(i18n, consultation.unrank)}
                                </button>
                            </span>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <ul id="unranked" class="plain">
                {move || unranked().into_iter().map(|id| {
                    let add_id = id.clone();
                    view! {
                        <li data-id=id.clone()>
                            <InitiativeName id=id.clone()/>
                            <button type="button" class="rank-add" on:click=move |_| { let id = add_id.clone(); change(Box::new(move |d| d.ranking.push(id))) }>
                                {t!(i18n, consultation.rank_add)}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>

            <h3>{t!(i18n, consultation.partners)}</h3>
            <ul id="partners" class="plain">
                {move || draft.with(|d| d.partners.clone()).into_iter().enumerate().map(|(i, p)| view! {
                    <li>
                        <strong dir="auto">{p.organization.clone()}</strong>" · "{move || labels::org_kind(i18n.get_locale(), p.kind)}
                        " · "<span dir="ltr">{p.initiative.clone()}</span>" "<span dir="auto" class="muted">{p.role.clone()}</span>
                        <button type="button" class="link" on:click=move |_| change(Box::new(move |d| { d.partners.remove(i); }))>{t!(i18n, common.remove)}</button>
                    </li>
                }).collect_view()}
            </ul>
            <fieldset class="row compact-row" id="add-partner">
                <label>{t!(i18n, consultation.initiative)}
                    <select prop:value=move || partner.0.get() on:change=move |ev| partner.0.set(event_target_value(&ev))>{initiative_options}</select>
                </label>
                <label>{t!(i18n, consultation.organization)}
                    <input type="text" dir="auto" name="organization" prop:value=move || partner.1.get() on:input=move |ev| partner.1.set(event_target_value(&ev))/>
                </label>
                <label>{t!(i18n, project.partner_kind)}
                    <select prop:value=move || partner.2.get().key() on:change=move |ev| if let Some(k) = OrgKind::from_key(&event_target_value(&ev)) { partner.2.set(k) }>
                        {OrgKind::ALL.into_iter().map(|k| view! { <option value=k.key()>{move || labels::org_kind(i18n.get_locale(), k)}</option> }).collect_view()}
                    </select>
                </label>
                <label>{t!(i18n, consultation.role)}
                    <input type="text" dir="auto" name="role" prop:value=move || partner.3.get() on:input=move |ev| partner.3.set(event_target_value(&ev))/>
                </label>
                <button type="button" on:click=add_partner>{t!(i18n, consultation.add_partner)}</button>
            </fieldset>

            <h3>{t!(i18n, consultation.financing)}</h3>
            <ul id="financing" class="plain">
                {move || draft.with(|d| d.financing.clone()).into_iter().enumerate().map(|(i, o)| {
                    let value = o.value().clone();
                    let what = match &o {
                        Offer::Cash { .. } => t_string!(i18n, consultation.cash).to_string(),
                        Offer::InKind { description, quantity, unit, .. } => format!("{} · {description} ({quantity} {unit})", t_string!(i18n, consultation.in_kind)),
                    };
                    view! {
                        <li>
                            {what}" · "<span dir="ltr">{o.initiative().to_string()}</span>" · "
                            <strong>{move || intl::money(value.amount, &value.currency, i18n.get_locale())}</strong>
                            <button type="button" class="link" on:click=move |_| change(Box::new(move |d| { d.financing.remove(i); }))>{t!(i18n, common.remove)}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <fieldset class="row compact-row" id="add-offer">
                <label>{t!(i18n, consultation.initiative)}
                    <select prop:value=move || offer.0.get() on:change=move |ev| offer.0.set(event_target_value(&ev))>{initiative_options}</select>
                </label>
                <label>{t!(i18n, consultation.offer_kind)}
                    <select name="offer-kind" prop:value=move || if offer.1.get() { "in_kind" } else { "cash" } on:change=move |ev| offer.1.set(event_target_value(&ev) == "in_kind")>
                        <option value="cash">{t!(i18n, consultation.cash)}</option>
                        <option value="in_kind">{t!(i18n, consultation.in_kind)}</option>
                    </select>
                </label>
                <label>{move || if offer.1.get() { t_string!(i18n, consultation.estimated_value).to_string() } else { t_string!(i18n, project.amount).to_string() }}
                    <input type="number" min="1" step="1" dir="ltr" name="amount" prop:value=move || offer.2.get() on:input=move |ev| offer.2.set(event_target_value(&ev))/>
                </label>
                <label>{t!(i18n, project.currency)}
                    <input type="text" maxlength="3" dir="ltr" name="currency" prop:value=move || offer.3.get() on:input=move |ev| offer.3.set(event_target_value(&ev))/>
                </label>
                <Show when=move || offer.1.get()>
                    <label>{t!(i18n, consultation.description)}
                        <input type="text" dir="auto" name="description" prop:value=move || offer.4.get() on:input=move |ev| offer.4.set(event_target_value(&ev))/>
                    </label>
                    <label>{t!(i18n, project.unit)}
                        <input type="text" dir="auto" name="unit" prop:value=move || offer.5.get() on:input=move |ev| offer.5.set(event_target_value(&ev))/>
                    </label>
                    <label>{t!(i18n, consultation.quantity)}
                        <input type="number" min="0" step="any" dir="ltr" name="quantity" prop:value=move || offer.6.get() on:input=move |ev| offer.6.set(event_target_value(&ev))/>
                    </label>
                </Show>
                <button type="button" on:click=add_offer>{t!(i18n, consultation.add_offer)}</button>
            </fieldset>

            <h3>{t!(i18n, consultation.comments)}</h3>
            {move || initiatives.get_value().into_iter().map(|id| {
                let field = format!("comment-{id}");
                let value_id = id.clone();
                let save_id = id.clone();
                view! {
                    <div class="field">
                        <label for=field.clone()><InitiativeName id=id.clone()/></label>
                        <textarea id=field rows="2" dir="auto" prop:value=move || draft.with(|d| d.comments.get(&value_id).cloned().unwrap_or_default())
                            on:change=move |ev| {
                                let text = event_target_value(&ev);
                                let id = save_id.clone();
                                change(Box::new(move |d| { if text.trim().is_empty() { d.comments.remove(&id); } else { d.comments.insert(id, text); } }))
                            }>
                        </textarea>
                    </div>
                }
            }).collect_view()}

            <PendingNotice key=submission_key.get_value()/>
            <Receipt consultation=consultation.clone() state=state.clone()/>
            <p class="actions">
                <button type="button" class="primary" id="submit-contribution" on:click=submit>
                    {move || if submission.with(|s| s.as_ref().is_some_and(|s| s.current().is_some())) {
                        t_string!(i18n, consultation.amend).to_string()
                    } else {
                        t_string!(i18n, consultation.submit).to_string()
                    }}
                </button>
            </p>
        </section>
    }
}

/// The state's current submitted version, with its receipt to download.
#[component]
pub fn Receipt(consultation: String, state: String) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let current =
        Memo::new(move |_| sync.records.with(|r| records::submissions(r, &consultation, &state)).and_then(|s| s.current().cloned()));
    move || {
        current.get().map(|v| {
        let json = serde_json::to_string_pretty(&v.receipt()).unwrap_or_default();
        let file = format!("receipt-{}-{}-v{}.json", v.content.consultation, v.content.member_state, v.version);
        view! {
            <div class="notice" id="receipt" data-version=v.version>
                <p>{move || t_string!(i18n, consultation.submitted, version = v.version, time = intl::local_time(v.submitted_at as f64 * 1000.0, i18n.get_locale())).to_string()}</p>
                <p class="muted">{t!(i18n, consultation.hash)}": "<code dir="ltr">{v.hash.clone()}</code></p>
                <a href=download_href("application/json", &json) download=file>{t!(i18n, consultation.download_receipt)}</a>
            </div>
        }
    })
    }
}
