-- Workspace preferences that belong with the data (rule thresholds, follow-up interval):
-- QSettings keeps only window geometry. Values are JSON.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
