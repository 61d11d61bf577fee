-- Team mode, the workspace's side: reps share accounts (prospects), facts and notes, the sent log, who owns an
-- account and a do-not-contact list through a team server. The workspace stays the rep's own copy, works offline
-- and syncs later (app/storage/sync_store.py). A rep who never connects a team sees no difference: every trigger
-- below that writes to the sync tables first checks that the team is connected.
--
-- No table is rebuilt: columns are added at the end (ADD COLUMN keeps every row, id, key, index and trigger),
-- tables, indexes and triggers made.

-- A global id: the same prospect, fact or sent message on every rep's machine and on the server. A v4-shaped
-- UUID made from randomblob (SQLite has no uuid()). ADD COLUMN takes no expression as DEFAULT, so old rows are
-- filled here and new rows by the *_gid_outbox_insert triggers below, whatever path inserts them (the repo, an
-- import, the command line); a row that arrives with a gid (one pulled from the team) keeps it.
ALTER TABLE prospects ADD COLUMN gid TEXT;
ALTER TABLE facts ADD COLUMN gid TEXT;
ALTER TABLE touches ADD COLUMN gid TEXT;

-- Who wrote a fact or sent a message: NULL for this rep, a teammate's role name for a row pulled from the team.
-- The rep's own sent log (composer, follow-ups, status) reads only created_by IS NULL (see repo.py).
ALTER TABLE facts ADD COLUMN created_by TEXT;
ALTER TABLE touches ADD COLUMN created_by TEXT;

UPDATE prospects SET gid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||
    substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) ||
    substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)));
UPDATE facts SET gid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||
    substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) ||
    substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)));
UPDATE touches SET gid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||
    substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) ||
    substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)));

CREATE UNIQUE INDEX prospects_by_gid ON prospects (gid);
CREATE UNIQUE INDEX facts_by_gid ON facts (gid);
CREATE UNIQUE INDEX touches_by_gid ON touches (gid);

-- The team connection: role, display_name, url (never with a password: secrets live in the keyring), 'connected'
-- ('1' or '0'), per-table pull cursors ('cursor:<table>', JSON [xid, change_id]), and 'applying', which the sync
-- engine sets inside its own transaction while it writes rows pulled from the team and clears before COMMIT
-- (so it is never seen by another connection, and the capture triggers stay quiet for those rows).
CREATE TABLE sync_state (
    key   TEXT PRIMARY KEY,
    value TEXT
);

-- One row per local change waiting to be pushed; what is sent is read from the row itself at push time, so the
-- outbox only says which row, what happened and when.
CREATE TABLE sync_outbox (
    id     INTEGER PRIMARY KEY,
    entity TEXT NOT NULL CHECK (entity IN ('prospect', 'fact', 'touch', 'dnc')),
    gid    TEXT NOT NULL,
    op     TEXT NOT NULL CHECK (op IN ('insert', 'field', 'delete')),
    field  TEXT,
    at     TEXT NOT NULL
);

-- Who works an account now (a role name), pulled from the team; expires_at in UTC ISO 8601.
CREATE TABLE team_owners (
    prospect_gid TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    claimed_at   TEXT,
    expires_at   TEXT
);

-- People, companies (by e-mail domain) and accounts nobody on the team may write to. created_by NULL: this rep's
-- entry. deleted_at set: lifted (kept, so the lifting syncs too).
CREATE TABLE do_not_contact (
    gid          TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) ||
                     '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) ||
                     substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    prospect_gid TEXT,
    email        TEXT,
    domain       TEXT,
    reason       TEXT NOT NULL,
    created_by   TEXT,
    created_at   TEXT,
    deleted_at   TEXT
);
CREATE INDEX do_not_contact_by_prospect ON do_not_contact (prospect_gid);

CREATE TABLE team_members (
    role         TEXT PRIMARY KEY,
    display_name TEXT
);

-- A value that lost a last-writer-wins edit, so the rep can see (and bring back) what was overwritten.
-- value_by NULL: this rep's value. kept 0: this is what the workspace showed before the team's value replaced it;
-- 1: it changed nothing here (a teammate's value that lost, or the rep's, whose winner comes with the next pull).
CREATE TABLE field_history (
    id       INTEGER PRIMARY KEY,
    entity   TEXT,
    gid      TEXT,
    field    TEXT,
    value    TEXT,
    value_at TEXT,
    value_by TEXT,
    kept     INTEGER
);
CREATE INDEX field_history_by_row ON field_history (entity, gid);

-- The team's shared settings (JSON values), pulled from the server.
CREATE TABLE team_settings (
    key   TEXT PRIMARY KEY,
    value TEXT
);

