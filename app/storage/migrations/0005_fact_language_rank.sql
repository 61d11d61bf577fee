-- Research facts carry what the extractor knew about them: the language they are written in
-- (a BCP 47 primary tag, NULL when unknown), whether they come from a site that never names the
-- company (kept apart, shown last), and their usefulness score (higher first; NULL for notes).
ALTER TABLE facts ADD COLUMN lang TEXT;
ALTER TABLE facts ADD COLUMN off_site INTEGER NOT NULL DEFAULT 0;
ALTER TABLE facts ADD COLUMN score REAL;
