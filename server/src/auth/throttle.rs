//! Sign-in throttling, shared by every server process (counted in the database, by the
//! server's clock). Three counts, each over a 15-minute window:
//!
//! - per account and address pair: five wrong passwords, then each further try waits twice as
//!   long as the one before (1 s, 2 s, 4 s … up to 15 minutes). This is the one that refuses
//!   someone guessing; the real user, at another address, is not held back by it.
//! - per account, from anywhere: past 20 wrong passwords every attempt at the account is
//!   slowed by a second before it is checked, never refused, so a distributed guesser gains
//!   little and cannot lock the account's owner out; and a ceiling on successful sign-ins
//!   (`Ceilings::sign_ins_per_account`, 10 by default).
//! - per address, for any accounts: past 100 wrong passwords the address is refused until its
//!   window ends (only an address that has failed that often).
//!
//! An attempt is counted as a failure of its pair and its account before its password is
//! checked, in one transaction with the decision to let it be checked, so that concurrent wrong
//! guesses cannot all pass a count read before any of them was added; a success takes its count
//! back. An address's failures are counted once checked: a hundred people behind one
//! conference network signing in at the same moment are not a hundred failures.

use std::net::IpAddr;
use std::time::Duration;

use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::token;
use crate::db::{Db, DbError, DbResult, RETRIES, is_retryable, retry_pause};

pub const WINDOW_SECS: i64 = 15 * 60;
/// Wrong passwords from one address for one account before each try waits longer.
pub const FREE_TRIES: u32 = 5;
pub const MAX_DELAY_SECS: i64 = 15 * 60;
/// Wrong passwords for one account, from anywhere, past which every attempt at it is slowed.
pub const ACCOUNT_CEILING: u32 = 20;
/// How much an attempt at an account past its ceiling is slowed.
pub const SLOWED: Duration = Duration::from_secs(1);
/// Wrong passwords from one address, for any accounts, past which it is refused.
pub const ADDRESS_LIMIT: u32 = 100;

/// One key's counts in its current window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub failures: u32,
    pub successes: u32,
    /// When the window started (seconds since the epoch).
    pub since: i64,
    /// The last attempt counted.
    pub last: i64,
}

impl Counts {
    /// The counts as of `now`: empty once their window has passed.
    fn current(self, now: i64) -> Counts {
        if now - self.since >= WINDOW_SECS { Counts { since: now, ..Counts::default() } } else { self }
    }
}

/// What happens to an attempt before its password is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Check it, after a pause if `slow`.
    Check {
        slow: bool,
    },
    Refuse {
        retry_after: u64,
    },
}

/// How long a pair must wait after its last attempt, having failed `failures` times.
fn delay(failures: u32) -> i64 {
    let over = failures.saturating_sub(FREE_TRIES).min(20);
    (1_i64 << over).min(MAX_DELAY_SECS)
}

/// The verdict on an attempt at `now`, given the current counts of its pair, account and
/// address, and how many successful sign-ins an account may have per window.
pub fn judge(now: i64, pair: Counts, account: Counts, address: Counts, success_limit: u32) -> Verdict {
    let refuse = |until: i64| Verdict::Refuse { retry_after: (until - now).max(1) as u64 };
    if address.failures >= ADDRESS_LIMIT {
        return refuse(address.since + WINDOW_SECS);
    }
    if account.successes >= success_limit {
        return refuse(account.since + WINDOW_SECS);
    }
    if pair.failures >= FREE_TRIES && now < pair.last + delay(pair.failures) {
        return refuse(pair.last + delay(pair.failures));
    }
    Verdict::Check { slow: account.failures >= ACCOUNT_CEILING }
}

/// An attempt let through to be checked, counted already as a failure.
pub struct Attempt {
    keys: [String; 3],
    pub slow: bool,
}

