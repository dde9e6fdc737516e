//! `steward lti-tool add`: register an LTI 1.3 tool with Steward as its platform, as the LTI tools page does.

use super::{open, Global};
use steward_core::lti::ToolInput;
use steward_store::Actor;

#[derive(clap::Subcommand)]
pub enum LtiToolCommand {
    /// Register a tool: Steward launches it as an LTI 1.3 platform.
    Add {
        /// The product (its id) the tool is.
        #[arg(long)]
        product: i64,
        #[arg(long)]
        name: String,
        /// The OAuth client id the tool uses with Steward.
        #[arg(long)]
        client_id: String,
        /// A deployment id (repeat for several).
        #[arg(long = "deployment", required = true)]
        deployments: Vec<String>,
        /// The tool's OIDC login initiation URL.
        #[arg(long)]
        login_url: String,
        /// A redirect URI the tool may be sent back to (repeat for several); matched exactly.
        #[arg(long = "redirect-uri", required = true)]
        redirect_uris: Vec<String>,
        /// Where a launch goes when the link names no other target.
        #[arg(long)]
        target_link_uri: String,
        /// Where a deep-linking request goes, when not to the target link URI.
        #[arg(long)]
        deep_link_url: Option<String>,
        /// The tool's JWKS URL.
        #[arg(long, conflicts_with = "public_jwk_file")]
        jwks_url: Option<String>,
        /// A file holding the tool's public key as a JWK.
        #[arg(long)]
        public_jwk_file: Option<std::path::PathBuf>,
    },
}

pub async fn run(global: &Global, cmd: LtiToolCommand) -> anyhow::Result<()> {
    let LtiToolCommand::Add {
        product,
        name,
        client_id,
        deployments,
        login_url,
        redirect_uris,
        target_link_uri,
        deep_link_url,
        jwks_url,
        public_jwk_file,
    } = cmd;
    let public_jwk = match public_jwk_file {
        Some(path) => {
            std::fs::read_to_string(&path).map_err(|e| anyhow::anyhow!("--public-jwk-file {}: {e}", path.display()))?
        }
        None => String::new(),
    };
    let pairs: Vec<(String, String)> = [
        ("product_id", product.to_string()),
        ("name", name),
        ("client_id", client_id),
        ("deployment_ids", deployments.join("\n")),
        ("login_url", login_url),
        ("redirect_uris", redirect_uris.join("\n")),
        ("target_link_uri", target_link_uri),
        ("deep_link_url", deep_link_url.unwrap_or_default()),
        ("jwks_url", jwks_url.unwrap_or_default()),
        ("public_jwk", public_jwk),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let flag = |field: &str| match field {
        "product_id" => "--product".to_owned(),
        "deployment_ids" => "--deployment".to_owned(),
        "redirect_uris" => "--redirect-uri".to_owned(),
        "public_jwk" => "--public-jwk-file".to_owned(),
        f => format!("--{}", f.replace('_', "-")),
    };
    let input = ToolInput::from_pairs(&pairs).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(|e| format!("{}: {}", flag(&e.field), e.message)).collect();
        anyhow::anyhow!("the tool was not registered:\n  {}", lines.join("\n  "))
    })?;
    let settings = global.settings()?;
    let store = open(&settings).await?;
    let id = store.save_lti_tool(&Actor::system("cli"), None, &input).await.map_err(|e| match e {
        steward_store::StoreError::Invalid { field, message } => anyhow::anyhow!("{}: {message}", flag(field)),
        other => anyhow::Error::msg(other),
    })?;
    let base = settings.public_url.trim_end_matches('/');
    println!("Registered LTI tool {id}: {} ({}).", input.name, input.client_id);
    println!("Give its developer: issuer {base}, JWKS {base}/lti/jwks.");
    Ok(())
}
