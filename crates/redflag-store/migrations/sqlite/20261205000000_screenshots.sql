-- no-transaction
-- Screenshots (issue 15): a case may be a pop-up or web page ('screen'), and may keep the
-- image it was read from (re-encoded without metadata) when the person consented.
--
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt, with foreign keys
-- off so that dropping the old table does not cascade to case_indicators
-- (https://www.sqlite.org/lang_altertable.html, "Making Other Kinds Of Table Schema
-- Changes"). A pragma that turns foreign keys off has no effect inside a transaction,
-- hence `no-transaction` and the explicit BEGIN/COMMIT.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE cases_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at   TEXT    NOT NULL,
    channel      TEXT    NOT NULL CHECK (channel IN ('email', 'sms', 'chat', 'call', 'screen')),
    verdict      TEXT    NOT NULL CHECK (verdict IN ('scam', 'suspicious', 'clean')),
    score        INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    sender       TEXT,
    subject      TEXT,
    consent      INTEGER NOT NULL CHECK (consent IN (0, 1)),
    note         TEXT,
    report       TEXT    NOT NULL CHECK (json_valid(report)),
    message_text TEXT    NOT NULL
);
INSERT INTO cases_new (id, created_at, channel, verdict, score, sender, subject, consent, note, report, message_text)
    SELECT id, created_at, channel, verdict, score, sender, subject, consent, note, report, message_text FROM cases;
DROP TABLE cases;
ALTER TABLE cases_new RENAME TO cases;
CREATE INDEX cases_created_at ON cases (created_at);
CREATE TABLE case_images (
    case_id    INTEGER PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    media_type TEXT    NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg')),
    width      INTEGER NOT NULL CHECK (width > 0),
    height     INTEGER NOT NULL CHECK (height > 0),
    bytes      BLOB    NOT NULL
);
COMMIT;
PRAGMA foreign_keys = ON;
