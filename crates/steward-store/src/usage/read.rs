//! Reading usage: exact distinct users over any range from the day and month rollups, daily series, the discovery
//! queue and the users no roster record matched.

use super::ingest::json_list;
use crate::row::decode_error;
use crate::{Result, Store, StoreError};
use chrono::NaiveDate;
use futures_util::TryStreamExt;
use serde::Serialize;
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};
use steward_core::usage::{Counts, Period, ANY_PRODUCT, EVERY_SCHOOL};

/// Which schools' rollups a read takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchoolCut {
    /// The whole district: every school together, with events whose school is unknown.
    Every,
    One(i64),
    /// Each school apart.
    Each,
}

/// What to read: one product (or [`ANY_PRODUCT`], people active on any of them) or each product apart (`None`),
/// which schools, and the days `from..=to`.
#[derive(Debug, Clone, Copy)]
pub struct UsageFilter {
    pub product: Option<i64>,
    pub schools: SchoolCut,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// A product's use at a school (or [`EVERY_SCHOOL`]) over a range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UsageTotals {
    pub product_id: i64,
    pub school_id: i64,
    /// Distinct people active, exactly.
    pub active: u64,
    pub events: i64,
    pub launches: i64,
    pub seconds: i64,
}

/// An unknown product in the discovery queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Discovery {
    pub id: i64,
    /// `domain:host`, `lti:client` or `product:id`.
    pub key: String,
    pub first_seen: String,
    pub last_seen: String,
    pub events: i64,
    pub users: u64,
    pub schools: Vec<i64>,
    pub state: String,
    pub product_id: Option<i64>,
}

/// A user no roster record matched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StrangerRow {
    pub key: String,
    pub first_seen: String,
    pub last_seen: String,
    pub events: i64,
    pub products: Vec<i64>,
}

fn discovery(r: &sqlx::any::AnyRow) -> Result<Discovery> {
    let schools: String = r.try_get("schools")?;
    Ok(Discovery {
        id: r.try_get("id")?,
        key: r.try_get("product_key")?,
        first_seen: r.try_get("first_seen")?,
        last_seen: r.try_get("last_seen")?,
        events: r.try_get("events")?,
        users: users_of(r)?.len(),
        schools: schools.split(',').filter_map(|s| s.parse().ok()).collect(),
        state: r.try_get("state")?,
        product_id: r.try_get("product_id")?,
    })
}

fn users_of(r: &sqlx::any::AnyRow) -> Result<roaring::RoaringBitmap> {
    let bytes: Vec<u8> = r.try_get("users")?;
    Counts::users_from_bytes(&bytes).map_err(|e| decode_error("users", e.to_string()))
}

impl Store {
    /// Per (product, school): the merged rollups of the range, distinct users exact. The periods read are the
    /// range's whole months and the days at its ends.
    pub async fn usage_counts(&self, f: &UsageFilter) -> Result<BTreeMap<(i64, i64), Counts>> {
        if f.to < f.from {
            return Err(StoreError::invalid("to", "the range ends before it starts"));
        }
        let periods: Vec<String> = Period::cover(f.from, f.to).iter().map(Period::text).collect();
        let mut sql = format!(
            "SELECT product_id, school_id, users, events, launches, seconds FROM usage_rollups WHERE {}",
            self.backend.in_json_list("period").replace('?', "$1")
        );
        let mut ints = Vec::new();
        match f.product {
            Some(p) => {
                sql.push_str(&format!(" AND product_id = ${}", 2 + ints.len()));
                ints.push(p);
            }
            None => sql.push_str(&format!(" AND product_id <> {ANY_PRODUCT}")),
        }
        match f.schools {
            SchoolCut::Every => {
                sql.push_str(&format!(" AND school_id = ${}", 2 + ints.len()));
                ints.push(EVERY_SCHOOL);
            }
            SchoolCut::One(s) => {
                sql.push_str(&format!(" AND school_id = ${}", 2 + ints.len()));
                ints.push(s);
            }
            SchoolCut::Each => sql.push_str(&format!(" AND school_id <> {EVERY_SCHOOL}")),
        }
        let mut q = sqlx::query(&sql).bind(json_list(&periods));
        for i in ints {
            q = q.bind(i);
        }
        let mut out: BTreeMap<(i64, i64), Counts> = BTreeMap::new();
        let mut rows = q.fetch(&self.pool);
        while let Some(r) = rows.try_next().await? {
            let c = Counts {
                users: users_of(&r)?,
                events: r.try_get("events")?,
                launches: r.try_get("launches")?,
                seconds: r.try_get("seconds")?,
            };
            out.entry((r.try_get("product_id")?, r.try_get("school_id")?)).or_default().merge(&c);
        }
        Ok(out)
    }

    /// [`Store::usage_counts`] as totals, most active first.
    pub async fn usage_totals(&self, f: &UsageFilter) -> Result<Vec<UsageTotals>> {
        let mut out: Vec<UsageTotals> = self
            .usage_counts(f)
            .await?
            .into_iter()
            .map(|((product_id, school_id), c)| UsageTotals {
                product_id,
                school_id,
                active: c.users.len(),
                events: c.events,
                launches: c.launches,
                seconds: c.seconds,
            })
            .collect();
        out.sort_by(|a, b| b.active.cmp(&a.active).then(a.product_id.cmp(&b.product_id)));
        Ok(out)
    }

