//! The search documents: one per initiative, project and report, with its texts in each
//! language (each indexed by SurrealDB's full-text index with that language's analyzer, see
//! migration 5) and what the filters need. They are written from the change log, exactly once
//! across processes: a page of changes is indexed in the transaction that moves
//! `search_cursor:log` on from where the page started, so two processes indexing the same page
//! cannot both commit.

use rihub_domain::lang::Lang;
use rihub_domain::region::Region;
use rihub_domain::role::Role;
use rihub_domain::search::{Filters, Found, MARK_END, MARK_START, MAX_QUERY, SEARCHED, snippet};
use rihub_domain::sync::audience::{Audience, Visibility, visibility};
use rihub_domain::sync::record::{Kind, RecordKey, SyncedRecord};
use rihub_domain::text::Text;
use rihub_domain::translation::joined;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::db::{Db, DbResult, Tx};

/// A change of the log with the region it was written under.
#[derive(Debug, Deserialize)]
pub struct Logged {
    pub seq: u64,
    pub key: RecordKey,
    pub record: Option<SyncedRecord>,
    #[serde(default)]
    pub region: Option<Region>,
    #[serde(default)]
    pub audience: Audience,
}

/// The changes of searched kinds after `cursor` among the next `limit`, and the last
/// sequence number read (to move the cursor past the others).
pub async fn changes_after(db: &Db, cursor: u64, limit: u64) -> DbResult<(Vec<Logged>, u64)> {
    let rows: Vec<Logged> = db
        .rows(
            "SELECT seq, key, record, region, audience ?? {} AS audience FROM type::record('change', $from..) LIMIT $limit",
            json!({"from": crate::db::sync::first_after(cursor), "limit": limit}),
        )
        .await?;
    let last = rows.last().map(|c| c.seq).unwrap_or(cursor);
    Ok((rows.into_iter().filter(|c| SEARCHED.contains(&c.key.kind)).collect(), last))
}

/// How far the search documents follow the log.
pub async fn cursor(db: &Db) -> DbResult<u64> {
    Ok(db.row::<u64>("RETURN (SELECT VALUE seq FROM ONLY search_cursor:log) ?? 0", json!({})).await?.unwrap_or(0))
}

fn doc_id(key: &RecordKey) -> String {
    format!("{}_{}", key.kind.code(), key.id)
}

/// Writes the documents of `changes` (read after `from`, up to `last`) if nobody has yet;
/// returns whether this call did.
pub async fn index_page(db: &Db, from: u64, last: u64, changes: &[Logged]) -> DbResult<bool> {
    let tx = db.transaction().await?;
    let at: u64 = tx.row("RETURN (SELECT VALUE seq FROM ONLY search_cursor:log) ?? 0", json!({})).await?.unwrap_or(0);
    if at != from {
        return Ok(false);
    }
    // Only a record's last change in the page matters: its document is the record as it is.
    let mut seen = std::collections::HashSet::new();
    let last_of_each = changes.iter().rev().filter(|c| seen.insert(&c.key));
    for change in last_of_each {
        let id = doc_id(&change.key);
        let Some(record) = &change.record else {
            tx.run("DELETE type::record('search_doc', $id)", json!({"id": id})).await?;
            continue;
        };
        let doc = document(&tx, change, record).await?;
        tx.run("UPSERT type::record('search_doc', $id) CONTENT $doc RETURN NONE", json!({"id": id, "doc": doc})).await?;
        // The projects and reports under an initiative are filtered by its cycle and
        // priorities: they follow it.
        if change.key.kind == Kind::Initiative {
            let refresh =
                "UPDATE search_doc SET cycle = $doc.cycle, priorities = $doc.priorities WHERE initiative = $initiative RETURN NONE";
            tx.run(refresh, json!({"doc": doc, "initiative": change.key.id})).await?;
        }
    }
    tx.run("UPSERT search_cursor:log SET seq = $last RETURN NONE", json!({"last": last})).await?;
    // Another process committing the same page first makes this commit fail: it is done.
    Ok(tx.commit().await.is_ok())
}

