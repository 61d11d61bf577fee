-- Facts can be discarded (and brought back: undo) and edited; prospects remember when and
-- why their status changed (disqualifying is a recorded choice, with a reason).
ALTER TABLE facts ADD COLUMN discarded INTEGER NOT NULL DEFAULT 0;
ALTER TABLE facts ADD COLUMN edited_at TEXT;
ALTER TABLE prospects ADD COLUMN status_changed_at TEXT;
CREATE INDEX touches_last ON touches (prospect_id, id DESC);
