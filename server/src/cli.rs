//! The `rihub-server` command line: serve, manage users, back up and restore. The user
//! commands and the backup work while a server runs on the embedded database: they ask it
//! (`crate::local_admin`).

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};
use rihub_domain::region::Region;
use rihub_domain::role::{Role, RoleKind};

use crate::clock::Clock;
use crate::config::{Config, DatabaseConfig};
use crate::db;
use crate::local_admin;
use crate::user_command::{UserCommand, run_user_command};

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
    /// Manage user accounts (also while a server runs on the embedded database).
    User {
        #[command(flatten)]
        db: DatabaseConfig,
        #[command(subcommand)]
        action: UserAction,
    },
    /// Write the whole database to a file (SurrealQL), consistent while the server runs.
    Backup {
        #[command(flatten)]
        db: DatabaseConfig,
        /// The file to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// Load a backup into a new, empty database (stop any server using it first).
    Restore {
        #[command(flatten)]
        db: DatabaseConfig,
        /// The backup to load.
        #[arg(long)]
        from: PathBuf,
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
    /// List an account's sessions.
    Sessions {
        #[arg(long)]
        email: String,
    },
    /// End every session of an account, on every server (its open sockets close).
    SignOut {
        #[arg(long)]
        email: String,
    },
}

/// A user command as it is carried out, here or by a running server (`crate::local_admin`).
impl UserAction {
    /// The command, with the role checked and the password read.
    fn command(self) -> anyhow::Result<UserCommand> {
        Ok(match self {
            UserAction::Add { email, name, role } => UserCommand::Add { email, name, role: role.to_role()?, password: read_password()? },
            UserAction::List => UserCommand::List,
            UserAction::SetRole { email, role } => UserCommand::SetRole { email, role: role.to_role()? },
            UserAction::Disable { email } => UserCommand::Disable { email },
            UserAction::Sessions { email } => UserCommand::Sessions { email },
            UserAction::SignOut { email } => UserCommand::SignOut { email },
        })
    }
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

/// Whether opening the database failed because another process (a running server) holds it.
fn is_locked(e: &db::DbError) -> bool {
    e.to_string().contains("already locked")
}

pub async fn run_user(database: DatabaseConfig, action: UserAction) -> anyhow::Result<()> {
    let command = action.command()?;
    let output = match database.open(Clock::system()).await {
        Ok(db) => run_user_command(&db, command).await?,
        Err(e) if is_locked(&e) => local_admin::ask_user_command(database.embedded_path().unwrap_or(Path::new("")), &command).await?,
        Err(e) => return Err(e.into()),
    };
    print!("{output}");
    Ok(())
}

/// `rihub-server backup`: the export of the database, by the running server if it holds the
/// embedded database, written to `out` only once complete.
pub async fn backup(database: DatabaseConfig, out: PathBuf) -> anyhow::Result<()> {
    ensure_embedded(&database, "export")?;
    let partial = out.with_extension("partial");
    let file = local_admin::create_private(&partial)?;
    match database.connect(Clock::system()).await {
        Ok(db) => db.export_to(&partial).await?,
        Err(e) if is_locked(&e) => local_admin::ask_backup(database.embedded_path().unwrap_or(Path::new("")), file).await?,
        Err(e) => return Err(e.into()),
    }
    std::fs::rename(&partial, &out)?;
    println!("backup written to {}", out.display());
    Ok(())
}

/// `rihub-server restore`: a backup loaded into an empty database, then brought up to this
/// server's schema.
pub async fn restore(database: DatabaseConfig, from: PathBuf) -> anyhow::Result<()> {
    ensure_embedded(&database, "import")?;
    anyhow::ensure!(from.is_file(), "no backup at {}", from.display());
    let db = match database.connect(Clock::system()).await {
        Err(e) if is_locked(&e) => {
            anyhow::bail!("a server is running on {}: stop it, or restore into a new database and point the server at it", database.url)
        }
        other => other?,
    };
    let tables = db.tables().await?;
    anyhow::ensure!(tables.is_empty(), "{} is not empty ({} tables): restore into a new database", database.url, tables.len());
    db.import_from(&from).await?;
    let applied = crate::db::migrate::migrate(&db).await?;
    println!(
        "restored {} into {} (schema version {}{})",
        from.display(),
        database.url,
        crate::db::migrate::latest_version(),
        if applied.is_empty() { String::new() } else { format!(", migrated by {applied:?}") }
    );
    Ok(())
}

/// SurrealDB's export and import work on the embedded engines; a SurrealDB server is exported
/// and imported with its own tool.
fn ensure_embedded(database: &DatabaseConfig, verb: &str) -> anyhow::Result<()> {
    anyhow::ensure!(
        !database.url.starts_with("ws://") && !database.url.starts_with("wss://"),
        "a SurrealDB server is backed up with its own tool: rihub-dbserver {verb} --endpoint http://HOST:PORT --user USER --pass PASS --namespace rihub --database main FILE"
    );
    Ok(())
}
