//! Every role against every action and region, every consultation act and the report rules,
//! with the answers the domain's rules give: `permissions::TABLE`, `consultation::access`,
//! `experience::may_write` and `may_read_draft`.

use std::time::Duration;

use reqwest::{Client, StatusCode};
use rihub_domain::consultation::access::{self, Act, Target};
use rihub_domain::experience::{may_read_draft, may_write};
use rihub_domain::permissions::{self, Action, Scope};
use rihub_domain::project::ProjectFields;
use rihub_domain::region::Region;
use rihub_domain::role::Role;
use rihub_server::clock::Clock;
use rihub_server::demo::demo_users;
use serde_json::{Value, json};

use crate::support::*;

fn op(client: &str, seq: u64, op: Value) -> Value {
    json!({"client": client, "seq": seq, "op": op})
}

fn key(kind: &str, id: &str) -> Value {
    json!({"kind": kind, "id": id})
}

/// Whether an outcome is a write taken (applied, or the same answers submitted already).
fn taken(outcome: &Value) -> bool {
    outcome.get("applied").is_some() || outcome == "duplicate"
}

/// Pushes one mutation for `client`'s next number.
struct Pusher<'a> {
    app: &'a TestApp,
    http: Client,
    client: String,
    seq: u64,
}

impl Pusher<'_> {
    async fn push(&mut self, operation: Value) -> Value {
        self.seq += 1;
        push(self.app, &self.http, vec![op(&self.client, self.seq, operation)]).await.remove(0)
    }
}

async fn pushers<'a>(app: &'a TestApp) -> Vec<(Role, Pusher<'a>)> {
    let mut all = Vec::new();
    for (n, (email, _, role)) in demo_users().into_iter().enumerate() {
        all.push((role, Pusher { app, http: app.login(email).await, client: format!("who-{n}"), seq: 0 }));
    }
    all
}

fn code(region: Region, n: usize) -> String {
    format!("{}{n}", region.code())
}

fn initiative_id(region: Region, n: usize) -> String {
    format!("wtdc25_{}", code(region, n).to_lowercase())
}