/// The stored keys of an attempt: pair, account, address (hashed: an email address and an IP
/// are not kept in the clear).
fn keys(account: &str, address: IpAddr) -> [String; 3] {
    [
        token::hash(&format!("pair:{account}|{address}")),
        token::hash(&format!("account:{account}")),
        token::hash(&format!("address:{address}")),
    ]
}

/// Decides on an attempt at `account` from `address`, and counts it if it may be checked.
pub async fn begin(db: &Db, account: &str, address: IpAddr, success_limit: u32) -> DbResult<Result<Attempt, u64>> {
    let keys = keys(account, address);
    let mut attempt = 0;
    loop {
        match begin_once(db, &keys, success_limit).await {
            Err(DbError::Surreal(e)) if attempt < RETRIES && is_retryable(&e) => {
                attempt += 1;
                tokio::time::sleep(retry_pause(attempt)).await;
            }
            Ok(Verdict::Check { slow }) => return Ok(Ok(Attempt { keys, slow })),
            Ok(Verdict::Refuse { retry_after }) => return Ok(Err(retry_after)),
            Err(e) => return Err(e),
        }
    }
}

async fn begin_once(db: &Db, keys: &[String; 3], success_limit: u32) -> DbResult<Verdict> {
    let now = db.now();
    let tx = db.begin().await?;
    let rows: Vec<Option<Counts>> = tx
        .rows(
            "RETURN array::map($keys, |$k| (SELECT failures, successes, since, last FROM ONLY type::record('login_throttle', $k)))",
            json!({"keys": keys}),
        )
        .await?;
    let [pair, account, address] = [0, 1, 2].map(|i| rows.get(i).copied().flatten().unwrap_or_default().current(now));
    let verdict = judge(now, pair, account, address, success_limit);
    if let Verdict::Refuse { .. } = verdict {
        return Ok(verdict);
    }
    let counted = [pair, account].map(|c| Counts { failures: c.failures + 1, last: now, ..c });
    tx.run(
        "FOR $row IN $rows { UPSERT type::record('login_throttle', $row.key) CONTENT $row.counts RETURN NONE; };",
        json!({"rows": keys.iter().zip(counted).map(|(key, counts)| json!({"key": key, "counts": counts})).collect::<Vec<_>>()}),
    )
    .await?;
    tx.commit().await?;
    Ok(verdict)
}

/// Settles a checked attempt: a success takes back its count as a failure (and clears the
/// pair's) and counts as a success of the account; a failure counts against its address.
pub async fn finish(db: &Db, attempt: &Attempt, succeeded: bool) -> DbResult<()> {
    let [pair, account, address] = &attempt.keys;
    let sql = if succeeded {
        "BEGIN TRANSACTION;
         DELETE type::record('login_throttle', $pair);
         UPDATE type::record('login_throttle', $account) SET failures = math::max([failures - 1, 0]), successes += 1;
         COMMIT TRANSACTION;"
    } else {
        "UPSERT type::record('login_throttle', $address) SET
             failures = IF since = NONE OR since <= $now - $window { 1 } ELSE { failures + 1 },
             successes = successes ?? 0,
             since = IF since = NONE OR since <= $now - $window { $now } ELSE { since },
             last = $now;"
    };
    db.run_retrying(sql, json!({"pair": pair, "account": account, "address": address, "now": db.now(), "window": WINDOW_SECS})).await?;
    Ok(())
}

/// Forgets counts whose window ended before `now`.
pub async fn prune(db: &Db) -> DbResult<()> {
    db.run("DELETE login_throttle WHERE since < $before", json!({"before": db.now() - WINDOW_SECS})).await?;
    Ok(())
}

