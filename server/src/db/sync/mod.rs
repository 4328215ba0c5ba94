//! Applying mutations: authorize, merge, validate, write the record, append to the change
//! log and remember the client's sequence number, all in one transaction (committed by the
//! process's `writer`). The merge and the rules come from `domain::sync`.

use rihub_domain::consultation::contribution::ContributionFields;
use rihub_domain::region::Region;
use rihub_domain::role::Role;
use rihub_domain::sync::audience::{Audience, Visibility, visibility};
use rihub_domain::sync::change::Change;
use rihub_domain::sync::consultation_rules::{SubmissionFields, is_consultation_kind};
use rihub_domain::sync::merge::Conflict;
use rihub_domain::sync::mutation::{Mutation, Op};
use rihub_domain::sync::outcome::{Outcome, Refusal, out_of_order};
use rihub_domain::sync::record::{Kind, RecordKey, SyncedRecord};
use rihub_domain::sync::rules;
use rihub_domain::sync::wire::SnapshotRecord;
use rihub_domain::sync::working_set::WorkingSet;
use rihub_domain::sync::write_check::{self, Looked, Write as Checking};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{Db, DbResult, Tx, strip_nulls};

mod authors;
mod group;

pub(in crate::db) use group::Group;

/// The newest change's number (0 before the first).
const HEAD: &str = "RETURN (SELECT VALUE value FROM ONLY counter:log) ?? 0";

/// Fields the store keeps beside a record's own fields.
const META: [&str; 6] = ["id", "rev", "revs", "updated_at", "updated_by", "audience"];

fn table(kind: Kind) -> &'static str {
    kind.code()
}

/// A stored record as the merge sees it, with its region, who may read it, and its
/// whole-record revision.
struct Stored {
    record: SyncedRecord,
    region: Option<Region>,
    audience: Audience,
    rev: u64,
}

/// Leaves only the record's own fields of a stored row.
fn strip_meta(row: &mut Map<String, Value>) {
    for meta in META {
        row.remove(meta);
    }
}

/// A stored row as sync sees it: the record's own fields and revisions, apart from the store's.
fn stored(kind: Kind, mut row: Map<String, Value>) -> DbResult<Stored> {
    let revs = serde_json::from_value(row.remove("revs").unwrap_or(json!({}))).unwrap_or_default();
    let rev = row.get("rev").and_then(Value::as_u64).unwrap_or(0);
    let audience: Audience = serde_json::from_value(row.get("audience").cloned().unwrap_or(json!({}))).unwrap_or_default();
    strip_meta(&mut row);
    let region = match kind {
        // A project's region is its initiative's, stored beside it for scope checks.
        Kind::Project => serde_json::from_value(row.remove("region").unwrap_or(Value::Null))?,
        Kind::Initiative => serde_json::from_value(row.get("region").cloned().unwrap_or(Value::Null))?,
        // A report's is its project's, stored beside it for working sets: a published one has
        // no audience (rows written before it was stored have none).
        Kind::Report => serde_json::from_value::<Option<Region>>(row.remove("region").unwrap_or(Value::Null))?.or(audience.region),
        Kind::Consultation | Kind::Contribution | Kind::Submission => audience.region,
    };
    Ok(Stored { record: SyncedRecord { fields: row, revs, summary: false }, region, audience, rev })
}

/// Applies a push's mutations for `user` holding `roles`, in order and in one transaction
/// (shared with the other writes waiting at the same time, see `writer`); stops after a gap.
/// A refused mutation writes nothing but its refusal.
pub async fn apply_all(db: &Db, user: &str, roles: &[Role], mutations: &[Mutation]) -> DbResult<Vec<Outcome>> {
    db.writer.push(user, roles, mutations.to_vec()).await
}

