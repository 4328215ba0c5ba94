//! What sync sends over the network: the HTTP bodies and limits (below), and the messages of
//! the sync WebSocket (`/api/sync/socket`), JSON text frames. A client's message is
//! tagged by a `type` field; a server's is an object with one key, its kind (since v3: a browser
//! reads these without first buffering the whole message, which took a tenth of the serde code
//! of its first download). Add variants and optional fields only; do not rename. A change of
//! what a message means or how it is framed takes a new protocol version (v2: changes of
//! initiatives and projects carry only the fields they set; v3: the server's framing; v4:
//! working sets, see `working_set`).

use serde::{Deserialize, Serialize};

use super::change::Change;
use super::mutation::Mutation;
use super::outcome::Outcome;
use super::record::{RecordKey, SyncedRecord};
use super::working_set::follow_codes;
use crate::error_code::ErrorCode;
use crate::region::Region;
use crate::role::Role;

/// The protocol version this build speaks.
pub const PROTOCOL: u16 = 4;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    /// First message: the protocol spoken, the last change the client holds, the scope
    /// (`scope_of`) its records were read with, if it holds any, and its working set: the
    /// regions it follows besides its user's own, and the records it pinned (at most
    /// `MAX_PINS`), kept in full.
    Hello {
        protocol: u16,
        cursor: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scope: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        follow: Vec<Region>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pins: Vec<RecordKey>,
    },
    /// Pins record `key`: the server answers `opened` with the whole record and sends its
    /// changes whole from then on.
    Open { key: RecordKey },
    /// Mutations from the outbox, in order.
    Push { mutations: Vec<Mutation> },
    /// The record on the person's screen (`None`: none), for presence.
    Viewing { key: Option<RecordKey> },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerMessage {
    /// The answer to hello. `scope` is what the records sent from now on are read with: a
    /// client keeps it with its records and says it in its next hello (absent before v3.1).
    Welcome {
        protocol: u16,
        head: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scope: Option<String>,
    },
    /// Changes after the client's cursor, in order; sent on hello (catch-up, in pages) and
    /// whenever new changes are committed.
    Changes { changes: Vec<Change>, head: u64 },
    /// Instead of a long replay: every record as of change `head`, in pages, read from the
    /// database as they are sent. The client keeps each page as it comes, drops the records
    /// the snapshot did not hold after the `last` page, and resumes from `head`. `total`, on
    /// the first page, is how many records there are at most (for a progress bar; absent
    /// before v3.2).
    Snapshot {
        records: Vec<SnapshotRecord>,
        head: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        total: Option<u64>,
        last: bool,
    },
    /// One result per pushed mutation, in order, stopping after a gap.
    Results { results: Vec<PushResult> },
    /// Who is viewing the record this client views, sent whenever that changes.
    Presence { key: RecordKey, viewers: Vec<Viewer> },
    /// The last message could not be used; the connection stays open, unless the code is
    /// `unauthenticated` (the session ended), `rate_limited` or `too_large`, after which the
    /// server closes it.
    Error { code: ErrorCode, message: String },
    /// The answer to `open`: the whole record (None: there is none the user may read).
    Opened {
        key: RecordKey,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        record: Option<SyncedRecord>,
    },
    /// The user's roles changed: what they may read is now `scope`. A snapshot for it follows
    /// at once, replacing the records held (those no longer readable go); queued mutations
    /// stay queued and are pushed as before.
    Rescoped { roles: Vec<Role>, scope: String },
}

/// A short fingerprint of what a device of a holder of `roles` that follows `follow` keeps
/// (the same roles and regions in any order give the same one). A client whose records were
/// read with another scope gets a snapshot.
pub fn scope_of(roles: &[Role], follow: &[Region]) -> String {
    let mut named: Vec<String> = roles.iter().map(|r| serde_json::to_string(r).unwrap_or_default()).collect();
    named.sort_unstable();
    named.dedup();
    named.extend(follow_codes(follow).into_iter().map(|code| format!("follow {code}")));
    crate::text::fingerprint(&format!("v4\n{}", named.join("\n")))
}

