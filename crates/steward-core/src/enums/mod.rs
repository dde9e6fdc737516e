//! The closed vocabularies of the inventory and contracts, each with a stable code and a label.

mod contract;
mod product;

pub use contract::*;
pub use product::*;

/// A closed set of values with a stable code (stored, and used in the API) and a human label.
pub trait Vocabulary: Copy + PartialEq + std::fmt::Debug + Sized + 'static {
    /// What the vocabulary is called in error messages.
    const NAME: &'static str;
    /// Every value with its code and label, in display order.
    const ALL: &'static [(Self, &'static str, &'static str)];

    fn code(self) -> &'static str {
        Self::entry(self).1
    }

    fn label(self) -> &'static str {
        Self::entry(self).2
    }

    fn entry(self) -> &'static (Self, &'static str, &'static str) {
        Self::ALL.iter().find(|(v, _, _)| *v == self).expect("every value is listed in ALL")
    }

    /// Parses a code, case-insensitively; the error lists what is allowed.
    fn parse(code: &str) -> Result<Self, String> {
        let c = code.trim();
        Self::ALL.iter().find(|(_, k, _)| k.eq_ignore_ascii_case(c)).map(|(v, _, _)| *v).ok_or_else(|| {
            let allowed: Vec<&str> = Self::ALL.iter().map(|(_, k, _)| *k).collect();
            format!("'{c}' is not a {}; expected one of: {}", Self::NAME, allowed.join(", "))
        })
    }

    /// Parses a list of codes, rejecting duplicates.
    fn parse_list<S: AsRef<str>>(codes: &[S]) -> Result<Vec<Self>, String> {
        let mut out: Vec<Self> = Vec::new();
        for code in codes.iter().map(|c| c.as_ref().trim()).filter(|c| !c.is_empty()) {
            let v = Self::parse(code)?;
            if out.contains(&v) {
                return Err(format!("'{code}' is listed twice"));
            }
            out.push(v);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    fn codes_unique<V: Vocabulary + Serialize>() {
        for (v, c, _) in V::ALL {
            assert_eq!(serde_json::to_value(v).unwrap(), serde_json::json!(c), "serde code of {c}");
        }
        let codes: std::collections::HashSet<_> = V::ALL.iter().map(|(_, c, _)| *c).collect();
        assert_eq!(codes.len(), V::ALL.len(), "{}", V::NAME);
        for (v, c, _) in V::ALL {
            assert_eq!(V::parse(c).unwrap(), *v);
        }
    }

    #[test]
    fn every_vocabulary_round_trips() {
        codes_unique::<ProductStatus>();
        codes_unique::<Scope>();
        codes_unique::<Subject>();
        codes_unique::<Platform>();
        codes_unique::<SignOn>();
        codes_unique::<Interop>();
        codes_unique::<WcagLevel>();
        codes_unique::<DpaStatus>();
        codes_unique::<EssaTier>();
        codes_unique::<DataElement>();
        codes_unique::<LicenseModel>();
        codes_unique::<FundingSource>();
        codes_unique::<OwnerRole>();
    }

    #[test]
    fn parse_errors_list_the_allowed_values() {
        let e = LicenseModel::parse("per_classroom").unwrap_err();
        assert!(e.contains("per_seat") && e.contains("'per_classroom'"), "{e}");
        assert!(Subject::parse_list(&["math", "MATH"]).unwrap_err().contains("twice"));
    }
}
