-- The OneRoster REST provider: API clients (one product each), their OAuth 2.0 access tokens, and the log of every
-- request they make. Secrets are argon2id hashes and tokens SHA-256 digests: a leaked table grants nothing.

CREATE TABLE api_clients (
    id INTEGER PRIMARY KEY,
    client_id TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL,
    product_id INTEGER NOT NULL REFERENCES products (id),
    name TEXT NOT NULL,
    -- The scopes the client may be granted, space-separated.
    scopes TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX api_clients_product ON api_clients (product_id);

CREATE TABLE api_client_tokens (
    token_hash TEXT PRIMARY KEY,
    client INTEGER NOT NULL REFERENCES api_clients (id) ON DELETE CASCADE,
    -- The scopes granted to this token, space-separated.
    scopes TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX api_client_tokens_expiry ON api_client_tokens (expires_at);

CREATE TABLE api_access_log (
    id INTEGER PRIMARY KEY,
    client INTEGER NOT NULL REFERENCES api_clients (id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    status INTEGER NOT NULL,
    rows_returned INTEGER NOT NULL
);
CREATE INDEX api_access_log_client ON api_access_log (client, id);

-- What the provider's visibility rule probes for every user, class and enrollment it serves.
CREATE INDEX roster_enrollments_user_role_class ON roster_enrollments (user_sourced_id, role, class_sourced_id);
CREATE INDEX roster_enrollments_class_role ON roster_enrollments (class_sourced_id, role);
CREATE INDEX roster_roles_user_role ON roster_roles (user_sourced_id, role);
CREATE INDEX roster_academic_sessions_type ON roster_academic_sessions (type);
CREATE INDEX roster_line_items_category ON roster_line_items (category_sourced_id);
CREATE INDEX roster_results_class ON roster_results (class_sourced_id);
CREATE INDEX roster_class_resources_resource ON roster_class_resources (resource_sourced_id);
CREATE INDEX roster_course_resources_resource ON roster_course_resources (resource_sourced_id);
-- Filters compare without case (LOWER on both sides): the fields clients look people up by.
CREATE INDEX roster_users_given_name_lower ON roster_users (LOWER(given_name));
CREATE INDEX roster_users_family_name_lower ON roster_users (LOWER(family_name));
CREATE INDEX roster_users_email_lower ON roster_users (LOWER(email));
CREATE INDEX roster_users_username_lower ON roster_users (LOWER(username));
CREATE INDEX roster_users_identifier_lower ON roster_users (LOWER(identifier));
