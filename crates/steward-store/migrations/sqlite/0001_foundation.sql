-- Foundation: organizations, accounts, sessions, the inventory, contracts, owners and the audit log.
-- Times are UTC RFC 3339 text of fixed width; dates are YYYY-MM-DD text; money is integer minor units;
-- flags are 0/1 integers. The same shapes are used on PostgreSQL so that one set of queries serves both.

CREATE TABLE orgs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('state', 'district', 'school')),
    parent_id INTEGER REFERENCES orgs (id),
    name TEXT NOT NULL,
    sourced_id TEXT UNIQUE,
    nces_id TEXT UNIQUE,
    school_level TEXT,
    grade_low INTEGER,
    grade_high INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX orgs_parent ON orgs (parent_id);

-- Values generated once per installation and shared by every server process (the cookie-signing key).
CREATE TABLE instance_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    school_id INTEGER REFERENCES orgs (id),
    password_hash TEXT,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    throttle_key TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (throttle_key, at);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);

CREATE TABLE vendors (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    website TEXT,
    contact_email TEXT,
    notes TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    parent_id INTEGER REFERENCES categories (id),
    description TEXT
);

CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    vendor_id INTEGER NOT NULL REFERENCES vendors (id),
    category_id INTEGER NOT NULL REFERENCES categories (id),
    description TEXT,
    website TEXT,
    launch_url TEXT,
    launch_domain TEXT,
    grade_low INTEGER NOT NULL,
    grade_high INTEGER NOT NULL,
    wcag TEXT NOT NULL,
    vpat_url TEXT,
    third_parties TEXT,
    dpa_status TEXT NOT NULL,
    dpa_expires TEXT,
    essa_tier TEXT NOT NULL,
    status TEXT NOT NULL,
    scope TEXT NOT NULL,
    -- With scope some_grades: the grades it is approved for. (Scope schools are product_tags 'scope_school'.)
    scope_grade_low INTEGER,
    scope_grade_high INTEGER,
    search_text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX products_vendor ON products (vendor_id);
CREATE INDEX products_category ON products (category_id);
CREATE INDEX products_status ON products (status);
CREATE INDEX products_domain ON products (launch_domain);

-- Multi-valued product facts: subjects, platforms, sign-on methods, standards, data elements, scope schools.
CREATE TABLE product_tags (
    product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (product_id, kind, value)
);
CREATE INDEX product_tags_value ON product_tags (kind, value);

CREATE VIRTUAL TABLE products_fts USING fts5 (search_text, content = 'products', content_rowid = 'id');
CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
    INSERT INTO products_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
    INSERT INTO products_fts (products_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER products_fts_update AFTER UPDATE ON products BEGIN
    INSERT INTO products_fts (products_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO products_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE TABLE contracts (
    id INTEGER PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products (id),
    school_id INTEGER REFERENCES orgs (id),
    license_model TEXT NOT NULL,
    seats INTEGER,
    cost_minor INTEGER NOT NULL CHECK (cost_minor >= 0),
    currency TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    funding_source TEXT NOT NULL,
    purchase_order TEXT,
    auto_renew INTEGER NOT NULL CHECK (auto_renew IN (0, 1)),
    notice_days INTEGER NOT NULL,
    notes TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (end_date >= start_date)
);
CREATE INDEX contracts_product ON contracts (product_id);
CREATE INDEX contracts_school ON contracts (school_id);
CREATE INDEX contracts_end ON contracts (end_date);

CREATE TABLE product_owners (
    id INTEGER PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (product_id, role, name)
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id INTEGER,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    summary TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_at ON audit_log (at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE (ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE (ABORT, 'the audit log is append-only');
END;
