//! The demo district, built through the Store API into an empty database, identically on every run.
//!
//! Oregon → Cedar Valley School District → twenty schools; sixty fictional vendors and their hundred and fifty
//! products; contracts, named owners, and one sign-in account for each role.

use super::demo_catalog::launch_host;
use super::demo_data::{
    Kind, ACCOUNTS, CATEGORY_PROFILES, DISTRICT, DISTRICT_NCES, DISTRICT_SOURCED_ID, EVALUATORS, HOME_SCHOOL, MANAGERS,
    PRIVACY_STEWARDS, PURCHASERS, SCHOOLS, STAFF_DOMAIN, STATE, TECHNICAL_CONTACTS, TRAINERS,
};
use super::demo_plan::{self as plan, Facts};
use super::demo_vendors::VENDORS;
use super::taxonomy::{seed_taxonomy, TAXONOMY};
use anyhow::{bail, Context};
use chrono::NaiveDate;
use std::collections::HashMap;
use steward_core::enums::{OwnerRole, ProductStatus, Vocabulary};
use steward_core::grade::GradeBand;
use steward_core::org::OrgDraft;
use steward_core::people::{OwnerInput, UserInput, VendorDraft};
use steward_core::product::ProductDraft;
use steward_core::role::Role;
use steward_store::{Actor, Store};

/// A sign-in account the demo created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    pub role: Role,
    pub email: String,
    /// The school the account is placed at, for school-level roles.
    pub school: Option<String>,
}

/// Loads the demo district into an empty database; `today` anchors contract terms and agreement dates. With
/// `usage`, its people get usage from the start of the school year to yesterday.
/// Returns the sign-in accounts, one per role in `Role::ALL` order, each with `password_hash` as its password.
pub async fn seed_demo(
    store: &Store,
    today: NaiveDate,
    password_hash: &str,
    usage: bool,
) -> anyhow::Result<Vec<DemoAccount>> {
    if !store.is_empty().await?
        || !store.vendors().await?.is_empty()
        || !store.product_names().await?.is_empty()
        || !store.users().await?.is_empty()
    {
        bail!("the database already holds data; the demo district is only loaded into an empty database");
    }
    seed_taxonomy(store).await?;
    let actor = Actor::system("demo");
    let schools = seed_orgs(store, &actor).await?;
    let categories: HashMap<String, i64> =
        store.categories().await?.into_iter().map(|c| (c.category.name, c.id)).collect();
    seed_catalog(store, &actor, today, &schools, &categories).await?;
    let accounts = seed_accounts(store, &actor, &schools, password_hash).await?;
    super::demo_governance::seed_governance(store, &actor, &schools).await?;
    super::demo_roster::seed_roster(store, usage.then_some(today)).await?;
    Ok(accounts)
}

/// Creates the state, the district and its schools; returns the schools' ids in `SCHOOLS` order.
async fn seed_orgs(store: &Store, actor: &Actor) -> anyhow::Result<Vec<i64>> {
    let org = |kind: &str, parent: i64, name: &str, sourced_id: String, nces_id: &str, level: &str, grades: &str| {
        OrgDraft {
            kind: kind.into(),
            parent_id: if parent > 0 { parent.to_string() } else { String::new() },
            name: name.into(),
            sourced_id,
            nces_id: nces_id.into(),
            school_level: level.into(),
            grades: grades.into(),
        }
        .validate()
        .with_context(|| format!("demo organization {name}"))
    };
    let state = store.create_org(actor, &org("state", 0, STATE, "us-or".into(), "", "", "")?).await?;
    let district = org("district", state, DISTRICT, DISTRICT_SOURCED_ID.into(), DISTRICT_NCES, "", "PK-12")?;
    let district = store.create_org(actor, &district).await?;
    let mut ids = Vec::with_capacity(SCHOOLS.len());
    for (n, (name, _, level, grades, _)) in SCHOOLS.iter().enumerate() {
        let (sourced_id, nces) = super::demo_roster::school_ids(n);
        let input = org("school", district, name, sourced_id, &nces, level, grades)?;
        ids.push(store.create_org(actor, &input).await?);
    }
    Ok(ids)
}