-- Outbox capture: in triggers, so no write path can forget it. Each fires only when the team is connected, not
-- while the sync engine applies rows pulled from the team, and never for a teammate's row. The connected check
-- comes first: for a rep without a team it is one primary-key lookup in an empty table.
-- Drafts, pins and discards are private: nothing captures them.

CREATE TRIGGER prospects_gid_outbox_insert AFTER INSERT ON prospects BEGIN
    UPDATE prospects SET gid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||
        substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) ||
        substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))
        WHERE id = new.id AND new.gid IS NULL;
    -- One trigger, gid first: the outbox row needs the gid just made (trigger order is not defined).
    INSERT INTO sync_outbox (entity, gid, op, at)
        SELECT 'prospect', gid, 'insert', strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM prospects
        WHERE id = new.id
          AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'connected' AND value = '1')
          AND NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'applying' AND value = '1');
END;

CREATE TRIGGER facts_gid_outbox_insert AFTER INSERT ON facts BEGIN
    UPDATE facts SET gid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||
        substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) ||
        substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))
        WHERE id = new.id AND new.gid IS NULL;
    INSERT INTO sync_outbox (entity, gid, op, at)
        SELECT 'fact', gid, 'insert', strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM facts
        WHERE id = new.id AND new.created_by IS NULL
          AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'connected' AND value = '1')
          AND NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'applying' AND value = '1');
END;

CREATE TRIGGER touches_gid_outbox_insert AFTER INSERT ON touches BEGIN
    UPDATE touches SET gid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||
        substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) ||
        substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))
        WHERE id = new.id AND new.gid IS NULL;
    INSERT INTO sync_outbox (entity, gid, op, at)
        SELECT 'touch', gid, 'insert', strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM touches
        WHERE id = new.id AND new.created_by IS NULL
          AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'connected' AND value = '1')
          AND NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'applying' AND value = '1');
END;

-- One 'field' row per shared column the UPDATE changed (status_changed_at, the gid fill: not shared).
CREATE TRIGGER prospects_outbox_update
    AFTER UPDATE OF company, website, contact_name, role, email, status, status_reason ON prospects
    WHEN EXISTS (SELECT 1 FROM sync_state WHERE key = 'connected' AND value = '1')
     AND NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'applying' AND value = '1')
BEGIN
    INSERT INTO sync_outbox (entity, gid, op, field, at)
        SELECT 'prospect', new.gid, 'field', column1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        FROM (VALUES ('company', new.company IS NOT old.company), ('website', new.website IS NOT old.website),
                     ('contact_name', new.contact_name IS NOT old.contact_name), ('role', new.role IS NOT old.role),
                     ('email', new.email IS NOT old.email), ('status', new.status IS NOT old.status),
                     ('status_reason', new.status_reason IS NOT old.status_reason))
        WHERE column2;
END;

-- A fact's shared column is its text (the rep's edit of a note); pinned and discarded stay private.
CREATE TRIGGER facts_outbox_update AFTER UPDATE OF text ON facts
    WHEN new.text IS NOT old.text AND new.created_by IS NULL
     AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'connected' AND value = '1')
     AND NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'applying' AND value = '1')
BEGIN
    INSERT INTO sync_outbox (entity, gid, op, field, at)
        VALUES ('fact', new.gid, 'field', 'text', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

-- The sent log is append-only; a touch deleted is a send taken back (undo): a tombstone.
CREATE TRIGGER touches_outbox_delete AFTER DELETE ON touches
    WHEN old.created_by IS NULL
     AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'connected' AND value = '1')
     AND NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'applying' AND value = '1')
BEGIN
    INSERT INTO sync_outbox (entity, gid, op, at)
        VALUES ('touch', old.gid, 'delete', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

-- The rep's own do-not-contact entries: added, and lifted (deleted_at set).
CREATE TRIGGER do_not_contact_outbox_insert AFTER INSERT ON do_not_contact
    WHEN new.created_by IS NULL
     AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'connected' AND value = '1')
     AND NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'applying' AND value = '1')
BEGIN
    INSERT INTO sync_outbox (entity, gid, op, at)
        VALUES ('dnc', new.gid, 'insert', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER do_not_contact_outbox_lift AFTER UPDATE OF deleted_at ON do_not_contact
    WHEN new.deleted_at IS NOT NULL AND old.deleted_at IS NULL AND new.created_by IS NULL
     AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'connected' AND value = '1')
     AND NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'applying' AND value = '1')
BEGIN
    INSERT INTO sync_outbox (entity, gid, op, at)
        VALUES ('dnc', new.gid, 'delete', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
