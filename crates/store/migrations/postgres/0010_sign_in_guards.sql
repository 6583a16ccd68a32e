-- Sign-in failures are counted per (name as typed, client source) and per
-- name, so an attacker locks a name only for their own source and unknown
-- names are counted exactly like known ones (issue 10, item 8). Names and
-- sources are kept only as HMAC-SHA256 digests under `sign_in_key` (drawn
-- by the store on first use): a typed name may be a password, an address
-- says where a person is. Not records: `audit verify` does not cover these
-- (every attempt is in the audit log). The lockout columns of `accounts`
-- stay as they were (their values are in every account's digest) and are
-- no longer written by sign-in.
-- Never edit this file once applied: add a new numbered migration.

CREATE TABLE sign_in_key (
    id     BIGINT  PRIMARY KEY CHECK (id = 1),
    secret BYTEA NOT NULL CHECK (length(secret) = 32)
);

-- One row per (name, source) that failed or signed in.
CREATE TABLE sign_in_guards (
    name_key          BYTEA   NOT NULL CHECK (length(name_key) = 32),
    source_key        BYTEA   NOT NULL CHECK (length(source_key) = 32),
    failures          BIGINT  NOT NULL DEFAULT 0,   -- failed since first_failure_ms
    first_failure_ms  BIGINT  NOT NULL DEFAULT 0,
    locked_until_ms   BIGINT  NOT NULL DEFAULT 0,
    signed_in_ms      BIGINT,                       -- last success from here: a trusted source
    PRIMARY KEY (name_key, source_key)
);
CREATE INDEX sign_in_guards_by_first_failure ON sign_in_guards (first_failure_ms);

-- The brake on one name, from every source together.
CREATE TABLE sign_in_brakes (
    name_key          BYTEA   PRIMARY KEY CHECK (length(name_key) = 32),
    failures          BIGINT  NOT NULL DEFAULT 0,
    first_failure_ms  BIGINT  NOT NULL DEFAULT 0,
    next_ms           BIGINT  NOT NULL DEFAULT 0    -- an untrusted source may try again from then
);
CREATE INDEX sign_in_brakes_by_first_failure ON sign_in_brakes (first_failure_ms);
