-- A contact entered late, into a period whose report was published, says
-- why (issue 10, item 7): `late_entry` holds the reason, NULL for one
-- entered on time. Such a record changes a published report, and the
-- report says so (its `entered_late`). Which periods were published is in
-- the audit log itself (`publish` of `report/period-<n>`), where a
-- publication cannot be quietly removed.
-- Never edit this file once applied: add a new numbered migration.

ALTER TABLE contacts ADD COLUMN late_entry TEXT;
