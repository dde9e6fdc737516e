//! Grades KG–12 and grade bands as inclusive ranges of them.

use serde::{Deserialize, Serialize};

/// A grade from pre-kindergarten (-1) and kindergarten (0) to 12.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Grade(i8);

impl Grade {
    pub const PK: Grade = Grade(-1);
    pub const KG: Grade = Grade(0);
    pub const TWELVE: Grade = Grade(12);

    pub fn new(n: i64) -> Result<Self, String> {
        if (-1..=12).contains(&n) {
            Ok(Grade(n as i8))
        } else {
            Err(format!("grade {n} is outside PK–12"))
        }
    }

    pub fn number(self) -> i64 {
        i64::from(self.0)
    }

    /// Parses `PK`, `K`/`KG`, or a number 1–12 (leading zeros allowed, as OneRoster writes `01`).
    pub fn parse(s: &str) -> Result<Self, String> {
        let t = s.trim();
        match t.to_ascii_uppercase().as_str() {
            "PK" | "PREK" => Ok(Self::PK),
            "K" | "KG" | "0" | "00" => Ok(Self::KG),
            _ => t
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=12).contains(n))
                .map(|n| Grade(n as i8))
                .ok_or_else(|| format!("'{t}' is not a grade; expected PK, K or 1–12")),
        }
    }
}

impl std::fmt::Display for Grade {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            -1 => f.write_str("PK"),
            0 => f.write_str("K"),
            n => write!(f, "{n}"),
        }
    }
}

/// An inclusive range of grades, such as K–5 or 9–12.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GradeBand {
    pub low: Grade,
    pub high: Grade,
}

impl GradeBand {
    pub fn new(low: Grade, high: Grade) -> Result<Self, String> {
        if low > high {
            Err(format!("the lowest grade {low} is above the highest grade {high}"))
        } else {
            Ok(Self { low, high })
        }
    }

    /// Parses `K-5`, `K–5`, `9-12`, or a single grade.
    pub fn parse(s: &str) -> Result<Self, String> {
        let t = s.trim().replace(['–', '—'], "-");
        match t.split_once('-') {
            Some((a, b)) => Self::new(Grade::parse(a)?, Grade::parse(b)?),
            None => {
                let g = Grade::parse(&t)?;
                Ok(Self { low: g, high: g })
            }
        }
    }

    pub fn from_numbers(low: i64, high: i64) -> Result<Self, String> {
        Self::new(Grade::new(low)?, Grade::new(high)?)
    }

    pub fn overlaps(self, other: GradeBand) -> bool {
        self.low <= other.high && other.low <= self.high
    }

    pub fn contains(self, g: Grade) -> bool {
        self.low <= g && g <= self.high
    }
}

impl std::fmt::Display for GradeBand {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.low == self.high {
            write!(f, "{}", self.low)
        } else {
            write!(f, "{}–{}", self.low, self.high)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bands() {
        assert_eq!(GradeBand::parse("K-5").unwrap().to_string(), "K–5");
        assert_eq!(GradeBand::parse("09–12").unwrap().to_string(), "9–12");
        assert_eq!(GradeBand::parse("PK").unwrap().to_string(), "PK");
        assert!(GradeBand::parse("5-K").unwrap_err().contains("above"));
        assert!(GradeBand::parse("K-13").is_err());
        assert!(GradeBand::parse("").is_err());
    }

    #[test]
    fn overlap_is_symmetric_and_inclusive() {
        let a = GradeBand::parse("K-5").unwrap();
        let b = GradeBand::parse("5-8").unwrap();
        let c = GradeBand::parse("6-8").unwrap();
        assert!(a.overlaps(b) && b.overlaps(a));
        assert!(!a.overlaps(c));
        assert!(a.contains(Grade::KG) && !a.contains(Grade::new(6).unwrap()));
    }
}
