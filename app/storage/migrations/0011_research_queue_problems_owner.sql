-- Research a list, two additions to the local queue (no team-sync trigger covers research_queue: it is
-- this computer's own work list, never shared):
-- * problems: each prospect's problem lines as research listed them, a JSON list of
--   {"source", "kind", "message", "url"} (already redacted), so the window and the command line can
--   show what failed and why, not only how many;
-- * owner and heartbeat_at: who is researching a 'running' row ("pid:token") and when it last said so
--   (unix seconds). Opening the queue puts back only the rows whose owner is gone or has gone quiet,
--   so `earned research --all` never takes over the rows a running window is researching.
ALTER TABLE research_queue ADD COLUMN problems TEXT NOT NULL DEFAULT '[]';
ALTER TABLE research_queue ADD COLUMN owner TEXT;
ALTER TABLE research_queue ADD COLUMN heartbeat_at REAL;
