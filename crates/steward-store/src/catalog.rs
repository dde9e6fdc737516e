//! Vendors, the category taxonomy, and products' named owners.

use crate::audit::{json, record, Change};
use crate::row::{int, opt_int, opt_text, text, vocab};
use crate::{now, Actor, Result, Store, StoreError};
use serde::Serialize;
use sqlx::any::AnyRow;
use steward_core::enums::{OwnerRole, Vocabulary};
use steward_core::people::{CategoryInput, OwnerInput, VendorInput};

#[derive(Debug, Clone, Serialize)]
pub struct Vendor {
    pub id: i64,
    #[serde(flatten)]
    pub vendor: VendorInput,
    pub product_count: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Category {
    pub id: i64,
    #[serde(flatten)]
    pub category: CategoryInput,
    pub product_count: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Owner {
    pub id: i64,
    pub product_id: i64,
    #[serde(flatten)]
    pub owner: OwnerInput,
}

fn vendor(r: &AnyRow) -> Result<Vendor> {
    Ok(Vendor {
        id: int(r, "id")?,
        vendor: VendorInput {
            name: text(r, "name")?,
            website: opt_text(r, "website")?,
            contact_email: opt_text(r, "contact_email")?,
            notes: opt_text(r, "notes")?,
        },
        product_count: int(r, "product_count")?,
    })
}

fn category(r: &AnyRow) -> Result<Category> {
    Ok(Category {
        id: int(r, "id")?,
        category: CategoryInput {
            name: text(r, "name")?,
            parent_id: opt_int(r, "parent_id")?,
            description: opt_text(r, "description")?,
        },
        product_count: int(r, "product_count")?,
    })
}

fn owner(r: &AnyRow) -> Result<Owner> {
    Ok(Owner {
        id: int(r, "id")?,
        product_id: int(r, "product_id")?,
        owner: OwnerInput {
            role: vocab::<OwnerRole>(r, "role")?,
            name: text(r, "name")?,
            email: opt_text(r, "email")?,
        },
    })
}

const VENDOR_SELECT: &str =
    "SELECT v.*, (SELECT COUNT(*) FROM products p WHERE p.vendor_id = v.id) AS product_count FROM vendors v";
const CATEGORY_SELECT: &str =
    "SELECT c.*, (SELECT COUNT(*) FROM products p WHERE p.category_id = c.id) AS product_count FROM categories c";

impl Store {
    pub async fn vendors(&self) -> Result<Vec<Vendor>> {
        let rows = sqlx::query(&format!("{VENDOR_SELECT} ORDER BY v.name")).fetch_all(&self.pool).await?;
        rows.iter().map(vendor).collect()
    }

    pub async fn vendor(&self, id: i64) -> Result<Vendor> {
        let r = sqlx::query(&format!("{VENDOR_SELECT} WHERE v.id = $1")).bind(id).fetch_optional(&self.pool).await?;
        vendor(&r.ok_or(StoreError::NotFound)?)
    }

    /// Creates the vendor, or updates it when `id` is given.
    pub async fn save_vendor(&self, actor: &Actor, id: Option<i64>, input: &VendorInput) -> Result<i64> {
        let before = match id {
            Some(id) => Some(self.vendor(id).await?.vendor),
            None => None,
        };
        let mut tx = self.begin_write().await?;
        let at = now();
        let q = match id {
            None => sqlx::query_scalar(
                "INSERT INTO vendors (name, website, contact_email, notes, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
            ),
            Some(_) => sqlx::query_scalar(
                "UPDATE vendors SET name = $1, website = $2, contact_email = $3, notes = $4, updated_at = $5 \
                 WHERE id = $6 RETURNING id",
            ),
        };
        let mut q = q.bind(&input.name).bind(&input.website).bind(&input.contact_email).bind(&input.notes).bind(&at);
        if let Some(id) = id {
            q = q.bind(id);
        }
        let saved: i64 = q
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| StoreError::unique(e, "name", "a vendor with this name already exists"))?;
        let action = if id.is_some() { "update" } else { "create" };
        let summary = format!("{action}d vendor {}", input.name);
        let before = before.as_ref().and_then(json);
        record(
            &mut tx,
            actor,
            Change { action, entity: "vendor", entity_id: saved, summary, before, after: json(input) },
        )
        .await?;
        tx.commit().await?;
        Ok(saved)
    }

    pub async fn categories(&self) -> Result<Vec<Category>> {
        let rows = sqlx::query(&format!("{CATEGORY_SELECT} ORDER BY c.name")).fetch_all(&self.pool).await?;
        rows.iter().map(category).collect()
    }

    pub async fn category(&self, id: i64) -> Result<Category> {
        let r = sqlx::query(&format!("{CATEGORY_SELECT} WHERE c.id = $1")).bind(id).fetch_optional(&self.pool).await?;
        category(&r.ok_or(StoreError::NotFound)?)
    }

    /// Creates the category, or updates it when `id` is given. The taxonomy is two levels deep.
    pub async fn save_category(&self, actor: &Actor, id: Option<i64>, input: &CategoryInput) -> Result<i64> {
        let before = match id {
            Some(id) => Some(self.category(id).await?.category),
            None => None,
        };
        if let Some(parent) = input.parent_id {
            if Some(parent) == id {
                return Err(StoreError::invalid("parent_id", "a category cannot be its own parent"));
            }
            match self.category(parent).await {
                Ok(p) if p.category.parent_id.is_none() => {}
                Ok(_) => return Err(StoreError::invalid("parent_id", "the parent must be a top-level category")),
                Err(StoreError::NotFound) => {
                    return Err(StoreError::invalid("parent_id", format!("no category has id {parent}")))
                }
                Err(e) => return Err(e),
            }
        }
        let mut tx = self.begin_write().await?;
        let q = match id {
            None => sqlx::query_scalar(
                "INSERT INTO categories (name, parent_id, description) VALUES ($1, $2, $3) RETURNING id",
            ),
            Some(_) => sqlx::query_scalar(
                "UPDATE categories SET name = $1, parent_id = $2, description = $3 WHERE id = $4 RETURNING id",
            ),
        };
        let mut q = q.bind(&input.name).bind(input.parent_id).bind(&input.description);
        if let Some(id) = id {
            q = q.bind(id);
        }
        let saved: i64 = q
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| StoreError::unique(e, "name", "a category with this name already exists"))?;
        let action = if id.is_some() { "update" } else { "create" };
        let summary = format!("{action}d category {}", input.name);
        let before = before.as_ref().and_then(json);
        record(
            &mut tx,
            actor,
            Change { action, entity: "category", entity_id: saved, summary, before, after: json(input) },
        )
        .await?;
        tx.commit().await?;
        Ok(saved)
    }

