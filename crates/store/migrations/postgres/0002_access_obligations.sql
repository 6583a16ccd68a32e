-- Staff accounts, sessions and API tokens; obligations, routing and
-- explanations of compliance exceptions; reimbursements (PostgreSQL).
-- Never edit this file once applied: add a new numbered migration.

ALTER TABLE contacts ADD COLUMN received_ms BIGINT;
ALTER TABLE compliance_exceptions ADD COLUMN routed_to TEXT NOT NULL DEFAULT 'city-manager'
    CHECK (routed_to IN ('professional-standards', 'superintendent', 'city-manager'));

-- The duties a contact's decision triggered for certain, as the law states them.
CREATE TABLE obligations (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contact_id      BIGINT NOT NULL REFERENCES contacts(id),
    obligation      TEXT   NOT NULL,   -- its id in the law pack
    law             TEXT   NOT NULL,
    duty            TEXT   NOT NULL,
    due             TEXT,              -- in the law's words
    fulfilled_ms    BIGINT,
    fulfilled_by    TEXT,
    fulfilment_note TEXT,
    CHECK ((fulfilled_ms IS NULL) = (fulfilled_by IS NULL))
);
CREATE INDEX obligations_by_contact ON obligations (contact_id);
CREATE INDEX obligations_open ON obligations (contact_id) WHERE fulfilled_ms IS NULL;

CREATE TABLE exception_explanations (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    exception_id  BIGINT NOT NULL REFERENCES compliance_exceptions(id),
    explanation   TEXT   NOT NULL,
    explained_by  TEXT   NOT NULL,
    at_ms         BIGINT NOT NULL
);
CREATE FUNCTION explanations_unchangeable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'explanations are never changed';
END;
$$;
CREATE TRIGGER exception_explanations_no_change BEFORE UPDATE OR DELETE ON exception_explanations
    FOR EACH ROW EXECUTE FUNCTION explanations_unchangeable();
CREATE FUNCTION compliance_exceptions_unchangeable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'compliance exceptions are never changed';
END;
$$;
CREATE TRIGGER compliance_exceptions_no_update BEFORE UPDATE ON compliance_exceptions
    FOR EACH ROW EXECUTE FUNCTION compliance_exceptions_unchangeable();

-- Reimbursements received from the federal government, by case (2.129.060 (d)).
CREATE TABLE reimbursements (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contact_id    BIGINT NOT NULL REFERENCES contacts(id),
    amount_cents  BIGINT NOT NULL CHECK (amount_cents > 0),
    received_on   TEXT   NOT NULL,   -- YYYY-MM-DD
    reference     TEXT   NOT NULL,
    recorded_by   TEXT   NOT NULL,
    recorded_ms   BIGINT NOT NULL
);

CREATE TABLE accounts (
    username          TEXT   PRIMARY KEY,
    role              TEXT   NOT NULL CHECK (role IN ('officer', 'records-clerk', 'professional-standards', 'city-manager', 'school-staff', 'auditor', 'admin')),
    password_hash     TEXT   NOT NULL,   -- argon2id PHC string
    totp_secret       BYTEA  NOT NULL,
    totp_last_step    BIGINT NOT NULL DEFAULT 0,   -- codes at or before it are refused (no replay)
    failures          BIGINT NOT NULL DEFAULT 0,   -- failed sign-ins since first_failure_ms
    first_failure_ms  BIGINT NOT NULL DEFAULT 0,
    locked_until_ms   BIGINT NOT NULL DEFAULT 0,
    created_by        TEXT   NOT NULL,
    created_ms        BIGINT NOT NULL
);

-- Only the SHA-256 of a session token is kept.
CREATE TABLE sessions (
    token_hash    BYTEA  PRIMARY KEY CHECK (length(token_hash) = 32),
    username      TEXT   NOT NULL REFERENCES accounts(username),
    created_ms    BIGINT NOT NULL,
    last_seen_ms  BIGINT NOT NULL,
    ended_ms      BIGINT
);

CREATE TABLE api_tokens (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash    BYTEA  NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    name          TEXT   NOT NULL,
    scopes        TEXT   NOT NULL,   -- JSON array of permission names
    created_by    TEXT   NOT NULL,
    created_ms    BIGINT NOT NULL,
    revoked_ms    BIGINT
);
CREATE TRIGGER exception_explanations_no_truncate BEFORE TRUNCATE ON exception_explanations
    FOR EACH STATEMENT EXECUTE FUNCTION explanations_unchangeable();
