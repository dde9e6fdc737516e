//! Storing events: new ones (by fingerprint) are kept raw and merged into the rollups, the discovery queue and the
//! unmatched users, all in one transaction; an event already stored changes nothing.
//!
//! Rollups are read, merged in memory and written back, so two writers must not interleave: SQLite's write lock
//! already serializes them, and PostgreSQL takes a transaction-scoped advisory lock first. Parsing and matching
//! happen before, outside it.

use crate::sql::MAX_PARAMS;
use crate::{timestamp, Result, Store};
use futures_util::TryStreamExt;
use sqlx::Row;
use std::collections::{BTreeSet, HashMap, HashSet};
use steward_core::usage::{Counts, Resolved, RollupKey, Sighting, Stranger, Tally};

/// What an ingest did with a batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IngestOutcome {
    /// Events stored and counted now.
    pub stored: u64,
    /// Events already stored (or repeated within the batch): not counted again.
    pub duplicates: u64,
}

impl Store {
    /// Stores the new events of a batch from `channel` (`api`, `file`, `xapi`, `caliper`, `csv`, `launch`) and
    /// counts them, in one transaction: all of it or none.
    pub async fn ingest_usage(&self, channel: &str, events: &[Resolved]) -> Result<IngestOutcome> {
        let mut order: Vec<&Resolved> = events.iter().collect();
        order.sort_unstable_by_key(|e| (e.day, e.fingerprint));
        order.dedup_by(|a, b| a.fingerprint == b.fingerprint);
        let mut tx = self.begin_write().await?;
        if let Some(lock) = self.backend.usage_lock() {
            sqlx::query(lock).execute(&mut *tx).await?;
        }
        let mut stored: HashSet<[u8; 16]> = HashSet::with_capacity(order.len());
        const WIDTH: usize = 11;
        for chunk in order.chunks(MAX_PARAMS / WIDTH) {
            let sql = format!(
                "INSERT INTO usage_events (day, fingerprint, at, channel, product_id, product_key, person_id, \
                 user_key, school_id, kind, seconds) VALUES {} ON CONFLICT (day, fingerprint) DO NOTHING \
                 RETURNING fingerprint",
                self.backend.value_rows(chunk.len(), WIDTH)
            );
            let mut q = sqlx::query(&sql);
            for e in chunk {
                q = q
                    .bind(e.day.format("%Y-%m-%d").to_string())
                    .bind(e.fingerprint.to_vec())
                    .bind(timestamp(e.at))
                    .bind(channel)
                    .bind(e.product.as_ref().ok().copied())
                    .bind(e.product.as_ref().err().cloned())
                    .bind(e.person.as_ref().ok().map(|p| i64::from(*p)))
                    .bind(e.person.as_ref().err().cloned())
                    .bind(e.school)
                    .bind(e.kind.as_str())
                    .bind(i64::from(e.seconds));
            }
            let mut rows = q.fetch(&mut *tx);
            while let Some(r) = rows.try_next().await? {
                let fp: Vec<u8> = r.try_get(0)?;
                stored
                    .insert(fp.try_into().map_err(|_| crate::row::decode_error("fingerprint", "not 16 bytes".into()))?);
            }
        }
        let mut tally = Tally::default();
        for e in &order {
            if stored.contains(&e.fingerprint) {
                tally.add(e);
            }
        }
        merge_rollups(&mut tx, self.backend, &tally.rollups).await?;
        merge_discoveries(&mut tx, &tally.discoveries).await?;
        merge_strangers(&mut tx, &tally.strangers).await?;
        tx.commit().await?;
        let stored = stored.len() as u64;
        Ok(IngestOutcome { stored, duplicates: events.len() as u64 - stored })
    }

    /// Deletes raw events of days before `before` (the retention period); rollups keep their counts.
    pub async fn prune_usage_events(&self, before: chrono::NaiveDate) -> Result<u64> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("DELETE FROM usage_events WHERE day < $1")
            .bind(before.format("%Y-%m-%d").to_string())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }
}

pub(super) type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// The JSON array of `values`, bound as one parameter.
pub(super) fn json_list<T: serde::Serialize>(values: impl IntoIterator<Item = T>) -> String {
    serde_json::to_string(&values.into_iter().collect::<Vec<T>>()).expect("a list of plain values serializes")
}

