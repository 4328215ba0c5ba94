//! Migrations, persistence on disk, static files and headers.

use reqwest::StatusCode;
use rihub_server::Config;
use rihub_server::clock::Clock;
use rihub_server::config::DatabaseConfig;
use rihub_server::db::{Db, DbError, migrate};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn migrations_apply_once_in_memory() {
    let db = Db::connect("mem://", None, Clock::system()).await.unwrap();
    let all: Vec<u32> = (1..=migrate::latest_version()).collect();
    assert_eq!(migrate::migrate(&db).await.unwrap(), all);
    assert!(migrate::migrate(&db).await.unwrap().is_empty(), "a second run applies nothing");
}

#[tokio::test]
async fn a_change_log_of_version_5_is_rekeyed_by_sequence_and_reads_the_same() {
    let db = Db::connect("mem://", None, Clock::system()).await.unwrap();
    let earlier = [
        include_str!("../../src/db/migrations/0001_init.surql"),
        include_str!("../../src/db/migrations/0002_sync.surql"),
        include_str!("../../src/db/migrations/0003_translations.surql"),
        include_str!("../../src/db/migrations/0004_consultations.surql"),
        include_str!("../../src/db/migrations/0005_experience.surql"),
    ];
    for (version, sql) in (1..).zip(earlier) {
        db.run(sql, json!({})).await.unwrap();
        db.run("CREATE type::record('migration', $v) SET version = $v, applied_at = 0", json!({"v": version})).await.unwrap();
    }
    // Written out of order, under random keys, as version 5 wrote them.
    for seq in [3, 1, 2] {
        let change = json!({"seq": seq, "key": {"kind": "initiative", "id": format!("i{seq}")}, "region": "AFR",
            "record": {"fields": {"code": format!("AFR{seq}")}, "revs": {"code": seq}}, "conflicts": [],
            "client": "c", "client_seq": seq, "user": "u", "at": 0});
        db.run("CREATE change CONTENT $change", json!({"change": change})).await.unwrap();
    }
    assert_eq!(migrate::migrate(&db).await.unwrap(), (6..=migrate::latest_version()).collect::<Vec<_>>());
    let changes = rihub_server::db::sync::changes_after(&db, 1, 10).await.unwrap();
    let seqs: Vec<u64> = changes.iter().map(|c| c.seq).collect();
    assert_eq!(seqs, [2, 3]);
    assert_eq!(changes[1].key.id, "i3");
    assert_eq!(changes[1].record.as_ref().unwrap().fields["code"], "AFR3");
    let keys = db.run("SELECT VALUE record::id(id) FROM change", json!({})).await.unwrap();
    assert_eq!(keys[0], json!([1, 2, 3]));
}

