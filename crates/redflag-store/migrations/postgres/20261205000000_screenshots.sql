-- Screenshots (issue 15): a case may be a pop-up or web page ('screen'), and may keep the
-- image it was read from (re-encoded without metadata) when the person consented.
ALTER TABLE cases DROP CONSTRAINT cases_channel_check;
ALTER TABLE cases ADD CONSTRAINT cases_channel_check
    CHECK (channel IN ('email', 'sms', 'chat', 'call', 'screen'));

CREATE TABLE case_images (
    case_id    BIGINT  PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    media_type TEXT    NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg')),
    width      BIGINT  NOT NULL CHECK (width > 0),
    height     BIGINT  NOT NULL CHECK (height > 0),
    bytes      BYTEA   NOT NULL
);
