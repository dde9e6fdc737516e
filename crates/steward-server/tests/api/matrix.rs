//! The API route × role matrix: every method on every route under /api/v1, for every role and for no token.

use super::*;
use crate::roles::*;
use steward_core::enums::Vocabulary;
use steward_core::people::OwnerDraft;
use steward_core::role::Role::{self, *};

// ---------------------------------------------------------------------------------------------------------------
// The allowed roles below are written out from reading steward_core::access and the handlers in src/api; they are
// deliberately not computed with `Actor::may`. School roles are held at school A.
// ---------------------------------------------------------------------------------------------------------------

/// Those who see some contracts but not these: a contract out of scope answers 404, as if it did not exist.
const OUT_OF_SCOPE: &[Role] = &[SchoolAdmin];

/// What a request should get.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Out {
    /// 200 with a JSON body.
    Shown,
    /// 204: deleted.
    Deleted,
    /// 422: the body was accepted for checking and its values refused.
    Invalid,
    Forbidden,
    NotFound,
    /// 401: no token.
    Unauthorized,
}

impl Out {
    fn status(self) -> u16 {
        match self {
            Out::Shown => 200,
            Out::Deleted => 204,
            Out::Invalid => 422,
            Out::Forbidden => 403,
            Out::NotFound => 404,
            Out::Unauthorized => 401,
        }
    }