/// The mutations of one push, applied in order inside `tx`, up to and including a gap.
pub(super) async fn apply_push(tx: &Tx, group: &mut Group, user: &str, roles: &[Role], mutations: &[Mutation]) -> DbResult<Vec<Outcome>> {
    let mut outcomes = Vec::with_capacity(mutations.len());
    for m in mutations {
        let outcome = apply_one(tx, group, user, roles, m).await?;
        let gap = matches!(outcome, Outcome::Gap { .. });
        outcomes.push(outcome);
        if gap {
            break;
        }
    }
    Ok(outcomes)
}

async fn apply_one(tx: &Tx, group: &mut Group, user: &str, roles: &[Role], m: &Mutation) -> DbResult<Outcome> {
    // A client or record id that is no id is answered at once: it keys nothing stored.
    if let Err(refusal) = rules::check_mutation(m) {
        return Ok(Outcome::Refused(refusal));
    }
    group.read(tx, &[&m.client], &[m.op.key()]).await?;
    if group.client(&m.client).is_some_and(|c| c.user != user) {
        // A client id belongs to the user who first used it: another user's queue is not theirs.
        return Ok(Outcome::Refused(Refusal::Forbidden));
    }
    if let Some(answer) = out_of_order(group.client(&m.client).map(|c| c.processed).unwrap_or(0), m.seq) {
        return match answer {
            Outcome::Duplicate => earlier_refusal(tx, m).await.map(|r| r.map(Outcome::Refused).unwrap_or(Outcome::Duplicate)),
            other => Ok(other),
        };
    }
    let decided = decide(tx, group, user, roles, &Write::Op(m.op.clone()), Some((&m.client, m.seq))).await?;
    group.processed(&m.client, user, m.seq);
    match decided {
        Ok(Some(seq)) => Ok(Outcome::Applied(seq)),
        // Nothing to write (the answers submitted are already the current version): taken,
        // like a retry.
        Ok(None) => Ok(Outcome::Duplicate),
        Err(refusal) => {
            record_refusal(tx, m, &refusal).await?;
            Ok(Outcome::Refused(refusal))
        }
    }
}

/// A write through the HTTP API: a sync operation, or a whole record replacing the revision
/// the person edited (its changed fields become an edit, so they merge and are logged alike).
pub enum Write {
    Op(Op),
    Replace { key: RecordKey, fields: Map<String, Value>, expected_rev: u64 },
}

/// Applies one HTTP API write, appending it to the change log like a sync mutation (without a
/// client's sequence number). A refusal writes nothing.
pub async fn apply_request(db: &Db, user: &str, roles: &[Role], write: Write) -> DbResult<Result<u64, Refusal>> {
    db.writer.request(user, roles, write).await
}

/// Inside the transaction: merge, check (`write_check`, on the records as this transaction
/// has them), write. `Err(refusal)` means nothing may be kept; `Ok(None)` that there was
/// nothing to write. `origin` is the sync client and its mutation number, if the write came
/// from one.
pub(in crate::db) async fn decide(
    tx: &Tx,
    group: &mut Group,
    user: &str,
    roles: &[Role],
    write: &Write,
    origin: Option<(&str, u64)>,
) -> DbResult<Result<Option<u64>, Refusal>> {
    let key = match write {
        Write::Op(op) => op.key(),
        Write::Replace { key, .. } => key,
    };
    let existing = group.record(tx, key).await?;
    let op = match write {
        Write::Op(op) => op.clone(),
        // The HTTP API edits initiatives and projects whole.
        Write::Replace { .. } if is_consultation_kind(key.kind) || key.kind == Kind::Report => return Ok(Err(Refusal::Forbidden)),
        Write::Replace { fields, expected_rev, .. } => match &existing {
            None => return Ok(Err(Refusal::NotFound)),
            Some(s) if s.rev != *expected_rev => return Ok(Err(Refusal::Stale)),
            Some(s) => Op::edit_from(key, &s.record, fields),
        },
    };
    let needed = write_check::needed(&op, existing.as_ref().map(|s| &s.record));
    group.read(tx, &[], &needed.records.iter().collect::<Vec<_>>()).await?;
    let submitted = match &needed.submissions_of {
        Some(consultation) => submitted(tx, group, consultation).await?,
        None => Vec::new(),
    };
    let at = group.next(tx).await?;
    let prev_rev = existing.as_ref().map(|s| s.rev).unwrap_or(0);
    let before = existing.map(|s| Looked { record: s.record, region: s.region });
    let now = group.now;
    let checked = write_check::check(&InTransaction { group, submitted }, Checking { roles, user, op: &op, before, at, now });
    let mut checked = match checked {
        Ok(checked) if checked.unchanged => return Ok(Ok(None)),
        Ok(checked) => checked,
        Err(refusal) => return Ok(Err(refusal)),
    };
    authors::name(tx, group, user, &mut checked.conflicts).await?;
    let written = Written {
        key,
        user,
        prev_rev,
        after: checked.after,
        conflicts: checked.conflicts,
        region: checked.region,
        audience: checked.audience,
        origin,
    };
    write_change(group, at, written).map(|seq| Ok(Some(seq)))
}