/// The `protocol` error for a client that said hello in `version`, framed as that version reads
/// it: until v2 a server's messages were tagged by `type`, and an app that cannot read the
/// error would never learn that it must update.
pub fn protocol_error(version: u16) -> String {
    let message = format!("this server speaks sync protocol v{PROTOCOL}; reload to update");
    if version < 3 {
        return serde_json::json!({"type": "error", "code": "protocol", "message": message}).to_string();
    }
    serde_json::to_string(&ServerMessage::Error { code: ErrorCode::Protocol, message }).unwrap_or_default()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotRecord {
    pub key: RecordKey,
    pub record: SyncedRecord,
}

/// A person viewing a record (each of their open tabs counts once).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Viewer {
    pub user: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResult {
    pub seq: u64,
    pub outcome: Outcome,
}

/// Most mutations accepted in one push; a longer outbox is sent in several.
pub const MAX_PUSH: usize = 100;
/// Most changes returned by one pull, or sent in one catch-up message.
pub const MAX_PULL: u64 = 1000;
/// A client further behind than this gets a snapshot of the records instead of a replay.
pub const SNAPSHOT_AFTER: u64 = 1000;
/// Largest socket message accepted from a client (a push of `MAX_PUSH` mutations fits easily).
pub const MAX_MESSAGE: usize = 256 * 1024;

/// `POST /api/sync/push`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    pub mutations: Vec<Mutation>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct PushResponse {
    /// One result per mutation, in order, up to the first gap.
    pub results: Vec<PushResult>,
}

/// `GET /api/sync/pull?cursor=…&limit=…`.
#[derive(Debug, Serialize, Deserialize)]
pub struct PullQuery {
    #[serde(default)]
    pub cursor: u64,
    pub limit: Option<u64>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct PullResponse {
    pub changes: Vec<Change>,
    /// The newest change number: the client is caught up when its cursor reaches it.
    pub head: u64,
}

/// `GET /api/sync/snapshot`.
#[derive(Debug, Serialize, Deserialize)]
pub struct SnapshotResponse {
    /// The records are as of this change (or later); pull from it afterwards.
    pub head: u64,
    pub records: Vec<SnapshotRecord>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_have_a_stable_shape() {
        let hello: ClientMessage = serde_json::from_str(r#"{"type":"hello","protocol":4,"cursor":5,"follow":["EUR"]}"#).unwrap();
        assert_eq!(hello, ClientMessage::Hello { protocol: 4, cursor: 5, scope: None, follow: vec![Region::Eur], pins: Vec::new() });
        let results = ServerMessage::Results { results: vec![PushResult { seq: 3, outcome: Outcome::Duplicate }] };
        assert_eq!(serde_json::to_string(&results).unwrap(), r#"{"results":{"results":[{"seq":3,"outcome":"duplicate"}]}}"#);
    }

    #[test]
    fn a_scope_depends_on_the_roles_and_followed_regions_not_their_order() {
        let a = [Role::Coordinator { region: Region::Afr }, Role::Observer];
        let b = [Role::Observer, Role::Coordinator { region: Region::Afr }, Role::Observer];
        assert_eq!(scope_of(&a, &[Region::Eur, Region::Asp]), scope_of(&b, &[Region::Asp, Region::Eur, Region::Asp]));
        assert_ne!(scope_of(&a, &[]), scope_of(&[Role::Coordinator { region: Region::Asp }, Role::Observer], &[]));
        assert_ne!(scope_of(&a, &[]), scope_of(&[], &[]));
        assert_ne!(scope_of(&a, &[]), scope_of(&a, &[Region::Eur]));
    }

    #[test]
    fn an_older_client_is_told_to_update_in_its_own_framing() {
        let old: serde_json::Value = serde_json::from_str(&protocol_error(2)).unwrap();
        assert_eq!((&old["type"], &old["code"]), (&serde_json::json!("error"), &serde_json::json!("protocol")));
        let current: ServerMessage = serde_json::from_str(&protocol_error(PROTOCOL)).unwrap();
        assert!(matches!(current, ServerMessage::Error { code, .. } if code == ErrorCode::Protocol));
    }
}
