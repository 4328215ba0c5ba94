//! The `rihub-server` command line: serve, and manage users from a shell.

use clap::{Parser, Subcommand};
use rihub_domain::region::Region;
use rihub_domain::role::{Role, RoleKind};

use crate::config::{Config, DatabaseConfig};
use crate::db::{self, users};

#[derive(Parser)]
#[command(name = "rihub-server", about = "Regional Initiatives Hub server")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the API and the app.
    Serve(Config),
    /// Manage user accounts.
    User {
        #[command(flatten)]
        db: DatabaseConfig,
        #[command(subcommand)]
        action: UserAction,
    },
}

/// A role given on the command line: `--role coordinator --region AFR`.
#[derive(clap::Args)]
pub struct RoleArgs {
    /// admin, coordinator, delegate, partner or observer.
    #[arg(long)]
    pub role: String,
    /// Region code, for a coordinator (AFR, AMS, ARB, ASP, CIS, EUR).
    #[arg(long)]
    pub region: Option<String>,
    /// ISO code of the Member State, for a delegate.
    #[arg(long)]
    pub member_state: Option<String>,
    /// Organization name, for a partner.
    #[arg(long)]
    pub organization: Option<String>,
}

#[derive(Subcommand)]
pub enum UserAction {
    /// Create an account. The password is read from RIHUB_PASSWORD or standard input.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[command(flatten)]
        role: RoleArgs,
    },
    /// List accounts and their roles.
    List,
    /// Replace an account's roles with one role.
    SetRole {
        #[arg(long)]
        email: String,
        #[command(flatten)]
        role: RoleArgs,
    },
    /// Disable an account and end its sessions.
    Disable {
        #[arg(long)]
        email: String,
    },
}

impl RoleArgs {
    pub fn to_role(&self) -> anyhow::Result<Role> {
        let kind = RoleKind::from_key(&self.role).ok_or_else(|| anyhow::anyhow!("unknown role {:?}", self.role))?;
        let need = |v: &Option<String>, flag: &str| v.clone().ok_or_else(|| anyhow::anyhow!("--role {} needs --{flag}", self.role));
        let role = match kind {
            RoleKind::Admin => Role::Admin,
            RoleKind::Observer => Role::Observer,
            RoleKind::Coordinator => {
                let code = need(&self.region, "region")?;
                Role::Coordinator { region: Region::from_code(&code).ok_or_else(|| anyhow::anyhow!("unknown region {code:?}"))? }
            }
            RoleKind::Delegate => Role::Delegate { member_state: need(&self.member_state, "member-state")? },
            RoleKind::Partner => Role::Partner { organization: need(&self.organization, "organization")? },
        };
        Ok(role.validated()?)
    }
}

fn read_password() -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("RIHUB_PASSWORD") {
        return Ok(p);
    }
    eprintln!("password (at least {} characters), then Enter:", crate::auth::password::MIN_LENGTH);
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

pub async fn run_user(database: DatabaseConfig, action: UserAction) -> anyhow::Result<()> {
    let db = database.open(crate::clock::Clock::system()).await?;
    match action {
        UserAction::Add { email, name, role } => {
            let role = role.to_role()?;
            let password = read_password()?;
            anyhow::ensure!(crate::auth::password::acceptable(&password), "the password must have 10 to 256 characters");
            anyhow::ensure!(crate::routes::admin::looks_like_email(&users::normalize_email(&email)), "{email:?} is not an email address");
            let hash = crate::auth::password::hash(&password).map_err(|e| anyhow::anyhow!("{e}"))?;
            let id = users::create(&db, users::NewUser { email: &email, name: &name, password_hash: &hash, roles: &[role] })
                .await
                .map_err(|e| match e {
                    db::DbError::Duplicate => anyhow::anyhow!("an account with email {email} already exists"),
                    other => other.into(),
                })?;
            println!("created user {id} <{}>", users::normalize_email(&email));
        }
        UserAction::List => {
            for u in users::list(&db).await? {
                let roles: Vec<String> = u.roles.iter().map(|r| serde_json::to_string(r).unwrap_or_default()).collect();
                let state = if u.disabled { " (disabled)" } else { "" };
                println!("{}\t{}\t{}{}\t{}", u.id, u.email, u.name, state, roles.join(" "));
            }
        }
        UserAction::SetRole { email, role } => {
            let user = users::by_email(&db, &email).await?.ok_or_else(|| anyhow::anyhow!("no account with email {email}"))?;
            users::set_roles(&db, &user.id, &[role.to_role()?]).await?;
            println!("roles of {} replaced", user.email);
        }
        UserAction::Disable { email } => {
            let user = users::by_email(&db, &email).await?.ok_or_else(|| anyhow::anyhow!("no account with email {email}"))?;
            users::set_disabled(&db, &user.id, true).await?;
            println!("{} disabled; their sessions ended", user.email);
        }
    }
    Ok(())
}