    pub async fn owners(&self, product_id: i64) -> Result<Vec<Owner>> {
        let rows = sqlx::query("SELECT * FROM product_owners WHERE product_id = $1 ORDER BY role, name")
            .bind(product_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(owner).collect()
    }

    pub async fn add_owner(&self, actor: &Actor, product_id: i64, input: &OwnerInput) -> Result<i64> {
        let product = self.product(product_id).await?;
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO product_owners (product_id, role, name, email, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(product_id)
        .bind(input.role.code())
        .bind(&input.name)
        .bind(&input.email)
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| StoreError::unique(e, "name", "this person already holds this role for the product"))?;
        let summary = format!("named {} {} of {}", input.name, input.role.label().to_lowercase(), product.product.name);
        record(
            &mut tx,
            actor,
            Change { action: "create", entity: "owner", entity_id: id, summary, before: None, after: json(input) },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn remove_owner(&self, actor: &Actor, product_id: i64, owner_id: i64) -> Result<()> {
        let r = sqlx::query("SELECT * FROM product_owners WHERE id = $1 AND product_id = $2")
            .bind(owner_id)
            .bind(product_id)
            .fetch_optional(&self.pool)
            .await?;
        let existing = owner(&r.ok_or(StoreError::NotFound)?)?;
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM product_owners WHERE id = $1").bind(owner_id).execute(&mut *tx).await?;
        let summary = format!("removed {} as {}", existing.owner.name, existing.owner.role.label().to_lowercase());
        let change = Change {
            action: "delete",
            entity: "owner",
            entity_id: owner_id,
            summary,
            before: json(&existing.owner),
            after: None,
        };
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(())
    }
}
