//! `rihub-bench-limits`: what the server's guards cost and whether they hold, against a
//! release server with its default ceilings.
//!
//! 1. A sign-in storm: `/healthz` latency, asked every 10 ms, before and while N people (100 by
//!    default, each with an account of their own) sign in at once; the sign-ins' own times.
//!    Password hashing runs off the async workers, so the probe should not notice the storm.
//! 2. Socket ceilings: one session opens 1,000 sockets at once; how many are taken, how fast
//!    the rest are refused, and the server's memory before and after.
//! 3. Push ceilings: one session pushes as fast as it can for 1,300 pushes; how many are taken
//!    before `rate_limited`.
//!
//! `rihub-bench-limits [--sign-ins N]`

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use futures_util::future::join_all;
use rihub_bench::{Ceilings, PASSWORD, Server, percentile};
use serde_json::json;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

/// Creates `n` accounts through invitations (each accepted, which hashes its password);
/// returns their emails.
async fn accounts(server: &Server, n: usize) -> Result<Vec<String>> {
    let (admin, _) = server.login("admin@rihub.example").await?;
    let mut emails = Vec::with_capacity(n);
    for i in 0..n {
        let email = format!("storm{i}@rihub.example");
        let invite: serde_json::Value = admin
            .post(format!("{}/api/admin/invites", server.base))
            .json(&json!({"email": email, "name": format!("Storm {i}"), "roles": [{"kind": "observer"}]}))
            .send()
            .await?
            .json()
            .await?;
        let token = invite["link"].as_str().and_then(|l| l.rsplit('/').next()).context("no invitation link")?;
        let accepted = reqwest::Client::new()
            .post(format!("{}/api/invites/{token}", server.base))
            .json(&json!({"name": format!("Storm {i}"), "password": PASSWORD}))
            .send()
            .await?;
        anyhow::ensure!(accepted.status().is_success(), "accepting invitation {i}: {}", accepted.status());
        emails.push(email);
    }
    Ok(emails)
}

/// `/healthz` round trips (µs), one every 10 ms, until `stop` is set.
async fn probe(base: String, stop: std::sync::Arc<std::sync::atomic::AtomicBool>) -> Vec<u64> {
    let client = reqwest::Client::new();
    let mut times = Vec::new();
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        let started = Instant::now();
        if client.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status().is_success()) {
            times.push(started.elapsed().as_micros() as u64);
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    times.sort_unstable();
    times
}

fn summary(sorted: &[u64]) -> String {
    format!(
        "p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} probes)",
        percentile(sorted, 0.5),
        percentile(sorted, 0.99),
        percentile(sorted, 1.0),
        sorted.len()
    )
}

async fn sign_in_storm(server: &Server, n: usize) -> Result<()> {
    // One account each: the sign-ins are people, each from their own device, not one person
    // signing in a hundred times at once (which throttling would slow).
    let emails = accounts(server, n).await?;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let quiet = tokio::spawn(probe(server.base.clone(), stop.clone()));
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let quiet = quiet.await?;

    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let during = tokio::spawn(probe(server.base.clone(), stop.clone()));
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    let sign_ins = emails.iter().map(|email| {
        let base = server.base.clone();
        async move {
            let begun = Instant::now();
            let r = reqwest::Client::new()
                .post(format!("{base}/api/auth/login"))
                .json(&json!({"email": email, "password": PASSWORD}))
                .send()
                .await;
            (r.map(|r| r.status().as_u16()).unwrap_or(0), begun.elapsed().as_micros() as u64)
        }
    });
    let answers = join_all(sign_ins).await;
    let storm = started.elapsed();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let during = during.await?;
    let ok = answers.iter().filter(|(s, _)| *s == 200).count();
    let mut times: Vec<u64> = answers.iter().map(|(_, t)| *t).collect();
    times.sort_unstable();
    println!(
        "sign-in storm: {n} at once, {ok} signed in, all answered in {:.2} s ({:.0}/s); each sign-in p50 {:.0} ms, max {:.0} ms",
        storm.as_secs_f64(),
        n as f64 / storm.as_secs_f64(),
        percentile(&times, 0.5),
        percentile(&times, 1.0)
    );
    println!("  /healthz quiet:        {}", summary(&quiet));
    println!("  /healthz during storm: {}", summary(&during));
    Ok(())
}

async fn socket_ceiling(server: &Server) -> Result<()> {
    let (_, cookie) = server.login("observer@rihub.example").await?;
    let before = server.memory_mib("VmRSS:").unwrap_or(0.0);
    let started = Instant::now();
    let attempts = (0..1000).map(|_| {
        let (base, cookie) = (server.base.clone(), cookie.clone());
        async move {
            let mut request = format!("{}/api/sync/socket", base.replacen("http", "ws", 1)).into_client_request().ok()?;
            request.headers_mut().insert("cookie", cookie.parse().ok()?);
            request.headers_mut().insert("origin", base.parse().ok()?);
            let begun = Instant::now();
            let outcome = tokio_tungstenite::connect_async(request).await;
            Some((outcome.map(|(socket, _)| socket), begun.elapsed().as_micros() as u64))
        }
    });
    let outcomes: Vec<_> = join_all(attempts).await.into_iter().flatten().collect();
    let elapsed = started.elapsed();
    let mut refused_us: Vec<u64> = outcomes.iter().filter(|(o, _)| o.is_err()).map(|(_, t)| *t).collect();
    refused_us.sort_unstable();
    let open: Vec<_> = outcomes.into_iter().filter_map(|(o, _)| o.ok()).collect();
    let after = server.memory_mib("VmRSS:").unwrap_or(0.0);
    println!(
        "socket ceiling: 1000 sockets asked at once on one session, {} open, {} refused (429) in {:.2} s; a refusal p50 {:.1} ms, p99 {:.1} ms; server memory {before:.0} → {after:.0} MiB",
        open.len(),
        refused_us.len(),
        elapsed.as_secs_f64(),
        percentile(&refused_us, 0.5),
        percentile(&refused_us, 0.99)
    );
    drop(open);
    Ok(())
}

async fn push_ceiling(server: &Server) -> Result<()> {
    let (client, _) = server.login("coordinator.afr@rihub.example").await?;
    let started = Instant::now();
    let (mut taken, mut limited) = (0, 0);
    for seq in 1..=1300u64 {
        let mutation = json!({"client": "ceiling", "seq": seq, "op": {"op": "edit", "key": {"kind": "initiative", "id": "wtdc22_afr1"},
            "changes": [{"field": "status", "value": if seq % 2 == 0 { "adopted" } else { "implementing" }, "base": 0}]}});
        let r =
            client.post(format!("{}/api/sync/push", server.base)).json(&json!({"mutations": [mutation]})).send().await.context("push")?;
        match r.status().as_u16() {
            200 => taken += 1,
            429 => limited += 1,
            other => anyhow::bail!("push answered {other}"),
        }
    }
    println!(
        "push ceiling: 1300 pushes of one session back to back in {:.2} s: {taken} taken, {limited} answered rate_limited",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sign_ins = match args.as_slice() {
        [flag, n] if flag == "--sign-ins" => n.parse().context("--sign-ins takes a number")?,
        [] => 100,
        _ => anyhow::bail!("usage: rihub-bench-limits [--sign-ins N]"),
    };
    let server = Server::start(Ceilings::Default).await?;
    sign_in_storm(&server, sign_ins).await?;
    socket_ceiling(&server).await?;
    push_ceiling(&server).await?;
    Ok(())
}
