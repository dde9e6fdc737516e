//! `steward api-client add`: register a OneRoster API client for a product; prints its id and secret once.

use super::{open, Global};
use steward_interop::oneroster::rest::all_scopes;
use steward_server::oneroster::clients;
use steward_store::Actor;

#[derive(clap::Subcommand)]
pub enum ApiClientCommand {
    /// Register a client of the OneRoster REST provider. Its secret is printed once and kept only as a hash.
    Add {
        /// The product (its id) whose vendor the client is for: the client sees what that product may.
        #[arg(long)]
        product: i64,
        /// A name to know the client by.
        #[arg(long)]
        name: String,
        /// A scope it may be granted (repeat for several); by default every read-only 1.2 and 1.1 scope.
        #[arg(long = "scope", value_name = "SCOPE")]
        scopes: Vec<String>,
    },
}

pub async fn run(global: &Global, cmd: ApiClientCommand) -> anyhow::Result<()> {
    let ApiClientCommand::Add { product, name, scopes } = cmd;
    let settings = global.settings()?;
    let store = open(&settings).await?;
    let r = clients::register(&store, &Actor::system("cli"), product, &name, scopes).await.map_err(|e| match e {
        clients::RegisterError::Invalid { field: "scopes", message } => {
            anyhow::anyhow!("--scope: {message}; known scopes:\n  {}", all_scopes().join("\n  "))
        }
        clients::RegisterError::Invalid { field, message } => {
            anyhow::anyhow!("--{}: {message}", if field == "product_id" { "product" } else { field })
        }
        clients::RegisterError::Store(e) => anyhow::Error::msg(e),
    })?;
    println!("Created OneRoster API client '{}' for product {product}.", name.trim());
    println!("Token endpoint: {}/oauth/token", settings.public_url.trim_end_matches('/'));
    println!("Client id: {}", r.client_id);
    println!("Client secret (shown once): {}", r.secret);
    println!("Scopes: {}", r.scopes.join(" "));
    Ok(())
}