    /// The `error.code` of the JSON error body, for the errors.
    fn code(self) -> Option<&'static str> {
        match self {
            Out::Shown | Out::Deleted => None,
            Out::Invalid => Some("invalid"),
            Out::Forbidden => Some("forbidden"),
            Out::NotFound => Some("not_found"),
            Out::Unauthorized => Some("unauthenticated"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Verb {
    Get,
    Post,
    Put,
    Delete,
}

#[derive(Debug, Clone, Copy)]
struct Route {
    verb: Verb,
    /// Relative to /api/v1, with placeholders: `{product}`, `{contract_a}`, `{fresh_contract_a}` (new per request), ….
    path: &'static str,
    allowed: &'static [Role],
    yes: Out,
    no: Out,
    /// Denied roles that get 404 rather than `no`.
    hidden_from: &'static [Role],
    /// What a caller without a token gets.
    anonymous: Out,
}

const fn route(verb: Verb, path: &'static str, allowed: &'static [Role], yes: Out) -> Route {
    Route { verb, path, allowed, yes, no: Out::Forbidden, hidden_from: &[], anonymous: Out::Unauthorized }
}

/// A read: 200 for the allowed roles, 403 for the others.
const fn get(path: &'static str, allowed: &'static [Role]) -> Route {
    route(Verb::Get, path, allowed, Out::Shown)
}

/// A create sent `{}`: 422 for the allowed roles (the values were checked), 403 for the others (refused before any
/// check). Nothing is changed either way.
const fn post(path: &'static str, allowed: &'static [Role]) -> Route {
    route(Verb::Post, path, allowed, Out::Invalid)
}

/// A replacement sent `{}`: as [`post`].
const fn put(path: &'static str, allowed: &'static [Role]) -> Route {
    route(Verb::Put, path, allowed, Out::Invalid)
}

/// A delete of a record made for this one request: 204 for the allowed roles, 403 for the others.
const fn delete(path: &'static str, allowed: &'static [Role]) -> Route {
    route(Verb::Delete, path, allowed, Out::Deleted)
}

impl Route {
    const fn hidden_from(mut self, roles: &'static [Role]) -> Self {
        self.hidden_from = roles;
        self
    }
    /// Served without a token.
    const fn public(mut self) -> Self {
        self.anonymous = Out::Shown;
        self
    }
}

/// Every method on every route in src/api/mod.rs.
const ROUTES: &[Route] = &[
    get("/openapi.json", EVERYONE).public(),
    get("/organizations", READERS),
    post("/organizations", ADMIN),
    get("/organizations/{school_a}", READERS),
    put("/organizations/{school_a}", ADMIN),
    get("/products", READERS),
    post("/products", EDITORS),
    get("/products/{product}", READERS),
    put("/products/{product}", EDITORS),
    get("/products/{product}/owners", READERS),
    post("/products/{product}/owners", OWNER_EDITORS),
    delete("/products/{product}/owners/{fresh_owner}", OWNER_EDITORS),
    get("/vendors", READERS),
    post("/vendors", EDITORS),
    get("/vendors/{vendor}", READERS),
    put("/vendors/{vendor}", EDITORS),
    // The taxonomy is part of the catalog everyone reads.
    get("/categories", EVERYONE),
    post("/categories", ADMIN),
    get("/categories/{category}", EVERYONE),
    put("/categories/{category}", ADMIN),
    get("/contracts", SCHOOL_A_MONEY),
    // School A's admin may create contracts (for school A), so `{}` is checked: 422.
    post("/contracts", SCHOOL_A_MONEY),
    get("/contracts/{contract_a}", SCHOOL_A_MONEY),
    get("/contracts/{contract_b}", DISTRICT_MONEY).hidden_from(OUT_OF_SCOPE),
    get("/contracts/{contract_district}", DISTRICT_MONEY).hidden_from(OUT_OF_SCOPE),
    put("/contracts/{contract_a}", SCHOOL_A_MONEY),
    put("/contracts/{contract_b}", DISTRICT_MONEY).hidden_from(OUT_OF_SCOPE),
    put("/contracts/{contract_district}", DISTRICT_MONEY).hidden_from(OUT_OF_SCOPE),
    delete("/contracts/{fresh_contract_a}", SCHOOL_A_MONEY),
    delete("/contracts/{fresh_contract_b}", DISTRICT_MONEY).hidden_from(OUT_OF_SCOPE),
    delete("/contracts/{fresh_contract_district}", DISTRICT_MONEY).hidden_from(OUT_OF_SCOPE),
    // `{}` is a line without a time: refused with the line's error, nothing stored.
    post("/events", USAGE_SENDERS),
];

/// The records the table's placeholders name.
struct Seed {
    product: i64,
    contract_a: i64,
    contract_b: i64,
    contract_district: i64,
}

async fn seed(env: &Env) -> Seed {
    let product = env.product("Number Garden", "approved", "K-5", &["math"]).await;
    let owner = OwnerDraft { role: "manager".into(), name: "Pat Manager".into(), email: String::new() };
    env.store.add_owner(&system(), product, &owner.validate().unwrap()).await.unwrap();
    Seed {
        product,
        contract_a: env.contract(product, Some(env.school_a), "100", "2027-06-30").await,
        contract_b: env.contract(product, Some(env.school_b), "200", "2027-06-30").await,
        contract_district: env.contract(product, None, "300", "2027-06-30").await,
    }
}

async fn audit_count(env: &Env) -> i64 {
    env.store.audit_entries(&AuditFilter { per_page: 1, ..Default::default() }).await.unwrap().total
}

/// Fills in a route's placeholders; `fresh_*` ones make a new record for this one request.
async fn resolve(env: &Env, seed: &Seed, path: &str) -> String {
    let mut p = format!("/api/v1{path}")
        .replace("{product}", &seed.product.to_string())
        .replace("{contract_a}", &seed.contract_a.to_string())
        .replace("{contract_b}", &seed.contract_b.to_string())
        .replace("{contract_district}", &seed.contract_district.to_string())
        .replace("{vendor}", &env.vendor.to_string())
        .replace("{category}", &env.category.to_string())
        .replace("{school_a}", &env.school_a.to_string());
    for (placeholder, school) in [
        ("{fresh_contract_a}", Some(env.school_a)),
        ("{fresh_contract_b}", Some(env.school_b)),
        ("{fresh_contract_district}", None),
    ] {
        if p.contains(placeholder) {
            let id = env.contract(seed.product, school, "50", "2027-06-30").await;
            p = p.replace(placeholder, &id.to_string());
        }
    }
    if p.contains("{fresh_owner}") {
        let n = audit_count(env).await;
        let owner = OwnerDraft { role: "trainer".into(), name: format!("Trainer {n}"), email: String::new() };
        let id = env.store.add_owner(&system(), seed.product, &owner.validate().unwrap()).await.unwrap();
        p = p.replace("{fresh_owner}", &id.to_string());
    }
    assert!(!p.contains('{'), "unresolved placeholder in {p}");
    p
}

/// Sends one route's request and returns a description of any mismatch.
async fn check(env: &Env, seed: &Seed, caller: Option<(Role, &str)>, route: &Route) -> Option<String> {
    let want = match caller {
        None => route.anonymous,
        Some((r, _)) if route.allowed.contains(&r) => route.yes,
        Some((r, _)) if route.hidden_from.contains(&r) => Out::NotFound,
        Some(_) => route.no,
    };
    let path = resolve(env, seed, route.path).await;
    let before = audit_count(env).await;
    let (method, body) = match route.verb {
        Verb::Get => (Method::GET, None),
        // Well-formed but empty: every required field is missing.
        Verb::Post => (Method::POST, Some(json!({}))),
        Verb::Put => (Method::PUT, Some(json!({}))),
        Verb::Delete => (Method::DELETE, None),
    };
    let res = env.call(method, &path, caller.map(|(_, t)| t), body).await;
    let who = caller.map(|(r, _)| format!("{r:?}")).unwrap_or_else(|| "no token".into());
    let label = format!("{who:>18} {:?} {path}", route.verb);
    let status = res.status.as_u16();
    if status != want.status() {
        return Some(format!("{label}: expected {want:?} ({}), got {status} {}", want.status(), res.body));
    }
    if let Some(code) = want.code() {
        if res.body["error"]["code"] != code {
            return Some(format!("{label}: expected error code {code}, got {}", res.body));
        }
    }
    if want == Out::Invalid && res.body["error"]["fields"].as_array().is_none_or(|f| f.is_empty()) {
        return Some(format!("{label}: a 422 that names no fields: {}", res.body));
    }
    if want == Out::Unauthorized && !res.headers.contains_key(header::WWW_AUTHENTICATE) {
        return Some(format!("{label}: a 401 without WWW-Authenticate"));
    }
    if want == Out::Shown && !res.body.is_object() {
        return Some(format!("{label}: a 200 without a JSON object: {}", res.body));
    }
    // A delete records one change; reads, refusals and invalid bodies record none.
    let changes = audit_count(env).await - before;
    let expected = i64::from(want == Out::Deleted);
    if changes != expected {
        return Some(format!("{label}: {changes} change(s) recorded, expected {expected}"));
    }
    None
}

#[tokio::test]
async fn every_api_route_for_every_role() {
    let env = Env::new().await;
    let seed = seed(&env).await;
    let mut callers = Vec::new();
    for (role, code, _) in Role::ALL {
        let school = role.requires_school().then_some(env.school_a);
        let (_, token) = env.user(&format!("{code}@riverside.org"), code, school).await;
        callers.push((*role, token));
    }
    assert_eq!(callers.iter().map(|(r, _)| *r).collect::<Vec<_>>(), EVERYONE, "Role::ALL changed");
    let mut failures = Vec::new();
    let mut checked = 0;
    for route in ROUTES {
        for caller in callers.iter().map(|(r, t)| Some((*r, t.as_str()))).chain([None]) {
            checked += 1;
            if let Some(f) = check(&env, &seed, caller, route).await {
                failures.push(f);
            }
        }
    }
    assert!(failures.is_empty(), "{} of {checked} API checks failed:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(checked, ROUTES.len() * (EVERYONE.len() + 1));
}

#[test]
fn the_matrix_names_every_route_in_the_api() {
    let api = include_str!("../../src/api/mod.rs");
    let mut missing = Vec::new();
    let mut seen = 0;
    for line in api.lines().map(str::trim).filter(|l| l.starts_with(".route(\"")) {
        let path = line.trim_start_matches(".route(\"").split('"').next().unwrap();
        for (verb, name) in [(Verb::Get, "get("), (Verb::Post, "post("), (Verb::Put, "put("), (Verb::Delete, "delete(")]
        {
            let declared = [" ", "(", "."].iter().any(|before| line.contains(&format!("{before}{name}")));
            if !declared {
                continue;
            }
            seen += 1;
            // A matrix path matches when each segment is equal or both are placeholders.
            let covered = ROUTES.iter().any(|r| {
                let (a, b): (Vec<&str>, Vec<&str>) = (r.path.split('/').collect(), path.split('/').collect());
                r.verb == verb
                    && a.len() == b.len()
                    && a.iter().zip(&b).all(|(x, y)| x == y || (x.starts_with('{') && y.starts_with('{')))
            });
            if !covered {
                missing.push(format!("{verb:?} {path}"));
            }
        }
    }
    assert!(seen >= 25, "only {seen} routes read from src/api/mod.rs: has its layout changed?");
    assert!(missing.is_empty(), "API routes missing from the matrix: {missing:?}");
}
