use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

#[tokio::test]
async fn an_invitation_link_works_once_and_gives_its_roles() {
    let app = TestApp::demo().await;
    let admin = app.login(ADMIN).await;
    let invite =
        json!({"email": "New.Coordinator@rihub.example", "name": "New Coordinator", "roles": [{"kind": "coordinator", "region": "EUR"}]});
    let r = admin.post(app.url("/api/admin/invites")).json(&invite).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().await.unwrap();
    let link = created["link"].as_str().unwrap();
    let token = link.rsplit('/').next().unwrap();
    assert!(link.starts_with(&app.base));

    let guest = app.anonymous();
    let info: Value = guest.get(app.url(&format!("/api/invites/{token}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(info["email"], "new.coordinator@rihub.example");
    let r = guest.post(app.url(&format!("/api/invites/{token}"))).json(&json!({"name": "Eva", "password": "short"})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = guest
        .post(app.url(&format!("/api/invites/{token}")))
        .json(&json!({"name": "Eva", "password": "long enough password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let me: Value = guest.get(app.url("/api/me")).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["roles"][0]["region"], "EUR");
    assert_eq!(me["name"], "Eva");

    let again = app
        .anonymous()
        .post(app.url(&format!("/api/invites/{token}")))
        .json(&json!({"name": "X", "password": "another long password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(again).await, "invite_unusable");
}

#[tokio::test]
async fn an_admin_changes_roles_and_the_change_applies_at_once() {
    let app = TestApp::demo().await;
    let admin = app.login(ADMIN).await;
    let delegate = app.login(DELEGATE).await;
    let users: Vec<Value> = admin.get(app.url("/api/admin/users")).send().await.unwrap().json().await.unwrap();
    let id = users.iter().find(|u| u["email"] == DELEGATE).unwrap()["id"].as_str().unwrap().to_string();
    let roles = json!({"roles": [{"kind": "delegate", "member_state": "ke"}, {"kind": "coordinator", "region": "AFR"}]});
    let r = admin.put(app.url(&format!("/api/admin/users/{id}/roles"))).json(&roles).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let me: Value = delegate.get(app.url("/api/me")).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["roles"], json!([{"kind": "delegate", "member_state": "KE"}, {"kind": "coordinator", "region": "AFR"}]));
    let r = delegate.post(app.url("/api/initiatives")).json(&new_initiative("AFR30", "AFR")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);

    let bad = json!({"roles": [{"kind": "delegate", "member_state": "XX"}]});
    let r = admin.put(app.url(&format!("/api/admin/users/{id}/roles"))).json(&bad).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let admin_id = users.iter().find(|u| u["email"] == ADMIN).unwrap()["id"].as_str().unwrap().to_string();
    let r = admin
        .put(app.url(&format!("/api/admin/users/{admin_id}/roles")))
        .json(&json!({"roles": [{"kind": "observer"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT, "an admin cannot demote themself");
}

#[tokio::test]
async fn an_invitation_accepted_by_many_at_once_makes_one_account_and_clear_conflicts() {
    let app = TestApp::demo().await;
    let admin = app.login(ADMIN).await;
    let invite = json!({"email": "race@rihub.example", "name": "Race", "roles": [{"kind": "observer"}]});
    let created: Value = admin.post(app.url("/api/admin/invites")).json(&invite).send().await.unwrap().json().await.unwrap();
    let token = created["link"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
    let accept = |n: usize| {
        let (url, client) = (app.url(&format!("/api/invites/{token}")), app.anonymous());
        async move {
            client.post(url).json(&json!({"name": format!("Race {n}"), "password": "long enough password"})).send().await.unwrap().status()
        }
    };
    let statuses = futures_util::future::join_all((0..8).map(accept)).await;
    let ok = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let conflicts = statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count();
    assert_eq!((ok, conflicts), (1, 7), "{statuses:?}");
    let accounts = app.state.db.run("SELECT VALUE id FROM user WHERE email = 'race@rihub.example'", json!({})).await.unwrap();
    assert_eq!(accounts[0].as_array().unwrap().len(), 1);
}
