//! Properties of the parsers every form and API body goes through: they never panic, and what they print they
//! read back unchanged.

use proptest::prelude::*;
use steward_core::enums::{LicenseModel, Subject, Vocabulary};
use steward_core::grade::{Grade, GradeBand};
use steward_core::money::{Currency, Money};
use steward_core::product::ProductDraft;

proptest! {
    #[test]
    fn money_reads_back_what_it_prints(minor in 0i64..100_000_000_000_000) {
        prop_assert_eq!(Money::parse_amount(&Money::plain(minor)), Ok(minor));
        let shown = Money::new(minor, Currency::usd()).to_string();
        prop_assert_eq!(Money::parse_amount(&shown), Ok(minor), "{}", shown);
    }

    #[test]
    fn money_never_panics_and_never_goes_negative(s in "\\PC{0,24}") {
        if let Ok(minor) = Money::parse_amount(&s) {
            prop_assert!(minor >= 0);
        }
    }

    #[test]
    fn grade_bands_read_back_what_they_print(a in -1i64..=12, b in -1i64..=12) {
        let (low, high) = (a.min(b), a.max(b));
        let band = GradeBand::from_numbers(low, high).unwrap();
        prop_assert_eq!(GradeBand::parse(&band.to_string()), Ok(band));
        prop_assert!(band.contains(Grade::new(low).unwrap()) && band.overlaps(band));
    }

    #[test]
    fn grade_bands_never_panic(s in "\\PC{0,12}") {
        if let Ok(band) = GradeBand::parse(&s) {
            prop_assert!(band.low <= band.high);
        }
    }

    #[test]
    fn vocabularies_accept_only_their_codes(s in "\\PC{0,30}") {
        match Subject::parse(&s) {
            Ok(v) => prop_assert!(v.code().eq_ignore_ascii_case(s.trim())),
            Err(e) => prop_assert!(e.contains("expected one of")),
        }
        let _ = LicenseModel::parse(&s);
    }

    #[test]
    fn a_product_draft_of_any_text_is_either_valid_or_names_its_fields(
        name in "\\PC{0,40}", grades in "\\PC{0,8}", website in "\\PC{0,30}", dpa in "\\PC{0,12}",
    ) {
        let d = ProductDraft {
            name, grades, website, dpa_status: dpa, vendor_id: "1".into(), category_id: "1".into(), ..Default::default()
        };
        match d.validate() {
            Ok(p) => prop_assert_eq!(p.to_draft().validate(), Ok(p)),
            Err(errors) => prop_assert!(errors.iter().all(|e| !e.field.is_empty() && !e.message.is_empty())),
        }
    }
}
