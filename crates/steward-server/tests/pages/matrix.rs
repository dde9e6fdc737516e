//! The route × role matrix: every route, every role, and anonymous visitors.

use super::*;
use common::roles::*;

// ---------------------------------------------------------------------------------------------------------------
// The route × role matrix. The allowed roles below are written out from reading steward_core::access and the
// handlers; they are deliberately not computed with `Actor::may`.
// ---------------------------------------------------------------------------------------------------------------

/// What a request should get.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Out {
    /// 200.
    Page,
    /// 303 to a location starting with this.
    Redirect(&'static str),
    Forbidden,
    NotFound,
    /// 422: the form was accepted for checking and its values refused.
    Invalid,
    /// 401 (the JSON API, which takes no session cookies).
    Unauthorized,
    /// 400: a form that can't be trusted (the sign-in form without its own cookie).
    BadRequest,
}

impl Out {
    fn status(self) -> u16 {
        match self {
            Out::Page => 200,
            Out::Redirect(_) => 303,
            Out::Forbidden => 403,
            Out::NotFound => 404,
            Out::Invalid => 422,
            Out::Unauthorized => 401,
            Out::BadRequest => 400,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Method {
    Get,
    Post,
}

#[derive(Debug, Clone, Copy)]
struct Route {
    method: Method,
    /// With placeholders: `{approved}`, `{contract_a}`, `{fresh_contract_a}` (a new contract per request), ….
    path: &'static str,
    allowed: &'static [Role],
    yes: Out,
    no: Out,
    /// What a visitor without a session gets; by default a redirect to the sign-in page.
    anonymous: Out,
}

/// A page: 200 for the allowed roles, 403 for the others.
const fn get(path: &'static str, allowed: &'static [Role]) -> Route {
    Route {
        method: Method::Get,
        path,
        allowed,
        yes: Out::Page,
        no: Out::Forbidden,
        anonymous: Out::Redirect("/sign-in?next="),
    }
}

/// A form sent with a valid CSRF token and empty values: 422 for the allowed roles (the values were checked),
/// 403 for the others (refused before any check). Nothing is changed either way.
const fn post(path: &'static str, allowed: &'static [Role]) -> Route {
    Route {
        method: Method::Post,
        path,
        allowed,
        yes: Out::Invalid,
        no: Out::Forbidden,
        anonymous: Out::Redirect("/sign-in"),
    }
}

impl Route {
    const fn yes(mut self, o: Out) -> Self {
        self.yes = o;
        self
    }
    const fn no(mut self, o: Out) -> Self {
        self.no = o;
        self
    }
    const fn anonymous(mut self, o: Out) -> Self {
        self.anonymous = o;
        self
    }
    /// Open to everyone, signed in or not.
    const fn public(self) -> Self {
        self.anonymous(Out::Page)
    }
}

/// Every route in router.rs (the JSON API under /api/v1 has its own bearer-token tests; one of its routes is here
/// to show that a session cookie grants nothing there).
const ROUTES: &[Route] = &[
    // Pages.
    get("/", READERS).no(Out::Redirect("/catalog")).anonymous(Out::Redirect("/sign-in?next=%2F")),
    get("/health", EVERYONE).public(),
    get("/assets/style.css", EVERYONE).public(),
    get("/assets/lti-post.js", EVERYONE).public(),
    get("/sign-in", EVERYONE).public(),
    // No identity provider is configured: everyone is sent back to the sign-in page, told so.
    get("/sign-in/oidc/{no_provider}", EVERYONE)
        .yes(Out::Redirect("/sign-in?failed=unknown"))
        .anonymous(Out::Redirect("/sign-in?failed=unknown")),
    get("/sign-in/oidc/{no_provider}/callback", EVERYONE)
        .yes(Out::Redirect("/sign-in?failed=unknown"))
        .anonymous(Out::Redirect("/sign-in?failed=unknown")),
    get("/launchpad", EVERYONE),
    // No seeded account is on the roster, so no app is on anyone's launchpad.
    get("/launch/{approved}", NOBODY).no(Out::NotFound),
    get("/catalog", EVERYONE),
    get("/catalog/{approved}", EVERYONE),
    // A product not (yet) approved is not in the catalog: hidden as not found, from everyone.
    get("/catalog/{in_review}", NOBODY).no(Out::NotFound),
    get("/products", READERS),
    get("/products.csv", READERS),
    get("/products/new", EDITORS),
    get("/products/{approved}", READERS),
    get("/products/{in_review}", READERS),
    get("/products/{approved}/edit", EDITORS),
    get("/products/{approved}/roster", VENDOR_DATA),
    get("/products/{in_review}/roster", VENDOR_DATA),
    get("/products/{approved}/api-clients/{no_client}", VENDOR_DATA).yes(Out::NotFound),
    get("/contracts", SCHOOL_A_MONEY),
    get("/contracts/new", SCHOOL_A_MONEY),
    get("/contracts.csv", SCHOOL_A_MONEY),
    get("/contracts/{contract_a}", SCHOOL_A_MONEY),
    get("/contracts/{contract_a}/edit", SCHOOL_A_MONEY),
    get("/contracts/{contract_b}", DISTRICT_MONEY),
    get("/contracts/{contract_b}/edit", DISTRICT_MONEY),
    get("/contracts/{contract_district}", DISTRICT_MONEY),
    get("/contracts/{contract_district}/edit", DISTRICT_MONEY),
    get("/contracts/{contract_a}/renewal", DISTRICT_MONEY),
    get("/contracts/{contract_a}/renewal.csv", DISTRICT_MONEY),
    get("/renewals", SCHOOL_A_MONEY),
    get("/spend", SCHOOL_A_MONEY),
    get("/vendors", READERS),
    get("/vendors/new", EDITORS),
    get("/vendors/{vendor}/edit", EDITORS),
    get("/vendors/{vendor}/usage", USAGE_SENDERS),
    get("/categories", READERS),
    get("/categories/{category}/edit", ADMIN),
    get("/organizations", READERS),
    get("/organizations/{school_a}/edit", ADMIN),
    get("/users", ADMIN),
    get("/users/{student_user}/edit", ADMIN),
    get("/audit", ADMIN),
    get("/roster", ROSTER_READERS),
    get("/roster/classes", ROSTER_READERS),
    get("/roster/classes/{roster_class_a}", ROSTER_READERS),
    get("/roster/classes/{roster_class_b}", DISTRICT_ROSTER),
    get("/roster/people", ROSTER_READERS),
    get("/roster/people/{roster_student_a}", ROSTER_READERS),
    get("/roster/people/{roster_student_b}", DISTRICT_ROSTER),
    get("/roster/export.zip", ROSTER_MANAGERS),
    get("/roster/imports", ROSTER_MANAGERS),
    get("/roster/imports/new", ROSTER_MANAGERS),
    get("/roster/imports/{import}", ROSTER_MANAGERS),
    get("/roster/imports/{import}/problems.csv", ROSTER_MANAGERS),
    // No such import is running (each runs for the one who started it).
    get("/roster/imports/running/{job}", ROSTER_MANAGERS).yes(Out::NotFound),
    get("/usage", USAGE_READERS),
    get("/usage.csv", USAGE_READERS),
    get("/usage/monthly.csv", USAGE_READERS),
    get("/usage/groups", USAGE_READERS),
    get("/usage/discoveries", USAGE_READERS),
    get("/usage/unmatched", USAGE_READERS),
    get("/usage/utilization", DISTRICT_MONEY),
    get("/usage/utilization.csv", DISTRICT_MONEY),
    get("/usage/roi", DISTRICT_MONEY),
    get("/usage/roi.csv", DISTRICT_MONEY),
    get("/usage/waste", DISTRICT_MONEY),
    get("/usage/waste.csv", DISTRICT_MONEY),
    get("/requests", STAFF),
    get("/requests/new", REQUESTERS),
    get("/requests/metrics", READERS),
    get("/requests/{request}", STAFF),
    get("/policy", READERS),
    get("/policy/what-if", READERS),
    get("/infrastructure", READERS),
    get("/products/{approved}/needs", READERS),
    get("/products/{approved}/privacy", READERS),
    // No DPA file has been uploaded.
    get("/products/{approved}/dpa", READERS).yes(Out::NotFound),
    get("/inbox", EVERYONE),
    get("/lti/jwks", EVERYONE).public(),
    // A tool's authentication request names its client first: without one, it is refused here for everyone.
    get("/lti/authorize", NOBODY).no(Out::BadRequest).anonymous(Out::BadRequest),
    // The LTI services take a tool's bearer access token, never a session.
    get("/lti/contexts/{no_tool}/memberships", NOBODY).no(Out::Unauthorized).anonymous(Out::Unauthorized),
    get("/lti/contexts/{no_tool}/lineitems", NOBODY).no(Out::Unauthorized).anonymous(Out::Unauthorized),
    get("/lti/contexts/{no_tool}/lineitems/{no_tool}/results", NOBODY)
        .no(Out::Unauthorized)
        .anonymous(Out::Unauthorized),
    get("/lti/tools", TECHNOLOGY),
    get("/lti/tools/new", TECHNOLOGY),
    get("/lti/tools/{no_tool}/edit", TECHNOLOGY).yes(Out::NotFound),
    get("/public/products", EVERYONE).public(),
    get("/public/products.json", EVERYONE).public(),
    get("/public/products.csv", EVERYONE).public(),
    get("/public/settings", PRIVACY),
    get("/account/tokens", STAFF),
    get("/account/password", EVERYONE),
    get("/api/v1/products", NOBODY).no(Out::Unauthorized).anonymous(Out::Unauthorized),
    // The OneRoster provider takes API clients' bearer tokens, never a session; its token endpoint takes HTTP Basic.
    get("/ims/oneroster/rostering/v1p2/users", NOBODY).no(Out::Unauthorized).anonymous(Out::Unauthorized),
    // Caliper sensors send their product's API client token, never a session.
    get("/caliper", NOBODY).no(Out::Unauthorized).anonymous(Out::Unauthorized),
    // The xAPI resources: the version header first (400 without it), then the API client's HTTP Basic credentials.
    get("/xapi/about", EVERYONE).public(),
    get("/xapi/statements", NOBODY).no(Out::BadRequest).anonymous(Out::BadRequest),
    get("/no/such/page", NOBODY).no(Out::NotFound).anonymous(Out::NotFound),
    // Forms. The sign-in form is checked against its own pre-session cookie, which no one here holds.
    post("/sign-in", NOBODY).no(Out::BadRequest).anonymous(Out::BadRequest),
    post("/oauth/token", NOBODY).no(Out::Unauthorized).anonymous(Out::Unauthorized),
    // LTI: the authentication request without a client, the token endpoint without a grant, a deep-linking
    // return without its JWT are refused alike for everyone; the services want a tool's bearer token.
    post("/lti/authorize", NOBODY).no(Out::BadRequest).anonymous(Out::BadRequest),
    post("/lti/token", NOBODY).no(Out::BadRequest).anonymous(Out::BadRequest),
    post("/lti/deep-linking/return", NOBODY).no(Out::BadRequest).anonymous(Out::BadRequest),
    post("/lti/contexts/{no_tool}/lineitems", NOBODY).no(Out::Unauthorized).anonymous(Out::Unauthorized),
    post("/lti/contexts/{no_tool}/lineitems/{no_tool}/scores", NOBODY)
        .no(Out::Unauthorized)
        .anonymous(Out::Unauthorized),
    post("/caliper", NOBODY).no(Out::Unauthorized).anonymous(Out::Unauthorized),
    post("/xapi/statements", NOBODY).no(Out::BadRequest).anonymous(Out::BadRequest),
    post("/products", EDITORS),
    post("/products/{approved}", EDITORS),
    post("/products/{approved}/owners", OWNER_EDITORS),
    post("/products/{approved}/api-clients", ROSTER_MANAGERS),
    post("/products/{in_review}/owners/{fresh_owner}/delete", OWNER_EDITORS).yes(Out::Redirect("/products/")),
    post("/contracts", SCHOOL_A_MONEY),
    post("/contracts/{contract_a}", SCHOOL_A_MONEY),
    post("/contracts/{contract_b}", DISTRICT_MONEY),
    post("/contracts/{contract_district}", DISTRICT_MONEY),
    post("/contracts/{fresh_contract_a}/delete", SCHOOL_A_MONEY).yes(Out::Redirect("/contracts?notice=deleted")),
    post("/contracts/{fresh_contract_b}/delete", DISTRICT_MONEY).yes(Out::Redirect("/contracts?notice=deleted")),
    post("/vendors", EDITORS),
    post("/vendors/{vendor}", EDITORS),
    // A usage report must be a form with a file; this one is not, so it is refused as unreadable.
    post("/vendors/{vendor}/usage", USAGE_SENDERS).yes(Out::BadRequest),
    post("/categories", ADMIN),
    post("/categories/{category}", ADMIN),
    post("/organizations", ADMIN),
    post("/organizations/{school_a}", ADMIN),
    post("/users", ADMIN),
    post("/users/{student_user}", ADMIN),
    // Sent without a choice of active or not: refused as unreadable by the admin, forbidden to everyone else.
    post("/users/{student_user}/active", ADMIN).yes(Out::BadRequest),
    // An upload must be a form with files; this one is not, so it is refused as unreadable.
    post("/roster/imports", ROSTER_MANAGERS).yes(Out::BadRequest),
    // No such entry in the discovery queue: those who may act on it learn so, the others are refused first.
    post("/usage/discoveries/{no_discovery}/adopt", EDITORS).yes(Out::NotFound),
    post("/usage/discoveries/{no_discovery}/dismiss", EDITORS).yes(Out::NotFound),
    // Sent without a finding's key: no such finding.
    post("/usage/waste/dismiss", DISTRICT_MONEY).yes(Out::NotFound),
    post("/requests", REQUESTERS),
    post("/requests/{request}/stages/{first_stage}", TECHNOLOGY),
    post("/requests/{request}/answer", REQUESTER),
    post("/requests/{request}/comments", STAFF),
    post("/requests/{request}/decision", ADMIN),
    post("/policy", ADMIN),
    // Empty rules are valid (every rule off): saved.
    post("/policy/re-review", ADMIN).yes(Out::Redirect("/policy?notice=updated")),
    // Nothing is due in the seeded district, so nothing changes.
    post("/policy/re-review/run", ADMIN).yes(Out::Redirect("/requests?show=all")),
    // An empty profile and empty needs are valid: saved.
    post("/infrastructure", TECHNOLOGY).yes(Out::Redirect("/infrastructure?notice=updated")),
    post("/products/{approved}/needs", EDITORS).yes(Out::Redirect("/products/")),
    // The privacy form carries a file, so it must be multipart; this one is not.
    post("/products/{approved}/privacy", PRIVACY).yes(Out::BadRequest),
    post("/inbox/read-all", EVERYONE).yes(Out::Redirect("/inbox")),
    post("/lti/tools", TECHNOLOGY),
    post("/lti/tools/{no_tool}", TECHNOLOGY).yes(Out::NotFound),
    post("/lti/keys/rotate", TECHNOLOGY).yes(Out::Redirect("/lti/tools?notice=updated")),
    post("/inbox/{no_notification}/open", EVERYONE).yes(Out::NotFound),
    post("/public/settings", PRIVACY).yes(Out::Redirect("/public/products")),
    post("/account/tokens", STAFF),
    post("/account/password", EVERYONE),
    post("/account/tokens/{fresh_token}/revoke", STAFF).yes(Out::Redirect("/account/tokens?notice=revoked")),
    // Last: it ends the session.
    post("/sign-out", EVERYONE).yes(Out::Redirect("/sign-in")),
];

/// Fills in a route's placeholders; `fresh_*` ones make a new record for this one request.
async fn resolve(app: &TestApp, role: Option<Role>, path: &str) -> String {
    let s = &app.seed;
    let mut p = path
        .replace("{approved}", &s.approved.to_string())
        .replace("{in_review}", &s.in_review.to_string())
        .replace("{contract_a}", &s.contract_a.to_string())
        .replace("{contract_b}", &s.contract_b.to_string())
        .replace("{contract_district}", &s.contract_district.to_string())
        .replace("{vendor}", &s.vendor.to_string())
        .replace("{category}", &s.category.to_string())
        .replace("{school_a}", &s.school_a.to_string())
        .replace("{student_user}", &s.users[&Student].to_string())
        .replace("{roster_class_a}", common::roster::CLASS_A)
        .replace("{roster_class_b}", common::roster::CLASS_B)
        .replace("{roster_student_a}", common::roster::STUDENT_A)
        .replace("{roster_student_b}", common::roster::STUDENT_B)
        .replace("{import}", &s.roster_import.to_string())
        .replace("{job}", "no-such-job")
        .replace("{no_client}", "999999")
        .replace("{no_discovery}", "999999")
        .replace("{no_notification}", "999999")
        .replace("{no_provider}", "nowhere")
        .replace("{no_tool}", "999999")
        .replace("{first_stage}", "1")
        .replace("{request}", &s.request.to_string());
    if p.contains("{fresh_contract_a}") {
        let id = app.make_contract(s.approved, Some(s.school_a), 200).await;
        p = p.replace("{fresh_contract_a}", &id.to_string());
    }
    if p.contains("{fresh_contract_b}") {
        let id = app.make_contract(s.in_review, Some(s.school_b), 200).await;
        p = p.replace("{fresh_contract_b}", &id.to_string());
    }
    if p.contains("{fresh_owner}") {
        let n = app.audit_count().await;
        let input = steward_core::people::OwnerDraft {
            role: "trainer".into(),
            name: format!("Trainer {n}"),
            email: String::new(),
        }
        .validate()
        .unwrap();
        let id = app.store.add_owner(&seed_actor(), s.in_review, &input).await.unwrap();
        p = p.replace("{fresh_owner}", &id.to_string());
    }
    if p.contains("{fresh_token}") {
        let owner = app.user(role.unwrap_or(DistrictAdmin));
        let user = app.store.users().await.unwrap().into_iter().find(|u| u.id == owner).unwrap();
        let raw = steward_server::auth::random_token();
        let id = app.store.create_api_token(&user, "matrix", &steward_server::auth::digest(&raw)).await.unwrap();
        p = p.replace("{fresh_token}", &id.to_string());
    }
    assert!(!p.contains('{'), "unresolved placeholder in {p}");
    p
}

/// Sends one route's request and returns a description of any mismatch.
async fn check(app: &TestApp, session: &Session, role: Option<Role>, csrf: &str, route: &Route) -> Option<String> {
    let want = match role {
        None => route.anonymous,
        Some(r) if route.allowed.contains(&r) => route.yes,
        Some(_) => route.no,
    };
    let path = resolve(app, role, route.path).await;
    let changes_before = app.audit_count().await;
    let res = match route.method {
        Method::Get => session.get(&path).await,
        // A valid token and nothing else: every form's required fields are empty.
        Method::Post => session.post(&path, &[("csrf_token", csrf)]).await,
    };
    let status = res.status().as_u16();
    let loc = location(&res);
    let body = res.text().await.unwrap_or_default();
    let who = role.map(|r| format!("{r:?}")).unwrap_or_else(|| "anonymous".into());
    let label = format!("{who:>18} {:?} {path}", route.method);
    if status != want.status() {
        return Some(format!("{label}: expected {want:?} ({}), got {status} {loc:?}", want.status()));
    }
    if let Out::Redirect(prefix) = want {
        if !loc.as_deref().is_some_and(|l| l.starts_with(prefix)) {
            return Some(format!("{label}: expected a redirect to {prefix}…, got {loc:?}"));
        }
    }
    if want == Out::Forbidden && !body.contains("Your role does not give access to this.") {
        return Some(format!("{label}: the 403 page lacks its message"));
    }
    // Refusals, validation failures and reads change nothing.
    if !matches!(want, Out::Redirect(_)) || route.method == Method::Get || role.is_none() {
        let changes_after = app.audit_count().await;
        if changes_after != changes_before {
            return Some(format!(
                "{label}: {} change(s) recorded by a request that should change nothing",
                changes_after - changes_before
            ));
        }
    }
    None
}

#[tokio::test]
async fn every_route_for_every_role() {
    let app = TestApp::new().await;
    let mut failures = Vec::new();
    let mut checked = 0;
    for role in EVERYONE {
        let session = app.session_for(*role).await;
        let csrf = session.csrf_token("/catalog").await;
        for route in ROUTES {
            checked += 1;
            if let Some(f) = check(&app, &session, Some(*role), &csrf, route).await {
                failures.push(f);
            }
        }
    }
    let anonymous = app.anonymous();
    for route in ROUTES {
        checked += 1;
        if let Some(f) = check(&app, &anonymous, None, "not-a-session-token", route).await {
            failures.push(f);
        }
    }
    assert!(failures.is_empty(), "{} of {checked} route checks failed:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(checked, ROUTES.len() * (EVERYONE.len() + 1));
}

#[test]
fn the_matrix_names_every_route_in_the_router() {
    let router = include_str!("../../src/router.rs");
    let mut missing = Vec::new();
    for line in router.lines().map(str::trim).filter(|l| l.starts_with(".route(\"")) {
        let path = line.trim_start_matches(".route(\"").split('"').next().unwrap();
        for (method, name) in [(Method::Get, "get("), (Method::Post, "post(")] {
            let declared = line.contains(&format!(" {name}"))
                || line.contains(&format!("({name}"))
                || line.contains(&format!(".{name}"));
            if !declared {
                continue;
            }
            // A matrix path matches when each segment is equal or both are placeholders.
            let covered = ROUTES.iter().any(|r| {
                let (a, b): (Vec<&str>, Vec<&str>) = (r.path.split('/').collect(), path.split('/').collect());
                r.method == method
                    && a.len() == b.len()
                    && a.iter().zip(&b).all(|(x, y)| x == y || (x.starts_with('{') && y.starts_with('{')))
            });
            if !covered {
                missing.push(format!("{method:?} {path}"));
            }
        }
    }
    assert!(missing.is_empty(), "routes missing from the matrix: {missing:?}");
}
