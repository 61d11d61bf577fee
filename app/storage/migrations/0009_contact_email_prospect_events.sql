-- A prospect's contact e-mail (checked by the repo, as the website is), and the history of its status.
--
-- Until now a prospect only remembered its last status change (status_changed_at); the timeline, reopening a
-- disqualified prospect and undoing a send need to know when each status was chosen. prospect_events gets a row
-- each time the rep sets a status (not when a send makes a prospect 'contacted': the sent log already says that).
-- previous is the status before the change (NULL when unknown: the rows made here from older workspaces).
--
-- No table is rebuilt: a column is added (ADD COLUMN keeps every row, id, key, index and trigger), a table made.
ALTER TABLE prospects ADD COLUMN email TEXT NOT NULL DEFAULT '';

CREATE TABLE prospect_events (
    id          INTEGER PRIMARY KEY,
    prospect_id INTEGER NOT NULL REFERENCES prospects(id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    status      TEXT NOT NULL
                CHECK (status IN ('new', 'researching', 'contacted', 'follow-up due', 'replied', 'disqualified')),
    previous    TEXT,
    reason      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX prospect_events_by_prospect ON prospect_events (prospect_id, at);

-- What older workspaces know: the last status the rep chose, and when.
INSERT INTO prospect_events (prospect_id, at, status, previous, reason)
    SELECT id, status_changed_at, status, NULL, status_reason FROM prospects WHERE status_changed_at IS NOT NULL;