/// Vendors, products, contracts and owners.
async fn seed_catalog(
    store: &Store,
    actor: &Actor,
    today: NaiveDate,
    schools: &[i64],
    categories: &HashMap<String, i64>,
) -> anyhow::Result<()> {
    const CONTACTS: &[&str] = &["partnerships", "sales", "districts", "support", "k12"];
    let (mut i, mut k, mut po) = (0usize, 0usize, 150usize);
    for (v, (vendor_name, domain, products)) in VENDORS.iter().enumerate() {
        let notes = match v % 6 {
            0 => "Signed the state's standard student data privacy agreement.",
            3 => "Account manager visits each spring before renewals.",
            _ => "",
        };
        let vendor = VendorDraft {
            name: (*vendor_name).into(),
            website: format!("https://www.{domain}.example/"),
            contact_email: format!("{}@{domain}.example", CONTACTS[v % CONTACTS.len()]),
            notes: notes.into(),
        }
        .validate()
        .with_context(|| format!("demo vendor {vendor_name}"))?;
        let vendor_id = store.save_vendor(actor, None, &vendor).await?;

        for (n, &(name, category, grades, subjects, description)) in products.iter().enumerate() {
            let (_, kind, data) = CATEGORY_PROFILES
                .iter()
                .find(|p| p.0 == category)
                .with_context(|| format!("no demo profile for category {category}"))?;
            let category_id = *categories.get(category).with_context(|| format!("no category {category}"))?;
            let band = GradeBand::parse(grades).map_err(anyhow::Error::msg)?;
            let status = plan::status(i, category);
            let contracted = status.is_approved() || status == ProductStatus::Retired;
            let facts = Facts { k, flagship: n == 0, category, kind: *kind, grades: band, status };
            let buyers = if status.is_approved() { plan::buyers(k, *kind, band) } else { vec![] };
            let scope = if !buyers.is_empty() {
                "some_schools"
            } else if band.low.number() > 0 && i.is_multiple_of(3) {
                "some_grades"
            } else {
                "district_wide"
            };
            let (dpa, dpa_expires) = plan::dpa(i, !data.is_empty(), status, today);
            let page = slug_of(name);
            let wcag = plan::wcag(i);
            let host = launch_host(vendor_name, name);
            let codes = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
            let draft = ProductDraft {
                name: name.into(),
                vendor_id: vendor_id.to_string(),
                category_id: category_id.to_string(),
                description: description.into(),
                website: format!("https://www.{domain}.example/products/{page}"),
                launch_url: format!("https://{host}.{domain}.example/"),
                grades: grades.into(),
                subjects: codes(subjects),
                platforms: plan::platforms(i, *kind, band).into_iter().map(str::to_owned).collect(),
                sign_on: plan::sign_on(i, *kind).into_iter().map(str::to_owned).collect(),
                interop: plan::interop(i, *kind, category).into_iter().map(str::to_owned).collect(),
                wcag: wcag.into(),
                vpat_url: if matches!(wcag, "a" | "aa" | "aaa") && i.is_multiple_of(2) {
                    format!("https://www.{domain}.example/accessibility/{page}-vpat.pdf")
                } else {
                    String::new()
                },
                data_elements: codes(data),
                third_parties: plan::third_parties(i, !data.is_empty()).into(),
                dpa_status: dpa.into(),
                dpa_expires: dpa_expires.map(|d| d.to_string()).unwrap_or_default(),
                essa_tier: plan::essa_tier(i, *kind).into(),
                status: status.code().into(),
                scope: scope.into(),
                scope_schools: if scope == "some_schools" {
                    buyers.iter().map(|b| schools[*b].to_string()).collect()
                } else {
                    Vec::new()
                },
                // Approved for the lower part of its band, such as a 6–12 product used in 6–8 only.
                scope_grades: if scope == "some_grades" {
                    let high = (band.low.number() + band.high.number()) / 2;
                    GradeBand::from_numbers(band.low.number(), high).map(|g| g.to_string()).unwrap_or_default()
                } else {
                    String::new()
                },
            };
            let input = draft.validate().with_context(|| format!("demo product {name}"))?;
            let product_id = store.create_product(actor, &input).await?;

            let mut paid = false;
            for (school, mut c) in plan::contracts(&facts, &buyers, today, &mut po) {
                c.product_id = product_id.to_string();
                c.school_id = school.map(|s| schools[s].to_string()).unwrap_or_default();
                paid |= c.license_model != "free";
                let input = c.validate().with_context(|| format!("demo contract for {name}"))?;
                store.save_contract(actor, None, &input).await?;
            }
            for owner in owners(i, *kind, category, status, !data.is_empty(), paid)? {
                store.add_owner(actor, product_id, &owner).await?;
            }
            i += 1;
            if contracted {
                k += 1;
            }
        }
    }
    Ok(())
}

