//! Translated names of the domain's codes. One `match` per type keeps every key checked at
//! compile time by leptos_i18n.

use rihub_domain::cycle::Cycle;
use rihub_domain::error_code::ErrorCode;
use rihub_domain::initiative::{InitiativeStatus, Level, Priority, Sector};
use rihub_domain::organization::OrgKind;
use rihub_domain::project::{PartnerRole, ProjectStatus};
use rihub_domain::region::Region;
use rihub_domain::role::{Role, RoleKind};
use rihub_domain::sync::outcome::Refusal;
use rihub_domain::sync::record::Kind;
use rihub_domain::validation::Problem;

use crate::api::ApiError;
use crate::i18n::*;

pub fn region(l: Locale, r: Region) -> String {
    match r {
        Region::Afr => td_string!(l, regions.afr),
        Region::Ams => td_string!(l, regions.ams),
        Region::Arb => td_string!(l, regions.arb),
        Region::Asp => td_string!(l, regions.asp),
        Region::Cis => td_string!(l, regions.cis),
        Region::Eur => td_string!(l, regions.eur),
    }
    .to_string()
}

/// The city of the region's ITU regional office.
pub fn office(l: Locale, r: Region) -> String {
    match r {
        Region::Afr => td_string!(l, offices.afr),
        Region::Ams => td_string!(l, offices.ams),
        Region::Arb => td_string!(l, offices.arb),
        Region::Asp => td_string!(l, offices.asp),
        Region::Cis => td_string!(l, offices.cis),
        Region::Eur => td_string!(l, offices.eur),
    }
    .to_string()
}

/// The conference that adopted a cycle's initiatives, by its short name ("WTDC-22", "CMDT-22").
pub fn conference(l: Locale, c: Cycle) -> String {
    match c {
        Cycle::Wtdc14 => td_string!(l, conferences.wtdc14),
        Cycle::Wtdc17 => td_string!(l, conferences.wtdc17),
        Cycle::Wtdc22 => td_string!(l, conferences.wtdc22),
        Cycle::Wtdc25 => td_string!(l, conferences.wtdc25),
    }
    .to_string()
}

/// The action plan a cycle's conference adopted.
pub fn action_plan(l: Locale, c: Cycle) -> String {
    match c {
        Cycle::Wtdc14 => td_string!(l, action_plans.wtdc14),
        Cycle::Wtdc17 => td_string!(l, action_plans.wtdc17),
        Cycle::Wtdc22 => td_string!(l, action_plans.wtdc22),
        Cycle::Wtdc25 => td_string!(l, action_plans.wtdc25),
    }
    .to_string()
}

pub fn status(l: Locale, s: InitiativeStatus) -> String {
    match s {
        InitiativeStatus::Draft => td_string!(l, statuses.draft),
        InitiativeStatus::Adopted => td_string!(l, statuses.adopted),
        InitiativeStatus::Implementing => td_string!(l, statuses.implementing),
        InitiativeStatus::Completed => td_string!(l, statuses.completed),
        InitiativeStatus::Closed => td_string!(l, statuses.closed),
    }
    .to_string()
}

pub fn project_status(l: Locale, s: ProjectStatus) -> String {
    match s {
        ProjectStatus::Planned => td_string!(l, project_statuses.planned),
        ProjectStatus::Ongoing => td_string!(l, project_statuses.ongoing),
        ProjectStatus::Completed => td_string!(l, project_statuses.completed),
        ProjectStatus::Suspended => td_string!(l, project_statuses.suspended),
    }
    .to_string()
}

pub fn level(l: Locale, v: Level) -> String {
    match v {
        Level::National => td_string!(l, levels.national),
        Level::Regional => td_string!(l, levels.regional),
        Level::Interregional => td_string!(l, levels.interregional),
        Level::Global => td_string!(l, levels.global),
    }
    .to_string()
}

pub fn priority(l: Locale, p: Priority) -> String {
    match p {
        Priority::AffordableConnectivity => td_string!(l, priorities.affordable_connectivity),
        Priority::DigitalTransformation => td_string!(l, priorities.digital_transformation),
        Priority::EnablingEnvironment => td_string!(l, priorities.enabling_environment),
        Priority::ResourceMobilization => td_string!(l, priorities.resource_mobilization),
        Priority::InclusiveSecureIct => td_string!(l, priorities.inclusive_secure_ict),
    }
    .to_string()
}

pub fn sector(l: Locale, s: Sector) -> String {
    match s {
        Sector::R => td_string!(l, sectors.r),
        Sector::T => td_string!(l, sectors.t),
        Sector::D => td_string!(l, sectors.d),
    }
    .to_string()
}

pub fn role(l: Locale, k: RoleKind) -> String {
    match k {
        RoleKind::Admin => td_string!(l, roles.admin),
        RoleKind::Coordinator => td_string!(l, roles.coordinator),
        RoleKind::Delegate => td_string!(l, roles.delegate),
        RoleKind::Partner => td_string!(l, roles.partner),
        RoleKind::Observer => td_string!(l, roles.observer),
    }
    .to_string()
}

