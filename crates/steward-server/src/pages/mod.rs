//! Server-rendered pages: one module per resource, one template struct per page.

pub mod account;
pub mod admin;
pub mod assets;
pub mod audit;
pub mod catalog;
pub mod contracts;
pub mod dashboard;
pub mod export;
pub(crate) mod extract;
pub mod groups;
pub mod imports;
pub mod inbox;
pub mod infra;
pub mod launchpad;
pub mod policy;
pub mod privacy;
pub mod products;
pub mod public;
pub mod renewal;
pub mod request;
pub mod requests;
pub mod roi;
pub mod roster;
pub mod usage;
pub mod utilization;
pub mod vendor_data;
pub mod vendor_usage;
pub mod vendors;
pub mod waste;

use crate::auth::Viewer;
use crate::error::AppError;
use askama::Template;
use axum::response::Html;
use steward_core::access::Action;
use steward_core::enums::Vocabulary;
use steward_core::FieldErrors;

/// One link in the navigation.
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// What the layout around every signed-in page needs.
pub struct Chrome {
    pub user_name: String,
    pub role_label: &'static str,
    pub csrf_token: String,
    pub nav: Vec<NavItem>,
    pub notice: Option<&'static str>,
}

impl Chrome {
    /// The layout for `viewer`, with the navigation their role allows; `section` marks the current item.
    pub fn new(viewer: &Viewer, section: &str) -> Self {
        let may_contracts = viewer.user.access().contract_scope().is_some();
        let items: [(&'static str, &'static str, bool); 17] = [
            ("/", "Dashboard", viewer.may(Action::ViewDashboard)),
            ("/launchpad", "Launchpad", true),
            ("/catalog", "Catalog", true),
            ("/products", "Inventory", viewer.may(Action::ReadInventory)),
            ("/contracts", "Contracts", may_contracts),
            ("/renewals", "Renewals", may_contracts),
            ("/spend", "Spend", may_contracts),
            ("/requests", "Requests", viewer.may(Action::RequestProducts)),
            ("/usage", "Usage", viewer.may(Action::ReadUsage)),
            ("/vendors", "Vendors", viewer.may(Action::ReadInventory)),
            ("/categories", "Categories", viewer.may(Action::ReadInventory)),
            ("/organizations", "Organizations", viewer.may(Action::ReadOrganizations)),
            ("/roster", "Roster", viewer.user.access().roster_scope().is_some()),
            ("/users", "People", viewer.may(Action::ManageUsers)),
            ("/audit", "Audit log", viewer.may(Action::ReadAudit)),
            ("/account/tokens", "API tokens", viewer.may(Action::ManageOwnTokens)),
            ("/inbox", "Inbox", true),
        ];
        Chrome {
            user_name: viewer.user.name.clone(),
            role_label: viewer.user.role.label(),
            csrf_token: viewer.csrf_token.clone(),
            nav: items
                .into_iter()
                .filter(|(_, _, allowed)| *allowed)
                .map(|(href, label, _)| NavItem { href, label, current: href == section })
                .collect(),
            notice: None,
        }
    }

    /// Shows a confirmation named by a fixed code from the query string (never echoing its text).
    pub fn with_notice(mut self, code: Option<&str>) -> Self {
        self.notice = code.and_then(|c| match c {
            "created" => Some("Saved. The change is recorded in the audit log."),
            "updated" => Some("Changes saved. They are recorded in the audit log."),
            "deleted" => Some("Deleted. The deletion is recorded in the audit log."),
            "owner_added" => Some("Owner added."),
            "owner_removed" => Some("Owner removed."),
            "revoked" => Some("Token revoked. It no longer works."),
            "password_changed" => Some("Password changed. Your other sessions have been signed out."),
            _ => None,
        });
        self
    }
}

/// A page's query string when all it reads is the confirmation to show.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct NoticeQuery {
    pub notice: Option<String>,
}

