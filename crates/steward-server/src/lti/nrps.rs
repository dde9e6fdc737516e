//! Names and Role Provisioning Services 2.0: a class's members, for a tool whose product reaches the class — only
//! that class's members, and of each only what the product's privacy profile declares (names, e-mail). Filtered by
//! `role`, paged by `limit` with a `Link: rel="next"` header.

use super::token::{ServiceCaller, ServiceError};
use super::Urls;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use steward_core::lti::claims::{lis_roles, NRPS_SCOPE};

const MEDIA_TYPE: &str = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json";

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MembersQuery {
    role: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
}

/// Whether a member with `roles` has `wanted`: a full role URI, or its short name (`Learner`).
fn has_role(roles: &[String], wanted: &str) -> bool {
    roles.iter().any(|r| r == wanted || r.rsplit_once('#').is_some_and(|(_, short)| short == wanted))
}

/// `GET /lti/contexts/{class}/memberships`.
pub async fn members(
    State(state): State<AppState>,
    caller: ServiceCaller,
    Path(class): Path<String>,
    Query(q): Query<MembersQuery>,
) -> Result<Response, ServiceError> {
    caller.require(&[NRPS_SCOPE])?;
    let (context, scope) = caller.class(&state, &class).await?;
    let shown = |column: &str| scope.view.user_columns.contains(&column);
    let (names, email) = (shown("givenName"), shown("email"));
    let all = state.store.class_members_detail(&class).await?;
    let members: Vec<serde_json::Value> = all
        .into_iter()
        .map(|m| (lis_roles(&m.role), m))
        .filter(|(roles, _)| q.role.as_deref().is_none_or(|r| has_role(roles, r)))
        .map(|(roles, m)| {
            let mut v = serde_json::json!({
                "status": "Active",
                "user_id": m.sourced_id,
                "lis_person_sourcedid": m.sourced_id,
                "roles": roles,
            });
            if names {
                let (given, family) = (m.given_name.unwrap_or_default(), m.family_name.unwrap_or_default());
                v["name"] = format!("{given} {family}").trim().into();
                v["given_name"] = given.into();
                v["family_name"] = family.into();
            }
            if let (true, Some(e)) = (email, m.email) {
                v["email"] = e.into();
            }
            v
        })
        .collect();
    let urls = Urls::new(&state.settings.public_url);
    let url = urls.context(&class, &["memberships"]);
    let offset = q.offset.unwrap_or(0);
    let limit = q.limit.filter(|l| *l > 0).unwrap_or(usize::MAX);
    let total = members.len();
    let page: Vec<_> = members.into_iter().skip(offset).take(limit).collect();
    let body = serde_json::json!({
        "id": url,
        "context": { "id": context.sourced_id, "label": context.class_code.unwrap_or_else(|| context.title.clone()), "title": context.title },
        "members": page,
    });
    let mut res = ([(header::CONTENT_TYPE, MEDIA_TYPE)], body.to_string()).into_response();
    if offset.saturating_add(limit) < total {
        let mut next = url::Url::parse(&url).expect("a URL");
        next.query_pairs_mut()
            .append_pair("limit", &limit.to_string())
            .append_pair("offset", &(offset + limit).to_string());
        if let Some(role) = &q.role {
            next.query_pairs_mut().append_pair("role", role);
        }
        let link = format!("<{next}>; rel=\"next\"");
        res.headers_mut().insert(header::LINK, link.parse().expect("a header value"));
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_role_matches_by_uri_or_short_name() {
        let roles = steward_core::lti::claims::lis_roles("student");
        assert!(super::has_role(&roles, "Learner"));
        assert!(super::has_role(&roles, "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"));
        assert!(!super::has_role(&roles, "Instructor"));
    }
}
