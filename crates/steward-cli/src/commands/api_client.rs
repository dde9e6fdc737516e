//! `steward api-client add`: register a OneRoster API client for a product; prints its id and secret once.

use super::{open, Global};
use anyhow::bail;
use steward_interop::oneroster::rest::{all_scopes, parse_scope};
use steward_store::{Actor, NewApiClient};

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
    let scopes = if scopes.is_empty() { all_scopes() } else { scopes };
    if let Some(bad) = scopes.iter().find(|s| parse_scope(s).is_none()) {
        bail!("--scope: '{bad}' is not a read-only OneRoster scope; known scopes:\n  {}", all_scopes().join("\n  "));
    }
    if name.trim().is_empty() {
        bail!("--name: give the client a name");
    }
    let settings = global.settings()?;
    let store = open(&settings).await?;
    let client_id = steward_server::auth::random_token();
    let secret = steward_server::auth::random_token();
    let secret_hash = steward_server::auth::password::hash(&secret).map_err(anyhow::Error::msg)?;
    let new = NewApiClient {
        product_id: product,
        name: name.trim(),
        client_id: &client_id,
        secret_hash: &secret_hash,
        scopes: &scopes,
    };
    store.create_api_client(&Actor::system("cli"), &new).await.map_err(anyhow::Error::msg)?;
    println!("Created OneRoster API client '{}' for product {product}.", name.trim());
    println!("Token endpoint: {}/oauth/token", settings.public_url.trim_end_matches('/'));
    println!("Client id: {client_id}");
    println!("Client secret (shown once): {secret}");
    println!("Scopes: {}", scopes.join(" "));
    Ok(())
}
