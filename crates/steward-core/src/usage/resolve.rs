//! Matching an event to the roster and the inventory: its person, product and school, or what it could not match.

use super::event::{host_of, EventKind, ProductRef, UsageEvent, UserRef};
use super::utilization::Counted;
use chrono::{DateTime, NaiveDate, Utc};
use roaring::RoaringBitmap;
use std::collections::{HashMap, HashSet};

/// Everything events are matched against, read from the store at once: people by sourcedId, e-mail and username
/// (each with a dense id, which rollup bitmaps hold, and their school), schools by sourcedId, products by id, by
/// the host they launch from and by LTI client id.
#[derive(Debug, Default)]
pub struct Directory {
    by_sourced_id: HashMap<Box<str>, u32>,
    by_email: HashMap<Box<str>, u32>,
    by_username: HashMap<Box<str>, u32>,
    /// Each person's school (a Steward org id), 0 when none, indexed by person id.
    home: Vec<i64>,
    /// Each person's role: students and teachers, indexed by person id.
    roles: Vec<Option<Counted>>,
    /// Every population asked for once, by (school, whose use counts): computed in one pass over the people.
    populations: std::sync::OnceLock<HashMap<(Option<i64>, Counted), RoaringBitmap>>,
    schools: HashMap<Box<str>, i64>,
    products: HashSet<i64>,
    domains: HashMap<Box<str>, i64>,
    lti_clients: HashMap<Box<str>, i64>,
}

/// An event matched as far as it could be.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub fingerprint: [u8; 16],
    pub day: NaiveDate,
    pub at: DateTime<Utc>,
    /// The product's id, or the key it waits under in the discovery queue.
    pub product: Result<i64, String>,
    /// The person's dense id, or the key an unmatched user is counted under.
    pub person: Result<u32, String>,
    /// The Steward school it counts for, when known.
    pub school: Option<i64>,
    pub kind: EventKind,
    pub seconds: u32,
}

impl Directory {
    /// A person with dense id `id`; `school` is their primary school's Steward id, when they have one.
    pub fn add_person(&mut self, id: u32, sourced_id: &str, email: Option<&str>, username: Option<&str>, school: i64) {
        self.by_sourced_id.insert(sourced_id.into(), id);
        if let Some(e) = email.map(str::trim).filter(|e| !e.is_empty()) {
            self.by_email.entry(e.to_lowercase().into()).or_insert(id);
        }
        if let Some(u) = username.map(str::trim).filter(|u| !u.is_empty()) {
            self.by_username.entry(u.into()).or_insert(id);
        }
        let slot = id as usize;
        if self.home.len() <= slot {
            self.home.resize(slot + 1, 0);
        }
        self.home[slot] = school;
    }

    /// Person `id` is a student or a teacher (`Counted::Students` or `Counted::Teachers`).
    pub fn set_role(&mut self, id: u32, role: Counted) {
        let slot = id as usize;
        if self.roles.len() <= slot {
            self.roles.resize(slot + 1, None);
        }
        self.roles[slot] = Some(role);
    }

    /// The people of `school` (or of the whole district) whose use a contract counts: its students, its teachers,
    /// or everyone rostered there.
    pub fn population(&self, school: Option<i64>, counted: Counted) -> RoaringBitmap {
        let all = self.populations.get_or_init(|| {
            let mut all: HashMap<(Option<i64>, Counted), RoaringBitmap> = HashMap::new();
            for (id, home) in self.home.iter().enumerate() {
                let role = self.roles.get(id).copied().flatten();
                if role.is_none() && *home == 0 {
                    continue;
                }
                let schools = [None, Some(*home).filter(|h| *h != 0)];
                for s in schools.into_iter().enumerate().filter(|(i, s)| *i == 0 || s.is_some()).map(|(_, s)| s) {
                    all.entry((s, Counted::Everyone)).or_default().insert(id as u32);
                    if let Some(r) = role {
                        all.entry((s, r)).or_default().insert(id as u32);
                    }
                }
            }
            all
        });
        all.get(&(school, counted)).cloned().unwrap_or_default()
    }

    pub fn add_school(&mut self, sourced_id: &str, id: i64) {
        self.schools.insert(sourced_id.into(), id);
    }

    /// A product of the inventory, with the host it launches from when it has one.
    pub fn add_product(&mut self, id: i64, launch_domain: Option<&str>) {
        self.products.insert(id);
        if let Some(host) = launch_domain.and_then(host_of) {
            self.domains.entry(host.into()).or_insert(id);
        }
    }

    /// Another name the product is known by: `domain` (a host) or `lti_client` (an LTI client id).
    pub fn add_alias(&mut self, kind: &str, value: &str, product: i64) {
        match kind {
            "domain" => {
                if let Some(host) = host_of(value) {
                    self.domains.insert(host.into(), product);
                }
            }
            "lti_client" => {
                self.lti_clients.insert(value.into(), product);
            }
            _ => {}
        }
    }

    pub fn people(&self) -> usize {
        self.by_sourced_id.len()
    }

    /// The school of person `id`, when they have one.
    pub fn home_school(&self, id: u32) -> Option<i64> {
        self.home.get(id as usize).copied().filter(|s| *s != 0)
    }

