//! `cargo xtask bench-sync`: starts a release rihub server (in-memory database, demo data) as
//! its own process, opens N WebSocket clients, has W of them push edits one after another,
//! and reports delivery latency from push to every other client, accepted mutations per
//! second, the server's peak memory, and how long a client takes to catch up on 10,000 missed
//! changes.
//!
//! `rihub-bench [--clients N] [--writers W] [--edits E] [--missed M]`

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use futures_util::StreamExt;
use futures_util::stream::SplitStream;
use rihub_bench::{Ceilings, Server, Socket, connect, cpu_seconds, next, origins, percentile, send};
use rihub_domain::sync::wire::PROTOCOL;
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

const USER: &str = "coordinator.afr@rihub.example";
/// Initiatives of the coordinator's region the writers edit (one each, round robin).
const TARGETS: [&str; 4] = ["wtdc22_afr1", "wtdc17_afr1", "wtdc17_afr2", "wtdc17_afr3"];
/// Client `i` is `bench-i`; a delivered change's client id says which writer made it.
const CLIENT_ID: &str = "bench-";

struct Options {
    clients: usize,
    writers: usize,
    edits: usize,
    missed: usize,
}

fn options() -> Result<Options> {
    let mut o = Options { clients: 100, writers: 10, edits: 100, missed: 10_000 };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let value: usize = pair.get(1).context("every option takes a number")?.parse()?;
        match pair[0].as_str() {
            "--clients" => o.clients = value,
            "--writers" => o.writers = value,
            "--edits" => o.edits = value,
            "--missed" => o.missed = value,
            other => bail!("unknown option {other}"),
        }
    }
    o.writers = o.writers.clamp(1, o.clients);
    Ok(o)
}

async fn head(client: &reqwest::Client, base: &str) -> Result<u64> {
    let page: Value = client.get(format!("{base}/api/sync/pull?limit=1&cursor={}", u64::MAX / 2)).send().await?.json().await?;
    page["head"].as_u64().context("no head")
}

/// When each writer's mutations were pushed (writer `bench-N` at index N, and its first
/// mutation, seq 1, at index 0), and the delivery latencies seen so far.
struct Timings {
    pushed: Vec<Vec<Instant>>,
    latencies_us: Vec<u64>,
}

