-- Two more kinds of research fact: 'hiring' (job postings) and 'filing' (official filings); and the
-- snapshot of the article a fact quotes: the sentences as read, the page they were read on, when,
-- and the sha256 of the article's text then (a later copy can be checked against it).
--
-- The snapshot keeps its own URL and time: saving the same fact again refreshes the fact's
-- retrieved_at (and may give it another source_url: a syndicated story on another site), but the
-- quote was read where and when it was read.
--
-- SQLite can't change a CHECK constraint in place: the table is rebuilt with every column and id it
-- had, then its index, the full-text triggers and the full-text index are made again.
DROP TRIGGER facts_fts_insert;
DROP TRIGGER facts_fts_delete;
DROP TRIGGER facts_fts_update;

CREATE TABLE facts_new (
    id                 INTEGER PRIMARY KEY,
    prospect_id        INTEGER NOT NULL REFERENCES prospects(id) ON DELETE CASCADE,
    kind               TEXT NOT NULL CHECK (kind IN ('news', 'site', 'feed', 'hiring', 'filing', 'note')),
    text               TEXT NOT NULL CHECK (length(text) > 0),
    source_url         TEXT NOT NULL DEFAULT '',
    source_title       TEXT NOT NULL DEFAULT '',
    published          TEXT,
    retrieved_at       TEXT NOT NULL,
    pinned             INTEGER NOT NULL DEFAULT 0,
    -- sha256 of the normalised text: the same fact found twice is one fact.
    content_hash       TEXT NOT NULL,
    discarded          INTEGER NOT NULL DEFAULT 0,
    edited_at          TEXT,
    lang               TEXT,
    off_site           INTEGER NOT NULL DEFAULT 0,
    score              REAL,
    quote              TEXT,
    quote_url          TEXT,
    quote_retrieved_at TEXT,
    quote_sha256       TEXT,
    -- A snapshot is whole or absent: a quote always says where and when it was read.
    CHECK (quote IS NULL OR (length(quote) > 0 AND quote_url IS NOT NULL AND quote_retrieved_at IS NOT NULL
                             AND quote_sha256 IS NOT NULL)),
    UNIQUE (prospect_id, content_hash)
);

INSERT INTO facts_new (id, prospect_id, kind, text, source_url, source_title, published, retrieved_at, pinned,
                       content_hash, discarded, edited_at, lang, off_site, score)
    SELECT id, prospect_id, kind, text, source_url, source_title, published, retrieved_at, pinned,
           content_hash, discarded, edited_at, lang, off_site, score
    FROM facts;

DROP TABLE facts;
ALTER TABLE facts_new RENAME TO facts;

CREATE INDEX facts_by_prospect ON facts (prospect_id, pinned DESC, id DESC);

CREATE TRIGGER facts_fts_insert AFTER INSERT ON facts BEGIN
    INSERT INTO facts_fts (rowid, text, source_title) VALUES (new.id, new.text, new.source_title);
END;
CREATE TRIGGER facts_fts_delete AFTER DELETE ON facts BEGIN
    INSERT INTO facts_fts (facts_fts, rowid, text, source_title) VALUES ('delete', old.id, old.text, old.source_title);
END;
CREATE TRIGGER facts_fts_update AFTER UPDATE OF text, source_title ON facts BEGIN
    INSERT INTO facts_fts (facts_fts, rowid, text, source_title) VALUES ('delete', old.id, old.text, old.source_title);
    INSERT INTO facts_fts (rowid, text, source_title) VALUES (new.id, new.text, new.source_title);
END;

-- The ids are the same, so the index still matches; rebuilt anyway, so it is sure to.
INSERT INTO facts_fts (facts_fts) VALUES ('rebuild');
