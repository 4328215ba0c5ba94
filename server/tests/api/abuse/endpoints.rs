//! Every HTTP endpoint with wrong types, missing and extra fields, empty and oversized strings,
//! deep JSON, invalid UTF-8 and huge arrays; without a session, with an ended one, with a
//! disabled account's, and from another site.

use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

use super::{documented, records};
use crate::support::*;

/// (method, path, a body the endpoint takes, whether it needs a session).
fn endpoints(user_id: &str) -> Vec<(Method, String, Option<Value>, bool)> {
    let initiative = new_initiative("AFR40", "AFR");
    let project = json!({"initiative": "wtdc22_asp1", "fields": {"title": {"en": "p"}, "status": "planned"}});
    let invite = json!({"email": "x@rihub.example", "name": "X", "roles": [{"kind": "observer"}]});
    vec![
        (Method::GET, "/api/me".into(), None, true),
        (Method::PUT, "/api/me/lang".into(), Some(json!({"lang": "fr"})), true),
        (Method::GET, "/api/initiatives?q=x".into(), None, true),
        (Method::POST, "/api/initiatives".into(), Some(initiative.clone()), true),
        (Method::GET, "/api/initiatives/wtdc22_afr1".into(), None, true),
        (Method::PUT, "/api/initiatives/wtdc22_afr1".into(), Some(json!({"rev": 1, "fields": initiative})), true),
        (Method::DELETE, "/api/initiatives/wtdc14_afr9".into(), None, true),
        (Method::POST, "/api/projects".into(), Some(project.clone()), true),
        (Method::GET, "/api/projects/nosuch".into(), None, true),
        (Method::PUT, "/api/projects/nosuch".into(), Some(project), true),
        (Method::DELETE, "/api/projects/nosuch".into(), None, true),
        (Method::GET, "/api/search?q=school".into(), None, true),
        (Method::GET, "/api/similar/initiative/wtdc22_afr1".into(), None, true),
        (Method::GET, "/api/duplicates".into(), None, true),
        (Method::GET, "/api/admin/users".into(), None, true),
        (Method::PUT, format!("/api/admin/users/{user_id}/roles"), Some(json!({"roles": [{"kind": "observer"}]})), true),
        (Method::PUT, format!("/api/admin/users/{user_id}/disabled"), Some(json!({"disabled": false})), true),
        (Method::POST, "/api/admin/invites".into(), Some(invite), true),
        (
            Method::POST,
            "/api/sync/push".into(),
            Some(json!({"mutations": [edit("abuse", 1, "wtdc22_afr1", "status", json!("closed"), 0)]})),
            true,
        ),
        (Method::GET, "/api/sync/pull?cursor=0&limit=5".into(), None, true),
        (Method::GET, "/api/sync/snapshot".into(), None, true),
        (Method::GET, format!("/api/invites/{}", "0".repeat(64)), None, false),
        (Method::POST, format!("/api/invites/{}", "0".repeat(64)), Some(json!({"name": "X", "password": "long enough password"})), false),
        (Method::POST, "/api/auth/login".into(), Some(json!({"email": OBSERVER, "password": "wrong password"})), false),
    ]
}

async fn send(
    client: &Client,
    app: &TestApp,
    method: &Method,
    path: &str,
    body: Option<Vec<u8>>,
    origin: Option<&str>,
) -> reqwest::Response {
    let mut request = client.request(method.clone(), app.url(path));
    if let Some(body) = body {
        request = request.header("content-type", "application/json").body(body);
    }
    if let Some(origin) = origin {
        request = request.header("origin", origin);
    }
    request.send().await.unwrap()
}

