//! The decisions of sync's two sides that are not rules of records, as pure functions beside
//! the replica, so they can be tested on any input: what a device pushes next, what the results
//! of a push settle, how long it waits before reconnecting; and whether the server answers a
//! hello with a snapshot rather than the changes after the device's cursor.

use std::collections::BTreeSet;

use super::mutation::{ClientId, Mutation};
use super::outcome::Outcome;
use super::replica::Replica;
use super::wire::SNAPSHOT_AFTER;

/// A mutation by its client id and number.
pub type MutationId = (ClientId, u64);

/// The mutations to send next: the outbox in order, without those already applied (their
/// change has not arrived yet) and those of a client id the server is waiting on for an
/// earlier mutation (a gap), at most `max`.
pub fn next_push(outbox: &[Mutation], applied: &BTreeSet<MutationId>, stuck: &BTreeSet<ClientId>, max: usize) -> Vec<Mutation> {
    outbox.iter().filter(|m| !applied.contains(&(m.client.clone(), m.seq)) && !stuck.contains(&m.client)).take(max).cloned().collect()
}

/// What the results of a push leave for the device to remember.
#[derive(Debug, Default, PartialEq)]
pub struct Settled {
    /// Applied: kept in the outbox (so the screen does not flicker back) until the change
    /// arrives.
    pub applied: Vec<MutationId>,
    /// Client ids the server is waiting on for an earlier mutation: not sent again.
    pub stuck: Vec<ClientId>,
}

/// Takes the results of a push, one per mutation `sent` in order (fewer after a gap): a
/// duplicate leaves the outbox, a refusal moves to the replica's list of refused mutations
/// with its reason, an applied one waits for its change, a gap stops its client id.
pub fn settle(replica: &mut Replica, sent: Vec<MutationId>, outcomes: Vec<Outcome>) -> Settled {
    let mut settled = Settled::default();
    for ((client, seq), outcome) in sent.into_iter().zip(outcomes) {
        match outcome {
            Outcome::Applied(_) => settled.applied.push((client, seq)),
            Outcome::Duplicate => replica.settled(&client, seq),
            Outcome::Gap { .. } => settled.stuck.push(client),
            Outcome::Refused(refusal) => replica.refused(&client, seq, refusal),
        }
    }
    settled
}

/// The longest wait between two connection attempts.
pub const MAX_BACKOFF_MS: f64 = 30_000.0;

/// How long to wait before connection attempt number `attempts` (1 after the first failure),
/// in milliseconds: doubling from one second up to `MAX_BACKOFF_MS`, times a factor of 0.5 to
/// 1.5 from `jitter` (0 to 1), so a restarted server is not hit by every device at once.
pub fn backoff_ms(attempts: u32, jitter: f64) -> f64 {
    let doubled = 500.0 * 2f64.powi(attempts.min(6) as i32);
    doubled.min(MAX_BACKOFF_MS) * (0.5 + jitter.clamp(0.0, 1.0))
}

/// Whether a device that said hello from `cursor`, holding records read with the scope `said`,
/// holds records read with other roles than those of `scope` now: it gets the roles and a
/// snapshot, which replaces its records. A device with nothing yet (cursor 0) has nothing to
/// replace.
pub fn rescoped(cursor: u64, said: Option<&str>, scope: &str) -> bool {
    cursor > 0 && said != Some(scope)
}