/// A role with its scope: "Regional coordinator · Africa", "Member State delegate · Kenya"
/// (`state_name`: a Member State's name, from its code).
pub fn role_label(l: Locale, role: &Role, state_name: impl Fn(&str) -> String) -> String {
    let kind = self::role(l, role.kind());
    match role {
        Role::Coordinator { region: r } => format!("{kind} · {}", region(l, *r)),
        Role::Delegate { member_state } => format!("{kind} · {}", state_name(member_state)),
        Role::Partner { organization } => format!("{kind} · {organization}"),
        Role::Admin | Role::Observer => kind,
    }
}

pub fn org_kind(l: Locale, k: OrgKind) -> String {
    match k {
        OrgKind::MemberStateAdministration => td_string!(l, org_kinds.member_state_administration),
        OrgKind::SectorMember => td_string!(l, org_kinds.sector_member),
        OrgKind::Associate => td_string!(l, org_kinds.associate),
        OrgKind::Academia => td_string!(l, org_kinds.academia),
        OrgKind::FinancialInstitution => td_string!(l, org_kinds.financial_institution),
        OrgKind::InternationalOrganization => td_string!(l, org_kinds.international_organization),
        OrgKind::RegionalTelecomOrganization => td_string!(l, org_kinds.regional_telecom_organization),
        OrgKind::Regulator => td_string!(l, org_kinds.regulator),
        OrgKind::Operator => td_string!(l, org_kinds.operator),
        OrgKind::Supplier => td_string!(l, org_kinds.supplier),
    }
    .to_string()
}

pub fn partner_role(l: Locale, r: PartnerRole) -> String {
    match r {
        PartnerRole::Funding => td_string!(l, partner_roles.funding),
        PartnerRole::Implementing => td_string!(l, partner_roles.implementing),
        PartnerRole::InKind => td_string!(l, partner_roles.in_kind),
        PartnerRole::Technical => td_string!(l, partner_roles.technical),
        PartnerRole::Beneficiary => td_string!(l, partner_roles.beneficiary),
    }
    .to_string()
}

pub fn problem(l: Locale, p: Problem) -> String {
    match p {
        Problem::Required => td_string!(l, problems.required),
        Problem::TooLong => td_string!(l, problems.too_long),
        Problem::BadFormat => td_string!(l, problems.bad_format),
        Problem::UnknownCode => td_string!(l, problems.unknown_code),
        Problem::WrongRegion => td_string!(l, problems.wrong_region),
        Problem::OutOfRange => td_string!(l, problems.out_of_range),
        Problem::EndBeforeStart => td_string!(l, problems.end_before_start),
        Problem::Duplicate => td_string!(l, problems.duplicate),
        Problem::TooMany => td_string!(l, problems.too_many),
        Problem::Immutable => td_string!(l, problems.immutable),
    }
    .to_string()
}

/// What to tell a person about a failed request.
pub fn error(l: Locale, e: &ApiError) -> String {
    match e {
        ApiError::Offline => td_string!(l, errors.offline).to_string(),
        ApiError::Unauthenticated => td_string!(l, errors.unauthenticated).to_string(),
        ApiError::Forbidden => td_string!(l, errors.forbidden).to_string(),
        ApiError::NotFound => td_string!(l, errors.not_found).to_string(),
        ApiError::Invalid(_) => td_string!(l, common.fix_fields).to_string(),
        ApiError::NotSaved(reason) => format!("{} ({reason})", td_string!(l, errors.not_saved)),
        ApiError::Server => td_string!(l, errors.server).to_string(),
        ApiError::Conflict { code, .. } | ApiError::Refused(code) => error_code(l, *code).to_string(),
    }
}

/// What a refusal's stable code means to a person, one arm per code.
pub fn error_code(l: Locale, code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::Unauthenticated => td_string!(l, errors.unauthenticated),
        ErrorCode::BadCredentials => td_string!(l, errors.bad_credentials),
        ErrorCode::RateLimited | ErrorCode::TooManySockets => td_string!(l, errors.rate_limited),
        ErrorCode::Forbidden => td_string!(l, errors.forbidden),
        ErrorCode::NotFound => td_string!(l, errors.not_found),
        ErrorCode::Invalid => td_string!(l, common.fix_fields),
        ErrorCode::Exists => td_string!(l, errors.exists),
        ErrorCode::StaleRevision => td_string!(l, sync.refused_stale),
        ErrorCode::Refused => td_string!(l, sync.refused_other),
        ErrorCode::NotOpen => td_string!(l, sync.refused_not_open),
        ErrorCode::NotClosed => td_string!(l, sync.refused_not_closed),
        ErrorCode::Closed => td_string!(l, sync.refused_closed),
        ErrorCode::HasProjects => td_string!(l, errors.has_projects),
        ErrorCode::LastAdmin => td_string!(l, errors.last_admin),
        ErrorCode::SelfDisable => td_string!(l, errors.self_disable),
        ErrorCode::InviteUnusable => td_string!(l, errors.invite_unusable),
        // What this app never sends as it is: a request the server could not take.
        ErrorCode::BadOrigin
        | ErrorCode::InvalidBody
        | ErrorCode::MalformedJson
        | ErrorCode::BadRequest
        | ErrorCode::BadQuery
        | ErrorCode::BadPath
        | ErrorCode::TooLarge
        | ErrorCode::NotJson
        | ErrorCode::TooManyMutations
        | ErrorCode::Malformed
        | ErrorCode::Protocol
        | ErrorCode::Unknown => td_string!(l, errors.request_refused),
        ErrorCode::Internal => td_string!(l, errors.server),
    }
}

