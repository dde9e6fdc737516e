//! Steward as an LTI 1.3 platform: its signing keys (made, rotated, published as a JWKS) and the tools registered
//! with it.

pub mod keys;
pub mod tools;
