-- Complaints under 2.129.050 (issue 12, item 4): the first record that is
-- not a contact, with its own duties and audit trail (`complaint/<id>`).
-- What identifies people (what happened, when in the day, where, who to
-- reach) is sealed under the operator's data key, as a contact's person;
-- the tracking code is kept only as its SHA-256, as session tokens are.
-- A complaint's duties are a table of its own, not `obligations` (whose
-- `contact_id` is NOT NULL and could be relaxed on SQLite only by rebuilding
-- the table): docs/design/store.md argues the choice.
-- Never edit this file once applied: add a new numbered migration.

CREATE TABLE complaints (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code_hash       BYTEA   NOT NULL UNIQUE,   -- SHA-256 of the tracking code
    against         TEXT    NOT NULL,          -- a value of the schema's `respondent`
    occurred_on     TEXT    NOT NULL,          -- YYYY-MM-DD
    filed_on        TEXT    NOT NULL,          -- YYYY-MM-DD: the day whose law routed it
    language        TEXT,                      -- to answer in, if said
    content_key     TEXT    NOT NULL,          -- the data key it is sealed under
    content_sealed  BYTEA   NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('received', 'under-investigation', 'closed')),
    disposition     TEXT    CHECK (disposition IN ('sustained', 'not-sustained', 'exonerated', 'unfounded', 'policy-failure')),
    assigned_to     TEXT,                      -- an account's username
    created_by      TEXT    NOT NULL,
    created_ms      BIGINT  NOT NULL,
    CHECK ((status = 'closed') = (disposition IS NOT NULL))
);
CREATE INDEX complaints_by_status ON complaints (status);

-- Its status, as it changed, each change with the notice the complainant
-- reads on the status page (none for the filing itself).
CREATE TABLE complaint_events (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    complaint_id  BIGINT  NOT NULL REFERENCES complaints(id),
    status        TEXT    NOT NULL,
    disposition   TEXT,
    notice        TEXT,
    changed_by    TEXT    NOT NULL,
    at_ms         BIGINT  NOT NULL
);
CREATE INDEX complaint_events_by_complaint ON complaint_events (complaint_id);

-- Staff's internal notes; never shown to the complainant.
CREATE TABLE complaint_notes (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    complaint_id  BIGINT  NOT NULL REFERENCES complaints(id),
    note          TEXT    NOT NULL,
    written_by    TEXT    NOT NULL,
    at_ms         BIGINT  NOT NULL
);
CREATE INDEX complaint_notes_by_complaint ON complaint_notes (complaint_id);

-- The duties the law attaches to it, each with the office it goes to; the
-- same columns as `obligations`, keyed by complaint.
CREATE TABLE complaint_obligations (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    complaint_id    BIGINT  NOT NULL REFERENCES complaints(id),
    obligation      TEXT    NOT NULL,
    law             TEXT    NOT NULL,
    duty            TEXT    NOT NULL,
    due             TEXT,
    office          TEXT    NOT NULL,
    due_ms          BIGINT,
    fulfilled_ms    BIGINT,
    fulfilled_by    TEXT,
    fulfilment_note TEXT,
    CHECK ((fulfilled_ms IS NULL) = (fulfilled_by IS NULL))
);
CREATE INDEX complaint_obligations_by_complaint ON complaint_obligations (complaint_id);
CREATE INDEX complaint_obligations_by_office ON complaint_obligations (office, complaint_id);

CREATE FUNCTION complaint_history_unchangeable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a complaint''s history and notes are never changed';
END;
$$;
CREATE TRIGGER complaint_events_no_change BEFORE UPDATE OR DELETE ON complaint_events
    FOR EACH ROW EXECUTE FUNCTION complaint_history_unchangeable();
CREATE TRIGGER complaint_notes_no_change BEFORE UPDATE OR DELETE ON complaint_notes
    FOR EACH ROW EXECUTE FUNCTION complaint_history_unchangeable();