#[derive(Deserialize, Default)]
struct Context {
    #[serde(default)]
    cycle: Option<String>,
    #[serde(default)]
    priorities: Vec<String>,
}

/// A record's search document: its texts per language, and its region, cycle, priorities
/// (a project's and a report's are their initiative's), status and type.
async fn document(tx: &Tx, change: &Logged, record: &SyncedRecord) -> DbResult<Value> {
    let fields = &record.fields;
    let text = |field: &str| fields.get(field).and_then(Value::as_str).map(str::to_string);
    let initiative = match change.key.kind {
        Kind::Project => text("initiative"),
        Kind::Report => match text("project") {
            Some(project) => {
                tx.row::<String>("RETURN (SELECT VALUE initiative FROM ONLY type::record('project', $id))", json!({"id": project})).await?
            }
            None => None,
        },
        _ => None,
    };
    let initiative_id = initiative.clone();
    let context: Context = match (change.key.kind, initiative) {
        (Kind::Initiative, _) => serde_json::from_value(Value::Object(fields.clone())).unwrap_or_default(),
        (_, Some(id)) => {
            tx.row("SELECT cycle, priorities FROM type::record('initiative', $id)", json!({"id": id})).await?.unwrap_or_default()
        }
        _ => Context::default(),
    };
    let status = match change.key.kind {
        Kind::Report if fields.get("published_at").is_some_and(|v| !v.is_null()) => "published".to_string(),
        Kind::Report => "draft".to_string(),
        _ => text("status").unwrap_or_default(),
    };
    let region = match change.key.kind {
        Kind::Initiative => fields.get("region").cloned().unwrap_or(Value::Null),
        _ => serde_json::to_value(change.region)?,
    };
    let mut doc = json!({
        "kind": change.key.kind, "rid": change.key.id, "region": region, "cycle": context.cycle,
        "priorities": context.priorities, "status": status, "title": fields.get("title"), "audience": change.audience,
        "seq": change.seq, "links": links(fields), "initiative": initiative_id,
    });
    for lang in Lang::ALL {
        doc[format!("text_{}", lang.code())] = joined(change.key.kind, fields, lang).into();
    }
    Ok(doc)
}

/// The initiatives an initiative names as related or as the one it was merged into.
fn links(fields: &Map<String, Value>) -> Vec<String> {
    let related = fields.get("related").and_then(Value::as_array).into_iter().flatten();
    related.chain(fields.get("merged_into")).filter_map(Value::as_str).map(str::to_string).collect()
}

/// A match as the first pass ranks it.
#[derive(Deserialize)]
struct Ranked {
    doc: String,
    kind: Kind,
    #[serde(default)]
    audience: Audience,
    #[serde(default)]
    score: Option<f64>,
}

/// A match as the second pass shows it, with its texts' matches marked.
#[derive(Deserialize)]
struct Shown {
    doc: String,
    kind: Kind,
    rid: String,
    #[serde(default)]
    region: Option<Region>,
    #[serde(default)]
    title: Text,
    #[serde(flatten)]
    marked: Map<String, Value>,
}

/// Most records a search returns.
const MAX_FOUND: usize = 50;

