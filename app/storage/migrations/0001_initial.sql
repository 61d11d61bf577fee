-- The workspace: prospects, their research facts, drafts and the sent log.
CREATE TABLE prospects (
    id            INTEGER PRIMARY KEY,
    company       TEXT NOT NULL CHECK (length(trim(company)) > 0),
    website       TEXT NOT NULL DEFAULT '',
    contact_name  TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'new'
                  CHECK (status IN ('new', 'researching', 'contacted', 'follow-up due', 'replied', 'disqualified')),
    status_reason TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL
);

CREATE TABLE facts (
    id            INTEGER PRIMARY KEY,
    prospect_id   INTEGER NOT NULL REFERENCES prospects(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('news', 'site', 'feed', 'note')),
    text          TEXT NOT NULL CHECK (length(text) > 0),
    source_url    TEXT NOT NULL DEFAULT '',
    source_title  TEXT NOT NULL DEFAULT '',
    published     TEXT,
    retrieved_at  TEXT NOT NULL,
    pinned        INTEGER NOT NULL DEFAULT 0,
    -- sha256 of the normalised text: the same fact found twice is one fact.
    content_hash  TEXT NOT NULL,
    UNIQUE (prospect_id, content_hash)
);
CREATE INDEX facts_by_prospect ON facts (prospect_id, pinned DESC, id DESC);

CREATE TABLE drafts (
    prospect_id   INTEGER PRIMARY KEY REFERENCES prospects(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL DEFAULT 'first-touch' CHECK (kind IN ('first-touch', 'follow-up')),
    subject       TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL DEFAULT '',
    updated_at    TEXT NOT NULL
);

CREATE TABLE touches (
    id             INTEGER PRIMARY KEY,
    prospect_id    INTEGER NOT NULL REFERENCES prospects(id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN ('first-touch', 'follow-up')),
    subject        TEXT NOT NULL DEFAULT '',
    text           TEXT NOT NULL,
    cited_fact_ids TEXT NOT NULL DEFAULT '[]',  -- JSON list of fact ids
    overrides      TEXT NOT NULL DEFAULT '[]',  -- JSON list of rule ids copied anyway
    sent_at        TEXT NOT NULL,
    follow_up_due  TEXT
);
CREATE INDEX touches_by_prospect ON touches (prospect_id, sent_at);
CREATE INDEX touches_by_due ON touches (follow_up_due);
