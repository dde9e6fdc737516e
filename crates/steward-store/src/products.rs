//! The inventory: products with their multi-valued facts, full-text search, filters and sorting.

use crate::audit::{json, record, Change};
use crate::row::{int, opt_date, opt_int, opt_text, text, vocab};
use crate::sql::{bind_all, bind_scalar, Arg, Conditions};
use crate::{now, Actor, Page, Result, Store, StoreError};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use std::collections::HashMap;
use steward_core::enums::*;
use steward_core::grade::GradeBand;
use steward_core::product::ProductInput;

/// A stored product with the names it refers to.
#[derive(Debug, Clone, Serialize)]
pub struct Product {
    pub id: i64,
    #[serde(flatten)]
    pub product: ProductInput,
    pub vendor_name: String,
    pub category_name: String,
    pub launch_domain: Option<String>,
    pub has_manager: bool,
    /// Distinct schools that bought this product themselves (not through the district).
    pub buying_schools: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// The short form used where only a name is needed (pickers, links).
#[derive(Debug, Clone, Serialize)]
pub struct ProductSummary {
    pub id: i64,
    pub name: String,
    pub status: ProductStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProductSort {
    #[default]
    Name,
    Vendor,
    Status,
    Grades,
    Updated,
}

impl ProductSort {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "name" => Self::Name,
            "vendor" => Self::Vendor,
            "status" => Self::Status,
            "grades" => Self::Grades,
            "updated" => Self::Updated,
            _ => return None,
        })
    }

    fn sql(self) -> &'static str {
        match self {
            Self::Name => "LOWER(p.name)",
            Self::Vendor => "LOWER(v.name)",
            Self::Status => "p.status",
            Self::Grades => "p.grade_low",
            Self::Updated => "p.updated_at",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    pub q: Option<String>,
    pub category_id: Option<i64>,
    pub vendor_id: Option<i64>,
    pub status: Option<ProductStatus>,
    /// Only approved products (with or without conditions): the catalog.
    pub approved_only: bool,
    /// Products licensed at this school, by its own contract or the district's.
    pub school_id: Option<i64>,
    /// Products whose grade band overlaps this one.
    pub grades: Option<GradeBand>,
    pub subject: Option<Subject>,
    pub sign_on: Option<SignOn>,
    pub interop: Option<Interop>,
    pub without_manager: bool,
    pub sort: ProductSort,
    pub descending: bool,
    pub page: i64,
    pub per_page: i64,
}

const SELECT: &str = "SELECT p.*, v.name AS vendor_name, c.name AS category_name, \
     (SELECT COUNT(*) FROM product_owners o WHERE o.product_id = p.id AND o.role = 'manager') AS managers, \
     (SELECT COUNT(DISTINCT k.school_id) FROM contracts k WHERE k.product_id = p.id AND k.school_id IS NOT NULL) AS buying_schools \
     FROM products p JOIN vendors v ON v.id = p.vendor_id JOIN categories c ON c.id = p.category_id";

fn product(r: &AnyRow, tags: &[(String, String)]) -> Result<Product> {
    fn tagged<V: Vocabulary>(tags: &[(String, String)], kind: &str) -> Vec<V> {
        let mut out: Vec<V> = tags.iter().filter(|(k, _)| k == kind).filter_map(|(_, v)| V::parse(v).ok()).collect();
        out.sort_by_key(|v| V::ALL.iter().position(|(x, _, _)| x == v));
        out
    }
    let grades = GradeBand::from_numbers(int(r, "grade_low")?, int(r, "grade_high")?)
        .map_err(|m| crate::row::decode_error("grade_low", m))?;
    Ok(Product {
        id: int(r, "id")?,
        product: ProductInput {
            name: text(r, "name")?,
            vendor_id: int(r, "vendor_id")?,
            category_id: int(r, "category_id")?,
            description: opt_text(r, "description")?,
            website: opt_text(r, "website")?,
            launch_url: opt_text(r, "launch_url")?,
            grades,
            subjects: tagged(tags, "subject"),
            platforms: tagged(tags, "platform"),
            sign_on: tagged(tags, "sign_on"),
            interop: tagged(tags, "interop"),
            wcag: vocab(r, "wcag")?,
            vpat_url: opt_text(r, "vpat_url")?,
            data_elements: tagged(tags, "data_element"),
            third_parties: opt_text(r, "third_parties")?,
            dpa_status: vocab(r, "dpa_status")?,
            dpa_expires: opt_date(r, "dpa_expires")?,
            essa_tier: vocab(r, "essa_tier")?,
            status: vocab(r, "status")?,
            scope: vocab(r, "scope")?,
            scope_schools: tags
                .iter()
                .filter(|(k, _)| k == "scope_school")
                .filter_map(|(_, v)| v.parse().ok())
                .collect(),
            scope_grades: match (opt_int(r, "scope_grade_low")?, opt_int(r, "scope_grade_high")?) {
                (Some(l), Some(h)) => {
                    Some(GradeBand::from_numbers(l, h).map_err(|m| crate::row::decode_error("scope_grade_low", m))?)
                }
                _ => None,
            },
        },
        vendor_name: text(r, "vendor_name")?,
        category_name: text(r, "category_name")?,
        launch_domain: opt_text(r, "launch_domain")?,
        has_manager: int(r, "managers")? > 0,
        buying_schools: int(r, "buying_schools")?,
        created_at: text(r, "created_at")?,
        updated_at: text(r, "updated_at")?,
    })
}

