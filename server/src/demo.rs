//! Demo data: the real initiatives of reference-data.md, a few real projects, and one demo
//! account per role. Loaded only when asked for (`serve --demo`), never in a plain start.

use chrono::NaiveDate;
use rihub_domain::cycle::Cycle;
use rihub_domain::initiative::{InitiativeFields, InitiativeStatus, Level, Priority, Sector};
use rihub_domain::lang::Lang;
use rihub_domain::organization::OrgKind;
use rihub_domain::project::{Partner, PartnerRole, ProjectFields, ProjectStatus};
use rihub_domain::region::Region;
use rihub_domain::role::Role;
use rihub_domain::sync::record::fields_of;
use rihub_domain::text::Text;

use crate::auth::password;
use rihub_domain::sync::mutation::Op;
use rihub_domain::sync::record::{Kind, RecordKey};

use crate::db::sync::{self, Write};
use crate::db::{Db, DbError, DbResult, initiatives, users};

/// The password of every demo account (listed in the README).
pub const DEMO_PASSWORD: &str = "rihub-demo-2026";

/// (email, name, role) of the demo accounts.
pub fn demo_users() -> Vec<(&'static str, &'static str, Role)> {
    vec![
        ("admin@rihub.example", "Amina Diallo (BDT)", Role::Admin),
        ("coordinator.afr@rihub.example", "Kwame Mensah (Addis Ababa)", Role::Coordinator { region: Region::Afr }),
        ("coordinator.asp@rihub.example", "Mei Tanaka (Bangkok)", Role::Coordinator { region: Region::Asp }),
        ("delegate.ke@rihub.example", "Wanjiru Kamau (Kenya)", Role::Delegate { member_state: "KE".into() }),
        ("delegate2.ke@rihub.example", "Otieno Odhiambo (Kenya)", Role::Delegate { member_state: "KE".into() }),
        ("delegate.gh@rihub.example", "Ama Owusu (Ghana)", Role::Delegate { member_state: "GH".into() }),
        ("partner@rihub.example", "Partner (Asian Development Bank)", Role::Partner { organization: "Asian Development Bank".into() }),
        ("observer@rihub.example", "Observer", Role::Observer),
    ]
}