/// A choice in a select or a set of checkboxes.
pub struct Opt {
    pub value: String,
    pub label: String,
}

pub fn options<V: Vocabulary>() -> Vec<Opt> {
    V::ALL.iter().map(|(_, code, label)| Opt { value: (*code).into(), label: (*label).into() }).collect()
}

pub fn render(page: impl Template) -> Result<Html<String>, AppError> {
    Ok(Html(page.render()?))
}

/// The form's errors for a field, for templates.
pub fn err<'a>(errors: &'a FieldErrors, field: &str) -> Option<&'a str> {
    errors.get(field)
}

/// Whether a list of submitted codes holds `code`, for checkboxes.
pub fn has(list: &[String], code: &str) -> bool {
    list.iter().any(|c| c == code)
}

/// A query-string number that may be absent or blank.
pub fn opt_id(s: &Option<String>) -> Option<i64> {
    s.as_deref().and_then(|v| v.trim().parse().ok()).filter(|n: &i64| *n > 0)
}

/// What became of a submitted form: the address to go to after the write, or the form again with its errors.
pub enum Outcome {
    Saved(String),
    Invalid(FieldErrors),
}

/// Runs `write` on a validated draft. Field problems, from validation or from the store (a duplicate name, a
/// reference to nothing), come back as [`Outcome::Invalid`]; any other failure is an error.
pub async fn submit<T, Fut>(
    validated: Result<T, FieldErrors>,
    write: impl FnOnce(T) -> Fut,
) -> Result<Outcome, AppError>
where
    Fut: std::future::Future<Output = Result<String, steward_store::StoreError>>,
{
    let input = match validated {
        Ok(v) => v,
        Err(e) => return Ok(Outcome::Invalid(e)),
    };
    match write(input).await {
        Ok(to) => Ok(Outcome::Saved(to)),
        Err(e) => form_errors(e.into()).map(Outcome::Invalid),
    }
}

/// The notice shown after saving a record that is new (`id` is `None`) or edited.
pub fn saved(id: Option<i64>) -> &'static str {
    if id.is_some() {
        "updated"
    } else {
        "created"
    }
}

/// Turns store field errors into form errors; passes other failures on.
pub fn form_errors(e: AppError) -> Result<FieldErrors, AppError> {
    match e {
        AppError::Invalid(f) => Ok(f),
        other => Err(other),
    }
}

/// A multipart form's text fields and its one file (`file_field`: name and bytes), after checking its CSRF token.
pub async fn multipart_form(
    state: &crate::state::AppState,
    viewer: &Viewer,
    req: axum::extract::Request,
    file_field: &str,
) -> Result<(Vec<(String, String)>, Option<(String, Vec<u8>)>), AppError> {
    use axum::extract::{FromRequest, Multipart};
    let unreadable = || AppError::BadRequest("The upload could not be read; choose the file again.".into());
    let mut multipart = Multipart::from_request(req, state).await.map_err(|_| unreadable())?;
    let (mut fields, mut file) = (Vec::new(), None);
    while let Some(field) = multipart.next_field().await.map_err(|_| unreadable())? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == file_field {
            let file_name = field.file_name().unwrap_or("upload").to_owned();
            let bytes = field.bytes().await.map_err(|_| unreadable())?.to_vec();
            if !bytes.is_empty() || !file_name.is_empty() {
                file = Some((file_name, bytes)).filter(|(n, b)| !(n.is_empty() && b.is_empty()));
            }
            continue;
        }
        let value = field.text().await.map_err(|_| unreadable())?.trim().to_owned();
        fields.push((name, value));
    }
    let csrf = fields.iter().find(|(n, _)| n == "csrf_token").map(|(_, v)| v.as_str()).unwrap_or("");
    if !crate::auth::constant_time_eq(csrf, &viewer.csrf_token) {
        return Err(AppError::BadRequest(
            "This form has expired or did not come from Steward. Go back, reload the page and try again.".into(),
        ));
    }
    Ok((fields, file))
}