/// The records as this transaction has read them (`write_check::needed` first).
struct InTransaction<'a> {
    group: &'a Group,
    submitted: Vec<ContributionFields>,
}

impl write_check::Lookup for InTransaction<'_> {
    fn record(&self, key: &RecordKey) -> Option<Looked> {
        // A stored row that no longer reads as a record names nothing the write may rely on.
        self.group.cached(key).ok().flatten().map(|s| Looked { record: s.record, region: s.region })
    }

    fn submitted(&self, _: &str) -> Vec<ContributionFields> {
        self.submitted.clone()
    }
}

/// The current submitted answers of every Member State to a consultation.
async fn submitted(tx: &Tx, group: &mut Group, consultation: &str) -> DbResult<Vec<ContributionFields>> {
    // Submissions this transaction wrote are read from the database too.
    group.store(tx).await?;
    let rows: Vec<Map<String, Value>> = tx.rows("SELECT * FROM submission WHERE consultation = $id", json!({"id": consultation})).await?;
    Ok(rows
        .into_iter()
        .filter_map(|mut row| {
            strip_meta(&mut row);
            serde_json::from_value::<SubmissionFields>(Value::Object(row)).ok()
        })
        .filter_map(|s| s.current().map(|v| v.content.clone()))
        .collect())
}

/// A change ready to be written.
struct Written<'a> {
    key: &'a RecordKey,
    user: &'a str,
    prev_rev: u64,
    after: Option<SyncedRecord>,
    conflicts: Vec<Conflict>,
    region: Option<Region>,
    /// Who may read it; the default for records everyone reads.
    audience: Audience,
    origin: Option<(&'a str, u64)>,
}

/// Writes change `at` (in memory until the group stores it): the record and the log entry,
/// keyed by its number.
fn write_change(group: &mut Group, at: u64, w: Written<'_>) -> DbResult<u64> {
    let mut data = Value::Null;
    if let Some(record) = &w.after {
        data = Value::Object(record.fields.clone());
        data["revs"] = serde_json::to_value(&record.revs)?;
        data["rev"] = (w.prev_rev + 1).into();
        data["updated_at"] = group.now.into();
        data["updated_by"] = w.user.into();
        if matches!(w.key.kind, Kind::Project | Kind::Report) {
            data["region"] = serde_json::to_value(w.region)?;
        }
        if !w.audience.is_everyone() {
            data["audience"] = serde_json::to_value(&w.audience)?;
        }
    }
    let (client, client_seq) = w.origin.unwrap_or(("", 0));
    let change = Change {
        seq: at,
        key: w.key.clone(),
        record: w.after,
        partial: false,
        conflicts: w.conflicts,
        client: client.into(),
        client_seq,
        audience: w.audience,
        region: w.region,
    };
    // The log keeps, beside what readers get, who made the change when.
    let mut logged = serde_json::to_value(&change)?;
    logged["user"] = w.user.into();
    logged["at"] = group.now.into();
    // Without nulls, as the store keeps it: the change handed on is the one the log gives back.
    let logged = strip_nulls(logged);
    let change: Change = serde_json::from_value(logged.clone())?;
    let row = change.record.is_some().then(|| strip_nulls(data));
    group.wrote(change, row, logged);
    Ok(at)
}

