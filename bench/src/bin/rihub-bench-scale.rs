//! `rihub-bench-scale`: a device's first sync at volume. Starts a release rihub server (demo
//! data) on the database given, writes N records through sync (projects across the demo
//! initiatives of the six regions, and every seventh a report on one of them, half of the reports
//! published), then signs in as a coordinator and as the administrator and times a first sync
//! over the socket: until the first records arrive, until the device holds everything, the
//! server's CPU time for it, the bytes and the records received. Reports the server's memory
//! and, on surrealkv, the database's size on disk. With `--serve S` it keeps the server up for
//! S seconds afterwards (its address printed) for browser measurements.
//!
//! `rihub-bench-scale [--records N] [--database URL] [--serve S]`

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use futures_util::StreamExt;
use rihub_bench::texts::{Rng, WORDS, place, sentence};
use rihub_bench::{Ceilings, Server, connect, send};
use rihub_domain::sync::wire::{MAX_PUSH, PROTOCOL};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

const ADMIN: &str = "admin@rihub.example";
const COORDINATOR: &str = "coordinator.afr@rihub.example";
const CLIENT: &str = "bench-scale";

struct Options {
    records: usize,
    database: String,
    serve: u64,
}

fn options() -> Result<Options> {
    let mut o = Options { records: 100_000, database: "mem://".into(), serve: 0 };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let value = pair.get(1).context("every option takes a value")?;
        match pair[0].as_str() {
            "--records" => o.records = value.parse()?,
            "--database" => o.database = value.clone(),
            "--serve" => o.serve = value.parse()?,
            other => bail!("unknown option {other}"),
        }
    }
    Ok(o)
}

/// The create mutation of generated record `n`: a report on project `n - 1` every seventh
/// record, a project of initiative `n % initiatives` otherwise.
fn create(rng: &mut Rng, n: usize, initiatives: &[String]) -> Value {
    let lang = n % WORDS.len();
    let place = place(rng);
    let title = json!({WORDS[lang].0: sentence(rng, lang, 4, &place)});
    let text = json!({WORDS[lang].0: sentence(rng, lang, 24, &place)});
    let (kind, fields) = if n % 7 == 6 {
        let mut fields = json!({"project": format!("p{}", n - 1), "title": title, "what_was_done": text});
        if n.is_multiple_of(2) {
            fields["published_at"] = 1.into();
        }
        ("report", fields)
    } else {
        let year = 2018 + n % 8;
        let fields = json!({"initiative": initiatives[n % initiatives.len()], "title": title, "summary": text, "status": "ongoing",
            "start": format!("{year}-0{}-01", 1 + n % 9), "end": format!("{}-12-31", year + 2)});
        ("project", fields)
    };
    let id = format!("{}{n}", &kind[..1]);
    json!({"client": CLIENT, "seq": n + 1, "op": {"op": "create", "key": {"kind": kind, "id": id}, "fields": fields}})
}

/// What a first sync took, seen from the device.
struct FirstSync {
    first_records: Duration,
    complete: Duration,
    server_cpu: f64,
    bytes: usize,
    records: usize,
    /// Of which summaries (records outside the device's working set).
    summaries: usize,
}

