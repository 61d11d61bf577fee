-- Two more kinds of message: 'linkedin-note' (a LinkedIn connection-request note) and 'call-script'
-- (what the rep says on a call or leaves as a voicemail). Drafts and the sent log (touches) accept them.
-- Neither has a subject, and neither is an email waiting for a reply: the repo gives them no follow-up
-- date, and a prospect's follow-up date is that of the last email sent (see repo._PROSPECT_SELECT).
--
-- SQLite can't change a CHECK constraint in place: both tables are rebuilt with every column, row and id
-- they had (the same foreign keys), then their indexes are made again. No table refers to either of them,
-- and neither has triggers.
CREATE TABLE drafts_new (
    prospect_id   INTEGER PRIMARY KEY REFERENCES prospects(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL DEFAULT 'first-touch'
                  CHECK (kind IN ('first-touch', 'follow-up', 'linkedin-note', 'call-script')),
    subject       TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL DEFAULT '',
    updated_at    TEXT NOT NULL
);

INSERT INTO drafts_new (prospect_id, kind, subject, body, updated_at)
    SELECT prospect_id, kind, subject, body, updated_at FROM drafts;

DROP TABLE drafts;
ALTER TABLE drafts_new RENAME TO drafts;

CREATE TABLE touches_new (
    id             INTEGER PRIMARY KEY,
    prospect_id    INTEGER NOT NULL REFERENCES prospects(id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN ('first-touch', 'follow-up', 'linkedin-note', 'call-script')),
    subject        TEXT NOT NULL DEFAULT '',
    text           TEXT NOT NULL,
    cited_fact_ids TEXT NOT NULL DEFAULT '[]',  -- JSON list of fact ids
    overrides      TEXT NOT NULL DEFAULT '[]',  -- JSON list of rule ids copied anyway
    sent_at        TEXT NOT NULL,
    follow_up_due  TEXT
);

INSERT INTO touches_new (id, prospect_id, kind, subject, text, cited_fact_ids, overrides, sent_at, follow_up_due)
    SELECT id, prospect_id, kind, subject, text, cited_fact_ids, overrides, sent_at, follow_up_due FROM touches;

DROP TABLE touches;
ALTER TABLE touches_new RENAME TO touches;

CREATE INDEX touches_by_prospect ON touches (prospect_id, sent_at);
CREATE INDEX touches_by_due ON touches (follow_up_due);
CREATE INDEX touches_last ON touches (prospect_id, id DESC);