    /// Day by day over `from..=to`: distinct people active on `product` (or on any, [`ANY_PRODUCT`]), events and
    /// seconds, at one school or the whole district. Days without use are left out.
    pub async fn usage_days(
        &self,
        product: i64,
        school: Option<i64>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(NaiveDate, Counts)>> {
        let q = sqlx::query(
            "SELECT period, users, events, launches, seconds FROM usage_rollups \
             WHERE period >= $1 AND period <= $2 AND length(period) = 10 AND school_id = $3 AND product_id = $4",
        )
        .bind(from.format("%Y-%m-%d").to_string())
        .bind(to.format("%Y-%m-%d").to_string())
        .bind(school.unwrap_or(EVERY_SCHOOL))
        .bind(product);
        let mut days: BTreeMap<NaiveDate, Counts> = BTreeMap::new();
        let mut rows = q.fetch(&self.pool);
        while let Some(r) = rows.try_next().await? {
            let period: String = r.try_get("period")?;
            let Some(Period::Day(day)) = Period::parse(&period) else { continue };
            let c = Counts {
                users: users_of(&r)?,
                events: r.try_get("events")?,
                launches: r.try_get("launches")?,
                seconds: r.try_get("seconds")?,
            };
            days.entry(day).or_default().merge(&c);
        }
        Ok(days.into_iter().collect())
    }

    /// How many schools used each product over `from..=to` (read from the rollups' event counts, no bitmap opened).
    pub async fn usage_school_counts(&self, from: NaiveDate, to: NaiveDate) -> Result<BTreeMap<i64, i64>> {
        let periods: Vec<String> = Period::cover(from, to).iter().map(Period::text).collect();
        let sql = format!(
            "SELECT product_id, COUNT(DISTINCT school_id) FROM usage_rollups WHERE {} AND school_id <> 0 \
             AND product_id <> 0 GROUP BY product_id",
            self.backend.in_json_list("period").replace('?', "$1")
        );
        let rows: Vec<(i64, i64)> = sqlx::query_as(&sql).bind(json_list(&periods)).fetch_all(&self.pool).await?;
        Ok(rows.into_iter().collect())
    }

    /// Distinct people active per product, school and month over the months `from..=to` (`YYYY-MM`), read from the
    /// stored counts without opening a bitmap.
    pub async fn usage_months(&self, from: &str, to: &str) -> Result<Vec<(i64, i64, String, i64)>> {
        let (Some(Period::Month { year, month }), Some(last)) = (Period::parse(from), Period::parse(to)) else {
            return Err(StoreError::invalid("from", "months are written YYYY-MM"));
        };
        // The months by name: a range of text would take in every day row between them too.
        let mut months = Vec::new();
        let mut at = Period::Month { year, month };
        while at <= last && months.len() < 1200 {
            months.push(at.text());
            let Period::Month { year, month } = at else { break };
            at = if month == 12 {
                Period::Month { year: year + 1, month: 1 }
            } else {
                Period::Month { year, month: month + 1 }
            };
        }
        let sql = format!(
            "SELECT product_id, school_id, period, active FROM usage_rollups WHERE {} AND school_id <> 0 \
             AND product_id <> 0 ORDER BY product_id, school_id, period",
            self.backend.in_json_list("period").replace('?', "$1")
        );
        Ok(sqlx::query_as(&sql).bind(json_list(&months)).fetch_all(&self.pool).await?)
    }

    /// The discovery queue: unknown products in `state` (`open`, `added`, `dismissed`), most used first.
    pub async fn usage_discoveries(&self, state: &str) -> Result<Vec<Discovery>> {
        let rows = sqlx::query(
            "SELECT id, product_key, first_seen, last_seen, events, users, schools, state, product_id \
             FROM usage_discoveries WHERE state = $1 ORDER BY events DESC, product_key",
        )
        .bind(state)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(discovery).collect()
    }

    /// One entry of the discovery queue, in any state.
    pub async fn usage_discovery(&self, id: i64) -> Result<Discovery> {
        let row = sqlx::query(
            "SELECT id, product_key, first_seen, last_seen, events, users, schools, state, product_id \
             FROM usage_discoveries WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        discovery(&row)
    }

    /// Users no roster record matched, most events first (at most `limit`), and how many there are in all.
    pub async fn usage_strangers(&self, limit: i64) -> Result<(Vec<StrangerRow>, i64)> {
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM usage_strangers").fetch_one(&self.pool).await?;
        let rows = sqlx::query(
            "SELECT user_key, first_seen, last_seen, events, products FROM usage_strangers \
             ORDER BY events DESC, user_key LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let list = rows
            .iter()
            .map(|r| {
                let products: String = r.try_get("products")?;
                Ok(StrangerRow {
                    key: r.try_get("user_key")?,
                    first_seen: r.try_get("first_seen")?,
                    last_seen: r.try_get("last_seen")?,
                    events: r.try_get("events")?,
                    products: products
                        .split(',')
                        .filter_map(|s| s.parse().ok())
                        .collect::<BTreeSet<i64>>()
                        .into_iter()
                        .collect(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((list, total))
    }

    /// How many raw events are kept.
    pub async fn usage_event_count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM usage_events").fetch_one(&self.pool).await?)
    }
}
