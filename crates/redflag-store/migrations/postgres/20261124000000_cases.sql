-- The hotline's case store (PostgreSQL).
CREATE TABLE cases (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at   TIMESTAMPTZ NOT NULL,
    channel      TEXT        NOT NULL CHECK (channel IN ('email', 'sms', 'chat', 'call')),
    verdict      TEXT        NOT NULL CHECK (verdict IN ('scam', 'suspicious', 'clean')),
    score        BIGINT      NOT NULL CHECK (score BETWEEN 0 AND 100),
    sender       TEXT,
    subject      TEXT,
    consent      BOOLEAN     NOT NULL,
    note         TEXT,
    report       JSONB       NOT NULL,
    message_text TEXT        NOT NULL
);

CREATE INDEX cases_created_at ON cases (created_at);

CREATE TABLE case_indicators (
    case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind    TEXT   NOT NULL CHECK (kind IN ('phone', 'domain', 'sender')),
    value   TEXT   NOT NULL,
    PRIMARY KEY (case_id, kind, value)
);

CREATE INDEX case_indicators_kind_value ON case_indicators (kind, value);
