//! The demo district's governance: its infrastructure profile, privacy facts for the products with a signed DPA,
//! and requests at every point of the hybrid policy's way — under review, waiting on the requester, awaiting a
//! decision, approved with conditions and denied — so that every governance page shows real work.

use anyhow::Context;
use std::collections::HashMap;
use steward_core::enums::{DpaStatus, Platform, SignOn};
use steward_core::governance::infra::{Browser, InfraProfile, Lms, RosterMethod};
use steward_core::governance::privacy::PrivacyFacts;
use steward_core::governance::request::{FinalDecisionDraft, RequestDraft, StageDecision};
use steward_core::role::Role;
use steward_store::{Actor, ProductFilter, StageAction, Store, User};

pub async fn seed_governance(store: &Store, actor: &Actor, schools: &[i64]) -> anyhow::Result<()> {
    let profile = InfraProfile {
        devices: vec![
            (Platform::Chromeos, 9_200),
            (Platform::Windows, 1_150),
            (Platform::Macos, 240),
            (Platform::Ipados, 1_400),
        ],
        browsers: vec![Browser::Chrome, Browser::Edge, Browser::Safari],
        identity: vec![SignOn::Google, SignOn::Classlink],
        lms: vec![Lms::Canvas],
        lms_lti13: true,
        sis: Some("PowerSchool".into()),
        rostering: Some(RosterMethod::OneRosterRest),
        content_filter: Some("GoGuardian".into()),
        bandwidth: schools.iter().enumerate().map(|(i, s)| (*s, if i < 4 { 2_000 } else { 1_000 })).collect(),
    };
    store.save_infra_profile(actor, &profile).await?;

    let products = store.products(&ProductFilter { per_page: 10_000, ..Default::default() }).await?.items;
    for p in products.iter().filter(|p| p.product.dpa_status == DpaStatus::Signed) {
        let facts = PrivacyFacts {
            purposes: Some("Instruction and progress monitoring in the district's classes only.".into()),
            subcontractors: Some("Hosting providers bound by the same terms as the vendor.".into()),
            deletion: Some("Deleted or returned within 60 days of the contract's end.".into()),
            storage: Some("Data centers in the United States; encrypted in transit and at rest.".into()),
            challenge: Some("Ask the school office; the district has the vendor correct it within 30 days.".into()),
            dpa_signed: p.product.dpa_expires.and_then(|d| d.checked_sub_months(chrono::Months::new(36))),
            ndpa_version: Some("NDPA v2".into()),
            general_offer: true,
            ..PrivacyFacts::default()
        };
        store.save_product_privacy(actor, p.id, &facts, None).await?;
    }

    let users: HashMap<Role, User> = store.users().await?.into_iter().map(|u| (u.role, u)).collect();
    let who = |r: Role| users.get(&r).with_context(|| format!("a demo account for {r:?}"));
    let teacher = who(Role::Teacher)?;
    let school = teacher.school_id.context("the demo teacher's school")?.to_string();
    let category = |name: &str| -> anyhow::Result<String> {
        let p = products.iter().find(|p| p.category_name == name).with_context(|| format!("a product in {name}"))?;
        Ok(p.product.category_id.to_string())
    };
    let ask =
        |name: &str, vendor: &str, cat: String, grades: &str, users: &str, cost: &str, purpose: &str| RequestDraft {
            name: name.into(),
            vendor_name: vendor.into(),
            category_id: cat,
            purpose: purpose.into(),
            grades: grades.into(),
            schools: vec![school.clone()],
            expected_users: users.into(),
            cost: cost.into(),
            data_elements: vec!["name".into(), "email".into()],
            ..Default::default()
        };
    let pass = StageAction { decision: StageDecision::Pass, note: None, details: None, facts: None };
    let decide = |role: Role, id: i64, position: i64, action: StageAction| {
        let user = who(role).cloned();
        async move { store.decide_stage(&user?, id, position, &action).await.map_err(anyhow::Error::from) }
    };

    // Under technical review.
    let math = category("Math practice")?;
    let input = ask(
        "Fraction Forest",
        "Sprout Learning",
        math.clone(),
        "3-5",
        "180",
        "6,500",
        "Fractions practice with immediate feedback.",
    );
    store.create_request(teacher, &input.validate().map_err(|e| anyhow::anyhow!("{e}"))?).await?;

    // Waiting on the requester: the privacy reviewer asked a question.
    let input = ask("Tally Town", "Abacus Row", math.clone(), "K-2", "90", "1,200", "Counting games for early grades.");
    let id = store.create_request(teacher, &input.validate().map_err(|e| anyhow::anyhow!("{e}"))?).await?;
    decide(Role::TechnologyReviewer, id, 1, pass.clone()).await?;
    let question = "Does it keep students' names after the school year?";
    decide(
        Role::PrivacyReviewer,
        id,
        2,
        StageAction { decision: StageDecision::NeedsInfo, note: Some(question.into()), ..pass.clone() },
    )
    .await?;

    // Every stage passed, awaiting the decision; then one approved with conditions and one denied.
    let science = category("Virtual labs & simulations").or_else(|_| category("Science curriculum"))?;
    for (name, vendor, outcome) in [
        ("Orbit Lab", "Starfield Learning", None),
        ("Circuit Sandbox", "Voltage Education", Some("approved_with_conditions")),
        ("Quiz Blaster", "Blaster Games", Some("denied")),
    ] {
        let input =
            ask(name, vendor, science.clone(), "6-8", "300", "8,000", "Hands-on simulations for middle school.");
        let id = store.create_request(teacher, &input.validate().map_err(|e| anyhow::anyhow!("{e}"))?).await?;
        if outcome == Some("denied") {
            let fail = StageAction {
                decision: StageDecision::Fail,
                note: Some("Runs only on Windows; 85% of our devices are Chromebooks.".into()),
                ..pass.clone()
            };
            decide(Role::TechnologyReviewer, id, 1, fail).await?;
            continue;
        }
        let stages = store.request(id).await?.stages;
        for s in stages {
            decide(s.reviewer_role, id, s.position, pass.clone()).await?;
        }
        if let Some(verdict) = outcome {
            let d = FinalDecisionDraft {
                decision: verdict.into(),
                conditions: vec!["teacher_accounts_only".into()],
                conditions_text: "Piloted in one school this year, then reviewed.".into(),
                scope: "some_schools".into(),
                scope_schools: vec![school.clone()],
                ..Default::default()
            };
            let d = d.validate().map_err(|e| anyhow::anyhow!("{e}"))?;
            store.decide_request(who(Role::DistrictAdmin)?, id, &d).await?;
        }
    }
    Ok(())
}