/// Reads a socket until it closes: records latencies of others' changes, forwards results.
fn read_socket(mut stream: SplitStream<Socket>, own: String, timings: Arc<Mutex<Timings>>, results: Option<mpsc::UnboundedSender<Value>>) {
    tokio::spawn(async move {
        while let Some(Ok(message)) = stream.next().await {
            let Message::Text(text) = message else { continue };
            if text.starts_with(r#"{"changes":"#) {
                let now = Instant::now();
                let mut t = timings.lock().unwrap_or_else(|e| e.into_inner());
                for (client, client_seq) in origins(&text).filter(|(client, _)| *client != own) {
                    let writer: Option<usize> = client.strip_prefix(CLIENT_ID).and_then(|n| n.parse().ok());
                    let pushed = writer.and_then(|w| t.pushed.get(w)?.get(client_seq.checked_sub(1)? as usize));
                    if let Some(at) = pushed.copied() {
                        t.latencies_us.push(now.duration_since(at).as_micros() as u64);
                    }
                }
            } else if let (Some(tx), true) = (&results, text.starts_with(r#"{"results":"#))
                && let Ok(value) = serde_json::from_str::<Value>(&text)
            {
                let _ = tx.send(value);
            }
        }
    });
}

#[tokio::main]
async fn main() -> Result<()> {
    let o = options()?;
    let server = Server::start(Ceilings::Lifted).await?;
    let (http, cookie) = server.login(USER).await?;
    let start_head = head(&http, &server.base).await?;

    // N clients, each caught up to the current head.
    let timings = Arc::new(Mutex::new(Timings { pushed: vec![Vec::new(); o.writers], latencies_us: Vec::new() }));
    let mut writers = Vec::new();
    for i in 0..o.clients {
        let socket = connect(&server.base, &cookie).await?;
        let (mut sink, mut stream) = socket.split();
        send(&mut sink, json!({"type": "hello", "protocol": PROTOCOL, "cursor": start_head})).await?;
        let welcome = next(&mut stream).await.context("no welcome")?;
        anyhow::ensure!(welcome.get("welcome").is_some(), "expected welcome, got {welcome}");
        let id = format!("{CLIENT_ID}{i}");
        if i < o.writers {
            let (tx, rx) = mpsc::unbounded_channel();
            read_socket(stream, id.clone(), timings.clone(), Some(tx));
            writers.push((id, sink, rx));
        } else {
            read_socket(stream, id, timings.clone(), None);
            std::mem::forget(sink); // keeps the socket open until the process ends
        }
    }
    println!("{} clients connected, {} writing {} edits each", o.clients, o.writers, o.edits);

    // Writers push one edit at a time, each waiting for its result.
    let started = Instant::now();
    let cpu_at_start = (server.cpu_seconds(), cpu_seconds(std::process::id()));
    let mut tasks = Vec::new();
    for (w, (id, mut sink, mut results)) in writers.into_iter().enumerate() {
        let timings = timings.clone();
        tasks.push(tokio::spawn(async move {
            let target = TARGETS[w % TARGETS.len()];
            let mut base = u64::MAX / 2; // first edit: no conflict bookkeeping
            let mut accepted = 0u64;
            for seq in 1..=o.edits as u64 {
                let mutation = json!({"client": id, "seq": seq, "op": {"op": "edit", "key": {"kind": "initiative", "id": target},
                    "changes": [{"field": "objective", "value": {"en": format!("{id} edit {seq}")}, "base": base}]}});
                timings.lock().unwrap_or_else(|e| e.into_inner()).pushed[w].push(Instant::now());
                send(&mut sink, json!({"type": "push", "mutations": [mutation]})).await?;
                let result = results.recv().await.context("socket closed")?;
                if let Some(at) = result["results"]["results"][0]["outcome"]["applied"].as_u64() {
                    base = at;
                    accepted += 1;
                }
            }
            Ok::<_, anyhow::Error>((accepted, sink))
        }));
    }
    let mut accepted = 0;
    let mut sinks = Vec::new();
    for task in tasks {
        let (n, sink) = task.await??;
        accepted += n;
        sinks.push(sink);
    }
    let elapsed = started.elapsed();
    let cores = |start: Option<f64>, end: Option<f64>| Some((end? - start?) / elapsed.as_secs_f64());
    let server_cores = cores(cpu_at_start.0, server.cpu_seconds());
    let tool_cores = cores(cpu_at_start.1, cpu_seconds(std::process::id()));
    // Let the last deliveries arrive.
    let expected = accepted as usize * (o.clients - 1);
    let wait_until = Instant::now() + Duration::from_secs(30);
    while timings.lock().unwrap_or_else(|e| e.into_inner()).latencies_us.len() < expected && Instant::now() < wait_until {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut latencies = std::mem::take(&mut timings.lock().unwrap_or_else(|e| e.into_inner()).latencies_us);
    latencies.sort_unstable();

    // Catch-up: M changes made while a client was away, then that client reconnects.
    let away_from = head(&http, &server.base).await?;
    let bulk_started = Instant::now();
    for batch in 0..o.missed.div_ceil(100) {
        let mutations: Vec<Value> = (0..100.min(o.missed - batch * 100))
            .map(|i| {
                let seq = (batch * 100 + i + 1) as u64;
                let target = TARGETS[(seq as usize) % TARGETS.len()];
                json!({"client": "bench-bulk", "seq": seq, "op": {"op": "edit", "key": {"kind": "initiative", "id": target},
                    "changes": [{"field": "objective", "value": {"en": format!("bulk {seq}")}, "base": u64::MAX / 2}]}})
            })
            .collect();
        let r = http.post(format!("{}/api/sync/push", server.base)).json(&json!({"mutations": mutations})).send().await?;
        anyhow::ensure!(r.status().is_success(), "bulk push failed: {}", r.status());
    }
    let bulk = bulk_started.elapsed();
    let target_head = head(&http, &server.base).await?;
    let catch_up_started = Instant::now();
    let (mut sink, mut stream) = connect(&server.base, &cookie).await?.split();
    send(&mut sink, json!({"type": "hello", "protocol": PROTOCOL, "cursor": away_from})).await?;
    let mut cursor = away_from;
    let mut received = 0usize;
    while cursor < target_head {
        let message = next(&mut stream).await.context("socket closed during catch-up")?;
        if let Some(changes) = message["changes"]["changes"].as_array() {
            received += changes.len();
            cursor = changes.last().and_then(|c| c["seq"].as_u64()).unwrap_or(cursor);
        } else if message["snapshot"]["last"] == true {
            cursor = message["snapshot"]["head"].as_u64().unwrap_or(cursor);
        }
    }
    let catch_up = catch_up_started.elapsed();
    drop(sinks);

    println!("\n| measure | value |\n|---|---|");
    println!("| clients (sockets) | {} |", o.clients);
    println!("| writers × edits | {} × {} |", o.writers, o.edits);
    println!("| accepted mutations/s (one edit per push, awaited) | {:.0} |", accepted as f64 / elapsed.as_secs_f64());
    if let (Some(server), Some(tool)) = (server_cores, tool_cores) {
        println!("| CPU used during those edits: server / load tool (cores) | {server:.2} / {tool:.2} |");
    }
    println!("| deliveries measured | {} of {} |", latencies.len(), expected);
    println!(
        "| delivery latency p50 / p99 / max (ms) | {:.1} / {:.1} / {:.1} |",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0)
    );
    println!(
        "| {} changes pushed in batches of 100 | {:.2} s ({:.0}/s) |",
        o.missed,
        bulk.as_secs_f64(),
        o.missed as f64 / bulk.as_secs_f64()
    );
    println!(
        "| catch-up of {} missed changes ({} sent as changes) | {:.0} ms |",
        target_head - away_from,
        received,
        catch_up.as_secs_f64() * 1000.0
    );
    println!("| server peak memory (VmHWM) | {:.0} MiB |", server.memory_mib("VmHWM:").unwrap_or(0.0));
    Ok(())
}