/// A first sync of `email`'s device: hello from cursor 0, until the server's head is reached.
async fn first_sync(server: &Server, email: &str, head: u64) -> Result<FirstSync> {
    let (_, cookie) = server.login(email).await?;
    let (mut sink, mut stream) = connect(&server.base, &cookie).await?.split();
    let cpu = server.cpu_seconds();
    let started = Instant::now();
    send(&mut sink, json!({"type": "hello", "protocol": PROTOCOL, "cursor": 0})).await?;
    let (mut first_records, mut bytes, mut records, mut summaries, mut cursor) = (None, 0, 0, 0, 0);
    while cursor < head {
        let Some(Ok(message)) = stream.next().await else { bail!("the socket closed during the first sync") };
        let Message::Text(text) = message else { continue };
        bytes += text.len();
        // Only the envelope is read: parsing every record would take the CPU the server needs.
        let in_message = memchr::memmem::find_iter(text.as_bytes(), br#"{"key":{"kind":""#).count();
        if in_message > 0 {
            first_records.get_or_insert_with(|| started.elapsed());
            records += in_message;
            summaries += memchr::memmem::find_iter(text.as_bytes(), br#""summary":true}"#).count();
        }
        if text.starts_with(r#"{"snapshot":"#) && text.ends_with(r#""last":true}}"#) {
            let tail = &text[text.rfind(r#""head":"#).context("a snapshot page without its head")? + 7..];
            cursor = tail.split(',').next().unwrap_or_default().parse()?;
        } else if text.starts_with(r#"{"changes":"#) {
            let message: Value = serde_json::from_str(&text)?;
            cursor = message["changes"]["changes"].as_array().and_then(|c| c.last()?["seq"].as_u64()).unwrap_or(cursor);
        } else if text.starts_with(r#"{"error":"#) {
            bail!("the server said {text}");
        }
    }
    let complete = started.elapsed();
    let server_cpu = match (cpu, server.cpu_seconds()) {
        (Some(before), Some(after)) => after - before,
        _ => 0.0,
    };
    Ok(FirstSync { first_records: first_records.unwrap_or(complete), complete, server_cpu, bytes, records, summaries })
}

/// Bytes under `path`, recursively.
fn size_on_disk(path: &std::path::Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else { return std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) };
    entries.flatten().map(|e| size_on_disk(&e.path())).sum()
}

#[tokio::main]
async fn main() -> Result<()> {
    let o = options()?;
    let server = Server::start_on(Ceilings::Lifted, &o.database).await?;
    let (http, _) = server.login(ADMIN).await?;
    let initiatives: Vec<Value> = http.get(format!("{}/api/initiatives", server.base)).send().await?.json().await?;
    let initiatives: Vec<String> = initiatives.iter().filter_map(|i| i["id"].as_str().map(str::to_string)).collect();
    anyhow::ensure!(!initiatives.is_empty(), "no demo initiatives");

    let mut rng = Rng(2026);
    let started = Instant::now();
    let mut head = 0;
    for batch in 0..o.records.div_ceil(MAX_PUSH) {
        let mutations: Vec<Value> =
            (batch * MAX_PUSH..((batch + 1) * MAX_PUSH).min(o.records)).map(|n| create(&mut rng, n, &initiatives)).collect();
        let r: Value =
            http.post(format!("{}/api/sync/push", server.base)).json(&json!({"mutations": mutations})).send().await?.json().await?;
        let results = r["results"].as_array().context("no results")?;
        anyhow::ensure!(results.iter().all(|r| r["outcome"]["applied"].is_u64()), "a record was refused: {r}");
        head = results.iter().filter_map(|r| r["outcome"]["applied"].as_u64()).max().unwrap_or(head);
        if batch % 100 == 99 {
            eprintln!("{} records written", (batch + 1) * MAX_PUSH);
        }
    }
    let written = started.elapsed();
    // Let the search documents and the similarity index catch up before timing reads.
    let idle_from = Instant::now();
    loop {
        let cpu = server.cpu_seconds().unwrap_or(0.0);
        tokio::time::sleep(Duration::from_secs(1)).await;
        if server.cpu_seconds().unwrap_or(0.0) - cpu < 0.1 {
            break;
        }
    }
    let indexed = idle_from.elapsed();

    println!("| measure | value |\n|---|---|");
    println!(
        "| {} records written in pushes of {MAX_PUSH} | {:.1} s ({:.0}/s); indexed {:.1} s later |",
        o.records,
        written.as_secs_f64(),
        o.records as f64 / written.as_secs_f64(),
        indexed.as_secs_f64()
    );
    for (who, email) in [("AFR coordinator", COORDINATOR), ("administrator", ADMIN)] {
        let s = first_sync(&server, email, head).await?;
        println!(
            "| first sync, {who}: first records / complete (ms), server CPU (s), records (summaries), MiB | {:.0} / {:.0}, {:.2}, {} ({}), {:.1} |",
            s.first_records.as_secs_f64() * 1000.0,
            s.complete.as_secs_f64() * 1000.0,
            s.server_cpu,
            s.records,
            s.summaries,
            s.bytes as f64 / 1_048_576.0
        );
    }
    println!(
        "| server memory now / peak (MiB) | {:.0} / {:.0} |",
        server.memory_mib("VmRSS:").unwrap_or(0.0),
        server.memory_mib("VmHWM:").unwrap_or(0.0)
    );
    if let Some(path) = o.database.strip_prefix("surrealkv://") {
        println!("| database on disk | {:.0} MiB |", size_on_disk(std::path::Path::new(path)) as f64 / 1_048_576.0);
    }
    if o.serve > 0 {
        println!("serving {} for {} s", server.base, o.serve);
        tokio::time::sleep(Duration::from_secs(o.serve)).await;
    }
    Ok(())
}
