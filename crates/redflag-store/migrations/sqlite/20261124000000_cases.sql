-- The hotline's case store (SQLite). Times are UTC, RFC 3339 with milliseconds
-- ("2026-11-24T09:30:00.000Z"), so that text order is time order.
CREATE TABLE cases (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at   TEXT    NOT NULL,
    channel      TEXT    NOT NULL CHECK (channel IN ('email', 'sms', 'chat', 'call')),
    verdict      TEXT    NOT NULL CHECK (verdict IN ('scam', 'suspicious', 'clean')),
    score        INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    sender       TEXT,
    subject      TEXT,
    consent      INTEGER NOT NULL CHECK (consent IN (0, 1)),
    note         TEXT,
    report       TEXT    NOT NULL CHECK (json_valid(report)),
    message_text TEXT    NOT NULL
);

CREATE INDEX cases_created_at ON cases (created_at);

CREATE TABLE case_indicators (
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind    TEXT    NOT NULL CHECK (kind IN ('phone', 'domain', 'sender')),
    value   TEXT    NOT NULL,
    PRIMARY KEY (case_id, kind, value)
);

CREATE INDEX case_indicators_kind_value ON case_indicators (kind, value);