/// Refusals remembered per client: a client retries only the mutations of a push still in
/// flight (at most `MAX_PUSH`), so older ones are forgotten.
const KEPT_REFUSALS: u64 = 1000;

/// Remembers a refusal, so that a retry of the same mutation gets the same answer.
async fn record_refusal(tx: &Tx, m: &Mutation, refusal: &Refusal) -> DbResult<()> {
    tx.run(
        "CREATE sync_refusal CONTENT { client: $client, seq: $seq, refusal: $refusal } RETURN NONE;
         DELETE sync_refusal WHERE client = $client AND seq <= $forget RETURN NONE;",
        json!({"client": m.client, "seq": m.seq, "refusal": refusal, "forget": m.seq.saturating_sub(KEPT_REFUSALS)}),
    )
    .await?;
    Ok(())
}

async fn earlier_refusal(tx: &Tx, m: &Mutation) -> DbResult<Option<Refusal>> {
    #[derive(Deserialize)]
    struct Row {
        refusal: Refusal,
    }
    let row: Option<Row> = tx
        .row("SELECT refusal FROM sync_refusal WHERE client = $client AND seq = $seq LIMIT 1", json!({"client": m.client, "seq": m.seq}))
        .await?;
    Ok(row.map(|r| r.refusal))
}

/// Every record a reader holding `roles` may know of, as of change `head` or later, in pages
/// read from the database one at a time, so that what a snapshot holds in memory is one page
/// whatever the number of records. The head is read first: a change committed meanwhile is in
/// the records and is sent again after them, which applying it twice allows. A record the
/// reader may only know exists comes empty.
pub struct Snapshot {
    pub head: u64,
    roles: Vec<Role>,
    /// The device's working set (None: every record whole, as over HTTP).
    set: Option<WorkingSet>,
    /// The kinds not read to the end yet, the one being read first.
    kinds: std::slice::Iter<'static, Kind>,
    /// The last id read of the current kind.
    after: Option<String>,
}

impl Snapshot {
    pub async fn start(db: &Db, roles: &[Role], set: Option<WorkingSet>) -> DbResult<Snapshot> {
        Ok(Snapshot { head: head(db).await?, roles: roles.to_vec(), set, kinds: Kind::ALL.iter(), after: None })
    }

    /// Whether every page has been read.
    pub fn done(&self) -> bool {
        self.kinds.as_slice().is_empty()
    }

    /// How many records there are, at most what the reader gets (for a progress bar).
    pub async fn total(db: &Db) -> DbResult<u64> {
        #[derive(Deserialize)]
        struct Count {
            count: u64,
        }
        let mut total = 0;
        for kind in Kind::ALL {
            // This form, with the table named in the statement, the database answers from its
            // keys alone (through `type::table` it read every record: 0.4 s at 100,000).
            let count: Option<Count> = db.row(&format!("SELECT count() FROM {} GROUP ALL", table(kind)), json!({})).await?;
            total += count.map(|c| c.count).unwrap_or(0);
        }
        Ok(total)
    }

    /// The next page: at most `size` stored records read, of which those the reader may know
    /// of; None after the last.
    pub async fn next(&mut self, db: &Db, size: u64) -> DbResult<Option<Vec<SnapshotRecord>>> {
        let Some(&kind) = self.kinds.as_slice().first() else { return Ok(None) };
        // Ids in key order, each page from just after the last: a range of the table's keys,
        // not a scan from its start.
        let rows: Vec<Map<String, Value>> = match &self.after {
            None => {
                db.rows("SELECT *, record::id(id) AS id FROM type::table($table) LIMIT $size", json!({"table": table(kind), "size": size}))
            }
            Some(after) => db.rows(
                "SELECT *, record::id(id) AS id FROM type::record($table, $after>..) LIMIT $size",
                json!({"table": table(kind), "after": after, "size": size}),
            ),
        }
        .await?;
        // A page shorter than asked is the kind's last.
        self.after = if rows.len() as u64 == size { rows.last().and_then(|r| r.get("id")?.as_str()).map(str::to_string) } else { None };
        if self.after.is_none() {
            self.kinds.next();
        }
        let mut records = Vec::with_capacity(rows.len());
        for row in rows {
            let key = RecordKey { kind, id: row.get("id").and_then(Value::as_str).unwrap_or_default().to_string() };
            let stored = stored(kind, row)?;
            let record = match (visibility(&self.roles, kind, &stored.audience), &self.set) {
                (Visibility::Full, Some(set)) => set.shape(&key, stored.region, stored.record),
                (Visibility::Full, None) => stored.record,
                (Visibility::Existence, _) => SyncedRecord::default(),
                (Visibility::Hidden, _) => continue,
            };
            records.push(SnapshotRecord { key, record });
        }
        Ok(Some(records))
    }
}

