//! What an administrator does to accounts from the command line, run on the database directly
//! or, while a server holds the embedded database, by that server (`crate::local_admin`).

use rihub_domain::role::Role;
use rihub_domain::validation::limits::NAME;
use serde::{Deserialize, Serialize};

use crate::db::{self, Db, sessions, users};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum UserCommand {
    Add { email: String, name: String, role: Role, password: String },
    List,
    SetRole { email: String, role: Role },
    Disable { email: String },
    Sessions { email: String },
    SignOut { email: String },
}

/// When a timestamp was, for people.
fn when(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0).map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_else(|| seconds.to_string())
}

async fn user_by_email(db: &Db, email: &str) -> anyhow::Result<users::UserRow> {
    users::by_email(db, email).await?.ok_or_else(|| anyhow::anyhow!("no account with email {email}"))
}

/// Carries out a user command on `db`; returns what to print.
pub async fn run_user_command(db: &Db, command: UserCommand) -> anyhow::Result<String> {
    Ok(match command {
        UserCommand::Add { email, name, role, password } => {
            let role = role.validated()?;
            anyhow::ensure!(crate::auth::password::acceptable(&password), "the password must have 10 to 256 characters");
            anyhow::ensure!(crate::routes::admin::looks_like_email(&users::normalize_email(&email)), "{email:?} is not an email address");
            anyhow::ensure!((1..=NAME).contains(&name.trim().chars().count()), "the name must have 1 to {NAME} characters");
            let hash = crate::auth::password::hash_off_workers(&password).await.map_err(|e| anyhow::anyhow!(e))?;
            let id = users::create(db, users::NewUser { email: &email, name: &name, password_hash: &hash, roles: &[role] }).await.map_err(
                |e| match e {
                    db::DbError::Duplicate => anyhow::anyhow!("an account with email {email} already exists"),
                    other => other.into(),
                },
            )?;
            format!("created user {id} <{}>\n", users::normalize_email(&email))
        }
        UserCommand::List => {
            let mut out = String::new();
            for u in users::list(db).await? {
                let roles: Vec<String> = u.roles.iter().map(|r| serde_json::to_string(r).unwrap_or_default()).collect();
                let state = if u.disabled { " (disabled)" } else { "" };
                out.push_str(&format!("{}\t{}\t{}{}\t{}\n", u.id, u.email, u.name, state, roles.join(" ")));
            }
            out
        }
        UserCommand::SetRole { email, role } => {
            let user = user_by_email(db, &email).await?;
            users::set_roles(db, &user.id, &[role.validated()?]).await?;
            format!("roles of {} replaced; their open sessions follow at once\n", user.email)
        }
        UserCommand::Disable { email } => {
            let user = user_by_email(db, &email).await?;
            users::set_disabled(db, &user.id, true).await?;
            format!("{} disabled; their sessions ended\n", user.email)
        }
        UserCommand::Sessions { email } => {
            let user = user_by_email(db, &email).await?;
            let mut out = String::new();
            for s in sessions::of_user(db, &user.id).await? {
                let state = if s.expires_at <= db.now() { " (expired)" } else { "" };
                out.push_str(&format!(
                    "{}\tsigned in {}\tlast used {}\tends {}{}\n",
                    &s.id[..12.min(s.id.len())],
                    when(s.created_at),
                    when(s.last_used_at),
                    when(s.expires_at),
                    state
                ));
            }
            if out.is_empty() {
                out = format!("{} has no sessions\n", user.email);
            }
            out
        }
        UserCommand::SignOut { email } => {
            let user = user_by_email(db, &email).await?;
            let ended = sessions::delete_of_user(db, &user.id).await?;
            format!("{ended} session(s) of {} ended\n", user.email)
        }
    })
}