/// Why the server refused a change, with the fields at fault.
pub fn refusal(l: Locale, r: &Refusal) -> String {
    match r {
        Refusal::NotFound => td_string!(l, sync.refused_not_found).to_string(),
        Refusal::Exists => td_string!(l, sync.refused_exists).to_string(),
        Refusal::Forbidden => td_string!(l, sync.refused_forbidden).to_string(),
        Refusal::Stale => td_string!(l, sync.refused_stale).to_string(),
        Refusal::Refused(_) => td_string!(l, sync.refused_other).to_string(),
        Refusal::NotOpen => td_string!(l, sync.refused_not_open).to_string(),
        Refusal::NotClosed => td_string!(l, sync.refused_not_closed).to_string(),
        Refusal::Closed => td_string!(l, sync.refused_closed).to_string(),
        Refusal::Invalid(fields) => {
            let detail: Vec<String> = fields.iter().map(|f| format!("{}: {}", f.field, problem(l, f.problem))).collect();
            format!("{} ({})", td_string!(l, sync.refused_invalid), detail.join("; "))
        }
    }
}

/// The label of a record's field, as its form shows it; the field's name if it has none.
pub fn field(l: Locale, kind: Kind, name: &str) -> String {
    let label = match (kind, name) {
        (_, "title") => td_string!(l, initiative.title),
        (_, "status") => td_string!(l, initiative.status),
        (Kind::Initiative, "code") => td_string!(l, initiative.code),
        (Kind::Initiative, "objective") => td_string!(l, initiative.objective),
        (Kind::Initiative, "expected_results") => td_string!(l, initiative.expected_results),
        (Kind::Initiative, "priorities") => td_string!(l, initiative.priorities),
        (Kind::Initiative, "level") => td_string!(l, initiative.level),
        (Kind::Initiative, "sectors") => td_string!(l, initiative.sectors),
        (Kind::Initiative, "verified") => td_string!(l, initiative.verified),
        (Kind::Initiative, "continues") => td_string!(l, initiative.continues),
        (Kind::Project, "summary") => td_string!(l, project.summary),
        (Kind::Project, "countries") => td_string!(l, project.countries),
        (Kind::Project, "partners") => td_string!(l, project.partners),
        (Kind::Project, "start") => td_string!(l, project.start),
        (Kind::Project, "end") => td_string!(l, project.end),
        (Kind::Project, "budget") => td_string!(l, project.budget),
        (Kind::Project, "indicators") => td_string!(l, project.indicators),
        (Kind::Project, "outcomes") => td_string!(l, project.outcomes),
        (Kind::Project, "initiative") => td_string!(l, project.initiative),
        _ => return name.to_string(),
    };
    label.to_string()
}

/// The label of a multilingual field of a record (see `domain::translation::text_fields`).
pub fn text_field(l: Locale, kind: Kind, field: &str) -> String {
    match (kind, field) {
        (Kind::Initiative, "objective") => td_string!(l, initiative.objective),
        (Kind::Initiative, "expected_results") => td_string!(l, initiative.expected_results),
        (Kind::Initiative, _) => td_string!(l, initiative.title),
        (Kind::Project, "summary") => td_string!(l, project.summary),
        (Kind::Project, "outcomes") => td_string!(l, project.outcomes),
        (Kind::Project, _) => td_string!(l, project.title),
        (Kind::Consultation, "intro") => td_string!(l, consultation.intro),
        (Kind::Consultation | Kind::Contribution | Kind::Submission, _) => td_string!(l, consultation.title),
        (Kind::Report, "context") => td_string!(l, report.context),
        (Kind::Report, "what_was_done") => td_string!(l, report.what_was_done),
        (Kind::Report, "what_worked") => td_string!(l, report.what_worked),
        (Kind::Report, "what_did_not") => td_string!(l, report.what_did_not),
        (Kind::Report, "lessons") => td_string!(l, report.lessons),
        (Kind::Report, "in_kind_used") => td_string!(l, report.in_kind_used),
        (Kind::Report, _) => td_string!(l, report.title),
    }
    .to_string()
}

pub fn record_kind(l: Locale, kind: Kind) -> String {
    match kind {
        Kind::Initiative => td_string!(l, translations.kind_initiative),
        Kind::Project => td_string!(l, translations.kind_project),
        Kind::Consultation => td_string!(l, translations.kind_consultation),
        Kind::Contribution => td_string!(l, translations.kind_contribution),
        Kind::Submission => td_string!(l, translations.kind_submission),
        Kind::Report => td_string!(l, translations.kind_report),
    }
    .to_string()
}