#[tokio::test]
async fn every_role_against_every_action_and_region_as_the_permission_table_says() {
    let app = TestApp::demo().await;
    let mut setup = Pusher { app: &app, http: app.login(ADMIN).await, client: "setup".into(), seq: 0 };
    let users = pushers(&app).await;
    // Per region: an initiative and a project to edit, and one of each per user to delete.
    for region in Region::ALL {
        for n in [50].into_iter().chain((0..users.len()).map(|u| 60 + u)) {
            assert!(taken(&setup.push(json!({"op": "create", "key": key("initiative", &initiative_id(region, n)), "fields": new_initiative(&code(region, n), region.code())})).await));
        }
        for name in ["edit".to_string()].into_iter().chain((0..users.len()).map(|u| format!("del-{u}"))) {
            let fields = json!({"initiative": initiative_id(region, 50), "title": {"en": "p"}, "status": "planned"});
            assert!(taken(&setup.push(json!({"op": "create", "key": key("project", &format!("{name}-{}", region.code().to_lowercase())), "fields": fields})).await));
        }
    }
    let mut checked = 0;
    for (u, (role, mut user)) in users.into_iter().enumerate() {
        let roles = [role];
        let r = user.http.get(app.url("/api/admin/users")).send().await.unwrap();
        let allowed = permissions::allows(&roles, Action::ManageUsers, Scope::Global);
        assert_eq!(r.status() == StatusCode::OK, allowed, "{roles:?} manages users");
        for region in Region::ALL {
            let reg = region.code().to_lowercase();
            for action in Action::ALL {
                let allowed = permissions::allows(&roles, action, Scope::Region(region));
                let outcome = match action {
                    Action::ManageUsers => continue,
                    Action::Read => {
                        let r = user.http.get(app.url(&format!("/api/initiatives/{}", initiative_id(region, 50)))).send().await.unwrap();
                        if r.status() == StatusCode::OK { json!({"applied": 0}) } else { json!({"refused": {"code": "forbidden"}}) }
                    }
                    Action::CreateInitiative => {
                        user.push(json!({"op": "create", "key": key("initiative", &initiative_id(region, 80 + u)), "fields": new_initiative(&code(region, 80 + u), region.code())})).await
                    }
                    Action::EditInitiative => {
                        user.push(json!({"op": "edit", "key": key("initiative", &initiative_id(region, 50)), "changes": [{"field": "status", "value": "adopted", "base": 0}]})).await
                    }
                    Action::DeleteInitiative => user.push(json!({"op": "delete", "key": key("initiative", &initiative_id(region, 60 + u))})).await,
                    Action::CreateProject => {
                        let fields = json!({"initiative": initiative_id(region, 50), "title": {"en": "new"}, "status": "planned"});
                        user.push(json!({"op": "create", "key": key("project", &format!("new-{u}-{reg}")), "fields": fields})).await
                    }
                    Action::EditProject => user.push(json!({"op": "edit", "key": key("project", &format!("edit-{reg}")), "changes": [{"field": "status", "value": "ongoing", "base": 0}]})).await,
                    Action::DeleteProject => user.push(json!({"op": "delete", "key": key("project", &format!("del-{u}-{reg}"))})).await,
                };
                assert_eq!(taken(&outcome), allowed, "{roles:?} {action:?} in {region:?}: {outcome}");
                if !allowed {
                    assert_eq!(outcome, json!({"refused": {"code": "forbidden"}}), "{roles:?} {action:?} in {region:?}");
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, demo_users().len() * Region::ALL.len() * (Action::ALL.len() - 1));
}

/// How much of a record a pull from the start shows a user: None if nothing, else whether
/// its content (not only its existence) is there.
async fn seen(app: &TestApp, http: &Client, kind: &str, id: &str) -> Option<bool> {
    let log = pull(app, http, 0, 1000).await;
    let last = log["changes"].as_array().unwrap().iter().rev().find(|c| c["key"]["kind"] == kind && c["key"]["id"] == id)?;
    Some(last["record"]["fields"].as_object().is_some_and(|f| !f.is_empty()))
}

#[tokio::test]
async fn every_role_against_every_consultation_act_as_the_access_rules_say() {
    let clock = Clock::manual(1_800_000_000);
    let app = TestApp::demo_at(clock.clone()).await;
    let now = clock.now();
    let consultation = |id: &str| {
        let fields = json!({"region": "AFR", "title": {"en": id}, "opens_at": now - 60, "closes_at": now + 3600, "time_zone": "UTC", "initiatives": ["wtdc22_afr1"]});
        json!({"op": "create", "key": key("consultation", id), "fields": fields})
    };
    let mut admin = Pusher { app: &app, http: app.login(ADMIN).await, client: "setup".into(), seq: 0 };
    let users = pushers(&app).await;
    assert!(taken(&admin.push(consultation("cx")).await));
    for u in 0..users.len() {
        assert!(taken(&admin.push(consultation(&format!("cp-{u}"))).await));
    }
    let answers = json!({"consultation": "cx", "member_state": "KE", "ranking": []});
    let mut kenya = Pusher { app: &app, http: app.login(DELEGATE2).await, client: "ke-setup".into(), seq: 0 };
    assert!(taken(&kenya.push(json!({"op": "create", "key": key("contribution", "cx_ke"), "fields": answers})).await));
    let kenya_draft = |published| Target { region: Region::Afr, member_state: Some("KE"), published };

    for (u, (role, mut user)) in users.into_iter().enumerate() {
        let roles = [role];
        let manage = user.push(consultation(&format!("mine-{u}"))).await;
        assert_eq!(
            taken(&manage),
            access::allows(&roles, Act::Manage, Target { region: Region::Afr, member_state: None, published: false }),
            "{roles:?} opens a consultation"
        );
        let edit = user.push(json!({"op": "edit", "key": key("contribution", "cx_ke"), "changes": [{"field": "ranking", "value": ["wtdc22_afr1"], "base": 0}]})).await;
        assert_eq!(taken(&edit), access::allows(&roles, Act::EditDraft, kenya_draft(false)), "{roles:?} edits Kenya's draft: {edit}");
        let content = json!({"consultation": "cx", "member_state": "KE", "ranking": ["wtdc22_afr1"]});
        let submit = user.push(json!({"op": "submit", "key": key("submission", "cx_ke"), "content": content})).await;
        assert_eq!(taken(&submit), access::allows(&roles, Act::Submit, kenya_draft(false)), "{roles:?} submits for Kenya: {submit}");
    }
    // What each reads, once there is a draft and a submission.
    for (role, user) in pushers(&app).await {
        let roles = [role];
        let full = |act| access::allows(&roles, act, kenya_draft(false));
        assert_eq!(seen(&app, &user.http, "consultation", "cx").await == Some(true), full(Act::View), "{roles:?} views the consultation");
        assert_eq!(
            seen(&app, &user.http, "contribution", "cx_ke").await == Some(true),
            full(Act::ViewDraft),
            "{roles:?} views Kenya's draft"
        );
        assert_eq!(
            seen(&app, &user.http, "submission", "cx_ke").await == Some(true),
            full(Act::ViewSubmissions),
            "{roles:?} views Kenya's submission"
        );
    }
    // After the close: publishing, and who reads the results.
    clock.advance(Duration::from_secs(3600));
    for (u, (role, mut user)) in pushers(&app).await.into_iter().enumerate() {
        let roles = [role];
        user.client = format!("late-{u}");
        let publish = user.push(json!({"op": "edit", "key": key("consultation", &format!("cp-{u}")), "changes": [{"field": "published_at", "value": 1, "base": 0}]})).await;
        let allowed = access::allows(&roles, Act::Publish, Target { region: Region::Afr, member_state: None, published: false });
        assert_eq!(taken(&publish), allowed, "{roles:?} publishes: {publish}");
    }
    let cp0 = seen(&app, &app.login(OBSERVER).await, "consultation", "cp-0").await;
    assert_eq!(cp0, Some(true), "published results are every reader's");
}

#[tokio::test]
async fn every_role_against_a_draft_report_as_the_report_rules_say() {
    let app = TestApp::demo().await;
    let reader = app.login(COORD_ASP).await;
    let log = pull(&app, &reader, 0, 1000).await;
    let change = log["changes"].as_array().unwrap().iter().find(|c| c["key"]["kind"] == "project").unwrap().clone();
    let id = change["key"]["id"].as_str().unwrap().to_string();
    let fields = change["record"]["fields"].clone();
    let mut typed = fields.clone();
    typed.as_object_mut().unwrap().remove("initiative");
    let project: ProjectFields = serde_json::from_value(typed).unwrap();
    let states: Vec<Option<String>> = std::iter::once(None).chain(project.countries.first().cloned().map(Some)).collect();
    for (n, (role, mut user)) in pushers(&app).await.into_iter().enumerate() {
        let roles = [role];
        for (s, state) in states.iter().enumerate() {
            let report = format!("r-{n}-{s}");
            let mut fields = json!({"project": id, "title": {"en": "lessons"}});
            if let Some(state) = state {
                fields["member_state"] = json!(state);
            }
            let outcome = user.push(json!({"op": "create", "key": key("report", &report), "fields": fields})).await;
            assert_eq!(
                taken(&outcome),
                may_write(&roles, Region::Asp, &project, state.as_deref()),
                "{roles:?} drafts {report} ({state:?}): {outcome}"
            );
        }
    }
    // Every draft that was written is read by its writers only.
    for (role, user) in pushers(&app).await {
        let roles = [role];
        for n in 0..demo_users().len() {
            for (s, state) in states.iter().enumerate() {
                let report = format!("r-{n}-{s}");
                if let Some(visible) = seen(&app, &user.http, "report", &report).await {
                    assert_eq!(visible, may_read_draft(&roles, Region::Asp, state.as_deref()), "{roles:?} reads {report}");
                }
            }
        }
    }
}
