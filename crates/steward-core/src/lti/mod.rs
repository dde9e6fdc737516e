//! An LTI 1.3 tool as the district registers it with Steward, the platform: its client id and deployments, where
//! its OIDC login starts, the redirect URIs it may be sent back to (matched exactly), its default target, and its
//! keys (a JWKS URL or one public key).

pub mod ags;
pub mod claims;

use crate::fields::{optional_text, optional_url, required_text, FieldErrors, Pairs};
use crate::product::parse_id;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolInput {
    pub product_id: i64,
    pub name: String,
    pub client_id: String,
    pub deployment_ids: Vec<String>,
    /// The tool's OIDC login initiation URL: third-party-initiated login starts there.
    pub login_url: String,
    /// Every URI the authentication response may be posted to; a request naming another is refused.
    pub redirect_uris: Vec<String>,
    /// Where a resource-link launch goes when the link names no other target.
    pub target_link_uri: String,
    /// Where a deep-linking request goes, when not to the target link URI.
    #[serde(default)]
    pub deep_link_url: Option<String>,
    pub jwks_url: Option<String>,
    /// One public key as a JWK (JSON), when the tool has no JWKS URL.
    pub public_jwk: Option<String>,
}

/// One value per line (or comma), blank ones dropped, each trimmed.
fn lines(v: &str) -> Vec<String> {
    v.split(['\n', ',']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

fn required_url(v: &str) -> Result<String, String> {
    optional_url(v)?.ok_or_else(|| "is required".to_owned())
}

impl ToolInput {
    /// The registration form: `product_id`, `name`, `client_id`, `deployment_ids` and `redirect_uris` (one per
    /// line), `login_url`, `target_link_uri`, `deep_link_url`, `jwks_url`, `public_jwk`.
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<Self, FieldErrors> {
        let p = Pairs(pairs);
        let mut e = FieldErrors::new();
        let product_id = e.check("product_id", parse_id(&p.one("product_id"), "product"));
        let name = e.check("name", required_text(&p.one("name"), 200));
        let client_id = e.check("client_id", required_text(&p.one("client_id"), 255));
        let deployment_ids = lines(&p.one("deployment_ids"));
        if deployment_ids.is_empty() {
            e.add("deployment_ids", "give at least one deployment id");
        } else if let Some(d) = deployment_ids.iter().find(|d| d.len() > 255) {
            e.add("deployment_ids", format!("'{}…' is longer than 255 characters", &d[..20]));
        }
        let login_url = e.check("login_url", required_url(&p.one("login_url")));
        let mut redirect_uris = Vec::new();
        for uri in lines(&p.one("redirect_uris")) {
            match required_url(&uri) {
                Ok(u) if !redirect_uris.contains(&u) => redirect_uris.push(u),
                Ok(_) => e.add("redirect_uris", format!("'{uri}' is listed twice")),
                Err(m) => e.add("redirect_uris", m),
            }
        }
        if redirect_uris.is_empty() && e.get("redirect_uris").is_none() {
            e.add("redirect_uris", "give at least one redirect URI");
        }
        let target_link_uri = e.check("target_link_uri", required_url(&p.one("target_link_uri")));
        let deep_link_url = e.check("deep_link_url", optional_url(&p.one("deep_link_url"))).flatten();
        let jwks_url = e.check("jwks_url", optional_url(&p.one("jwks_url"))).flatten();
        let public_jwk = e.check("public_jwk", optional_text(&p.one("public_jwk"), 8000)).flatten();
        if let Some(jwk) = &public_jwk {
            match serde_json::from_str::<serde_json::Value>(jwk) {
                Ok(v) if v["kty"] == "RSA" && v["n"].is_string() && v["e"].is_string() => {}
                Ok(_) => e.add("public_jwk", "an RSA public key as a JWK has kty \"RSA\", n and e"),
                Err(err) => e.add("public_jwk", format!("not JSON: {err}")),
            }
        }
        match (&jwks_url, &public_jwk) {
            (None, None) => e.add("jwks_url", "give the tool's JWKS URL, or its public key"),
            (Some(_), Some(_)) => e.add("public_jwk", "give a JWKS URL or a public key, not both"),
            _ => {}
        }
        e.into_result(())?;
        Ok(ToolInput {
            product_id: product_id.expect("checked"),
            name: name.expect("checked"),
            client_id: client_id.expect("checked"),
            deployment_ids,
            login_url: login_url.expect("checked"),
            redirect_uris,
            target_link_uri: target_link_uri.expect("checked"),
            deep_link_url,
            jwks_url,
            public_jwk,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(k: &str, v: &str) -> (String, String) {
        (k.to_owned(), v.to_owned())
    }

    #[test]
    fn a_tool_is_registered_with_its_uris_deployments_and_keys() {
        let t = ToolInput::from_pairs(&[
            p("product_id", "4"),
            p("name", "Kelp Lab"),
            p("client_id", "kelp-123"),
            p("deployment_ids", "d1\nd2"),
            p("login_url", "https://kelp.example/lti/login"),
            p("redirect_uris", "https://kelp.example/lti/launch\nhttps://kelp.example/lti/deep"),
            p("target_link_uri", "https://kelp.example/lti/launch"),
            p("deep_link_url", "https://kelp.example/lti/deep"),
            p("jwks_url", "https://kelp.example/.well-known/jwks.json"),
        ])
        .unwrap();
        assert_eq!(t.deep_link_url.as_deref(), Some("https://kelp.example/lti/deep"));
        assert_eq!(t.deployment_ids, vec!["d1", "d2"]);
        assert_eq!(t.redirect_uris.len(), 2);
    }

    #[test]
    fn every_mistake_is_named() {
        let e = ToolInput::from_pairs(&[
            p("redirect_uris", "https://a.example/x\nhttps://a.example/x"),
            p("login_url", "ftp://x"),
            p("deep_link_url", "not a url"),
            p("public_jwk", "{\"kty\":\"EC\"}"),
        ])
        .unwrap_err();
        for f in [
            "product_id",
            "name",
            "client_id",
            "deployment_ids",
            "login_url",
            "redirect_uris",
            "target_link_uri",
            "deep_link_url",
            "public_jwk",
        ] {
            assert!(e.get(f).is_some(), "{f}: {e}");
        }
        let e = ToolInput::from_pairs(&[p("deployment_ids", "d")]).unwrap_err();
        assert!(e.get("jwks_url").unwrap().contains("JWKS URL, or its public key"));
    }
}