/// Bodies an attacker sends instead of `valid`: each field of the wrong type, missing, empty or
/// oversized; an extra field; deep nesting, invalid UTF-8, a huge array.
fn junk(valid: &Value) -> Vec<(String, Vec<u8>)> {
    let mut bodies: Vec<(String, Vec<u8>)> = vec![
        ("invalid UTF-8".into(), b"{\"email\": \"\xff\xfe\"}".to_vec()),
        ("deep".into(), format!("{}{}", "[".repeat(50_000), "]".repeat(50_000)).into_bytes()),
        ("huge array".into(), serde_json::to_vec(&json!({"mutations": vec![json!({}); 100_000], "roles": vec![json!({}); 1000]})).unwrap()),
        ("not an object".into(), b"[1, 2]".to_vec()),
    ];
    let Some(fields) = valid.as_object() else { return bodies };
    let mut extra = valid.clone();
    extra["zzz"] = json!(1);
    bodies.push(("extra field".into(), serde_json::to_vec(&extra).unwrap()));
    for (name, value) in fields {
        let mut missing = valid.clone();
        missing.as_object_mut().unwrap().remove(name);
        bodies.push((format!("{name} missing"), serde_json::to_vec(&missing).unwrap()));
        let mut replacements = vec![json!(12345), json!("str"), json!([]), json!({}), Value::Null, json!(true), json!(-1.5e300)];
        if value.is_string() {
            replacements.extend([json!(""), json!("x".repeat(300_000)), json!(" \u{0}\u{7f} ")]);
        }
        for replacement in replacements {
            if &replacement == value {
                continue;
            }
            let mut changed = valid.clone();
            changed[name] = replacement.clone();
            let shown: String = replacement.to_string().chars().take(20).collect();
            bodies.push((format!("{name} = {shown}"), serde_json::to_vec(&changed).unwrap()));
        }
    }
    bodies
}

#[tokio::test]
async fn every_endpoint_answers_junk_with_a_documented_code_and_writes_nothing() {
    let app = TestApp::demo().await;
    let admin = app.login(ADMIN).await;
    let users: Vec<Value> = admin.get(app.url("/api/admin/users")).send().await.unwrap().json().await.unwrap();
    let observer = users.iter().find(|u| u["email"] == OBSERVER).unwrap()["id"].as_str().unwrap().to_string();
    let before = records(&app).await;
    let mut tried = 0;
    for (method, path, body, _) in endpoints(&observer) {
        let Some(valid) = body else {
            // A query or path of junk instead.
            for junk_path in [format!("{path}&cursor=abc&limit=-1"), format!("{path}/%ff%fe"), format!("{path}?q={}", "y".repeat(4000))] {
                documented(send(&admin, &app, &method, &junk_path, None, None).await, &format!("{method} {junk_path}")).await;
                tried += 1;
            }
            continue;
        };
        for (what, junk) in junk(&valid) {
            documented(send(&admin, &app, &method, &path, Some(junk), None).await, &format!("{method} {path} with {what}")).await;
            tried += 1;
        }
    }
    assert!(tried > 250, "{tried} requests");
    assert_eq!(records(&app).await, before, "nothing was written");
}

#[tokio::test]
async fn every_endpoint_needs_a_live_session_and_this_sites_origin() {
    let app = TestApp::demo().await;
    let admin = app.login(ADMIN).await;
    let users: Vec<Value> = admin.get(app.url("/api/admin/users")).send().await.unwrap().json().await.unwrap();
    let id_of = |email: &str| users.iter().find(|u| u["email"] == email).unwrap()["id"].as_str().unwrap().to_string();
    let signed_out = app.login(OBSERVER).await;
    assert!(signed_out.post(app.url("/api/auth/logout")).send().await.unwrap().status().is_success());
    let disabled = app.login(PARTNER).await;
    let r =
        admin.put(app.url(&format!("/api/admin/users/{}/disabled", id_of(PARTNER)))).json(&json!({"disabled": true})).send().await.unwrap();
    assert!(r.status().is_success());
    let before = records(&app).await;
    for (method, path, body, needs_session) in endpoints(&id_of(OBSERVER)) {
        let bytes = body.map(|b| serde_json::to_vec(&b).unwrap());
        if needs_session {
            for (who, client) in [("nobody", &app.anonymous()), ("a signed-out session", &signed_out), ("a disabled account", &disabled)] {
                let r = send(client, &app, &method, &path, bytes.clone(), None).await;
                assert_eq!(
                    documented(r, &format!("{method} {path} by {who}")).await,
                    (401, Some("unauthenticated".into())),
                    "{method} {path} by {who}"
                );
            }
        }
        if method != Method::GET {
            for origin in ["https://evil.example", "null", &app.base.replace("127.0.0.1", "localhost")] {
                let r = send(&admin, &app, &method, &path, bytes.clone(), Some(origin)).await;
                assert_eq!(
                    documented(r, &format!("{method} {path} from {origin}")).await,
                    (403, Some("bad_origin".into())),
                    "{method} {path} from {origin}"
                );
            }
        }
    }
    assert_eq!(records(&app).await, before, "nothing was written");
    assert_eq!(app.anonymous().get(app.url("/api/me")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
}
