//! Typed settings in layers: defaults, an optional TOML file, then `STEWARD_*` environment variables.

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::Path;

/// A secret that never appears in `Debug` output or logs.
#[derive(Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() { "\"\"" } else { "\"[redacted]\"" })
    }
}

#[derive(Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// `sqlite:PATH` or `postgres://user@host/db`.
    pub database_url: String,
    /// Address and port to listen on.
    pub bind: SocketAddr,
    /// The address people use to reach Steward; an https address makes cookies Secure.
    pub public_url: String,
    /// Signs session cookies. Empty: a key generated once and kept in the database, shared by all servers.
    pub secret_key: Secret,
    /// How long a session lasts without signing in again.
    pub session_hours: u32,
    /// Failed sign-ins allowed per account in `throttle_minutes` before further attempts are refused.
    pub max_failed_sign_ins: u32,
    /// Failed sign-ins allowed from one client address in `throttle_minutes`, whatever accounts they try.
    pub max_failed_sign_ins_per_address: u32,
    pub throttle_minutes: u32,
    /// Proxies (such as a load balancer) whose `X-Forwarded-For` header is believed for the client's address.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Log filter, such as `info` or `steward_server=debug`.
    pub log: String,
    /// The largest upload accepted (a OneRoster package), in megabytes.
    pub max_upload_mb: u32,
    /// Whether OneRoster imports reject every deviation from the specification by default, rather than accepting
    /// the common, unambiguous ones as warnings. Each import can still choose.
    pub oneroster_strict: bool,
    /// How many days raw usage events are kept (rollups are kept for good). Events older than this are refused:
    /// they could not be told from events already counted and pruned.
    pub usage_retention_days: u32,
    /// The SMTP relay notifications are e-mailed through, as `smtp://host:port`; empty sends no e-mail (the in-app
    /// inbox still gets every notification).
    pub smtp_url: String,
    /// The sender of notification e-mails, such as `Steward <steward@district.example>`.
    pub mail_from: String,
    /// OpenID Connect providers people may sign in with.
    #[serde(default)]
    pub oidc: Vec<OidcProvider>,
}

/// An OpenID Connect provider, such as the district's Google Workspace or Microsoft Entra ID.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OidcProvider {
    /// A short name used in addresses: `/sign-in/oidc/NAME`.
    pub name: String,
    /// What the sign-in button says: "Sign in with LABEL".
    pub label: String,
    /// The issuer URL; its `/.well-known/openid-configuration` is read.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Secret,
    /// The id_token claim that names the account: `email` (matched to an account's e-mail), or another claim whose
    /// value is a OneRoster sourcedId (matched through the roster's e-mail to the account).
    pub claim: String,
}

/// Secrets stay out of logs: the key is hidden, and so is any password in the database URL.
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("database_url", &steward_store::redact_url(&self.database_url))
            .field("bind", &self.bind)
            .field("public_url", &self.public_url)
            .field("secret_key", &self.secret_key)
            .field("session_hours", &self.session_hours)
            .field("max_failed_sign_ins", &self.max_failed_sign_ins)
            .field("max_failed_sign_ins_per_address", &self.max_failed_sign_ins_per_address)
            .field("throttle_minutes", &self.throttle_minutes)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("log", &self.log)
            .field("max_upload_mb", &self.max_upload_mb)
            .field("oneroster_strict", &self.oneroster_strict)
            .field("usage_retention_days", &self.usage_retention_days)
            .field("smtp_url", &steward_store::redact_url(&self.smtp_url))
            .field("mail_from", &self.mail_from)
            .field("oidc", &self.oidc)
            .finish()
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            database_url: "sqlite:steward.db".into(),
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: "http://127.0.0.1:8080".into(),
            secret_key: Secret::default(),
            session_hours: 12,
            max_failed_sign_ins: 5,
            max_failed_sign_ins_per_address: 30,
            throttle_minutes: 15,
            trusted_proxies: Vec::new(),
            log: "info".into(),
            max_upload_mb: 1024,
            oneroster_strict: false,
            usage_retention_days: 400,
            smtp_url: String::new(),
            mail_from: "Steward <steward@localhost>".into(),
            oidc: Vec::new(),
        }
    }
}

