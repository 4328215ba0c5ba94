//! Keeping search current, and "similar" records.
//!
//! One task per process follows the change log into the search documents (`documents`: each
//! page is written by exactly one process), and keeps an in-memory similarity index
//! (`domain::similarity`: TF-IDF over the content words of every language a record has) built from those documents.
//! The index is rebuilt when the documents have moved on, at most once per `REBUILD_EVERY`, so
//! "similar" follows edits within about a second without rebuilding on every keystroke.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use rihub_domain::region::Region;
use rihub_domain::role::Role;
use rihub_domain::search::{Found, Pair};
use rihub_domain::similarity::{DUPLICATE_MIN, Index, MAX_SIMILAR, Match};
use rihub_domain::sync::audience::{Audience, Visibility, visibility};
use rihub_domain::sync::record::{Kind, RecordKey};
use rihub_domain::text::Text;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};

use crate::db::{self, Db};
use crate::sync::feed::Feed;

/// How long the task waits for a change before looking at the log anyway (changes of other
/// processes are seen this way).
const POLL: Duration = Duration::from_millis(500);
/// How long after a change the task waits for more before indexing them together.
const SETTLE: Duration = Duration::from_millis(100);
const REBUILD_EVERY: Duration = Duration::from_secs(1);
/// Changes read from the log at a time.
const PAGE: u64 = 500;

/// A record the index knows, as lists show it.
struct Entry {
    key: RecordKey,
    region: Option<Region>,
    title: Text,
    audience: Audience,
    /// Initiatives this one is already linked with (related or merged into).
    links: Vec<String>,
}

#[derive(Default)]
struct Similar {
    index: Index,
    /// The initiatives alone, for possible duplicates (a few hundred, where the whole index
    /// may hold tens of thousands of records, and pairs grow with the square).
    initiatives: Index,
    entries: HashMap<String, Entry>,
    /// The search cursor the index was built at.
    built_at: u64,
}

fn index_id(key: &RecordKey) -> String {
    format!("{}/{}", key.kind.code(), key.id)
}

/// The similarity index of this process, shared by the handlers.
#[derive(Clone, Default)]
pub struct Search {
    similar: Arc<RwLock<Similar>>,
}

impl Search {
    /// Starts following the log; stops when every holder of `feed` is gone.
    pub fn start(db: Db, feed: &Feed) -> Search {
        let search = Search::default();
        tokio::spawn(follow(db, feed.subscribe(), search.clone()));
        search
    }

    /// The records of other regions closest to `key` by their texts, that `roles` may read.
    pub fn similar(&self, key: &RecordKey, roles: &[Role]) -> Vec<Found> {
        let similar = self.similar.read().unwrap_or_else(|e| e.into_inner());
        let own = similar.entries.get(&index_id(key)).filter(|e| visibility(roles, e.key.kind, &e.audience) == Visibility::Full);
        let Some(own) = own else { return Vec::new() };
        let Some(vector) = similar.index.vector_of_record(&index_id(key)) else { return Vec::new() };
        let keep = |id: &str| {
            similar.entries.get(id).is_some_and(|e| {
                e.region.is_some() && e.region != own.region && visibility(roles, e.key.kind, &e.audience) == Visibility::Full
            })
        };
        similar.index.similar(vector, MAX_SIMILAR, keep).into_iter().filter_map(|m| found(&similar, m)).collect()
    }

    /// Pairs of initiatives whose texts overlap, not yet linked or merged, best first.
    pub fn duplicates(&self) -> Vec<Pair> {
        let similar = self.similar.read().unwrap_or_else(|e| e.into_inner());
        let keep = |a: &str, b: &str| match (similar.entries.get(a), similar.entries.get(b)) {
            (Some(x), Some(y)) => !x.links.contains(&y.key.id) && !y.links.contains(&x.key.id),
            _ => false,
        };
        similar
            .initiatives
            .pairs_above(DUPLICATE_MIN, keep)
            .into_iter()
            .filter_map(|(a, _, m)| {
                Some(Pair { a: found(&similar, Match { id: a, score: m.score, shared: Vec::new() })?, b: found(&similar, m)? })
            })
            .collect()
    }

    /// Whether the index has been built from the search documents as of `cursor` or later.
    pub fn is_current(&self, cursor: u64) -> bool {
        self.similar.read().unwrap_or_else(|e| e.into_inner()).built_at >= cursor
    }
}

fn found(similar: &Similar, m: Match) -> Option<Found> {
    let e = similar.entries.get(&m.id)?;
    Some(Found {
        kind: e.key.kind,
        id: e.key.id.clone(),
        region: e.region,
        title: e.title.clone(),
        score: m.score,
        matches: Vec::new(),
        shared: m.shared,
    })
}

async fn follow(db: Db, mut wake: tokio::sync::broadcast::Receiver<Arc<crate::sync::feed::Batch>>, search: Search) {
    let mut last_build: Option<Instant> = None;
    loop {
        match index_new(&db).await {
            Ok(cursor) => {
                let stale = !search.is_current(cursor) || last_build.is_none();
                if stale && last_build.is_none_or(|at| at.elapsed() >= REBUILD_EVERY) {
                    match rebuild(&db, cursor).await {
                        Ok(built) => *search.similar.write().unwrap_or_else(|e| e.into_inner()) = built,
                        Err(e) => tracing::warn!(error = %e, "cannot build the similarity index"),
                    }
                    last_build = Some(Instant::now());
                    continue;
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot index the change log for search"),
        }
        match tokio::time::timeout(POLL, wake.recv()).await {
            Err(_) => {}
            Ok(Err(RecvError::Closed)) => break,
            // Changes come in bursts: they are indexed together, a moment after the first.
            Ok(_) => {
                tokio::time::sleep(SETTLE).await;
                while !matches!(wake.try_recv(), Err(TryRecvError::Empty | TryRecvError::Closed)) {}
            }
        }
    }
}

/// Writes the search documents of the changes not indexed yet (or lets the process that got
/// there first do it); returns the cursor reached.
async fn index_new(db: &Db) -> db::DbResult<u64> {
    loop {
        let cursor = crate::search::documents::cursor(db).await?;
        let (changes, last) = crate::search::documents::changes_after(db, cursor, PAGE).await?;
        if last == cursor {
            return Ok(cursor);
        }
        crate::search::documents::index_page(db, cursor, last, &changes).await?;
    }
}

async fn rebuild(db: &Db, cursor: u64) -> db::DbResult<Similar> {
    let docs = crate::search::documents::all_documents(db).await?;
    let index = Index::build(docs.iter().map(|d| (index_id(&d.key), &d.texts)));
    let initiatives = Index::build(docs.iter().filter(|d| d.key.kind == Kind::Initiative).map(|d| (index_id(&d.key), &d.texts)));
    let entries = docs
        .into_iter()
        .map(|d| (index_id(&d.key), Entry { key: d.key, region: d.region, title: d.title, audience: d.audience, links: d.links }))
        .collect();
    Ok(Similar { index, initiatives, entries, built_at: cursor })
}
