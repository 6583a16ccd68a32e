-- Per-day counters for the 2.129.060 report, kept in the same transaction as
-- each record (trustgate_report::tally says which counters a record adds
-- to), so a report reads about 181 days of counters whatever the number of
-- records. Derived data: `trustgate report --recount` rebuilds it from the
-- records. Never edit this file once applied: add a new numbered migration.

CREATE TABLE report_counts (
    day        TEXT    NOT NULL,   -- YYYY-MM-DD in Cambridge (America/New_York)
    breakdown  TEXT    NOT NULL,   -- a-type, a-channel, a-unit, b, c, e
    key        TEXT    NOT NULL,
    count      INTEGER NOT NULL CHECK (count >= 0),
    PRIMARY KEY (day, breakdown, key)
) STRICT;

-- Whether the counters cover every record (databases with records from
-- before this migration need one recount, which the binary runs on open).
CREATE TABLE report_counts_state (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    complete  INTEGER NOT NULL CHECK (complete IN (0, 1))
) STRICT;
INSERT INTO report_counts_state VALUES (1, CASE WHEN EXISTS (SELECT 1 FROM contacts) THEN 0 ELSE 1 END);
