//! Contracts and licenses, scoped to what the reader may see.

use crate::audit::{json, record, Change};
use crate::row::{date, flag, int, opt_int, opt_text, text, vocab};
use crate::sql::{bind_all, Arg, Conditions};
use crate::{now, Actor, Result, Store, StoreError};
use serde::Serialize;
use sqlx::any::AnyRow;
use steward_core::access::ContractScope;
use steward_core::contract::ContractInput;
use steward_core::enums::Vocabulary;
use steward_core::money::{Currency, Money};

#[derive(Debug, Clone, Serialize)]
pub struct Contract {
    pub id: i64,
    #[serde(flatten)]
    pub contract: ContractInput,
    pub product_name: String,
    pub category_id: i64,
    pub category_name: String,
    /// `None` for a purchase by the district.
    pub school_name: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// Which contracts to list.
#[derive(Debug, Clone, Default)]
pub struct ContractFilter {
    /// What the reader may see; `None` means every contract.
    pub scope: Option<ContractScope>,
    pub product_id: Option<i64>,
    pub school_id: Option<i64>,
    /// Only the district's own purchases (no school's).
    pub district_only: bool,
    /// Contracts ending on or after this date.
    pub ends_from: Option<chrono::NaiveDate>,
    /// Contracts ending on or before this date.
    pub ends_until: Option<chrono::NaiveDate>,
    /// Contracts in force on this date.
    pub active_on: Option<chrono::NaiveDate>,
    pub funding_source: Option<steward_core::enums::FundingSource>,
    pub license_model: Option<steward_core::enums::LicenseModel>,
}

const SELECT: &str =
    "SELECT k.*, p.name AS product_name, p.category_id, c.name AS category_name, o.name AS school_name \
     FROM contracts k JOIN products p ON p.id = k.product_id JOIN categories c ON c.id = p.category_id \
     LEFT JOIN orgs o ON o.id = k.school_id";

fn contract(r: &AnyRow) -> Result<Contract> {
    let currency = Currency::parse(&text(r, "currency")?).map_err(|m| crate::row::decode_error("currency", m))?;
    Ok(Contract {
        id: int(r, "id")?,
        contract: ContractInput {
            product_id: int(r, "product_id")?,
            school_id: opt_int(r, "school_id")?,
            license_model: vocab(r, "license_model")?,
            seats: opt_int(r, "seats")?,
            cost: Money::new(int(r, "cost_minor")?, currency),
            start_date: date(r, "start_date")?,
            end_date: date(r, "end_date")?,
            funding_source: vocab(r, "funding_source")?,
            purchase_order: opt_text(r, "purchase_order")?,
            auto_renew: flag(r, "auto_renew")?,
            notice_days: int(r, "notice_days")?,
            notes: opt_text(r, "notes")?,
        },
        product_name: text(r, "product_name")?,
        category_id: int(r, "category_id")?,
        category_name: text(r, "category_name")?,
        school_name: opt_text(r, "school_name")?,
        created_at: text(r, "created_at")?,
        updated_at: text(r, "updated_at")?,
    })
}

impl Store {
    pub async fn contracts(&self, f: &ContractFilter) -> Result<Vec<Contract>> {
        let mut c = Conditions::default();
        if let Some(ContractScope::School(s)) = f.scope {
            c.push("k.school_id = ?", [Arg::Int(s)]);
        }
        if let Some(p) = f.product_id {
            c.push("k.product_id = ?", [Arg::Int(p)]);
        }
        if let Some(s) = f.school_id {
            c.push("k.school_id = ?", [Arg::Int(s)]);
        }
        if f.district_only {
            c.push("k.school_id IS NULL", []);
        }
        if let Some(d) = f.ends_from {
            c.push("k.end_date >= ?", [Arg::Text(d.to_string())]);
        }
        if let Some(d) = f.ends_until {
            c.push("k.end_date <= ?", [Arg::Text(d.to_string())]);
        }
        if let Some(d) = f.active_on {
            c.push("k.start_date <= ? AND k.end_date >= ?", [Arg::Text(d.to_string()), Arg::Text(d.to_string())]);
        }
        if let Some(f) = f.funding_source {
            c.push("k.funding_source = ?", [Arg::Text(f.code().into())]);
        }
        if let Some(m) = f.license_model {
            c.push("k.license_model = ?", [Arg::Text(m.code().into())]);
        }
        let sql = format!("{SELECT}{} ORDER BY k.end_date, LOWER(p.name), k.id", c.where_sql());
        let rows = bind_all(sqlx::query(&sql), c.args()).fetch_all(&self.pool).await?;
        rows.iter().map(contract).collect()
    }

