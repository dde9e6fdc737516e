//! The demo catalog as usage sees it: each product's launch host and whether it is approved, for the usage
//! generator and the demo's own seeding alike.

use super::demo::slug_of;
use super::demo_plan as plan;
use super::demo_vendors::VENDORS;
use steward_core::grade::GradeBand;

/// The first label of the host a demo product launches from: its name without the words it shares with its
/// vendor's (`Numberwell Fact Fluency` → `fact-fluency`), or `app`.
pub(super) fn launch_host(vendor_name: &str, product_name: &str) -> String {
    let words = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
    let shared = words(product_name).iter().zip(words(vendor_name)).take_while(|(a, b)| **a == *b).count();
    match slug_of(&words(product_name)[shared..].join(" ")) {
        s if s.is_empty() => "app".to_owned(),
        s => s,
    }
}

/// A product of the demo catalog, as usage sees it.
#[derive(Debug, Clone)]
pub struct CatalogProduct {
    /// The host it launches from, which usage events name.
    pub launch_domain: String,
    pub grades: GradeBand,
    /// Approved (with or without conditions): what schools use.
    pub approved: bool,
}

/// The demo catalog's products in the order they are created.
pub fn catalog() -> Vec<CatalogProduct> {
    let mut out = Vec::new();
    for (vendor_name, domain, products) in VENDORS {
        for &(name, category, grades, _, _) in products.iter() {
            let i = out.len();
            out.push(CatalogProduct {
                launch_domain: format!("{}.{domain}.example", launch_host(vendor_name, name)),
                grades: GradeBand::parse(grades).expect("the demo catalog's grade bands parse"),
                approved: plan::status(i, category).is_approved(),
            });
        }
    }
    out
}
