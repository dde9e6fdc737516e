-- LTI 1.3: the platform's signing keys (the newest unretired one signs; retired ones stay in the JWKS for a while)
-- and the tools registered with it.

CREATE TABLE lti_keys (
    kid TEXT PRIMARY KEY,
    -- The RSA private key, PKCS#8 DER.
    private_der BLOB NOT NULL,
    -- The public key as a JWK (JSON), as the JWKS endpoint serves it.
    public_jwk TEXT NOT NULL,
    created_at TEXT NOT NULL,
    retired_at TEXT
);

CREATE TABLE lti_tools (
    id INTEGER PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products (id),
    client_id TEXT NOT NULL UNIQUE,
    -- The registration as JSON (steward_core::lti::ToolInput).
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX lti_tools_product ON lti_tools (product_id);
