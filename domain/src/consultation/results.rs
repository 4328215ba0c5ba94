//! Consolidated results of a consultation, from the submitted contributions (the current
//! version of each Member State's).
//!
//! Priorities use a Borda count: with n initiatives, the k a state ranked get n-1, n-2 … points
//! in its order, and the ones it left out share the remaining places equally (each gets the
//! mean of the places left). A state that ranked nothing is left out of the priorities.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::contribution::{ContributionFields, Offer};
use crate::csv::cell;
use crate::organization::OrgKind;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    /// Contributions counted.
    pub submissions: usize,
    pub priorities: Vec<PriorityRow>,
    pub partners: Vec<PartnerRow>,
    pub financing: Vec<FinancingRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriorityRow {
    pub initiative: String,
    /// 1 for the most points; equal points share a place (1, 1, 3).
    pub place: usize,
    pub points: f64,
    /// Mean place given by the states that answered (1 = most important).
    pub mean_rank: f64,
    /// Standard deviation of those places: how much the states agree.
    pub spread: f64,
    /// States that placed it themselves rather than leaving it out.
    pub ranked_by: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnerRow {
    /// The name as first written.
    pub organization: String,
    pub kind: OrgKind,
    /// Member States that suggested it.
    pub suggested_by: usize,
    pub initiatives: Vec<String>,
    pub roles: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FinancingKind {
    Cash,
    InKind,
}

/// Money offered of one kind in one currency. Currencies are never converted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinancingRow {
    pub kind: FinancingKind,
    pub currency: String,
    pub total: i64,
    pub offers: usize,
}

impl Results {
    /// The results as a spreadsheet: one table after the other, each with its header row.
    /// Text cells are written so that no spreadsheet runs them (`csv::cell`).
    pub fn to_csv(&self) -> String {
        let mut out = String::from("priority,initiative,points,mean_rank,spread,ranked_by\n");
        for p in &self.priorities {
            out += &format!("{},{},{},{:.2},{:.2},{}\n", p.place, cell(&p.initiative), p.points, p.mean_rank, p.spread, p.ranked_by);
        }
        out += "\npartner,kind,suggested_by,initiatives,roles\n";
        for p in &self.partners {
            out += &format!(
                "{},{},{},{},{}\n",
                cell(&p.organization),
                p.kind.key(),
                p.suggested_by,
                cell(&p.initiatives.join(" ")),
                cell(&p.roles.join("; "))
            );
        }
        out += "\nfinancing,currency,total,offers\n";
        for f in &self.financing {
            let kind = match f.kind {
                FinancingKind::Cash => "cash",
                FinancingKind::InKind => "in_kind",
            };
            out += &format!("{kind},{},{},{}\n", cell(&f.currency), f.total, f.offers);
        }
        out
    }
}

pub fn aggregate(initiatives: &[String], contributions: &[ContributionFields]) -> Results {
    Results {
        submissions: contributions.len(),
        priorities: priorities(initiatives, contributions),
        partners: partners(contributions),
        financing: financing(contributions),
    }
}

/// The place each initiative gets from one ranking, doubled so that shared places (a mean
/// of consecutive places, so a whole or half number) stay whole.
fn places_x2(initiatives: &[String], ranking: &[String]) -> Vec<(u64, bool)> {
    let n = initiatives.len() as u64;
    let mut ranked: Vec<&String> = Vec::new();
    for id in ranking {
        if initiatives.contains(id) && !ranked.contains(&id) {
            ranked.push(id);
        }
    }
    let k = ranked.len() as u64;
    let shared_x2 = k + 1 + n;
    initiatives
        .iter()
        .map(|id| match ranked.iter().position(|r| *r == id) {
            Some(i) => (2 * (i as u64 + 1), true),
            None => (shared_x2, false),
        })
        .collect()
}

fn priorities(initiatives: &[String], contributions: &[ContributionFields]) -> Vec<PriorityRow> {
    let answers: Vec<Vec<(u64, bool)>> = contributions
        .iter()
        .filter(|c| c.ranking.iter().any(|id| initiatives.contains(id)))
        .map(|c| places_x2(initiatives, &c.ranking))
        .collect();
    let n = initiatives.len() as f64;
    let mut rows: Vec<(u64, PriorityRow)> = initiatives
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let ranks: Vec<f64> = answers.iter().map(|a| a[i].0 as f64 / 2.0).collect();
            let count = ranks.len().max(1) as f64;
            let mean = ranks.iter().sum::<f64>() / count;
            let spread = (ranks.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / count).sqrt();
            let points_x2: u64 = answers.iter().map(|a| (2 * initiatives.len() as u64).saturating_sub(a[i].0)).sum();
            let row = PriorityRow {
                initiative: id.clone(),
                place: 0,
                points: points_x2 as f64 / 2.0,
                mean_rank: if answers.is_empty() { (n + 1.0) / 2.0 } else { mean },
                spread,
                ranked_by: answers.iter().filter(|a| a[i].1).count(),
            };
            (points_x2, row)
        })
        .collect();
    // Most points first; equal points keep the consultation's order and share a place.
    rows.sort_by_key(|row| std::cmp::Reverse(row.0));
    let mut place = 0;
    for i in 0..rows.len() {
        if i == 0 || rows[i].0 != rows[i - 1].0 {
            place = i + 1;
        }
        rows[i].1.place = place;
    }
    rows.into_iter().map(|(_, row)| row).collect()
}

