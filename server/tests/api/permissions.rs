//! Every role × action over HTTP, as `domain::permissions` says.

use reqwest::{Client, StatusCode};
use serde_json::json;

use crate::support::*;

async fn edit_title(app: &TestApp, client: &Client, id: &str, title: &str) -> StatusCode {
    let current: serde_json::Value = client.get(app.url(&format!("/api/initiatives/{id}"))).send().await.unwrap().json().await.unwrap();
    let mut fields = current["initiative"].clone();
    let rev = fields["rev"].as_u64().unwrap();
    for k in ["id", "rev"] {
        fields.as_object_mut().unwrap().remove(k);
    }
    fields["title"]["en"] = title.into();
    client.put(app.url(&format!("/api/initiatives/{id}"))).json(&json!({"rev": rev, "fields": fields})).send().await.unwrap().status()
}

#[tokio::test]
async fn every_role_can_read_and_only_allowed_roles_write() {
    let app = TestApp::demo().await;
    // (user, may create/edit in AFR, may create/edit in ASP, may manage users)
    let table = [
        (ADMIN, true, true, true),
        (COORD_AFR, true, false, false),
        (COORD_ASP, false, true, false),
        (DELEGATE, false, false, false),
        (PARTNER, false, false, false),
        (OBSERVER, false, false, false),
    ];
    for (n, (email, afr, asp, admin)) in table.into_iter().enumerate() {
        let client = app.login(email).await;
        let expect = |allowed: bool, ok: StatusCode| if allowed { ok } else { StatusCode::FORBIDDEN };

        let r = client.get(app.url("/api/initiatives")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{email} reads");
        let r = client.get(app.url("/api/initiatives/wtdc22_afr1")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{email} reads one");

        for (region, allowed) in [("AFR", afr), ("ASP", asp)] {
            let code = format!("{region}{}", 10 + n);
            let r = client.post(app.url("/api/initiatives")).json(&new_initiative(&code, region)).send().await.unwrap();
            assert_eq!(r.status(), expect(allowed, StatusCode::CREATED), "{email} creates in {region}");
        }
        assert_eq!(edit_title(&app, &client, "wtdc22_afr1", email).await, expect(afr, StatusCode::OK), "{email} edits AFR1");
        assert_eq!(edit_title(&app, &client, "wtdc22_asp1", email).await, expect(asp, StatusCode::OK), "{email} edits ASP1");

        let project = json!({"initiative": "wtdc22_asp1", "fields": {"title": {"en": "p"}, "status": "planned"}});
        let r = client.post(app.url("/api/projects")).json(&project).send().await.unwrap();
        assert_eq!(r.status(), expect(asp, StatusCode::CREATED), "{email} creates an ASP project");

        let r = client.get(app.url("/api/admin/users")).send().await.unwrap();
        assert_eq!(r.status(), expect(admin, StatusCode::OK), "{email} lists users");
        let invite = json!({"email": format!("new{n}@rihub.example"), "name": "New", "roles": [{"kind": "observer"}]});
        let r = client.post(app.url("/api/admin/invites")).json(&invite).send().await.unwrap();
        assert_eq!(r.status(), expect(admin, StatusCode::CREATED), "{email} invites");
    }
}

#[tokio::test]
async fn nobody_signed_in_can_read_nothing() {
    let app = TestApp::demo().await;
    let client = app.anonymous();
    for path in ["/api/me", "/api/initiatives", "/api/initiatives/wtdc22_afr1", "/api/admin/users"] {
        let r = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(error_code(r).await, "unauthenticated");
    }
}

#[tokio::test]
async fn coordinator_cannot_move_a_project_into_another_region() {
    let app = TestApp::demo().await;
    let asp = app.login(COORD_ASP).await;
    let detail: serde_json::Value = asp.get(app.url("/api/initiatives/wtdc22_asp1")).send().await.unwrap().json().await.unwrap();
    let project = &detail["projects"][0];
    let id = project["id"].as_str().unwrap();
    let mut fields = project.clone();
    for k in ["id", "rev", "initiative"] {
        fields.as_object_mut().unwrap().remove(k);
    }
    let body = json!({"rev": project["rev"], "initiative": "wtdc22_afr1", "fields": fields});
    let r = asp.put(app.url(&format!("/api/projects/{id}"))).json(&body).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // The admin may move it; the project then belongs to Africa, and Asia-Pacific can no longer edit it.
    let admin = app.login(ADMIN).await;
    let r = admin.put(app.url(&format!("/api/projects/{id}"))).json(&body).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = asp.delete(app.url(&format!("/api/projects/{id}"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let afr = app.login(COORD_AFR).await;
    assert_eq!(afr.delete(app.url(&format!("/api/projects/{id}"))).send().await.unwrap().status(), StatusCode::NO_CONTENT);
}