impl Settings {
    /// Loads the layers; a bad value stops here with a message naming the setting.
    pub fn load(file: Option<&Path>) -> Result<Self, String> {
        let mut fig = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(path) = file {
            if !path.exists() {
                return Err(format!("configuration file {} does not exist", path.display()));
            }
            fig = fig.merge(Toml::file(path));
        }
        let s: Settings = fig.merge(Env::prefixed("STEWARD_")).extract().map_err(|e| {
            let key = e.path.join(".");
            let origin = e.metadata.as_ref().map(|m| m.name.to_string()).unwrap_or_default();
            format!(
                "invalid setting `{key}`{}: {}",
                if origin.is_empty() { String::new() } else { format!(" (from {origin})") },
                e.kind
            )
        })?;
        s.check()?;
        Ok(s)
    }

    fn check(&self) -> Result<(), String> {
        url::Url::parse(&self.public_url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| format!("invalid setting `public_url`: '{}' is not an http(s) URL", self.public_url))?;
        if !self.secret_key.0.is_empty() && self.secret_key.0.len() < 32 {
            return Err("invalid setting `secret_key`: must be at least 32 characters".into());
        }
        if self.session_hours == 0 || self.session_hours > 24 * 30 {
            return Err("invalid setting `session_hours`: must be between 1 and 720".into());
        }
        if self.max_failed_sign_ins == 0 || self.max_failed_sign_ins_per_address == 0 || self.throttle_minutes == 0 {
            return Err(
                "invalid setting: `max_failed_sign_ins`, `max_failed_sign_ins_per_address` and `throttle_minutes` \
                        must be at least 1"
                    .into(),
            );
        }
        if !(1..=3650).contains(&self.usage_retention_days) {
            return Err("invalid setting `usage_retention_days`: must be between 1 and 3650".into());
        }
        if !self.smtp_url.is_empty() {
            crate::mail::relay(&self.smtp_url).map_err(|m| format!("invalid setting `smtp_url`: {m}"))?;
        }
        self.mail_from.parse::<lettre::message::Mailbox>().map_err(|_| {
            format!(
                "invalid setting `mail_from`: '{}' is not an address such as Steward <steward@district.example>",
                self.mail_from
            )
        })?;
        for (i, p) in self.oidc.iter().enumerate() {
            let at = format!("invalid setting `oidc[{i}]`");
            if p.name.is_empty() || !p.name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                return Err(format!("{at}.name: '{}' must be letters, digits and hyphens", p.name));
            }
            if self.oidc.iter().filter(|q| q.name == p.name).count() > 1 {
                return Err(format!("{at}.name: '{}' is used twice", p.name));
            }
            url::Url::parse(&p.issuer)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .ok_or_else(|| format!("{at}.issuer: '{}' is not an http(s) URL", p.issuer))?;
            if p.client_id.is_empty() || p.claim.is_empty() {
                return Err(format!("{at}: client_id and claim are required"));
            }
        }
        if self.max_upload_mb == 0 {
            return Err("invalid setting `max_upload_mb`: must be at least 1".into());
        }
        Ok(())
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// A commented example configuration with every setting at its default.
    pub fn example() -> String {
        let d = Settings::default();
        format!(
            "# Steward configuration. Every value here is the default; each can also be set with an\n\
             # environment variable STEWARD_<NAME>, such as STEWARD_DATABASE_URL, which wins over this file.\n\n\
             # sqlite:PATH (one file, created if missing) or postgres://user:password@host:5432/database\n\
             database_url = \"{}\"\n\n\
             # Address and port to listen on.\n\
             bind = \"{}\"\n\n\
             # The address people use to reach Steward. An https:// address makes session cookies Secure.\n\
             public_url = \"{}\"\n\n\
             # Signs session cookies; at least 32 characters. Leave empty to use a key generated once and kept\n\
             # in the database, which every server sharing that database then uses.\n\
             secret_key = \"\"\n\n\
             # Hours a session lasts before signing in again.\n\
             session_hours = {}\n\n\
             # Failed sign-ins allowed per account, and per client address whatever accounts it tries, within\n\
             # throttle_minutes before further tries are refused.\n\
             max_failed_sign_ins = {}\n\
             max_failed_sign_ins_per_address = {}\n\
             throttle_minutes = {}\n\n\
             # Proxies whose X-Forwarded-For header gives the client's address, such as [\"10.0.0.5\"]. Empty: the\n\
             # connecting address is the client's.\n\
             trusted_proxies = []\n\n\
             # Log filter: error, warn, info, debug, or per module such as \"steward_server=debug\".\n\
             log = \"{}\"\n\n\
             # The largest upload accepted, such as a OneRoster package, in megabytes.\n\
             max_upload_mb = {}\n\n\
             # OneRoster imports: true rejects every deviation from the specification; false (the default) accepts\n\
             # the common, unambiguous ones (wrong case, a date for a datetime, status filled in a bulk file, …) as\n\
             # warnings. Each import can still choose.\n\
             oneroster_strict = {}\n\n\
             # Days raw usage events are kept; the rollups of active users, minutes and launches are kept for good.\n\
             # Events older than this are refused, since they could not be told from events already counted.\n\
             usage_retention_days = {}\n\n\
             # The SMTP relay notification e-mails go through, as smtp://host:port (no TLS or authentication: a\n\
             # relay on the district's network). Empty sends no e-mail; the in-app inbox gets every notification.\n\
             smtp_url = \"{}\"\n\n\
             # The sender of notification e-mails.\n\
             mail_from = \"{}\"\n\n\
             # OpenID Connect providers people may sign in with, each as its own [[oidc]] table:\n\
             # [[oidc]]\n\
             # name = \"google\"                    # in addresses: /sign-in/oidc/google\n\
             # label = \"Google\"                   # the button says: Sign in with Google\n\
             # issuer = \"https://accounts.google.com\"\n\
             # client_id = \"…\"\n\
             # client_secret = \"…\"\n\
             # claim = \"email\"                    # or a claim holding the person's OneRoster sourcedId\n\
             # Register PUBLIC_URL/sign-in/oidc/NAME/callback as the client's redirect URI.\n",
            d.database_url,
            d.bind,
            d.public_url,
            d.session_hours,
            d.max_failed_sign_ins,
            d.max_failed_sign_ins_per_address,
            d.throttle_minutes,
            d.log,
            d.max_upload_mb,
            d.oneroster_strict,
            d.usage_retention_days,
            d.smtp_url,
            d.mail_from
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_parses_to_the_defaults() {
        let parsed: Settings = Figment::from(Toml::string(&Settings::example())).extract().unwrap();
        assert_eq!(parsed, Settings::default());
    }

    #[test]
    fn secrets_are_redacted() {
        let s = Settings {
            secret_key: Secret("x".repeat(40)),
            database_url: "postgres://app:hunter2@db/steward".into(),
            ..Default::default()
        };
        let shown = format!("{s:?}");
        assert!(!shown.contains("xxxx") && !shown.contains("hunter2"), "{shown}");
    }

    #[test]
    fn bad_values_name_the_setting() {
        let dir = std::env::temp_dir().join(format!("steward-settings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("bad.toml");
        std::fs::write(&f, "bind = \"not an address\"\n").unwrap();
        let e = Settings::load(Some(&f)).unwrap_err();
        assert!(e.contains("`bind`"), "{e}");
        std::fs::write(&f, "colour = \"blue\"\n").unwrap();
        assert!(Settings::load(Some(&f)).unwrap_err().contains("colour"));
        std::fs::write(&f, "public_url = \"ftp://x\"\n").unwrap();
        assert!(Settings::load(Some(&f)).unwrap_err().contains("public_url"));
        assert!(Settings::load(Some(&dir.join("missing.toml"))).unwrap_err().contains("does not exist"));
        std::fs::write(&f, "smtp_url = \"https://mail.example\"\n").unwrap();
        assert!(Settings::load(Some(&f)).unwrap_err().contains("`smtp_url`"));
        std::fs::write(&f, "mail_from = \"not an address\"\n").unwrap();
        assert!(Settings::load(Some(&f)).unwrap_err().contains("`mail_from`"));
    }
}