    pub fn person(&self, user: &UserRef) -> Option<u32> {
        match user {
            UserRef::SourcedId(v) => self.by_sourced_id.get(v.as_str()),
            UserRef::Email(v) => self.by_email.get(v.as_str()),
            UserRef::Username(v) => self.by_username.get(v.as_str()),
        }
        .copied()
    }

    /// A product by id, LTI client or host; a host matches a product launched from it or from a domain above it
    /// (`app.math.example` is `math.example`'s).
    pub fn product(&self, product: &ProductRef) -> Option<i64> {
        match product {
            ProductRef::Id(id) => self.products.contains(id).then_some(*id),
            ProductRef::LtiClient(c) => self.lti_clients.get(c.as_str()).copied(),
            ProductRef::Domain(host) => {
                let mut rest = host.as_str();
                loop {
                    if let Some(id) = self.domains.get(rest) {
                        return Some(*id);
                    }
                    match rest.split_once('.') {
                        Some((_, parent)) if parent.contains('.') => rest = parent,
                        _ => return None,
                    }
                }
            }
        }
    }

    pub fn resolve(&self, e: &UsageEvent) -> Resolved {
        let person = self.person(&e.user).ok_or_else(|| e.user.key());
        let named_school = e.school.as_deref().and_then(|s| self.schools.get(s).copied());
        let school = named_school.or_else(|| person.as_ref().ok().and_then(|p| self.home_school(*p)));
        Resolved {
            fingerprint: e.fingerprint(),
            day: e.day(),
            at: e.time.to_utc(),
            product: self.product(&e.product).ok_or_else(|| e.product.key()),
            person,
            school,
            kind: e.kind,
            seconds: e.seconds,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn directory() -> Directory {
        let mut d = Directory::default();
        d.add_school("sch-1", 11);
        d.add_school("sch-2", 12);
        d.add_person(1, "stu-1", Some("Ana@District.org"), Some("ana"), 11);
        d.add_person(2, "tea-1", None, None, 0);
        d.add_product(5, Some("math.example"));
        d.add_product(6, None);
        d.add_alias("lti_client", "client-77", 6);
        d
    }

    fn event(user: UserRef, product: ProductRef, school: Option<&str>) -> UsageEvent {
        UsageEvent {
            id: None,
            time: DateTime::parse_from_rfc3339("2026-10-05T08:00:00-05:00").unwrap(),
            user,
            product,
            school: school.map(Into::into),
            kind: EventKind::Launch,
            seconds: 0,
        }
    }

    #[test]
    fn people_match_by_each_identifier() {
        let d = directory();
        assert_eq!(d.person(&UserRef::SourcedId("stu-1".into())), Some(1));
        assert_eq!(d.person(&UserRef::Email("ana@district.org".into())), Some(1));
        assert_eq!(d.person(&UserRef::Username("ana".into())), Some(1));
        assert_eq!(d.person(&UserRef::Username("Ana".into())), None, "usernames are exact");
    }

    #[test]
    fn products_match_by_id_client_and_host_or_a_domain_above_it() {
        let d = directory();
        assert_eq!(d.product(&ProductRef::Id(5)), Some(5));
        assert_eq!(d.product(&ProductRef::Id(99)), None, "an id not in the inventory");
        assert_eq!(d.product(&ProductRef::LtiClient("client-77".into())), Some(6));
        assert_eq!(d.product(&ProductRef::Domain("play.app.math.example".into())), Some(5));
        assert_eq!(d.product(&ProductRef::Domain("example".into())), None);
        assert_eq!(d.product(&ProductRef::Domain("other.example".into())), None);
    }

    #[test]
    fn populations_are_a_schools_students_teachers_or_everyone() {
        let mut d = directory();
        d.add_person(3, "stu-2", None, None, 11);
        d.set_role(1, Counted::Students);
        d.set_role(3, Counted::Students);
        d.set_role(2, Counted::Teachers);
        let ids = |b: RoaringBitmap| b.iter().collect::<Vec<u32>>();
        assert_eq!(ids(d.population(Some(11), Counted::Students)), [1, 3]);
        assert_eq!(ids(d.population(None, Counted::Teachers)), [2]);
        assert_eq!(ids(d.population(Some(11), Counted::Everyone)), [1, 3]);
        assert_eq!(ids(d.population(None, Counted::Everyone)), [1, 2, 3]);
    }

    #[test]
    fn the_school_named_wins_then_the_persons_own() {
        let d = directory();
        let r = d.resolve(&event(UserRef::SourcedId("stu-1".into()), ProductRef::Id(5), Some("sch-2")));
        assert_eq!((r.person.clone(), r.product.clone(), r.school), (Ok(1), Ok(5), Some(12)));
        let r = d.resolve(&event(UserRef::SourcedId("stu-1".into()), ProductRef::Id(5), Some("unknown")));
        assert_eq!(r.school, Some(11));
        let r = d.resolve(&event(UserRef::SourcedId("tea-1".into()), ProductRef::Id(5), None));
        assert_eq!(r.school, None, "a person with no school and an event naming none");
        let r = d.resolve(&event(UserRef::Email("x@y.org".into()), ProductRef::Domain("new.example".into()), None));
        assert_eq!((r.person, r.product), (Err("email:x@y.org".into()), Err("domain:new.example".into())));
    }
}
