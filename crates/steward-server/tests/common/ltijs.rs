//! An LTI 1.3 tool built with ltijs (npm), started with Steward as its platform: `tests/peers/ltijs-tool.cjs`.

use serde_json::Value;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tokio::io::AsyncBufReadExt;

/// The client id the tool is registered under.
pub const CLIENT: &str = "ltijs-tool";

/// The running tool, stopped (and its database dropped) when dropped.
pub struct Ltijs {
    child: Child,
    pub login: String,
    pub launch: String,
    pub keys: String,
}

impl Ltijs {
    /// Starts the tool with `platform` (Steward's issuer) as its platform; `None` when ltijs is not installed and
    /// this is not CI.
    pub async fn start(platform: &str) -> Option<Ltijs> {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/peers/ltijs-tool.cjs");
        let module = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/peers/node_modules/ltijs");
        if !Path::new(module).exists() {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("{module} is required under CI=true (npm ci --prefix crates/steward-server/tests/peers)");
            }
            eprintln!("skipping the ltijs test: ltijs is not installed");
            return None;
        }
        let db = format!("ltijs_{}_{}", std::process::id(), rand::random::<u32>());
        let mut child = Command::new("node")
            .arg(script)
            .env("PLATFORM_URL", platform)
            .env("CLIENT_ID", CLIENT)
            .env("LTIJS_DB", db)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node runs");
        let stdout = tokio::process::ChildStdout::from_std(child.stdout.take().unwrap()).unwrap();
        let mut line = String::new();
        let mut reader = tokio::io::BufReader::new(stdout);
        let read = reader.read_line(&mut line);
        tokio::time::timeout(Duration::from_secs(60), read).await.expect("ltijs started within 60 s").unwrap();
        let ready: Value = serde_json::from_str(&line).unwrap_or_else(|_| panic!("ltijs did not start: {line:?}"));
        let s = |k: &str| ready[k].as_str().unwrap().to_owned();
        Some(Ltijs { login: s("login"), launch: s("launch"), keys: s("keys"), child })
    }
}

impl Ltijs {
    /// Registers the tool with Steward for `product`, as an administrator would.
    pub async fn register(&self, store: &steward_store::Store, product: i64) {
        let input = steward_core::lti::ToolInput {
            product_id: product,
            name: "Fractions (ltijs)".into(),
            client_id: CLIENT.into(),
            deployment_ids: vec!["dep-ltijs".into()],
            login_url: self.login.clone(),
            redirect_uris: vec![self.launch.clone()],
            target_link_uri: self.launch.clone(),
            deep_link_url: None,
            jwks_url: Some(self.keys.clone()),
            public_jwk: None,
        };
        store.save_lti_tool(&super::seed_actor(), None, &input).await.unwrap();
    }
}

impl Drop for Ltijs {
    fn drop(&mut self) {
        // SIGTERM lets the tool drop its database; it is killed if it has not stopped in 10 s.
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        for _ in 0..100 {
            if self.child.try_wait().is_ok_and(|s| s.is_some()) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
