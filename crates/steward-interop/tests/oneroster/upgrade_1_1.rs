//! OneRoster 1.1 sets in canonical 1.2 form: roles made from users, line items with session and school.

use steward_interop::oneroster::{self, Mode, Package, Version};
use steward_interop::Strictness;

use super::fixtures::*;

fn read_1_1(changes: &[(&str, &str)], strictness: Strictness) -> Package {
    oneroster::read_files(package_1_1(changes), strictness)
}

/// Each roles record as (sourcedId, userSourcedId, roleType, role, orgSourcedId).
fn roles(p: &Package) -> Vec<[String; 5]> {
    let get = |r: &oneroster::Record, c: &str| r.get("roles", c).unwrap_or_default().to_owned();
    p.records["roles"]
        .iter()
        .map(|r| {
            [r.sourced_id.clone(), get(r, "userSourcedId"), get(r, "roleType"), get(r, "role"), get(r, "orgSourcedId")]
        })
        .collect()
}

#[test]
fn users_role_and_orgs_become_one_role_per_org_the_first_primary() {
    let p = read_1_1(&[], Strictness::Lenient);
    assert_eq!(shown(&p), ["warning: users.csv line 3, column enabledUser: 'TRUE' has the wrong case (values are case-sensitive); read as 'true'"]);
    assert_eq!(p.manifest.as_ref().map(|m| m.version), Some(Version::V1_1));
    let expected = [
        ["u1.s1.role", "u1", "primary", "teacher", "s1"],
        ["u1.d1.role", "u1", "secondary", "teacher", "d1"],
        ["u2.s1.role", "u2", "primary", "student", "s1"],
        ["u3.d1.role", "u3", "primary", "districtAdministrator", "d1"],
        ["u3.s1.role", "u3", "secondary", "siteAdministrator", "s1"],
        ["u4.s1.role", "u4", "primary", "siteAdministrator", "s1"],
    ];
    assert_eq!(roles(&p), expected.map(|row| row.map(str::to_owned)));
    assert_eq!(p.modes.get("roles"), Some(&Mode::Bulk));
    let primary: Vec<_> = p.records["users"].iter().map(|u| u.get("users", "primaryOrgSourcedId")).collect();
    assert_eq!(primary, [Some("s1"), Some("s1"), Some("d1"), Some("s1")]);
    assert_eq!(p.records["users"][0].get("users", "password"), None);
    assert_eq!(p.records["users"][1].get("users", "enabledUser"), Some("true"));
}

#[test]
fn role_sourced_ids_are_the_same_on_every_import() {
    let first = read_1_1(&[], Strictness::Lenient);
    let again = read_1_1(&[], Strictness::Lenient);
    assert_eq!(first.records["roles"], again.records["roles"]);
}

#[test]
fn an_administrator_of_an_org_outside_the_package_is_a_site_administrator() {
    let users = "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,\
familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password\n\
u7,active,2024-01-02T03:04:05Z,true,x9,administrator,eve,,Eve,Stone,,,,,,,,\n";
    let files = [
        ("manifest.csv".to_owned(), strip_1_2_rows(&manifest("1.1", &["users"], "delta")).into_bytes()),
        ("users.csv".to_owned(), users.as_bytes().to_vec()),
    ];
    let p = oneroster::read_files(files, Strictness::Strict);
    assert_eq!(shown(&p), Vec::<String>::new());
    assert_eq!(roles(&p), [["u7.x9.role", "u7", "primary", "siteAdministrator", "x9"].map(str::to_owned)]);
    let role = &p.records["roles"][0];
    assert_eq!(role.status, p.records["users"][0].status);
    assert_eq!(role.date_last_modified, p.records["users"][0].date_last_modified);
    assert_eq!(p.modes.get("roles"), Some(&Mode::Delta));
}

#[test]
fn line_items_take_their_grading_period_and_their_class_school() {
    let p = read_1_1(&[], Strictness::Strict);
    let item = &p.records["lineItems"][0];
    assert_eq!(item.get("lineItems", "academicSessionSourcedId"), Some("t1"));
    assert_eq!(item.get("lineItems", "schoolSourcedId"), Some("s1"));
    assert_eq!(p.records["categories"][0].values, [Some("Homework".to_owned()), None]);
    let result = &p.records["results"][0];
    let filled: Vec<_> =
        oneroster::data_columns("results").into_iter().filter(|c| result.get("results", c).is_some()).collect();
    assert_eq!(filled, ["lineItemSourcedId", "studentSourcedId", "scoreStatus", "score", "scoreDate", "comment"]);
    assert_eq!(result.get("results", "score"), Some("9"));
}

#[test]
fn a_1_1_grading_period_reference_is_checked_under_its_own_name() {
    let items = LINE_ITEMS_1_1.replace("k1,cat1,t1", "k1,cat1,t9");
    let p = read_1_1(&[("lineItems.csv", &items)], Strictness::Lenient);
    assert_eq!(
        shown(&p)[1..],
        ["lineItems.csv line 2, column gradingPeriodSourcedId: 't9' refers to a sourcedId missing from academicSessions.csv in this bulk set"]
    );
    assert!(p.records["lineItems"].is_empty());
}

#[test]
fn a_user_with_a_missing_org_is_dropped_with_its_roles() {
    let users = USERS_1_1.replace("u4,,,true,s1,", "u4,,,true,s8,");
    let p = read_1_1(&[("users.csv", &users)], Strictness::Lenient);
    assert!(shown(&p).contains(
        &"users.csv line 5, column orgSourcedIds: 's8' refers to a sourcedId missing from orgs.csv in this bulk set"
            .to_owned()
    ));
    assert!(roles(&p).iter().all(|r| r[1] != "u4"));
    assert_eq!(p.records["users"].len(), 3);
}
