//! A usage event: the one shape every channel's events become before they are resolved and counted.

use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat};
use sha2::{Digest, Sha256};

/// What happened: a launch, a stretch of use, an activity done, an assessment taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    Launch,
    Session,
    Activity,
    Assessment,
}

impl EventKind {
    pub const ALL: [EventKind; 4] = [Self::Launch, Self::Session, Self::Activity, Self::Assessment];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Launch => "launch",
            Self::Session => "session",
            Self::Activity => "activity",
            Self::Assessment => "assessment",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// How an event names its user: matched against the roster in this order of preference.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum UserRef {
    SourcedId(String),
    Email(String),
    Username(String),
}

impl UserRef {
    /// `kind:value`, the key under which an unmatched user is counted.
    pub fn key(&self) -> String {
        match self {
            Self::SourcedId(v) => format!("sourcedId:{v}"),
            Self::Email(v) => format!("email:{v}"),
            Self::Username(v) => format!("username:{v}"),
        }
    }
}

/// How an event names its product: Steward's id, the host it was used at, or an LTI tool's client id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ProductRef {
    Id(i64),
    Domain(String),
    LtiClient(String),
}

impl ProductRef {
    /// `kind:value`, the key under which an unknown product waits in the discovery queue.
    pub fn key(&self) -> String {
        match self {
            Self::Id(v) => format!("product:{v}"),
            Self::Domain(v) => format!("domain:{v}"),
            Self::LtiClient(v) => format!("lti:{v}"),
        }
    }
}

/// One event as a channel reported it, not yet matched to the roster or the inventory.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageEvent {
    /// The sender's own id of the event, when it gives one: two events with the same id (for the same product
    /// reference) are one event.
    pub id: Option<String>,
    /// When it happened, in the offset the sender gave: the day it counts for is the date there, the school's day.
    pub time: DateTime<FixedOffset>,
    pub user: UserRef,
    pub product: ProductRef,
    /// The school's OneRoster sourcedId, when the sender knows it; otherwise the user's primary school counts.
    pub school: Option<String>,
    pub kind: EventKind,
    pub seconds: u32,
}

/// The longest stretch one event may report: a day.
pub const MAX_SECONDS: u32 = 86_400;

impl UsageEvent {
    /// The date the event counts for: its own local date.
    pub fn day(&self) -> NaiveDate {
        self.time.date_naive()
    }

    /// 128 bits naming the event, the same in every process and every run, so that an event sent twice (in a
    /// re-run backfill, a retried request) is stored and counted once. An event with an id is that id under its
    /// product reference; one without is all of its content.
    pub fn fingerprint(&self) -> [u8; 16] {
        let mut h = Sha256::new();
        match &self.id {
            Some(id) => {
                h.update(b"id\0");
                h.update(self.product.key().as_bytes());
                h.update(b"\0");
                h.update(id.as_bytes());
            }
            None => {
                h.update(b"content\0");
                h.update(self.time.to_utc().to_rfc3339_opts(SecondsFormat::Millis, true).as_bytes());
                for part in [self.user.key(), self.product.key(), self.school.clone().unwrap_or_default()] {
                    h.update(b"\0");
                    h.update(part.as_bytes());
                }
                h.update(b"\0");
                h.update(self.kind.as_str().as_bytes());
                h.update(self.seconds.to_le_bytes());
            }
        }
        let digest = h.finalize();
        let mut out = [0u8; 16];
        out.copy_from_slice(&digest[..16]);
        out
    }
}

/// The host of a URL or a bare host name, lowercased, without `www.`: how products are matched by where they
/// were used. `None` when it names no host.
pub fn host_of(value: &str) -> Option<String> {
    let value = value.trim();
    let host = if value.contains("://") {
        url::Url::parse(value).ok()?.host_str()?.to_owned()
    } else {
        let end = value.find(['/', ':', '?', '#']).unwrap_or(value.len());
        value[..end].to_owned()
    };
    let host = host.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).trim_end_matches('.').to_owned();
    let valid = !host.is_empty()
        && host.split('.').all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    valid.then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> UsageEvent {
        UsageEvent {
            id: None,
            time: DateTime::parse_from_rfc3339("2026-10-05T23:30:00-05:00").unwrap(),
            user: UserRef::SourcedId("stu-1".into()),
            product: ProductRef::Domain("math.example".into()),
            school: None,
            kind: EventKind::Launch,
            seconds: 0,
        }
    }

    #[test]
    fn an_event_counts_for_its_own_local_day() {
        assert_eq!(event().day(), NaiveDate::from_ymd_opt(2026, 10, 5).unwrap());
    }

    #[test]
    fn fingerprints_name_the_event_not_the_offset() {
        let a = event();
        let mut b = event();
        b.time = DateTime::parse_from_rfc3339("2026-10-06T04:30:00Z").unwrap();
        assert_eq!(a.fingerprint(), b.fingerprint(), "the same instant written in another offset");
        b.seconds = 60;
        assert_ne!(a.fingerprint(), b.fingerprint());
        let mut c = event();
        c.id = Some("e-1".into());
        let mut d = event();
        d.id = Some("e-1".into());
        d.seconds = 600;
        assert_eq!(c.fingerprint(), d.fingerprint(), "an id names the event whatever else it says");
        d.product = ProductRef::Domain("reading.example".into());
        assert_ne!(c.fingerprint(), d.fingerprint(), "ids are the sender's, so they are scoped by product");
    }

    #[test]
    fn hosts_are_normalised() {
        assert_eq!(host_of("https://WWW.Math.Example:8443/play?x=1").as_deref(), Some("math.example"));
        assert_eq!(host_of("app.math.example/path").as_deref(), Some("app.math.example"));
        assert_eq!(host_of("math.example.").as_deref(), Some("math.example"));
        assert_eq!(host_of("not a host"), None);
        assert_eq!(host_of(""), None);
    }

    #[test]
    fn kinds_round_trip() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(EventKind::parse("Launch"), None);
    }
}