pub(super) async fn merge_rollups(
    tx: &mut Tx,
    backend: crate::Backend,
    new: &HashMap<RollupKey, Counts>,
) -> Result<()> {
    if new.is_empty() {
        return Ok(());
    }
    let products: BTreeSet<i64> = new.keys().map(|k| k.product).collect();
    let periods: BTreeSet<String> = new.keys().map(|k| k.period.text()).collect();
    let sql = format!(
        "SELECT product_id, school_id, period, users, events, launches, seconds FROM usage_rollups WHERE {} \
         AND product_id BETWEEN $2 AND $3",
        backend.in_json_list("period").replace('?', "$1"),
    );
    let mut merged: HashMap<RollupKey, Counts> = HashMap::with_capacity(new.len());
    {
        let mut rows = sqlx::query(&sql)
            .bind(json_list(&periods))
            .bind(products.first().copied())
            .bind(products.last().copied())
            .fetch(&mut **tx);
        while let Some(r) = rows.try_next().await? {
            let period: String = r.try_get("period")?;
            let Some(period) = steward_core::usage::Period::parse(&period) else { continue };
            let key = RollupKey { product: r.try_get("product_id")?, school: r.try_get("school_id")?, period };
            if !new.contains_key(&key) {
                continue;
            }
            let bytes: Vec<u8> = r.try_get("users")?;
            let users =
                Counts::users_from_bytes(&bytes).map_err(|e| crate::row::decode_error("users", e.to_string()))?;
            let old = Counts {
                users,
                events: r.try_get("events")?,
                launches: r.try_get("launches")?,
                seconds: r.try_get("seconds")?,
            };
            merged.insert(key, old);
        }
    }
    let mut keys: Vec<&RollupKey> = new.keys().collect();
    keys.sort_unstable();
    const WIDTH: usize = 8;
    for chunk in keys.chunks(MAX_PARAMS / WIDTH) {
        let sql = format!(
            "INSERT INTO usage_rollups (product_id, school_id, period, users, active, events, launches, seconds) \
             VALUES {} ON CONFLICT (product_id, school_id, period) DO UPDATE SET users = excluded.users, \
             active = excluded.active, events = excluded.events, launches = excluded.launches, \
             seconds = excluded.seconds",
            backend.value_rows(chunk.len(), WIDTH)
        );
        let mut q = sqlx::query(&sql);
        for key in chunk {
            let c = merged.entry(**key).or_default();
            c.merge(&new[key]);
            q = q
                .bind(key.product)
                .bind(key.school)
                .bind(key.period.text())
                .bind(c.users_bytes())
                .bind(c.users.len() as i64)
                .bind(c.events)
                .bind(c.launches)
                .bind(c.seconds);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

fn id_list(ids: &BTreeSet<i64>) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

fn parse_ids(text: &str) -> BTreeSet<i64> {
    text.split(',').filter_map(|s| s.trim().parse().ok()).collect()
}

async fn merge_discoveries(tx: &mut Tx, new: &HashMap<String, Sighting>) -> Result<()> {
    for (key, seen) in sorted(new) {
        let old = sqlx::query(
            "SELECT first_seen, last_seen, events, users, schools FROM usage_discoveries WHERE product_key = $1",
        )
        .bind(key)
        .fetch_optional(&mut **tx)
        .await?;
        let mut s = seen.clone();
        let (mut first, mut last) = (timestamp(s.first), timestamp(s.last));
        if let Some(r) = old {
            let bytes: Vec<u8> = r.try_get("users")?;
            s.users |=
                Counts::users_from_bytes(&bytes).map_err(|e| crate::row::decode_error("users", e.to_string()))?;
            s.schools.extend(parse_ids(&r.try_get::<String, _>("schools")?));
            s.events += r.try_get::<i64, _>("events")?;
            first = first.min(r.try_get("first_seen")?);
            last = last.max(r.try_get("last_seen")?);
        }
        let users = Counts { users: s.users, ..Counts::default() }.users_bytes();
        sqlx::query(
            "INSERT INTO usage_discoveries (product_key, first_seen, last_seen, events, users, schools) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (product_key) DO UPDATE SET first_seen = excluded.first_seen, \
             last_seen = excluded.last_seen, events = excluded.events, users = excluded.users, schools = excluded.schools",
        )
        .bind(key)
        .bind(first)
        .bind(last)
        .bind(s.events)
        .bind(users)
        .bind(id_list(&s.schools))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn merge_strangers(tx: &mut Tx, new: &HashMap<String, Stranger>) -> Result<()> {
    for (key, seen) in sorted(new) {
        let old =
            sqlx::query("SELECT first_seen, last_seen, events, products FROM usage_strangers WHERE user_key = $1")
                .bind(key)
                .fetch_optional(&mut **tx)
                .await?;
        let mut s = seen.clone();
        let (mut first, mut last) = (timestamp(s.first), timestamp(s.last));
        if let Some(r) = old {
            s.products.extend(parse_ids(&r.try_get::<String, _>("products")?));
            s.events += r.try_get::<i64, _>("events")?;
            first = first.min(r.try_get("first_seen")?);
            last = last.max(r.try_get("last_seen")?);
        }
        sqlx::query(
            "INSERT INTO usage_strangers (user_key, first_seen, last_seen, events, products) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (user_key) DO UPDATE SET first_seen = excluded.first_seen, last_seen = excluded.last_seen, \
             events = excluded.events, products = excluded.products",
        )
        .bind(key)
        .bind(first)
        .bind(last)
        .bind(s.events)
        .bind(id_list(&s.products))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

fn sorted<V>(map: &HashMap<String, V>) -> Vec<(&String, &V)> {
    let mut v: Vec<_> = map.iter().collect();
    v.sort_unstable_by(|a, b| a.0.cmp(b.0));
    v
}
