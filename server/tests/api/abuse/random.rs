//! Random pushes from a property-test generator: mutations of every shape, with valid and
//! junk ids, kinds, fields and values. Every answer is documented, nothing panics, and a push
//! whose mutations are all refused writes no record.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value, json};

use super::{documented, is_documented, records};
use crate::support::*;

/// Any JSON value, a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
        prop_oneof![Just("AFR"), Just("KE"), Just("wtdc22_afr1"), Just("planned"), Just("en"), Just("WTDC-25")].prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(field(), inner, 0..4).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A field name: one a record has, or not.
fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        prop_oneof![
            Just("title"),
            Just("status"),
            Just("region"),
            Just("code"),
            Just("cycle"),
            Just("initiative"),
            Just("countries"),
            Just("partners"),
            Just("ranking"),
            Just("consultation"),
            Just("member_state"),
            Just("published_at"),
            Just("project"),
            Just("en"),
            Just("fr"),
        ]
        .prop_map(String::from),
        "[a-z_]{1,10}",
    ]
}

/// A mutation, as a client might send one: right or wrong in any of its parts.
fn mutation() -> impl Strategy<Value = Value> {
    let kind = prop_oneof![
        Just("initiative"),
        Just("project"),
        Just("consultation"),
        Just("contribution"),
        Just("submission"),
        Just("report"),
        Just("user")
    ];
    let id =
        prop_oneof![Just("wtdc22_afr1".to_string()), Just("wtdc25_afr9".to_string()), Just("p1".to_string()), "[a-z0-9_]{1,8}", ".{0,70}"];
    let client = prop_oneof![Just("fuzz".to_string()), "[a-z]{1,4}", ".{0,70}"];
    let changes = prop::collection::vec((field(), any_json(), any::<u64>()), 0..4)
        .prop_map(|c| Value::from(c.into_iter().map(|(f, v, b)| json!({"field": f, "value": v, "base": b})).collect::<Vec<_>>()));
    let fields = prop::collection::btree_map(field(), any_json(), 0..6).prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>()));
    (client, 0..5u64, kind, id, 0..5u8, changes, fields, any_json()).prop_map(|(client, seq, kind, id, op, changes, fields, junk)| {
        let key = json!({"kind": kind, "id": id});
        let op = match op {
            0 => json!({"op": "create", "key": key, "fields": fields}),
            1 => json!({"op": "edit", "key": key, "changes": changes}),
            2 => json!({"op": "delete", "key": key}),
            3 => json!({"op": "submit", "key": key, "content": fields}),
            _ => junk,
        };
        json!({"client": client, "seq": seq, "op": op})
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_pushes_get_documented_answers_and_refusals_write_nothing() {
    let app = TestApp::demo().await;
    // A coordinator: a push may be applied (in Africa) or refused, on every path.
    let client = app.login(COORD_AFR).await;
    let cases: u32 = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256);
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    let handle = tokio::runtime::Handle::current();
    let outcomes = std::cell::RefCell::new(std::collections::BTreeMap::<String, usize>::new());
    let result = runner.run(&prop::collection::vec(mutation(), 1..4), |mutations| {
        let body = json!({"mutations": mutations});
        let (status, answer, changed) = tokio::task::block_in_place(|| {
            handle.block_on(async {
                let before = records(&app).await;
                let r = client.post(app.url("/api/sync/push")).json(&body).send().await.unwrap();
                let status = r.status().as_u16();
                let answer: Value = if status < 400 { r.json().await.unwrap() } else { json!(documented(r, "push").await.1) };
                (status, answer, records(&app).await != before)
            })
        });
        prop_assert!(status < 500, "{status} for {body}");
        if status >= 400 {
            return Ok(());
        }
        let mut any_applied = false;
        for result in answer["results"].as_array().unwrap() {
            let outcome = &result["outcome"];
            let name = match outcome {
                Value::String(s) => s.clone(),
                Value::Object(o) => o.keys().next().cloned().unwrap_or_default(),
                _ => String::new(),
            };
            prop_assert!(["applied", "duplicate", "gap", "refused"].contains(&name.as_str()), "{outcome}");
            if let Some(code) = outcome["refused"]["code"].as_str() {
                prop_assert!(is_documented(code), "undocumented refusal {code}");
                *outcomes.borrow_mut().entry(format!("refused {code}")).or_default() += 1;
            } else {
                *outcomes.borrow_mut().entry(name.clone()).or_default() += 1;
            }
            any_applied |= name == "applied";
        }
        prop_assert!(any_applied || !changed, "nothing applied, yet records changed: {body} → {answer}");
        Ok(())
    });
    result.unwrap();
    let outcomes = outcomes.into_inner();
    assert!(outcomes.keys().any(|k| k.starts_with("refused")), "{outcomes:?}");
}
