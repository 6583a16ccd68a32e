-- The report's staff version, reconciliation and the period's rows are read
-- by when a contact came in (received, or recorded for the earliest
-- records): an index on exactly that expression.
-- Never edit this file once applied: add a new numbered migration.

CREATE INDEX contacts_by_received ON contacts ((COALESCE(received_ms, created_ms)));
