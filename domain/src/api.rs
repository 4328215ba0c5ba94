//! Bodies of the HTTP API, shared so the browser and the server read the same shapes.
//! Sent by clients since v1: add optional fields only; do not rename.

use crate::error_code::ErrorCode;
use serde::{Deserialize, Serialize};

use crate::initiative::{Initiative, InitiativeFields};
use crate::project::{Project, ProjectFields};
use crate::role::Role;
use crate::validation::FieldError;

/// The signed-in user, as `GET /api/me` and a successful login return it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub id: String,
    pub email: String,
    pub name: String,
    pub roles: Vec<Role>,
    /// Interface language chosen by the user, if any.
    #[serde(default)]
    pub lang: Option<String>,
}

/// An initiative in a list, with how many projects it has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InitiativeListItem {
    #[serde(flatten)]
    pub initiative: Initiative,
    pub project_count: u64,
}

/// An initiative with its projects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InitiativeDetail {
    pub initiative: Initiative,
    pub projects: Vec<Project>,
}

/// An edit of an initiative, naming the revision it started from.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateInitiative {
    pub rev: u64,
    pub fields: InitiativeFields,
}

/// A new project, or an edit of one; `initiative` may move it under another initiative.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveProject {
    /// The revision the edit started from; ignored on create.
    #[serde(default)]
    pub rev: u64,
    pub initiative: String,
    pub fields: ProjectFields,
}

/// A user as an admin sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: String,
    pub email: String,
    pub name: String,
    pub disabled: bool,
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetRoles {
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetDisabled {
    pub disabled: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewInvite {
    pub email: String,
    pub name: String,
    pub roles: Vec<Role>,
}

/// The single-use link an admin passes to the invited person.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InviteCreated {
    pub link: String,
    pub expires_at: i64,
}

/// What an invitation link shows before it is accepted.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InviteInfo {
    pub email: String,
    pub name: String,
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvite {
    pub name: String,
    pub password: String,
}

/// The error body of every failed request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// Stable, machine-readable: `invalid`, `forbidden`, `stale_revision` …
    pub code: ErrorCode,
    pub message: String,
    #[serde(default)]
    pub fields: Vec<FieldError>,
    /// On `stale_revision`: the record as someone else saved it.
    #[serde(default)]
    pub current: Option<serde_json::Value>,
}