fn tag_rows(p: &ProductInput) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    out.extend(p.subjects.iter().map(|v| ("subject", v.code().to_owned())));
    out.extend(p.platforms.iter().map(|v| ("platform", v.code().to_owned())));
    out.extend(p.sign_on.iter().map(|v| ("sign_on", v.code().to_owned())));
    out.extend(p.interop.iter().map(|v| ("interop", v.code().to_owned())));
    out.extend(p.data_elements.iter().map(|v| ("data_element", v.code().to_owned())));
    out.extend(p.scope_schools.iter().map(|id| ("scope_school", id.to_string())));
    out
}

impl Store {
    pub async fn product(&self, id: i64) -> Result<Product> {
        let r = sqlx::query(&format!("{SELECT} WHERE p.id = $1")).bind(id).fetch_optional(&self.pool).await?;
        let r = r.ok_or(StoreError::NotFound)?;
        let tags = self.tags(&[id]).await?;
        product(&r, tags.get(&id).map(Vec::as_slice).unwrap_or_default())
    }

    async fn tags(&self, ids: &[i64]) -> Result<HashMap<i64, Vec<(String, String)>>> {
        let mut out: HashMap<i64, Vec<(String, String)>> = HashMap::new();
        for chunk in ids.chunks(500) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql =
                format!("SELECT product_id, kind, value FROM product_tags WHERE product_id IN ({})", marks.join(", "));
            let args: Vec<Arg> = chunk.iter().map(|i| Arg::Int(*i)).collect();
            for r in bind_all(sqlx::query(&sql), &args).fetch_all(&self.pool).await? {
                out.entry(int(&r, "product_id")?).or_default().push((text(&r, "kind")?, text(&r, "value")?));
            }
        }
        Ok(out)
    }

    pub async fn products(&self, f: &ProductFilter) -> Result<Page<Product>> {
        let mut c = Conditions::default();
        if let Some(terms) = f.q.as_deref().and_then(|q| self.backend.search_terms(q)) {
            let backend = self.backend;
            c.push_numbered(|n| backend.product_search(n), Arg::Text(terms));
        }
        if let Some(id) = f.category_id {
            c.push("(p.category_id = ? OR c.parent_id = ?)", [Arg::Int(id), Arg::Int(id)]);
        }
        if let Some(id) = f.vendor_id {
            c.push("p.vendor_id = ?", [Arg::Int(id)]);
        }
        if let Some(s) = f.status {
            c.push("p.status = ?", [Arg::Text(s.code().into())]);
        }
        if f.approved_only {
            c.push("p.status IN ('approved', 'approved_with_conditions')", []);
        }
        if let Some(school) = f.school_id {
            c.push(
                "EXISTS (SELECT 1 FROM contracts k WHERE k.product_id = p.id AND (k.school_id = ? OR k.school_id IS NULL))",
                [Arg::Int(school)],
            );
        }
        if let Some(g) = f.grades {
            c.push("p.grade_low <= ? AND p.grade_high >= ?", [Arg::Int(g.high.number()), Arg::Int(g.low.number())]);
        }
        let tag = |kind: &str, code: &str| {
            (
                format!("EXISTS (SELECT 1 FROM product_tags t WHERE t.product_id = p.id AND t.kind = '{kind}' AND t.value = ?)"),
                Arg::Text(code.to_owned()),
            )
        };
        for (sql, arg) in [
            f.subject.map(|v| tag("subject", v.code())),
            f.sign_on.map(|v| tag("sign_on", v.code())),
            f.interop.map(|v| tag("interop", v.code())),
        ]
        .into_iter()
        .flatten()
        {
            c.push(&sql, [arg]);
        }
        if f.without_manager {
            c.push("NOT EXISTS (SELECT 1 FROM product_owners o WHERE o.product_id = p.id AND o.role = 'manager')", []);
        }
        let per_page = f.per_page.clamp(1, 10_000);
        let page = f.page.max(1);
        let from = "FROM products p JOIN vendors v ON v.id = p.vendor_id JOIN categories c ON c.id = p.category_id";
        let total: i64 = bind_scalar(sqlx::query_scalar(&format!("SELECT COUNT(*) {from}{}", c.where_sql())), c.args())
            .fetch_one(&self.pool)
            .await?;
        let dir = if f.descending { "DESC" } else { "ASC" };
        let sql = format!(
            "{SELECT}{} ORDER BY {} {dir}, p.id {dir} LIMIT {per_page} OFFSET {}",
            c.where_sql(),
            f.sort.sql(),
            (page - 1) * per_page
        );
        let rows = bind_all(sqlx::query(&sql), c.args()).fetch_all(&self.pool).await?;
        let ids: Vec<i64> = rows.iter().map(|r| int(r, "id")).collect::<Result<_>>()?;
        let tags = self.tags(&ids).await?;
        let items = rows
            .iter()
            .zip(&ids)
            .map(|(r, id)| product(r, tags.get(id).map(Vec::as_slice).unwrap_or_default()))
            .collect::<Result<_>>()?;
        Ok(Page { items, total, page, per_page })
    }

    /// Every product's id, name and status, by name: for pickers.
    /// Each product's launch domain, for those that have one.
    pub async fn launch_domains(&self) -> Result<std::collections::HashMap<i64, String>> {
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, launch_domain FROM products WHERE launch_domain IS NOT NULL")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().collect())
    }

    pub async fn product_names(&self) -> Result<Vec<ProductSummary>> {
        let rows =
            sqlx::query("SELECT id, name, status FROM products ORDER BY LOWER(name)").fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| Ok(ProductSummary { id: int(r, "id")?, name: text(r, "name")?, status: vocab(r, "status")? }))
            .collect()
    }

    /// Products per status, in the vocabulary's order.
    pub async fn product_status_counts(&self) -> Result<Vec<(ProductStatus, i64)>> {
        let rows =
            sqlx::query("SELECT status, COUNT(*) AS n FROM products GROUP BY status").fetch_all(&self.pool).await?;
        let mut counts: Vec<(ProductStatus, i64)> = ProductStatus::ALL.iter().map(|(s, _, _)| (*s, 0)).collect();
        for r in rows {
            let s: ProductStatus = vocab(&r, "status")?;
            if let Some(slot) = counts.iter_mut().find(|(k, _)| *k == s) {
                slot.1 = int(&r, "n")?;
            }
        }
        Ok(counts)
    }

    async fn check_product_refs(&self, input: &ProductInput) -> Result<(String, String)> {
        let vendor = match self.vendor(input.vendor_id).await {
            Ok(v) => v.vendor.name,
            Err(StoreError::NotFound) => {
                return Err(StoreError::invalid("vendor_id", format!("no vendor has id {}", input.vendor_id)))
            }
            Err(e) => return Err(e),
        };
        let category = match self.category(input.category_id).await {
            Ok(c) => c.category.name,
            Err(StoreError::NotFound) => {
                return Err(StoreError::invalid("category_id", format!("no category has id {}", input.category_id)))
            }
            Err(e) => return Err(e),
        };
        for school in &input.scope_schools {
            match self.org(*school).await {
                Ok(o) if o.org.kind == steward_core::org::OrgKind::School => {}
                Ok(_) => {
                    return Err(StoreError::invalid("scope_schools", format!("organization {school} is not a school")))
                }
                Err(StoreError::NotFound) => {
                    return Err(StoreError::invalid("scope_schools", format!("no school has id {school}")))
                }
                Err(e) => return Err(e),
            }
        }
        Ok((vendor, category))
    }

    pub async fn create_product(&self, actor: &Actor, input: &ProductInput) -> Result<i64> {
        self.save_product(actor, None, input).await
    }

    pub async fn update_product(&self, actor: &Actor, id: i64, input: &ProductInput) -> Result<()> {
        self.save_product(actor, Some(id), input).await.map(|_| ())
    }

    async fn save_product(&self, actor: &Actor, id: Option<i64>, input: &ProductInput) -> Result<i64> {
        let before = match id {
            Some(id) => Some(self.product(id).await?.product),
            None => None,
        };
        let (vendor, category) = self.check_product_refs(input).await?;
        let mut tx = self.begin_write().await?;
        let saved = write_product(&mut tx, id, input, &vendor, &category).await?;
        let action = if id.is_some() { "update" } else { "create" };
        let summary = format!("{action}d product {}", input.name);
        let before = before.as_ref().and_then(json);
        record(
            &mut tx,
            actor,
            Change { action, entity: "product", entity_id: saved, summary, before, after: json(input) },
        )
        .await?;
        tx.commit().await?;
        Ok(saved)
    }
}

