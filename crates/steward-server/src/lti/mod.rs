//! Steward as an LTI 1.3 platform: its signing keys (made, rotated, published as a JWKS), the tools registered
//! with it, the launch (third-party-initiated login, the checked authentication request, the signed id_token),
//! deep linking, and the Advantage services (token endpoint, Names and Roles, Assignment and Grade Services).

pub mod ags;
pub mod deep_linking;
pub mod jwt;
pub mod keys;
pub mod login;
pub mod nrps;
pub mod token;
pub mod tool_keys;
pub mod tools;

/// The platform's URLs, from the public URL Steward is reached at.
pub struct Urls {
    base: String,
}

impl Urls {
    pub fn new(public_url: &str) -> Self {
        Self { base: public_url.trim_end_matches('/').to_owned() }
    }

    /// The issuer: Steward's public URL.
    pub fn issuer(&self) -> &str {
        &self.base
    }

    pub fn token(&self) -> String {
        format!("{}/lti/token", self.base)
    }

    pub fn deep_link_return(&self) -> String {
        format!("{}/lti/deep-linking/return", self.base)
    }

    pub fn launchpad(&self) -> String {
        format!("{}/launchpad", self.base)
    }

    /// A class's service URL: `/lti/contexts/{class}/…`, the class's sourcedId escaped as a path segment.
    pub fn context(&self, class: &str, rest: &[&str]) -> String {
        let mut url = url::Url::parse(&format!("{}/", self.base)).expect("the public URL is a URL");
        url.path_segments_mut().expect("an http URL").pop_if_empty().extend(["lti", "contexts", class]).extend(rest);
        url.to_string()
    }
}
