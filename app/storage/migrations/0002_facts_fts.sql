-- Full-text search over facts and notes, kept in step by triggers.
CREATE VIRTUAL TABLE facts_fts USING fts5 (
    text, source_title,
    content = 'facts', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

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

-- Facts saved under version 1 get indexed now.
INSERT INTO facts_fts (facts_fts) VALUES ('rebuild');