/// Inserts (`id` `None`) or updates a product and its tags on `conn`; `vendor` and `category` are the names its
/// references have, for search.
pub(crate) async fn write_product(
    conn: &mut AnyConnection,
    id: Option<i64>,
    input: &ProductInput,
    vendor: &str,
    category: &str,
) -> Result<i64> {
    let subjects: Vec<&str> = input.subjects.iter().map(|s| s.label()).collect();
    let search_text =
        [input.name.as_str(), vendor, category, input.description.as_deref().unwrap_or(""), &subjects.join(" ")]
            .join(" ");
    let at = now();
    let sql = match id {
            None => "INSERT INTO products (name, vendor_id, category_id, description, website, launch_url, launch_domain, \
                     grade_low, grade_high, wcag, vpat_url, third_parties, dpa_status, dpa_expires, essa_tier, status, scope, \
                     search_text, created_at, updated_at, scope_grade_low, scope_grade_high) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19, $20, $21) \
                     RETURNING id",
            Some(_) => "UPDATE products SET name = $1, vendor_id = $2, category_id = $3, description = $4, website = $5, \
                     launch_url = $6, launch_domain = $7, grade_low = $8, grade_high = $9, wcag = $10, vpat_url = $11, \
                     third_parties = $12, dpa_status = $13, dpa_expires = $14, essa_tier = $15, status = $16, scope = $17, \
                     search_text = $18, updated_at = $19, scope_grade_low = $20, scope_grade_high = $21 WHERE id = $22 \
                     RETURNING id",
        };
    let mut q = sqlx::query_scalar(sql)
        .bind(&input.name)
        .bind(input.vendor_id)
        .bind(input.category_id)
        .bind(&input.description)
        .bind(&input.website)
        .bind(&input.launch_url)
        .bind(input.launch_domain())
        .bind(input.grades.low.number())
        .bind(input.grades.high.number())
        .bind(input.wcag.code())
        .bind(&input.vpat_url)
        .bind(&input.third_parties)
        .bind(input.dpa_status.code())
        .bind(input.dpa_expires.map(|d| d.to_string()))
        .bind(input.essa_tier.code())
        .bind(input.status.code())
        .bind(input.scope.code())
        .bind(search_text)
        .bind(&at)
        .bind(input.scope_grades.map(|g| g.low.number()))
        .bind(input.scope_grades.map(|g| g.high.number()));
    if let Some(id) = id {
        q = q.bind(id);
    }
    let saved: i64 = q.fetch_one(&mut *conn).await?;
    write_tags(conn, saved, input).await?;
    Ok(saved)
}

async fn write_tags(conn: &mut AnyConnection, id: i64, input: &ProductInput) -> Result<()> {
    sqlx::query("DELETE FROM product_tags WHERE product_id = $1").bind(id).execute(&mut *conn).await?;
    for (kind, value) in tag_rows(input) {
        sqlx::query("INSERT INTO product_tags (product_id, kind, value) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(kind)
            .bind(value)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
