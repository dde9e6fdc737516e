-- Usage: events from every channel matched to people, products and schools; exact rollups of them; the unknown
-- products and unmatched users they showed.

-- A dense integer per rostered person, the id rollup bitmaps hold. Assigned once and never reused.
CREATE TABLE usage_people (
    id INTEGER PRIMARY KEY,
    sourced_id TEXT NOT NULL UNIQUE
);

-- Other names a product is known by in usage: hosts it is used at, LTI client ids.
CREATE TABLE product_aliases (
    kind TEXT NOT NULL CHECK (kind IN ('domain', 'lti_client')),
    value TEXT NOT NULL,
    product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (kind, value)
);

-- Raw events, kept for the retention period. The fingerprint (128 bits of the sender's id or of the content) is what
-- makes an event sent twice count once. Unknown products and unmatched users keep the key they were named by.
CREATE TABLE usage_events (
    day TEXT NOT NULL,
    fingerprint BLOB NOT NULL,
    at TEXT NOT NULL,
    channel TEXT NOT NULL,
    product_id INTEGER,
    product_key TEXT,
    person_id INTEGER,
    user_key TEXT,
    school_id INTEGER,
    kind TEXT NOT NULL,
    seconds INTEGER NOT NULL,
    PRIMARY KEY (day, fingerprint)
) WITHOUT ROWID;

-- Per product, school (0: every school) and period (a day YYYY-MM-DD or a month YYYY-MM): the distinct people
-- active, as a roaring bitmap of usage_people ids, with its size; events, launches and seconds of use.
CREATE TABLE usage_rollups (
    product_id INTEGER NOT NULL,
    school_id INTEGER NOT NULL,
    period TEXT NOT NULL,
    users BLOB NOT NULL,
    active INTEGER NOT NULL,
    events INTEGER NOT NULL,
    launches INTEGER NOT NULL,
    seconds INTEGER NOT NULL,
    PRIMARY KEY (product_id, school_id, period)
) WITHOUT ROWID;
CREATE INDEX usage_rollups_period ON usage_rollups (period, school_id);

-- Products seen in usage that the inventory does not hold: the discovery queue.
CREATE TABLE usage_discoveries (
    id INTEGER PRIMARY KEY,
    product_key TEXT NOT NULL UNIQUE,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    events INTEGER NOT NULL,
    users BLOB NOT NULL,
    -- Steward school ids, comma-separated.
    schools TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'added', 'dismissed')),
    product_id INTEGER REFERENCES products (id)
);

-- Users no roster record matched, by the key they were named by.
CREATE TABLE usage_strangers (
    user_key TEXT PRIMARY KEY,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    events INTEGER NOT NULL,
    -- Product ids, comma-separated.
    products TEXT NOT NULL
);

-- Findings of the waste finder set aside, each with its reason (the audit log has who and when as well).
CREATE TABLE waste_dismissals (
    id INTEGER PRIMARY KEY,
    finding_key TEXT NOT NULL UNIQUE,
    reason TEXT NOT NULL,
    dismissed_at TEXT NOT NULL,
    actor TEXT NOT NULL
);

-- xAPI statements received by the statements resource, as sent (with the id the LRS gave those without), per product.
CREATE TABLE xapi_statements (
    id TEXT PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products (id),
    statement TEXT NOT NULL,
    stored TEXT NOT NULL
);
CREATE INDEX xapi_statements_product ON xapi_statements (product_id, stored);

-- How each vendor's usage reports (CSV) map onto usage events: which column holds what, as JSON.
CREATE TABLE vendor_usage_mappings (
    vendor_id INTEGER PRIMARY KEY REFERENCES vendors (id),
    mapping TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
