-- Governance: the infrastructure profile, what products need, the management policy in versions, requests and
-- their review stages, comments, notifications (the in-app inbox and the e-mail outbox), each product's privacy
-- facts and DPA file, and the district's governance settings (re-review, public fields) as JSON documents.

-- One row: the district's infrastructure profile as JSON (steward_core::governance::infra::InfraProfile).
CREATE TABLE infra_profile (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- What a product declares it needs beyond the inventory's facts (ProductNeeds as JSON).
CREATE TABLE product_needs (
    product_id INTEGER PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
    body TEXT NOT NULL
);

-- Every version of the management policy; the latest is in force. A request keeps the version it started under.
CREATE TABLE policies (
    version INTEGER PRIMARY KEY,
    body TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL
);

CREATE TABLE requests (
    id INTEGER PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products (id),
    requester_id INTEGER REFERENCES users (id),
    -- The school a school-level reviewer or approver belongs to: the requester's.
    school_id INTEGER REFERENCES orgs (id),
    kind TEXT NOT NULL CHECK (kind IN ('new', 're_review')),
    policy_version INTEGER NOT NULL REFERENCES policies (version),
    -- Who makes the final decision under that version (at school_id, for a school role).
    approver_role TEXT NOT NULL,
    status TEXT NOT NULL,
    body TEXT NOT NULL,
    facts TEXT NOT NULL,
    decision TEXT,
    decided_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    decided_at TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX requests_status ON requests (status);
CREATE INDEX requests_requester ON requests (requester_id);
CREATE INDEX requests_product ON requests (product_id);

CREATE TABLE request_stages (
    request_id INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    reviewer_role TEXT NOT NULL,
    school_id INTEGER REFERENCES orgs (id),
    days INTEGER NOT NULL,
    status TEXT NOT NULL,
    assignee_id INTEGER REFERENCES users (id),
    started_at TEXT,
    due_at TEXT,
    finished_at TEXT,
    -- The stage's own record as JSON: the checklist and its overrides, the privacy facts reviewed, ….
    details TEXT,
    note TEXT,
    overdue_notified INTEGER NOT NULL DEFAULT 0 CHECK (overdue_notified IN (0, 1)),
    PRIMARY KEY (request_id, position)
);
CREATE INDEX request_stages_open ON request_stages (status, due_at);
CREATE INDEX request_stages_assignee ON request_stages (assignee_id, status);

CREATE TABLE request_comments (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    stage_position INTEGER,
    author_id INTEGER REFERENCES users (id),
    kind TEXT NOT NULL CHECK (kind IN ('comment', 'question', 'answer', 'decision')),
    body TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX request_comments_request ON request_comments (request_id, id);

-- The inbox, and the e-mail outbox: a message is e-mailed once (emailed_at), retried a few times on failure.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT,
    emailed_at TEXT,
    email_attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_outbox ON notifications (emailed_at, email_attempts);

-- A product's privacy facts beyond the inventory's (PrivacyFacts as JSON) and its DPA file.
CREATE TABLE product_privacy (
    product_id INTEGER PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    dpa_file BLOB,
    dpa_file_name TEXT,
    updated_at TEXT NOT NULL
);

-- Named JSON documents: 're_review' (days before DPA expiry and renewal, per-category schedules), 'public_fields'.
CREATE TABLE governance_settings (
    name TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