/// The records whose texts, in any language, have every word of `q` (each language's words
/// as its analyzer reads them: "école" finds "écoles"), that pass the filters and that a
/// reader holding `roles` may read; best first, with where they matched.
///
/// Two passes: the matches are ranked first, and only those shown get their matches marked
/// (marking every language's text of every match costs more than the search itself).
pub async fn search(db: &Db, roles: &[Role], q: &str, filters: &Filters) -> DbResult<Vec<Found>> {
    let q: String = q.chars().take(MAX_QUERY).collect();
    if q.trim().is_empty() {
        return Ok(Vec::new());
    }
    let langs = Lang::ALL.into_iter().enumerate();
    let matches: Vec<String> = langs.clone().map(|(i, lang)| format!("text_{} @{i}@ $q", lang.code())).collect();
    let scores: Vec<String> = langs.clone().map(|(i, _)| format!("(search::score({i}) ?? 0)")).collect();
    let marks: Vec<String> = langs.map(|(i, lang)| format!("search::highlight($start, $end, {i}) AS marked_{}", lang.code())).collect();
    let matched = format!("({})", matches.join(" OR "));
    let mut conditions = vec![matched.clone()];
    for (value, test) in [
        (&filters.region, "region = $region"),
        (&filters.cycle, "cycle = $cycle"),
        (&filters.priority, "$priority IN priorities"),
        (&filters.status, "status = $status"),
        (&filters.kind, "kind = $kind"),
    ] {
        if value.is_some() {
            conditions.push(test.to_string());
        }
    }
    let vars = json!({
        "q": q, "start": MARK_START.to_string(), "end": MARK_END.to_string(),
        "region": filters.region, "cycle": filters.cycle, "priority": filters.priority, "status": filters.status, "kind": filters.kind,
    });
    let rank = format!(
        "SELECT record::id(id) AS doc, kind, audience ?? {{}} AS audience, {} AS score FROM search_doc WHERE {} ORDER BY score DESC LIMIT 500",
        scores.join(" + "),
        conditions.join(" AND "),
    );
    let ranked: Vec<Ranked> = db.rows(&rank, vars.clone()).await?;
    let ranked: Vec<Ranked> =
        ranked.into_iter().filter(|r| visibility(roles, r.kind, &r.audience) == Visibility::Full).take(MAX_FOUND).collect();
    if ranked.is_empty() {
        return Ok(Vec::new());
    }
    let mut vars = vars;
    vars["docs"] = ranked.iter().map(|r| r.doc.clone()).collect();
    let show = format!(
        "SELECT record::id(id) AS doc, kind, rid, region, title ?? {{}} AS title, {} FROM search_doc WHERE {matched} AND record::id(id) IN $docs",
        marks.join(", ")
    );
    let mut shown: Vec<Shown> = db.rows(&show, vars).await?;
    Ok(ranked
        .into_iter()
        .filter_map(|r| {
            let row = shown.swap_remove(shown.iter().position(|s| s.doc == r.doc)?);
            let matches = Lang::ALL
                .into_iter()
                .filter_map(|lang| {
                    row.marked.get(&format!("marked_{}", lang.code())).and_then(Value::as_str).and_then(|m| snippet(lang, m))
                })
                .collect();
            Some(Found {
                kind: row.kind,
                id: row.rid,
                region: row.region,
                title: row.title,
                score: r.score.unwrap_or(0.0),
                matches,
                shared: Vec::new(),
            })
        })
        .collect())
}

/// A search document as the similarity index takes it.
#[derive(Deserialize)]
pub struct Document {
    #[serde(flatten)]
    pub key: RecordKey,
    #[serde(default)]
    pub region: Option<Region>,
    #[serde(default)]
    pub title: Text,
    #[serde(default)]
    pub audience: Audience,
    /// Initiatives an initiative is already linked with (related, merged into).
    #[serde(default)]
    pub links: Vec<String>,
    /// Its texts, each language's joined.
    #[serde(default)]
    pub texts: Text,
}

pub async fn all_documents(db: &Db) -> DbResult<Vec<Document>> {
    let texts: Vec<String> = Lang::ALL.iter().map(|l| format!("{0}: text_{0} ?? ''", l.code())).collect();
    let sql = format!(
        "SELECT kind, rid AS id, region, title ?? {{}} AS title, audience ?? {{}} AS audience, links ?? [] AS links, {{ {} }} AS texts FROM search_doc",
        texts.join(", ")
    );
    db.rows(&sql, json!({})).await
}