/// The people named for a product. Every fifteenth product, from the eighth, has no manager.
fn owners(
    i: usize,
    kind: Kind,
    category: &str,
    status: ProductStatus,
    collects_data: bool,
    paid: bool,
) -> anyhow::Result<Vec<OwnerInput>> {
    let top = TAXONOMY
        .iter()
        .find(|(name, _, children)| *name == category || children.contains(&category))
        .map(|(name, _, _)| *name)
        .with_context(|| format!("category {category} is not in the taxonomy"))?;
    let mut out = Vec::new();
    let mut add = |role: OwnerRole, (name, local): (&str, &str)| {
        out.push(OwnerInput { role, name: name.into(), email: Some(format!("{local}@{STAFF_DOMAIN}")) });
    };
    if i % 15 != 7 {
        let (_, name, local) =
            MANAGERS.iter().find(|m| m.0 == top).with_context(|| format!("no demo manager for {top}"))?;
        add(OwnerRole::Manager, (name, local));
    }
    let reviewing = matches!(status, ProductStatus::Requested | ProductStatus::InReview | ProductStatus::Denied);
    if reviewing || i.is_multiple_of(3) {
        let curricular = matches!(kind, Kind::Content | Kind::Assessment | Kind::SpecialEducation);
        add(OwnerRole::Evaluator, EVALUATORS[usize::from(curricular)]);
    }
    if paid {
        add(OwnerRole::Purchaser, PURCHASERS[i % 2]);
    }
    if matches!(kind, Kind::Content | Kind::Assessment | Kind::Platform) && i.is_multiple_of(4) {
        add(OwnerRole::Trainer, TRAINERS[i / 4 % 2]);
    }
    if collects_data && i % 3 != 2 {
        add(OwnerRole::PrivacySteward, PRIVACY_STEWARDS[i % 2]);
    }
    if matches!(kind, Kind::Platform | Kind::Records | Kind::Safety) || i.is_multiple_of(5) {
        add(OwnerRole::TechnicalContact, TECHNICAL_CONTACTS[i % 2]);
    }
    Ok(out)
}

/// One account per role; school-level roles are placed at the home school.
async fn seed_accounts(
    store: &Store,
    actor: &Actor,
    schools: &[i64],
    password_hash: &str,
) -> anyhow::Result<Vec<DemoAccount>> {
    let home = SCHOOLS.iter().position(|s| s.0 == HOME_SCHOOL).context("the home school is one of the schools")?;
    let mut out = Vec::with_capacity(Role::ALL.len());
    for (role, code, _) in Role::ALL {
        let (_, local, name) =
            ACCOUNTS.iter().find(|a| a.0 == *code).with_context(|| format!("no demo account for {code}"))?;
        let school = role.requires_school().then_some(home);
        let email = format!("{local}@{STAFF_DOMAIN}");
        let input = UserInput {
            email: email.clone(),
            name: (*name).into(),
            role: *role,
            school_id: school.map(|s| schools[s]),
        };
        store.create_user(actor, &input, password_hash).await?;
        out.push(DemoAccount { role: *role, email, school: school.map(|s| SCHOOLS[s].0.to_owned()) });
    }
    Ok(out)
}