/// Whether a device at `cursor` catches up on the log up to `head` by its changes (true) or,
/// being too far behind, by a snapshot of the records.
pub fn replays(cursor: u64, head: u64) -> bool {
    head.saturating_sub(cursor) <= SNAPSHOT_AFTER
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::sync::mutation::Op;
    use crate::sync::outcome::Refusal;
    use crate::sync::record::{Kind, RecordKey};

    fn mutation(client: u8, seq: u64) -> Mutation {
        let key = RecordKey { kind: Kind::Initiative, id: format!("i{seq}") };
        Mutation { client: format!("c{client}"), seq, op: Op::Delete { key } }
    }

    /// An outbox of mutations of up to three client ids, each numbered in order.
    fn outbox() -> impl Strategy<Value = Vec<Mutation>> {
        prop::collection::vec(0u8..3, 0..40).prop_map(|clients| {
            let mut next = [1u64; 3];
            clients
                .into_iter()
                .map(|c| {
                    let seq = next[c as usize];
                    next[c as usize] += 1;
                    mutation(c, seq)
                })
                .collect()
        })
    }

    fn outcome() -> impl Strategy<Value = Outcome> {
        prop_oneof![
            (1u64..100).prop_map(Outcome::Applied),
            Just(Outcome::Duplicate),
            (1u64..100).prop_map(|expected| Outcome::Gap { expected }),
            Just(Outcome::Refused(Refusal::Forbidden)),
        ]
    }

    proptest! {
        #[test]
        fn a_push_is_the_outbox_in_order_less_what_waits_and_as_much_as_allowed(
            outbox in outbox(),
            applied_picks in prop::collection::vec(any::<bool>(), 40),
            stuck_client in prop::option::of(0u8..3),
            max in 1usize..10,
        ) {
            let applied: BTreeSet<MutationId> =
                outbox.iter().zip(&applied_picks).filter(|(_, a)| **a).map(|(m, _)| (m.client.clone(), m.seq)).collect();
            let stuck: BTreeSet<ClientId> = stuck_client.map(|c| format!("c{c}")).into_iter().collect();
            let push = next_push(&outbox, &applied, &stuck, max);
            let eligible: Vec<&Mutation> =
                outbox.iter().filter(|m| !applied.contains(&(m.client.clone(), m.seq)) && !stuck.contains(&m.client)).collect();
            prop_assert!(push.len() <= max);
            // The first eligible ones, in the outbox's order: nothing skipped, nothing reordered.
            prop_assert_eq!(push.iter().collect::<Vec<_>>(), eligible.iter().take(max).copied().collect::<Vec<_>>());
        }

        #[test]
        fn settling_keeps_the_applied_drops_the_duplicates_and_keeps_every_refusal(
            outbox in outbox(),
            outcomes in prop::collection::vec(outcome(), 0..40),
        ) {
            let mut replica = Replica::new("c0");
            replica.outbox = outbox.clone();
            let sent: Vec<MutationId> = outbox.iter().map(|m| (m.client.clone(), m.seq)).collect();
            let answered = outcomes.len().min(sent.len());
            let settled = settle(&mut replica, sent.clone(), outcomes.clone());
            for ((id, outcome), m) in sent.iter().zip(&outcomes).zip(&outbox) {
                let in_outbox = replica.outbox.iter().any(|o| (o.client.clone(), o.seq) == *id);
                let refused = replica.rejected.iter().any(|(o, _)| o == m);
                match outcome {
                    Outcome::Applied(_) => prop_assert!(in_outbox && settled.applied.contains(id)),
                    Outcome::Duplicate => prop_assert!(!in_outbox && !refused),
                    Outcome::Gap { .. } => prop_assert!(in_outbox && settled.stuck.contains(&id.0)),
                    Outcome::Refused(_) => prop_assert!(!in_outbox && refused),
                }
            }
            // What got no answer stays to be sent again; nothing is lost.
            for m in &outbox[answered..] {
                prop_assert!(replica.outbox.contains(m));
            }
            prop_assert_eq!(replica.outbox.len() + replica.rejected.len() + outcomes.iter().take(answered).filter(|o| **o == Outcome::Duplicate).count(), outbox.len());
        }

        #[test]
        fn waits_grow_with_attempts_up_to_a_ceiling_and_spread_by_jitter(attempts in 0u32..100, jitter in 0.0f64..1.0) {
            let wait = backoff_ms(attempts, jitter);
            prop_assert!((250.0..=MAX_BACKOFF_MS * 1.5).contains(&wait), "{wait}");
            prop_assert!(backoff_ms(attempts + 1, jitter) >= wait);
            prop_assert!(backoff_ms(attempts, 0.0) <= wait && wait <= backoff_ms(attempts, 1.0));
        }

        #[test]
        fn a_snapshot_for_other_roles_or_a_long_absence(cursor in 0u64..5000, head in 0u64..5000, same_scope in any::<bool>()) {
            let said = if same_scope { "a" } else { "b" };
            prop_assert_eq!(rescoped(cursor, Some(said), "a"), cursor > 0 && !same_scope);
            prop_assert_eq!(replays(cursor, head), head <= cursor || head - cursor <= SNAPSHOT_AFTER);
        }
    }

    #[test]
    fn a_device_that_never_said_its_scope_gets_one_snapshot() {
        assert!(rescoped(5, None, "a"));
        assert!(!rescoped(0, None, "a"));
        assert_eq!(backoff_ms(1, 0.5), 1000.0);
        assert_eq!(backoff_ms(50, 0.5), MAX_BACKOFF_MS);
    }
}