/// (cycle, code, title, objective, verified): titles verified against public ITU pages unless
/// marked false, in which case only the theme is known.
const INITIATIVES: &[(Cycle, &str, &str, &str, bool)] = &[
    (
        Cycle::Wtdc25,
        "AMS1",
        "Facilitating resilient infrastructure to enable deployment of universal and meaningful connectivity",
        "To facilitate delivery of reliable, affordable, universal and meaningful connectivity and digital services in the Americas region through deployment of modern, resilient, secure and sustainable telecommunication/ICT infrastructure.",
        true,
    ),
    (
        Cycle::Wtdc22,
        "AFR1",
        "Supporting digital transformation to usher in a rapid transition to a digital economy while accelerating innovation in Africa",
        "To assist Member States in the Africa region in reaping the full benefits of digital transformation by addressing the existing policy and regulatory challenges and formulating strategies to encourage the development and use of digital technologies in various sectors of the economy and foster innovation.",
        true,
    ),
    (
        Cycle::Wtdc22,
        "ASP1",
        "Addressing special needs of least developed countries, small island developing states, including Pacific island countries, and landlocked developing countries",
        "",
        true,
    ),
    (
        Cycle::Wtdc22,
        "CIS1",
        "Developing infrastructure to promote innovation and partnerships in the introduction of new technologies – the Internet of Things, including the industrial Internet, smart cities and communities, 5G/IMT-2020 and next-generation NET-2030 communication networks, quantum technologies, artificial intelligence, digital health, digital skills and environmental protection",
        "",
        true,
    ),
    (Cycle::Wtdc22, "EUR1", "Digital infrastructure (theme; official title to be confirmed)", "", false),
    (Cycle::Wtdc22, "EUR2", "Digital transformation (theme; official title to be confirmed)", "", false),
    (Cycle::Wtdc22, "EUR3", "Digital skills and inclusion (theme; official title to be confirmed)", "", false),
    (Cycle::Wtdc22, "EUR4", "Confidence and security (theme; official title to be confirmed)", "", false),
    (Cycle::Wtdc22, "EUR5", "Digital innovation (theme; official title to be confirmed)", "", false),
    (Cycle::Wtdc17, "AFR1", "Building digital economies and fostering innovation in Africa", "", true),
    (Cycle::Wtdc17, "AFR2", "Promotion of emerging broadband technologies", "", true),
    (
        Cycle::Wtdc17,
        "AFR3",
        "Building trust and security in the use of telecommunications/information and communication technology",
        "",
        true,
    ),
    (Cycle::Wtdc17, "CIS1", "Development of e-health to ensure healthy lives and promote well-being for all, at all ages", "", true),
    (
        Cycle::Wtdc17,
        "CIS2",
        "Use of telecommunications/ICT to ensure inclusive, equitable, quality and safe education, including the enhancement of women's knowledge of ICTs and e-government",
        "",
        true,
    ),
    (
        Cycle::Wtdc17,
        "CIS3",
        "Development and regulation of infocommunication infrastructure to make cities and human settlements inclusive, safe and resilient",
        "",
        true,
    ),
    (Cycle::Wtdc17, "CIS4", "Monitoring the ecological status and the presence and rational use of natural resources", "", true),
    (
        Cycle::Wtdc17,
        "CIS5",
        "Fostering innovative solutions and partnership for the implementation of IoT technologies and their interaction in telecommunication networks, including 4G, IMT-2020 and next-generation networks, in the interests of sustainable development",
        "",
        true,
    ),
    (Cycle::Wtdc14, "ARB1", "Development of broadband access and adoption of broadband", "", true),
    (Cycle::Wtdc14, "ARB2", "Building confidence and security in the use of telecommunications/ICTs", "", true),
    (
        Cycle::Wtdc14,
        "ARB3",
        "Use of telecommunications/ICTs for smart and sustainable development and protection of the environment",
        "",
        true,
    ),
    (Cycle::Wtdc14, "ARB4", "Smart learning", "", true),
    (Cycle::Wtdc14, "ARB5", "Ensuring access to telecommunications/ICTs, in particular for persons with disabilities", "", true),
    (
        Cycle::Wtdc14,
        "ASP1",
        "Special consideration for least developed countries, small island developing states, including Pacific island countries, and landlocked developing countries",
        "",
        true,
    ),
    (Cycle::Wtdc14, "ASP2", "Emergency telecommunications", "", true),
    (Cycle::Wtdc14, "ASP3", "Harnessing the benefits of new technologies", "", true),
    (Cycle::Wtdc14, "ASP4", "Development of broadband access and adoption of broadband", "", true),
    (Cycle::Wtdc14, "ASP5", "Policy and regulation", "", true),
    (Cycle::Wtdc14, "EUR1", "Spectrum management and transition to digital broadcasting", "", true),
    (Cycle::Wtdc14, "EUR2", "Development of broadband access and adoption of broadband", "", true),
];

/// A tag suggested by the title's wording; demo classification, not an official one.
fn priorities_for(title: &str) -> Vec<Priority> {
    let t = title.to_lowercase();
    let mut p = Vec::new();
    let rules = [
        (Priority::AffordableConnectivity, &["broadband", "infrastructure", "connectivity", "spectrum"][..]),
        (Priority::DigitalTransformation, &["digital", "innovation", "iot", "e-health", "smart"][..]),
        (Priority::EnablingEnvironment, &["policy", "regulat"][..]),
        (Priority::InclusiveSecureIct, &["security", "trust", "confidence", "inclusi", "disabilit", "least developed", "emergency"][..]),
    ];
    for (priority, words) in rules {
        if words.iter().any(|w| t.contains(w)) {
            p.push(priority);
        }
    }
    p
}

fn initiative(cycle: Cycle, code: &str, title: &str, objective: &str, verified: bool) -> InitiativeFields {
    let region = Region::from_code(&code[..3]).unwrap_or(Region::Eur);
    let status = if cycle == Cycle::CURRENT { InitiativeStatus::Implementing } else { InitiativeStatus::Completed };
    InitiativeFields {
        cycle,
        code: code.into(),
        region,
        title: Text::new(Lang::En, title),
        objective: Text::new(Lang::En, objective),
        expected_results: Text::default(),
        priorities: priorities_for(title),
        level: Level::Regional,
        sectors: vec![Sector::D],
        status,
        verified,
        continues: None,
        related: Vec::new(),
        merged_into: None,
    }
}

fn partner(name: &str, kind: OrgKind, role: PartnerRole) -> Partner {
    Partner { name: name.into(), kind, role }
}

