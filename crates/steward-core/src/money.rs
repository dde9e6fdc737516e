//! Exact money: an amount in minor units (cents) with an ISO 4217 currency; never floating point.

use serde::{Deserialize, Serialize};

/// The currencies a district may contract in; all have two minor digits.
pub const CURRENCIES: &[&str] = &["USD", "CAD", "EUR", "GBP", "AUD", "NZD", "MXN"];

/// An ISO 4217 currency code from [`CURRENCIES`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Currency(String);

impl Currency {
    pub fn usd() -> Self {
        Currency("USD".into())
    }

    pub fn parse(s: &str) -> Result<Self, String> {
        let c = s.trim().to_ascii_uppercase();
        if CURRENCIES.contains(&c.as_str()) {
            Ok(Currency(c))
        } else {
            Err(format!("'{}' is not a supported currency; expected one of: {}", s.trim(), CURRENCIES.join(", ")))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn symbol(&self) -> &'static str {
        match self.0.as_str() {
            "USD" | "CAD" | "AUD" | "NZD" | "MXN" => "$",
            "EUR" => "€",
            "GBP" => "£",
            _ => "",
        }
    }
}

/// An exact amount of money.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    /// Minor units (cents).
    pub minor: i64,
    pub currency: Currency,
}

/// The largest amount accepted: a trillion in major units.
const MAX_MINOR: i64 = 100_000_000_000_000;

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    /// Parses a non-negative decimal amount such as `1234`, `1,234.5` or `$1,234.50`.
    /// More than two decimal places is an error, never a rounding.
    pub fn parse_amount(s: &str) -> Result<i64, String> {
        let t: String = s.trim().trim_start_matches(['$', '€', '£']).chars().filter(|c| *c != ',').collect();
        if t.is_empty() {
            return Err("is required".into());
        }
        if t.starts_with('-') {
            return Err(format!("'{}' must not be negative", s.trim()));
        }
        let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || (!frac.is_empty() && !digits(frac)) || (t.contains('.') && frac.is_empty()) {
            return Err(format!("'{}' is not an amount of money such as 1234.50", s.trim()));
        }
        if frac.len() > 2 {
            return Err(format!("'{}' has more than two decimal places", s.trim()));
        }
        let whole: i64 = whole.parse().map_err(|_| format!("'{}' is too large", s.trim()))?;
        let cents: i64 = format!("{frac:0<2}").parse().unwrap_or(0);
        whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(cents))
            .filter(|m| *m <= MAX_MINOR)
            .ok_or_else(|| format!("'{}' is too large", s.trim()))
    }

    /// The amount without symbol, as `1234.50` (for forms and CSV).
    pub fn plain(minor: i64) -> String {
        format!("{}{}.{:02}", if minor < 0 { "-" } else { "" }, (minor / 100).abs(), (minor % 100).abs())
    }
}

impl std::fmt::Display for Money {
    /// `$1,234.50` with thousands separators; the code follows for currencies other than USD.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.minor < 0 { "-" } else { "" };
        let major = (self.minor / 100).unsigned_abs().to_string();
        let mut grouped = String::new();
        for (i, ch) in major.chars().enumerate() {
            if i > 0 && (major.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        write!(f, "{sign}{}{grouped}.{:02}", self.currency.symbol(), (self.minor % 100).abs())?;
        if self.currency.as_str() != "USD" {
            write!(f, " {}", self.currency.as_str())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exactly() {
        assert_eq!(Money::parse_amount("1234").unwrap(), 123_400);
        assert_eq!(Money::parse_amount("$1,234.5").unwrap(), 123_450);
        assert_eq!(Money::parse_amount("0.07").unwrap(), 7);
        assert_eq!(Money::parse_amount("0.1").unwrap(), 10);
        for bad in ["", "-5", "1.234", "abc", "1.", ".5", "1e5", "99999999999999999999"] {
            assert!(Money::parse_amount(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn formats_with_groups() {
        assert_eq!(Money::new(123_456_789, Currency::usd()).to_string(), "$1,234,567.89");
        assert_eq!(Money::new(5, Currency::usd()).to_string(), "$0.05");
        assert_eq!(Money::new(100_000, Currency::parse("eur").unwrap()).to_string(), "€1,000.00 EUR");
        assert_eq!(Money::plain(123_450), "1234.50");
    }

    #[test]
    fn currencies_are_checked() {
        assert!(Currency::parse("XYZ").unwrap_err().contains("USD"));
    }
}
