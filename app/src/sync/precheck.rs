//! The server's check of a write (`write_check`), run first on this device's records, so a
//! person hears at once that a change cannot be accepted. The server runs it again on its own
//! data, which decides.

use rihub_domain::consultation::contribution::ContributionFields;
use rihub_domain::role::Role;
use rihub_domain::sync::consultation_rules::is_consultation_kind;
use rihub_domain::sync::mutation::Op;
use rihub_domain::sync::outcome::Refusal;
use rihub_domain::sync::record::{Kind, RecordKey};
use rihub_domain::sync::write_check::{self, Checked, Looked, Lookup, Write};

use crate::store::records::{self, Records};

/// This device's records, as the check reads them.
struct OnDevice<'a>(&'a Records);

impl Lookup for OnDevice<'_> {
    fn record(&self, key: &RecordKey) -> Option<Looked> {
        let record = self.0.get(key)?.clone();
        Some(Looked { record, region: records::region(self.0, key) })
    }

    /// The results are the server's to compute; what they are does not matter here.
    fn submitted(&self, _: &str) -> Vec<ContributionFields> {
        Vec::new()
    }
}

/// Runs `family`, the check of one family of kinds as `write_check` has them, on this device.
fn on_device(
    records: &Records,
    roles: &[Role],
    op: &Op,
    family: impl FnOnce(&OnDevice<'_>, Write<'_>) -> Result<Checked, Refusal>,
) -> Result<(), Refusal> {
    let lookup = OnDevice(records);
    let before = lookup.record(op.key());
    let now = (js_sys::Date::now() / 1000.0) as i64;
    // The server stamps the user and the change number; they decide nothing here.
    family(&lookup, Write { roles, user: "", op, before, at: 0, now }).map(|_| ())
}

/// A check of one kind of record: whether the server would accept `op` from a person with
/// `roles`, as far as this device knows.
pub type Check = fn(&Records, &[Role], &Op) -> Result<(), Refusal>;

/// The check for records of `kind`. Only consultation pages change consultation records, so
/// their check is in that page group's chunk (`app/src/app.rs`), fetched here if this device
/// has not yet; if it cannot be fetched, the server alone decides.
pub async fn check_for(kind: Kind) -> Check {
    if is_consultation_kind(kind) {
        return consultation_check().await.unwrap_or(|_, _, _| Ok(()));
    }
    if kind == Kind::Report {
        return |records, roles, op| on_device(records, roles, op, |l, w| write_check::report(l, w));
    }
    |records, roles, op| on_device(records, roles, op, |l, w| write_check::initiative_or_project(l, w))
}

#[leptos::wasm_split::wasm_split(consulting, wasm_split_path = ::leptos::wasm_split, fallible)]
fn consultation_check() -> Result<Check, leptos::wasm_split::SplitLoaderError> {
    Ok(precheck_consultation)
}

/// Only the server's clock decides whether a consultation is open, so an edit made offline near
/// the close is queued and sent.
fn precheck_consultation(records: &Records, roles: &[Role], op: &Op) -> Result<(), Refusal> {
    match on_device(records, roles, op, |l, w| write_check::consultation_kind(l, w)) {
        Err(Refusal::NotOpen | Refusal::NotClosed | Refusal::Closed) => Ok(()),
        other => other,
    }
}