/// Projects implemented under WTDC-22 ASP1 in 2024 (reference-data.md). No budgets: the
/// public sources give none, and demo data invents no figures.
fn asp1_projects() -> Vec<ProjectFields> {
    let year = |y| NaiveDate::from_ymd_opt(y, 1, 1);
    let project = |title: &str, summary: &str, countries: &[&str], partners: Vec<Partner>| ProjectFields {
        title: Text::new(Lang::En, title),
        summary: Text::new(Lang::En, summary),
        countries: countries.iter().map(|c| c.to_string()).collect(),
        partners,
        status: ProjectStatus::Ongoing,
        start: year(2024),
        end: None,
        budget: None,
        indicators: Vec::new(),
        outcomes: Text::default(),
        replicated_from: None,
    };
    vec![
        project(
            "Smart Villages and Smart Islands",
            "Connectivity and digital services for rural communities in Pacific island states.",
            &["FJ", "VU", "SB", "TO", "WS"],
            vec![
                partner("Joint SDG Fund", OrgKind::InternationalOrganization, PartnerRole::Funding),
                partner("Asian Development Bank", OrgKind::FinancialInstitution, PartnerRole::Funding),
            ],
        ),
        project(
            "EU-STREIT digital agriculture",
            "Digital agriculture in Papua New Guinea within the EU-STREIT programme.",
            &["PG"],
            vec![partner("European Union", OrgKind::InternationalOrganization, PartnerRole::Funding)],
        ),
        project(
            "GovStack capacity building",
            "Capacity building on GovStack digital government building blocks.",
            &["BD", "KH", "PG"],
            vec![partner("GovStack", OrgKind::InternationalOrganization, PartnerRole::Technical)],
        ),
        project(
            "Feasibility study for Pacific small island developing states",
            "A feasibility study for Pacific small island states.",
            &["FJ", "KI", "TV", "NR"],
            vec![partner("Government of Australia", OrgKind::MemberStateAdministration, PartnerRole::Funding)],
        ),
    ]
}

fn refused_is_a_bug(result: Result<u64, rihub_domain::sync::outcome::Refusal>) -> DbResult<()> {
    result.map(|_| ()).map_err(|r| DbError::Decode(serde::de::Error::custom(format!("demo record refused: {r:?}"))))
}

/// Creates the demo accounts that do not exist yet, and the demo records if the database has
/// no initiatives. Safe to call at every start.
pub async fn load(db: &Db) -> DbResult<()> {
    for (email, name, role) in demo_users() {
        if users::by_email(db, email).await?.is_some() {
            continue;
        }
        let hash = password::hash(DEMO_PASSWORD).map_err(|e| DbError::Decode(serde::de::Error::custom(e)))?;
        users::create(db, users::NewUser { email, name, password_hash: &hash, roles: &[role] }).await?;
    }
    if !initiatives::list(db, &Default::default()).await?.is_empty() {
        return Ok(());
    }
    // Written like any edit, so the records are in the change log that clients sync from.
    let write = |key: RecordKey, fields| Write::Op(Op::Create { key, fields });
    for (cycle, code, title, objective, verified) in INITIATIVES {
        let fields = initiative(*cycle, code, title, objective, *verified);
        let key = RecordKey { kind: Kind::Initiative, id: fields.id() };
        refused_is_a_bug(sync::apply_request(db, "demo", &[Role::Admin], write(key, fields_of(&fields))).await?)?;
    }
    let asp1 = rihub_domain::initiative::initiative_id(Cycle::Wtdc22, "ASP1");
    for p in asp1_projects() {
        let mut fields = fields_of(&p);
        fields.insert("initiative".into(), asp1.clone().into());
        let key = RecordKey { kind: Kind::Project, id: crate::db::random_id() };
        refused_is_a_bug(sync::apply_request(db, "demo", &[Role::Admin], write(key, fields)).await?)?;
    }
    tracing::info!(initiatives = INITIATIVES.len(), "demo data loaded");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_record_passes_validation() {
        for (cycle, code, title, objective, verified) in INITIATIVES {
            assert_eq!(initiative(*cycle, code, title, objective, *verified).validate(), Ok(()), "{code}");
        }
        for p in asp1_projects() {
            assert_eq!(p.validate(), Ok(()));
        }
        for (_, _, role) in demo_users() {
            assert!(role.validated().is_ok());
        }
    }
}
