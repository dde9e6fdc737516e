//! `steward demo`: a realistic demo district in a SQLite file, served at once.

use super::{init_logging, open, Global};
use std::net::SocketAddr;
use steward_core::enums::Vocabulary;

/// Every demo account signs in with this password; the demo is for trying Steward, not for real data.
pub const DEMO_PASSWORD: &str = "steward-demo-2026";

#[derive(clap::Args)]
pub struct Args {
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    /// Delete the demo database first and build it anew.
    #[arg(long)]
    fresh: bool,
    /// Build the demo database and stop, without serving it.
    #[arg(long)]
    build_only: bool,
}

pub async fn run(global: &Global, args: Args) -> anyhow::Result<()> {
    let mut settings = global.settings()?;
    if global.database_url.is_none() && std::env::var("STEWARD_DATABASE_URL").is_err() {
        settings.database_url = "sqlite:steward-demo.db".into();
    }
    if args.fresh {
        if let Some(path) = settings.database_url.strip_prefix("sqlite:") {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{path}{suffix}"));
            }
        }
    }
    settings.bind = args.bind;
    settings.public_url = format!("http://{}", args.bind);
    init_logging(&settings.log);
    let store = open(&settings).await?;
    let accounts = if store.is_empty().await.map_err(anyhow::Error::msg)? {
        println!("Building the demo district…");
        let hash = steward_server::auth::password::hash(DEMO_PASSWORD).map_err(anyhow::Error::msg)?;
        crate::seed::demo::seed_demo(&store, chrono::Local::now().date_naive(), &hash, true).await?
    } else {
        existing_accounts(&store).await?
    };
    if args.build_only {
        println!("The demo district is in {}.", steward_store::redact_url(&settings.database_url));
        return Ok(());
    }
    let mut banner =
        format!("\nSteward demo: http://{}\n\nSign in with any of these (password: {DEMO_PASSWORD}):\n", args.bind);
    for a in &accounts {
        let at = a.school.as_deref().map(|s| format!(" at {s}")).unwrap_or_default();
        banner.push_str(&format!("  {:<34} {}{}\n", a.email, a.role.label(), at));
    }
    banner.push_str(&format!(
        "\nData is kept in {}. Stop with Ctrl-C.\n",
        steward_store::redact_url(&settings.database_url)
    ));
    super::serve::serve(store, settings, Some(banner)).await
}

/// The demo's accounts, when the database was built by an earlier run.
async fn existing_accounts(store: &steward_store::Store) -> anyhow::Result<Vec<crate::seed::demo::DemoAccount>> {
    let schools = store.schools().await.map_err(anyhow::Error::msg)?;
    let users = store.users().await.map_err(anyhow::Error::msg)?;
    Ok(steward_core::role::Role::ALL
        .iter()
        .filter_map(|(role, _, _)| users.iter().find(|u| u.role == *role))
        .map(|u| crate::seed::demo::DemoAccount {
            role: u.role,
            email: u.email.clone(),
            school: u.school_id.and_then(|id| schools.iter().find(|s| s.id == id)).map(|s| s.org.name.clone()),
        })
        .collect())
}