    pub async fn contract(&self, id: i64) -> Result<Contract> {
        let r = sqlx::query(&format!("{SELECT} WHERE k.id = $1")).bind(id).fetch_optional(&self.pool).await?;
        contract(&r.ok_or(StoreError::NotFound)?)
    }

    async fn check_contract_refs(&self, input: &ContractInput) -> Result<String> {
        let product = match self.product(input.product_id).await {
            Ok(p) => p.product.name,
            Err(StoreError::NotFound) => {
                return Err(StoreError::invalid("product_id", format!("no product has id {}", input.product_id)))
            }
            Err(e) => return Err(e),
        };
        if let Some(s) = input.school_id {
            match self.org(s).await {
                Ok(o) if o.org.kind == steward_core::org::OrgKind::School => {}
                Ok(_) => return Err(StoreError::invalid("school_id", format!("organization {s} is not a school"))),
                Err(StoreError::NotFound) => {
                    return Err(StoreError::invalid("school_id", format!("no school has id {s}")))
                }
                Err(e) => return Err(e),
            }
        }
        Ok(product)
    }

    /// Creates the contract, or replaces it when `id` is given.
    pub async fn save_contract(&self, actor: &Actor, id: Option<i64>, input: &ContractInput) -> Result<i64> {
        let before = match id {
            Some(id) => Some(self.contract(id).await?.contract),
            None => None,
        };
        let product = self.check_contract_refs(input).await?;
        let mut tx = self.begin_write().await?;
        let sql = match id {
            None => "INSERT INTO contracts (product_id, school_id, license_model, seats, cost_minor, currency, start_date, \
                     end_date, funding_source, purchase_order, auto_renew, notice_days, notes, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
            Some(_) => "UPDATE contracts SET product_id = $1, school_id = $2, license_model = $3, seats = $4, cost_minor = $5, \
                     currency = $6, start_date = $7, end_date = $8, funding_source = $9, purchase_order = $10, \
                     auto_renew = $11, notice_days = $12, notes = $13, updated_at = $14 WHERE id = $15 RETURNING id",
        };
        let mut q = sqlx::query_scalar(sql)
            .bind(input.product_id)
            .bind(input.school_id)
            .bind(input.license_model.code())
            .bind(input.seats)
            .bind(input.cost.minor)
            .bind(input.cost.currency.as_str().to_owned())
            .bind(input.start_date.to_string())
            .bind(input.end_date.to_string())
            .bind(input.funding_source.code())
            .bind(&input.purchase_order)
            .bind(i64::from(input.auto_renew))
            .bind(input.notice_days)
            .bind(&input.notes)
            .bind(now());
        if let Some(id) = id {
            q = q.bind(id);
        }
        let saved: i64 = q.fetch_one(&mut *tx).await?;
        let action = if id.is_some() { "update" } else { "create" };
        let summary = format!("{action}d contract for {product} ({})", input.cost);
        let before = before.as_ref().and_then(json);
        record(
            &mut tx,
            actor,
            Change { action, entity: "contract", entity_id: saved, summary, before, after: json(input) },
        )
        .await?;
        tx.commit().await?;
        Ok(saved)
    }

    pub async fn delete_contract(&self, actor: &Actor, id: i64) -> Result<()> {
        let existing = self.contract(id).await?;
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM contracts WHERE id = $1").bind(id).execute(&mut *tx).await?;
        let summary = format!("deleted contract for {} ({})", existing.product_name, existing.contract.cost);
        let change = Change {
            action: "delete",
            entity: "contract",
            entity_id: id,
            summary,
            before: json(&existing.contract),
            after: None,
        };
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(())
    }
}