/// "Smart  Africa" and "smart africa" are the same organization.
fn normalized(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn partners(contributions: &[ContributionFields]) -> Vec<PartnerRow> {
    let mut groups: BTreeMap<String, (PartnerRow, BTreeSet<String>)> = BTreeMap::new();
    for c in contributions {
        for p in &c.partners {
            let (row, states) = groups.entry(normalized(&p.organization)).or_insert_with(|| {
                let row = PartnerRow {
                    organization: p.organization.trim().to_string(),
                    kind: p.kind,
                    suggested_by: 0,
                    initiatives: Vec::new(),
                    roles: Vec::new(),
                };
                (row, BTreeSet::new())
            });
            states.insert(c.member_state.clone());
            if !row.initiatives.contains(&p.initiative) {
                row.initiatives.push(p.initiative.clone());
            }
            let role = p.role.trim();
            if !role.is_empty() && !row.roles.iter().any(|r| r == role) {
                row.roles.push(role.to_string());
            }
        }
    }
    let mut rows: Vec<PartnerRow> = groups
        .into_values()
        .map(|(mut row, states)| {
            row.suggested_by = states.len();
            row
        })
        .collect();
    rows.sort_by(|a, b| b.suggested_by.cmp(&a.suggested_by).then_with(|| normalized(&a.organization).cmp(&normalized(&b.organization))));
    rows
}

fn financing(contributions: &[ContributionFields]) -> Vec<FinancingRow> {
    let mut sums: BTreeMap<(FinancingKind, String), (i64, usize)> = BTreeMap::new();
    for offer in contributions.iter().flat_map(|c| &c.financing) {
        let kind = match offer {
            Offer::Cash { .. } => FinancingKind::Cash,
            Offer::InKind { .. } => FinancingKind::InKind,
        };
        let value = offer.value();
        let sum = sums.entry((kind, value.currency.clone())).or_default();
        sum.0 = sum.0.saturating_add(value.amount);
        sum.1 += 1;
    }
    sums.into_iter().map(|((kind, currency), (total, offers))| FinancingRow { kind, currency, total, offers }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consultation::contribution::PartnerSuggestion;
    use crate::project::Money;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn ranking(state: &str, order: &[&str]) -> ContributionFields {
        let mut c = ContributionFields::new("c", state);
        c.ranking = ids(order);
        c
    }

    fn table(results: &Results) -> Vec<(String, usize, f64)> {
        results.priorities.iter().map(|r| (r.initiative.clone(), r.place, r.points)).collect()
    }

    #[test]
    fn borda_points_follow_each_states_order() {
        let all = ids(&["a", "b", "c"]);
        let r = aggregate(&all, &[ranking("KE", &["a", "b", "c"]), ranking("GH", &["b", "a", "c"]), ranking("NG", &["a", "c", "b"])]);
        assert_eq!(table(&r), vec![("a".into(), 1, 5.0), ("b".into(), 2, 3.0), ("c".into(), 3, 1.0)]);
        let a = &r.priorities[0];
        assert!((a.mean_rank - 4.0 / 3.0).abs() < 1e-9);
        assert!((a.spread - (2.0f64 / 9.0).sqrt()).abs() < 1e-9);
        assert_eq!(a.ranked_by, 3);
    }

    #[test]
    fn equal_points_share_a_place() {
        let all = ids(&["a", "b", "c"]);
        let r = aggregate(&all, &[ranking("KE", &["a", "b", "c"]), ranking("GH", &["b", "a", "c"])]);
        assert_eq!(table(&r), vec![("a".into(), 1, 3.0), ("b".into(), 1, 3.0), ("c".into(), 3, 0.0)]);
        assert_eq!(r.priorities[2].spread, 0.0, "both put c last");
    }

    #[test]
    fn initiatives_left_out_share_the_remaining_places_and_empty_rankings_do_not_count() {
        let all = ids(&["a", "b", "c", "d"]);
        // KE ranks only b: b is 1st, a, c and d share places 2 to 4 (3 each).
        let r = aggregate(&all, &[ranking("KE", &["b", "x", "b"]), ranking("GH", &[])]);
        assert_eq!(table(&r), vec![("b".into(), 1, 3.0), ("a".into(), 2, 1.0), ("c".into(), 2, 1.0), ("d".into(), 2, 1.0)]);
        assert_eq!(r.priorities[1].mean_rank, 3.0);
        assert_eq!(r.priorities[1].ranked_by, 0);
        assert_eq!(r.submissions, 2);
    }

    #[test]
    fn no_answers_leave_every_initiative_in_the_middle() {
        let r = aggregate(&ids(&["a", "b", "c"]), &[]);
        assert!(r.priorities.iter().all(|p| p.place == 1 && p.points == 0.0 && p.mean_rank == 2.0));
    }

    #[test]
    fn partners_are_grouped_by_name_and_counted_once_per_state() {
        let suggest = |state: &str, org: &str, initiative: &str, role: &str| {
            let mut c = ContributionFields::new("c", state);
            c.partners.push(PartnerSuggestion {
                initiative: initiative.into(),
                organization: org.into(),
                kind: OrgKind::FinancialInstitution,
                role: role.into(),
            });
            c
        };
        let mut ke = suggest("KE", "African Development Bank", "a", "Co-financing");
        ke.partners.push(PartnerSuggestion {
            initiative: "b".into(),
            organization: "african  development bank".into(),
            kind: OrgKind::FinancialInstitution,
            role: "Co-financing".into(),
        });
        let r =
            aggregate(&ids(&["a", "b"]), &[ke, suggest("GH", "African Development Bank ", "a", "Loans"), suggest("NG", "GSMA", "b", "")]);
        assert_eq!(r.partners.len(), 2);
        assert_eq!((r.partners[0].organization.as_str(), r.partners[0].suggested_by), ("African Development Bank", 2));
        assert_eq!(r.partners[0].initiatives, ids(&["a", "b"]));
        assert_eq!(r.partners[0].roles, ids(&["Co-financing", "Loans"]));
        assert_eq!((r.partners[1].organization.as_str(), r.partners[1].suggested_by), ("GSMA", 1));
    }

    #[test]
    fn the_spreadsheet_of_results_runs_no_formula_a_delegate_typed() {
        let mut ke = ContributionFields::new("c", "KE");
        ke.partners.push(PartnerSuggestion {
            initiative: "a".into(),
            organization: "=cmd|' /C calc'!A0".into(),
            kind: OrgKind::FinancialInstitution,
            role: "@SUM(1)".into(),
        });
        let csv = aggregate(&ids(&["a"]), &[ke]).to_csv();
        let partner = csv.lines().find(|l| l.contains("cmd")).unwrap();
        assert!(partner.starts_with("'=cmd"), "{partner}");
        assert!(partner.ends_with(",'@SUM(1)"), "{partner}");
        assert!(csv.lines().nth(1).unwrap().starts_with("1,a,"), "numbers stay numbers: {csv}");
    }

    #[test]
    fn financing_is_summed_by_kind_and_currency_never_converted() {
        let money = |amount, currency: &str| Money { amount, currency: currency.into() };
        let mut ke = ContributionFields::new("c", "KE");
        ke.financing.push(Offer::Cash { initiative: "a".into(), amount: money(100_000, "USD") });
        ke.financing.push(Offer::Cash { initiative: "b".into(), amount: money(50_000, "EUR") });
        let mut gh = ContributionFields::new("c", "GH");
        gh.financing.push(Offer::Cash { initiative: "a".into(), amount: money(25_000, "USD") });
        gh.financing.push(Offer::InKind {
            initiative: "a".into(),
            description: "Experts".into(),
            unit: "days".into(),
            quantity: 20.0,
            value: money(30_000, "USD"),
        });
        let r = aggregate(&ids(&["a", "b"]), &[ke, gh]);
        assert_eq!(
            r.financing,
            vec![
                FinancingRow { kind: FinancingKind::Cash, currency: "EUR".into(), total: 50_000, offers: 1 },
                FinancingRow { kind: FinancingKind::Cash, currency: "USD".into(), total: 125_000, offers: 2 },
                FinancingRow { kind: FinancingKind::InKind, currency: "USD".into(), total: 30_000, offers: 1 },
            ]
        );
    }
}