/// The address a request comes from: its peer's; or, when the peer is a trusted reverse proxy,
/// the nearest address in `X-Forwarded-For` that is not one (what the proxies in front added;
/// what lies further left the client may have written itself).
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[ipnet::IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<&str> = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).collect();
    for hop in hops.into_iter().rev() {
        match hop.trim().parse::<IpAddr>() {
            Ok(ip) if is_trusted(&ip) => continue,
            Ok(ip) => return ip,
            // Not an address: nothing further left can be trusted.
            Err(_) => break,
        }
    }
    peer
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;
    const LIMIT: u32 = 10;

    fn failed(failures: u32, last: i64) -> Counts {
        Counts { failures, successes: 0, since: NOW - 60, last }
    }

    #[test]
    fn a_pair_has_five_free_tries_then_waits_twice_as_long_each_time() {
        let none = Counts::default();
        assert_eq!(judge(NOW, failed(4, NOW), none, none, LIMIT), Verdict::Check { slow: false });
        assert_eq!(judge(NOW, failed(5, NOW), none, none, LIMIT), Verdict::Refuse { retry_after: 1 });
        assert_eq!(judge(NOW, failed(5, NOW - 1), none, none, LIMIT), Verdict::Check { slow: false });
        assert_eq!(judge(NOW, failed(8, NOW - 1), none, none, LIMIT), Verdict::Refuse { retry_after: 7 });
        assert_eq!(judge(NOW, failed(40, NOW), none, none, LIMIT), Verdict::Refuse { retry_after: 900 }, "at most fifteen minutes");
    }

    #[test]
    fn an_account_under_attack_is_slowed_for_everyone_but_refused_to_no_one_new() {
        let none = Counts::default();
        let attacked = failed(ACCOUNT_CEILING, NOW);
        assert_eq!(judge(NOW, none, attacked, none, LIMIT), Verdict::Check { slow: true }, "its owner, at an address that has not failed");
        assert_eq!(judge(NOW, failed(1, NOW), failed(ACCOUNT_CEILING - 1, NOW), none, LIMIT), Verdict::Check { slow: false });
    }

    #[test]
    fn an_address_failing_everywhere_is_refused_until_its_window_ends() {
        let none = Counts::default();
        assert_eq!(judge(NOW, none, none, failed(ADDRESS_LIMIT, NOW), LIMIT), Verdict::Refuse { retry_after: (WINDOW_SECS - 60) as u64 });
        assert_eq!(judge(NOW, none, none, failed(ADDRESS_LIMIT - 1, NOW), LIMIT), Verdict::Check { slow: false });
    }

    #[test]
    fn successful_sign_ins_are_limited_per_account() {
        let none = Counts::default();
        let busy = Counts { successes: LIMIT, since: NOW - 60, ..Counts::default() };
        assert!(matches!(judge(NOW, none, busy, none, LIMIT), Verdict::Refuse { .. }));
    }

    #[test]
    fn counts_start_again_after_their_window() {
        let old = Counts { failures: 50, successes: 50, since: NOW - WINDOW_SECS, last: NOW - WINDOW_SECS };
        assert_eq!(old.current(NOW), Counts { since: NOW, ..Counts::default() });
        assert_eq!(failed(3, NOW).current(NOW), failed(3, NOW));
    }

    #[test]
    fn the_client_address_is_the_peer_unless_a_trusted_proxy_forwards_it() {
        let proxy: IpAddr = "10.0.0.5".parse().unwrap();
        let trusted: Vec<ipnet::IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "6.6.6.6, 203.0.113.7, 10.0.0.9".parse().unwrap());
        assert_eq!(client_address(proxy, &headers, &trusted), "203.0.113.7".parse::<IpAddr>().unwrap(), "the nearest untrusted hop");
        let stranger: IpAddr = "198.51.100.1".parse().unwrap();
        assert_eq!(client_address(stranger, &headers, &trusted), stranger, "a header from anyone else is ignored");
        assert_eq!(client_address(proxy, &HeaderMap::new(), &trusted), proxy);
        headers.insert("x-forwarded-for", "203.0.113.7, garbage".parse().unwrap());
        assert_eq!(client_address(proxy, &headers, &trusted), proxy, "nothing beyond a hop that is not an address");
    }
}
