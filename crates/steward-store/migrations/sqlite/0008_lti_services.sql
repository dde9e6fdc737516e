-- LTI Advantage: values that may be used once (authentication request nonces, the tools' message nonces and
-- client-assertion jtis), the services' access tokens, the content items tools return by deep linking, and the
-- line items and results of Assignment and Grade Services.

CREATE TABLE lti_used_values (
    -- 'nonce' (an authentication request's), 'message' (a tool's message nonce) or 'jti' (a client assertion's).
    kind TEXT NOT NULL,
    -- The tool's client id and the value, joined.
    value TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (kind, value)
);
CREATE INDEX lti_used_values_expires ON lti_used_values (expires_at);

CREATE TABLE lti_access_tokens (
    token_hash TEXT PRIMARY KEY,
    tool_id INTEGER NOT NULL REFERENCES lti_tools (id),
    -- Space-separated granted scopes.
    scopes TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE lti_resources (
    id INTEGER PRIMARY KEY,
    tool_id INTEGER NOT NULL REFERENCES lti_tools (id),
    -- The class it was chosen for, by roster sourcedId.
    class_sourced_id TEXT NOT NULL,
    -- 'ltiResourceLink' or 'link'.
    item_type TEXT NOT NULL,
    title TEXT NOT NULL,
    url TEXT,
    -- The content item as the tool sent it (JSON): custom parameters, line item, presentation.
    item TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX lti_resources_class ON lti_resources (class_sourced_id);

CREATE TABLE lti_line_items (
    id INTEGER PRIMARY KEY,
    tool_id INTEGER NOT NULL REFERENCES lti_tools (id),
    class_sourced_id TEXT NOT NULL,
    label TEXT NOT NULL,
    score_maximum DOUBLE PRECISION NOT NULL,
    resource_id TEXT,
    tag TEXT,
    resource_link_id TEXT,
    start_at TEXT,
    end_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX lti_line_items_class ON lti_line_items (tool_id, class_sourced_id);

-- A student's latest score on a line item: the result that later feeds mastery.
CREATE TABLE lti_results (
    line_item_id INTEGER NOT NULL REFERENCES lti_line_items (id) ON DELETE CASCADE,
    user_sourced_id TEXT NOT NULL,
    score_given DOUBLE PRECISION,
    score_maximum DOUBLE PRECISION,
    comment TEXT,
    activity_progress TEXT NOT NULL,
    grading_progress TEXT NOT NULL,
    scored_at TEXT NOT NULL,
    PRIMARY KEY (line_item_id, user_sourced_id)
);
