//! License utilization: who a contract's seats are for under its license model, how many seats it gives, and
//! how many of them people used.

use crate::enums::LicenseModel;

/// Whose use fills a contract's seats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Counted {
    Students,
    Teachers,
    Everyone,
}

impl Counted {
    pub fn of(model: LicenseModel) -> Counted {
        match model {
            LicenseModel::PerStudent => Counted::Students,
            LicenseModel::PerTeacher => Counted::Teachers,
            _ => Counted::Everyone,
        }
    }
}

/// The seats a contract gives: its seat count, or for a model that licenses a population without counting seats
/// (per student or teacher with no count, a site, the district), that population. A free product has none.
pub fn seats(model: LicenseModel, seats: Option<i64>, population: u64) -> Option<u64> {
    let counted = seats.and_then(|s| u64::try_from(s).ok());
    match model {
        LicenseModel::Free => None,
        LicenseModel::PerSeat => counted,
        LicenseModel::PerStudent | LicenseModel::PerTeacher | LicenseModel::Site | LicenseModel::District => {
            counted.or(Some(population))
        }
    }
}

/// A contract's use against its seats over the trailing 30 and 90 days and its term to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Utilization {
    pub seats: Option<u64>,
    pub active_30: u64,
    pub active_90: u64,
    pub active_term: u64,
}

impl Utilization {
    /// `active` as a share of the seats, when there are seats.
    pub fn rate(&self, active: u64) -> Option<f64> {
        self.seats.filter(|s| *s > 0).map(|s| active as f64 / s as f64)
    }

    /// Seats nobody has used this term.
    pub fn never_activated(&self) -> Option<u64> {
        self.seats.map(|s| s.saturating_sub(self.active_term))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seats_follow_the_license_model() {
        assert_eq!(seats(LicenseModel::PerSeat, Some(120), 900), Some(120));
        assert_eq!(seats(LicenseModel::PerSeat, None, 900), None, "a per-seat contract without a count says nothing");
        assert_eq!(seats(LicenseModel::PerStudent, None, 900), Some(900), "every student of the school");
        assert_eq!(seats(LicenseModel::PerStudent, Some(500), 900), Some(500));
        assert_eq!(seats(LicenseModel::Site, None, 950), Some(950));
        assert_eq!(seats(LicenseModel::Free, Some(10), 950), None);
        assert_eq!(Counted::of(LicenseModel::PerTeacher), Counted::Teachers);
        assert_eq!(Counted::of(LicenseModel::District), Counted::Everyone);
    }

    #[test]
    fn rates_and_seats_never_used() {
        let u = Utilization { seats: Some(200), active_30: 50, active_90: 120, active_term: 150 };
        assert_eq!(u.rate(u.active_30), Some(0.25));
        assert_eq!(u.never_activated(), Some(50));
        let over = Utilization { seats: Some(100), active_30: 130, active_90: 140, active_term: 150 };
        assert_eq!(over.never_activated(), Some(0), "more people than seats: none unused");
        let free = Utilization { seats: None, active_30: 5, active_90: 5, active_term: 5 };
        assert_eq!((free.rate(5), free.never_activated()), (None, None));
    }
}