/// Lower-case letters and digits, other runs of characters as one hyphen: `Atlas & Quill` → `atlas-quill`.
pub(super) fn slug_of(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::demo_catalog::catalog;
    use std::collections::HashSet;
    use steward_core::enums::LicenseModel;
    use steward_store::{ContractFilter, ProductFilter};

    fn all() -> ProductFilter {
        ProductFilter { per_page: 1000, ..Default::default() }
    }

    #[tokio::test]
    async fn seeds_a_realistic_district_once() {
        let db = steward_store::testing::TestDb::sqlite();
        let store = db.store().await;
        let today = NaiveDate::from_ymd_opt(2026, 3, 15).unwrap();
        let accounts = seed_demo(&store, today, "$argon2id$not-a-real-hash", false).await.unwrap();

        let district = store.district().await.unwrap().unwrap();
        let nces = district.org.nces_id.clone().unwrap();
        let schools = store.schools().await.unwrap();
        assert!((18..=22).contains(&schools.len()), "{} schools", schools.len());
        for s in &schools {
            assert_eq!(s.org.parent_id, Some(district.id));
            assert!(s.org.nces_id.as_deref().unwrap().starts_with(&nces));
            assert!(s.org.school_level.is_some() && s.org.grades.is_some());
        }
        assert!(store.vendors().await.unwrap().len() >= 55);
        // The roster's schools are the demo's own: each has students and teachers, and no organization was added.
        let roster = store.roster_schools(None).await.unwrap();
        assert_eq!(roster.len(), schools.len());
        for r in &roster {
            assert!(schools.iter().any(|s| s.org.sourced_id.as_deref() == Some(r.sourced_id.as_str())), "{}", r.name);
            assert!(r.students > 100 && r.teachers > 5 && r.classes > 10, "{r:?}");
        }
        assert_eq!(store.schools().await.unwrap().len(), schools.len());

        let products = store.products(&all()).await.unwrap();
        assert!((140..=160).contains(&products.total), "{} products", products.total);
        let statuses: HashSet<_> = products.items.iter().map(|p| p.product.status).collect();
        assert_eq!(statuses.len(), ProductStatus::ALL.len());
        let approved = products.items.iter().filter(|p| p.product.status == ProductStatus::Approved).count();
        assert!(approved * 2 > products.items.len(), "most products are approved");
        let requests =
            store.requests(&steward_store::RequestFilter { per_page: 50, ..Default::default() }).await.unwrap();
        let states: HashSet<_> = requests.items.iter().map(|r| r.status).collect();
        assert_eq!(
            states.len(),
            5,
            "requests in review, waiting on their requester, awaiting a decision, approved, denied"
        );
        assert!(!store.infra_profile().await.unwrap().devices.is_empty());
        // The products teachers asked for through requests have no launch address yet; every other one launches
        // from its own host.
        let (catalogued, requested): (Vec<_>, Vec<_>) = products.items.iter().partition(|p| p.launch_domain.is_some());
        assert_eq!(requested.len(), 5, "the demo's requests for new products");
        let domains: HashSet<_> = catalogued.iter().filter_map(|p| p.launch_domain.clone()).collect();
        assert_eq!(domains.len(), catalogued.len(), "every catalog product launches from its own host");
        // The catalog usage is generated against names the same hosts and the same approvals.
        let listed: HashSet<_> = catalog().into_iter().map(|c| (c.launch_domain, c.approved)).collect();
        let stored: HashSet<_> = catalogued
            .iter()
            .map(|p| (p.launch_domain.clone().unwrap_or_default(), p.product.status.is_approved()))
            .collect();
        assert_eq!(listed, stored);
        let shared = products.items.iter().filter(|p| p.buying_schools >= 2).count();
        assert!(shared >= 5, "{shared} products bought by two or more schools");
        let unmanaged = store.products(&ProductFilter { without_manager: true, ..all() }).await.unwrap().total;
        // Ten or so in the catalog, and the five products requested but not yet given one.
        assert!((13..=17).contains(&unmanaged), "{unmanaged} products without a manager");

        let contracts = store.contracts(&ContractFilter::default()).await.unwrap();
        let models: HashSet<_> = contracts.iter().map(|c| c.contract.license_model).collect();
        for (m, code, _) in LicenseModel::ALL {
            assert!(models.contains(m), "no {code} contract");
        }
        assert!(contracts.iter().any(|c| c.contract.school_id.is_none()));
        assert!(contracts.iter().any(|c| c.contract.school_id.is_some()));
        for c in contracts.iter().filter(|c| c.contract.license_model == LicenseModel::Free) {
            assert_eq!(c.contract.cost.minor, 0);
        }
        let ending = |from: u64, to: u64| {
            contracts
                .iter()
                .filter(|c| {
                    let days = (c.contract.end_date - today).num_days();
                    days >= from as i64 && days <= to as i64
                })
                .count()
        };
        let within_90 = store
            .contracts(&ContractFilter {
                ends_from: Some(today),
                ends_until: Some(today + chrono::Days::new(90)),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(within_90.len() >= 8, "{} contracts end within 90 days", within_90.len());
        assert!(ending(0, 30) >= 1 && ending(31, 60) >= 1 && ending(61, 90) >= 1 && ending(91, 180) >= 1);
        assert!(contracts.iter().any(|c| (c.contract.end_date - c.contract.start_date).num_days() > 400));

        assert_eq!(accounts.len(), 8);
        let roles: Vec<Role> = accounts.iter().map(|a| a.role).collect();
        assert_eq!(roles, Role::ALL.iter().map(|(r, _, _)| *r).collect::<Vec<_>>());
        for a in &accounts {
            assert_eq!(a.school.is_some(), a.role.requires_school(), "{a:?}");
        }
        assert_eq!(accounts[0].email, "admin@cedarvalley.example");
        assert_eq!(store.users().await.unwrap().len(), 8);

        let again = seed_demo(&store, today, "$argon2id$not-a-real-hash", false).await;
        assert!(again.is_err(), "a second run must refuse");
        assert_eq!(store.products(&all()).await.unwrap().total, products.total);
        assert_eq!(store.schools().await.unwrap().len(), schools.len());
    }

    #[tokio::test]
    async fn every_run_builds_the_same_district() {
        let today = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
        let mut prints = Vec::new();
        for _ in 0..2 {
            let db = steward_store::testing::TestDb::sqlite();
            let store = db.store().await;
            seed_demo(&store, today, "hash", false).await.unwrap();
            let products = store.products(&all()).await.unwrap().items;
            let contracts = store.contracts(&ContractFilter::default()).await.unwrap();
            let mut print: Vec<String> = products.iter().map(|p| format!("{:?}", p.product)).collect();
            print.extend(contracts.iter().map(|c| format!("{} {:?} {:?}", c.product_name, c.school_name, c.contract)));
            prints.push(print);
        }
        assert_eq!(prints[0], prints[1]);
    }
}
