//! `rihub-bench-search`: search and "similar" over N generated projects written in the six
//! languages. Starts a release rihub server (in-memory database, demo data), writes the projects
//! through sync in pushes of 100, and reports how long the search documents and the similarity
//! index take to catch up, query times (p50 / p99) for common words, rare words and "similar",
//! the time to build the similarity index over the same texts in this process, and the
//! server's memory.
//!
//! `rihub-bench-search [--records N] [--queries Q]`

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use rihub_bench::texts::{Rng, WORDS, place, sentence};
use rihub_bench::{Ceilings, Server, percentile};
use rihub_domain::similarity::Index;
use rihub_domain::text::Text;
use serde_json::{Value, json};

const ADMIN: &str = "admin@rihub.example";

struct Options {
    records: usize,
    queries: usize,
}

fn options() -> Result<Options> {
    let mut o = Options { records: 10_000, queries: 300 };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let value: usize = pair.get(1).context("every option takes a number")?.parse()?;
        match pair[0].as_str() {
            "--records" => o.records = value,
            "--queries" => o.queries = value,
            other => bail!("unknown option {other}"),
        }
    }
    Ok(o)
}

/// Times `count` GET requests built by `path`; returns sorted microseconds and the mean
/// number of records each answered.
async fn time_queries(http: &reqwest::Client, base: &str, count: usize, mut path: impl FnMut(usize) -> String) -> Result<(Vec<u64>, f64)> {
    let mut times = Vec::with_capacity(count);
    let mut found = 0usize;
    for i in 0..count {
        let started = Instant::now();
        let answer: Value = http.get(format!("{base}{}", path(i))).send().await?.error_for_status()?.json().await?;
        times.push(started.elapsed().as_micros() as u64);
        found += answer.as_array().map(Vec::len).unwrap_or(0);
    }
    times.sort_unstable();
    Ok((times, found as f64 / count.max(1) as f64))
}

/// Polls `path` until it answers a non-empty list; returns how long that took.
async fn until_found(http: &reqwest::Client, base: &str, path: &str, since: Instant) -> Result<Duration> {
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        let answer: Value = http.get(format!("{base}{path}")).send().await?.json().await?;
        if answer.as_array().is_some_and(|a| !a.is_empty()) {
            return Ok(since.elapsed());
        }
        anyhow::ensure!(Instant::now() < deadline, "{path} never answered");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let o = options()?;
    let server = Server::start(Ceilings::Lifted).await?;
    let (http, _) = server.login(ADMIN).await?;
    let initiatives: Vec<Value> = http.get(format!("{}/api/initiatives", server.base)).send().await?.json().await?;
    let initiatives: Vec<String> = initiatives.iter().filter_map(|i| i["id"].as_str().map(str::to_string)).collect();
    anyhow::ensure!(!initiatives.is_empty(), "no demo initiatives");
    let memory_before = server.memory_mib("VmRSS:").unwrap_or(0.0);

    // Records: a title and a summary in one language (each language in turn), a third of them
    // also in English; each names a made-up place, and the last one a word no other has.
    let mut rng = Rng(2026);
    let mut texts = Vec::with_capacity(o.records);
    let mut places = Vec::with_capacity(o.records);
    let started = Instant::now();
    for batch in 0..o.records.div_ceil(100) {
        let mut mutations = Vec::new();
        for n in batch * 100..((batch + 1) * 100).min(o.records) {
            let lang = n % WORDS.len();
            let place = if n + 1 == o.records { "zzlastrecord".to_string() } else { place(&mut rng) };
            let mut title = json!({WORDS[lang].0: sentence(&mut rng, lang, 4, &place)});
            let mut summary = json!({WORDS[lang].0: sentence(&mut rng, lang, 16, &place)});
            if n % 3 == 0 && lang != 0 {
                title["en"] = sentence(&mut rng, 0, 4, &place).into();
                summary["en"] = sentence(&mut rng, 0, 16, &place).into();
            }
            // The similarity index reads a record's title and summary, language by language.
            let mut text = title.clone();
            for (lang, words) in summary.as_object().into_iter().flatten() {
                text[lang] = format!("{} {}", title[lang].as_str().unwrap_or_default(), words.as_str().unwrap_or_default()).into();
            }
            texts.push((format!("project/p{n}"), serde_json::from_value::<Text>(text)?));
            places.push(place);
            let fields = json!({"initiative": initiatives[n % initiatives.len()], "title": title, "summary": summary, "status": "ongoing"});
            mutations.push(json!({"client": "bench-search", "seq": n + 1, "op": {"op": "create", "key": {"kind": "project", "id": format!("p{n}")}, "fields": fields}}));
        }
        let r = http.post(format!("{}/api/sync/push", server.base)).json(&json!({"mutations": mutations})).send().await?;
        anyhow::ensure!(r.status().is_success(), "push failed: {}", r.status());
    }
    let written = started.elapsed();
    let written_at = Instant::now();
    let searchable = until_found(&http, &server.base, "/api/search?q=zzlastrecord", written_at).await?;
    let similar_ready = until_found(&http, &server.base, &format!("/api/similar/project/p{}", o.records - 1), written_at).await?;
    let memory_indexed = server.memory_mib("VmRSS:").unwrap_or(0.0);

    let common = |i: usize| {
        let (_, vocabulary) = WORDS[i % WORDS.len()];
        format!("/api/search?q={}", vocabulary[(i * 7) % vocabulary.len()])
    };
    let (common_times, common_found) = time_queries(&http, &server.base, o.queries, common).await?;
    let rare = |i: usize| {
        let n = (i * 7919) % places.len();
        let (_, vocabulary) = WORDS[n % WORDS.len()];
        format!("/api/search?q={}", places[n].clone() + "%20" + vocabulary[i % vocabulary.len()])
    };
    let (rare_times, rare_found) = time_queries(&http, &server.base, o.queries, rare).await?;
    let similar = |i: usize| format!("/api/similar/project/p{}", (i * 7919) % o.records);
    let (similar_times, similar_found) = time_queries(&http, &server.base, o.queries, similar).await?;

    let build_started = Instant::now();
    let index = Index::build(texts.iter().map(|(id, text)| (id.clone(), text)));
    let build = build_started.elapsed();
    drop(index);

    println!("| measure | value |\n|---|---|");
    println!("| records written ({} pushes of 100 projects) | {} in {:.1} s |", o.records.div_ceil(100), o.records, written.as_secs_f64());
    println!("| search documents current after the last write | {:.2} s |", searchable.as_secs_f64());
    println!("| similarity index current after the last write | {:.2} s |", similar_ready.as_secs_f64());
    for (name, times, found) in [
        ("search, one common word", &common_times, common_found),
        ("search, a rare word and a common one", &rare_times, rare_found),
        ("similar in other regions", &similar_times, similar_found),
    ] {
        println!(
            "| {name}: p50 / p99 (ms), records answered | {:.1} / {:.1}, {:.1} |",
            percentile(times, 0.5),
            percentile(times, 0.99),
            found
        );
    }
    println!("| similarity index build over {} texts (in process) | {:.0} ms |", texts.len(), build.as_secs_f64() * 1000.0);
    println!(
        "| server memory: before / after indexing / peak (MiB) | {:.0} / {:.0} / {:.0} |",
        memory_before,
        memory_indexed,
        server.memory_mib("VmHWM:").unwrap_or(0.0)
    );
    Ok(())
}
