-- Research a list: the prospects waiting to be researched in the background, one row each, in the
-- order they were queued. Kept in the workspace so a batch survives quitting (or a crash) and goes
-- on where it stopped: a row left 'running' goes back to 'queued' when the queue is opened again.
-- What a finished row says (facts found, problems, the failure's message) is what the rep saw.
CREATE TABLE research_queue (
    prospect_id INTEGER PRIMARY KEY REFERENCES prospects(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    state       TEXT NOT NULL DEFAULT 'queued'
                CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    facts       INTEGER NOT NULL DEFAULT 0,
    errors      INTEGER NOT NULL DEFAULT 0,
    message     TEXT NOT NULL DEFAULT '',
    queued_at   TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX research_queue_by_state ON research_queue (state, position);