#[tokio::test]
async fn data_survives_a_restart_on_surrealkv_and_migrations_do_not_rerun() {
    let (_dir, path) = temp_dir();
    let url = format!("surrealkv://{}", path.join("rihub.db").display());
    {
        let app = TestApp::start(Config {
            database: DatabaseConfig { url: url.clone(), user: None, pass: None },
            demo: true,
            ..Config::for_tests()
        })
        .await;
        let admin = app.login(ADMIN).await;
        let r = admin.post(app.url("/api/initiatives")).json(&new_initiative("EUR7", "EUR")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    // The first server's background tasks release the files' lock shortly after it stops.
    let mut db = Db::connect(&url, None, Clock::system()).await;
    for _ in 0..50 {
        if db.is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        db = Db::connect(&url, None, Clock::system()).await;
    }
    let db = db.unwrap();
    assert!(migrate::migrate(&db).await.unwrap().is_empty());
    let rows = db.run("SELECT code FROM initiative WHERE code = 'EUR7'", json!({})).await.unwrap();
    assert_eq!(rows[0].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_app_is_served_with_cache_and_security_headers() {
    let (_dir, dist) = temp_dir();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>rihub</title>").unwrap();
    std::fs::write(dist.join("rihub-0123456789abcdef.js"), "export {}").unwrap();
    let app = TestApp::start(Config { dist: dist.clone(), ..Config::for_tests() }).await;
    let client = app.anonymous();

    let r = client.get(app.url("/initiatives/wtdc22_afr1")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "client-side routes get index.html");
    assert_eq!(r.headers()["cache-control"], "no-cache");
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert!(r.headers().contains_key("referrer-policy"));
    assert!(r.text().await.unwrap().contains("<title>rihub</title>"));

    let r = client.get(app.url("/rihub-0123456789abcdef.js")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(r.headers()["cache-control"], "public, max-age=31536000, immutable");

    let r = client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn files_compressed_at_build_time_are_sent_to_browsers_that_accept_them() {
    let (_dir, dist) = temp_dir();
    // What `cargo xtask build --release` writes beside each file; the server sends it as it is,
    // so stand-in bytes show which file was chosen.
    for (file, text) in [
        ("index.html", "<!doctype html><title>rihub</title>"),
        ("index.html.br", "index in brotli"),
        ("boot-0123456789abcdef.js", "export {}"),
        ("boot-0123456789abcdef.js.br", "boot in brotli"),
        ("boot-0123456789abcdef.js.gz", "boot in gzip"),
    ] {
        std::fs::write(dist.join(file), text).unwrap();
    }
    let app = TestApp::start(Config { dist: dist.clone(), ..Config::for_tests() }).await;
    let client = app.anonymous();
    let cases = [
        ("/boot-0123456789abcdef.js", "br, gzip", Some("br"), "boot in brotli"),
        ("/boot-0123456789abcdef.js", "gzip", Some("gzip"), "boot in gzip"),
        ("/boot-0123456789abcdef.js", "identity", None, "export {}"),
        ("/initiatives/wtdc22_afr1", "gzip, deflate, br", Some("br"), "index in brotli"),
    ];
    for (path, accepts, encoding, body) in cases {
        let r = client.get(app.url(path)).header("accept-encoding", accepts).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers().get("content-encoding").map(|v| v.to_str().unwrap()), encoding, "{path} accepting {accepts}");
        assert_eq!(r.text().await.unwrap(), body, "{path} accepting {accepts}");
    }
}

#[tokio::test]
async fn a_plain_start_creates_no_accounts() {
    let app = TestApp::start(Config::for_tests()).await;
    let rows = app.state.db.run("SELECT * FROM user", json!({})).await.unwrap();
    assert!(rows[0].as_array().unwrap().is_empty());
    assert!(!rihub_server::db::users::has_admin(&app.state.db).await.unwrap());
}

#[tokio::test]
async fn a_failed_migration_leaves_the_database_as_it_was() {
    let (_dir, path) = temp_dir();
    let db = Db::connect(&format!("surrealkv://{}", path.join("db").display()), None, Clock::system()).await.unwrap();
    migrate::migrate(&db).await.unwrap();
    db.run("CREATE counter:probe SET value = 1", json!({})).await.unwrap();
    let next = migrate::latest_version() + 1;
    // Defines a table, writes, changes existing data, then fails on a value of the wrong type.
    let broken = "DEFINE TABLE probe SCHEMAFULL; DEFINE FIELD n ON probe TYPE int; CREATE probe:1 SET n = 1;
                  UPDATE counter:probe SET value = 2; CREATE probe:2 SET n = 'two';";
    let mut migrations = migrate::MIGRATIONS.to_vec();
    migrations.push((next, broken));
    let error = migrate::apply(&db, &migrations).await.unwrap_err();
    assert!(matches!(error, DbError::Migration { version, .. } if version == next), "{error}");
    assert!(error.to_string().contains("as it was before it"), "{error}");
    assert!(!db.tables().await.unwrap().contains(&"probe".to_string()), "the table it defined is gone");
    let value = db.run("SELECT VALUE value FROM counter:probe", json!({})).await.unwrap();
    assert_eq!(value[0], json!([1]), "the data it changed is as it was");
    let versions = db.run("SELECT VALUE version FROM migration", json!({})).await.unwrap();
    assert!(!versions[0].as_array().unwrap().contains(&json!(next)), "not recorded as applied");
    // Mended, it applies.
    migrations.last_mut().unwrap().1 = "DEFINE TABLE probe SCHEMAFULL; DEFINE FIELD n ON probe TYPE int; CREATE probe:1 SET n = 1;";
    assert_eq!(migrate::apply(&db, &migrations).await.unwrap(), vec![next]);
}

#[tokio::test]
async fn a_server_does_not_start_on_a_database_newer_than_it_knows() {
    let (_dir, path) = temp_dir();
    let database = DatabaseConfig { url: format!("surrealkv://{}", path.join("db").display()), user: None, pass: None };
    {
        let db = database.open(Clock::system()).await.unwrap();
        db.run("CREATE migration:999 SET version = 999, applied_at = 0", json!({})).await.unwrap();
    }
    // The files' lock is released shortly after the connection goes.
    let config = Config { database, ..Config::for_tests() };
    let mut error = String::new();
    for _ in 0..50 {
        error = rihub_server::build(&config, "http://127.0.0.1".into()).await.err().expect("refused to start").to_string();
        if !error.contains("locked") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(error.contains("version 999, newer than this server knows"), "{error}");
}