/// A whole snapshot at once, for the HTTP API: every page of [`Snapshot`].
pub async fn snapshot(db: &Db, roles: &[Role]) -> DbResult<(u64, Vec<SnapshotRecord>)> {
    let mut snapshot = Snapshot::start(db, roles, None).await?;
    let mut records = Vec::new();
    while let Some(page) = snapshot.next(db, 1000).await? {
        records.extend(page);
    }
    Ok((snapshot.head, records))
}

/// Record `key` whole, if a reader holding `roles` may read it whole.
pub async fn record_for(db: &Db, key: &RecordKey, roles: &[Role]) -> DbResult<Option<SyncedRecord>> {
    let row: Option<Map<String, Value>> =
        db.row("SELECT *, record::id(id) AS id FROM type::record($tb, $id)", json!({"tb": table(key.kind), "id": key.id})).await?;
    let Some(stored) = row.map(|row| stored(key.kind, row)).transpose()? else { return Ok(None) };
    Ok((visibility(roles, key.kind, &stored.audience) == Visibility::Full).then_some(stored.record))
}

/// How much of record `key` a reader holding `roles` gets; None if there is no such record.
pub async fn visibility_of(db: &Db, key: &RecordKey, roles: &[Role]) -> DbResult<Option<Visibility>> {
    let row: Option<Map<String, Value>> =
        db.row("SELECT audience FROM type::record($tb, $id)", json!({"tb": table(key.kind), "id": key.id})).await?;
    Ok(row.map(|row| {
        let audience: Audience = row.get("audience").cloned().and_then(|a| serde_json::from_value(a).ok()).unwrap_or_default();
        visibility(roles, key.kind, &audience)
    }))
}

/// The changes after `cursor`, oldest first, at most `limit`, as stored: pass them through
/// `for_reader` before sending them to anyone.
pub async fn changes_after(db: &Db, cursor: u64, limit: u64) -> DbResult<Vec<Change>> {
    db.rows("SELECT * OMIT id FROM type::record('change', $from..) LIMIT $limit", json!({"from": first_after(cursor), "limit": limit}))
        .await
}

/// The key of the first change after `cursor`. Keys are the database's 64-bit signed
/// integers; a cursor past them (only a made-up one) reads from the last possible key.
pub(crate) fn first_after(cursor: u64) -> i64 {
    i64::try_from(cursor.saturating_add(1)).unwrap_or(i64::MAX)
}

/// The changes as a reader holding `roles` gets them.
pub fn for_reader(changes: Vec<Change>, roles: &[Role]) -> Vec<Change> {
    changes.into_iter().map(|c| c.for_reader(roles)).collect()
}

/// The changes as a device of a holder of `roles` with working set `set` gets them.
pub fn for_device(changes: Vec<Change>, roles: &[Role], set: &WorkingSet) -> Vec<Change> {
    changes.into_iter().map(|c| c.for_device(roles, set)).collect()
}

/// The sequence number of the newest change (0 when there is none).
pub async fn head(db: &Db) -> DbResult<u64> {
    Ok(db.row::<u64>(HEAD, json!({})).await?.unwrap_or(0))
}
