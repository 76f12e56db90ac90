-- Everything that must happen at a given time. PTB's JobQueue is rebuilt from this table at
-- start-up; a row is claimed (pending -> running) before it runs, so it runs once.
CREATE TABLE schedules (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,
    chat_id     INTEGER,
    ref_id      INTEGER,
    due_at      INTEGER NOT NULL,
    grace       INTEGER NOT NULL,
    state       TEXT    NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'running', 'done', 'missed', 'cancelled', 'failed')),
    payload     TEXT    NOT NULL DEFAULT '{}',
    created_at  INTEGER NOT NULL,
    finished_at INTEGER
);
CREATE INDEX schedules_pending ON schedules (state, due_at);
CREATE INDEX schedules_by_target ON schedules (kind, chat_id, ref_id);

-- Announcements that must go out once: one row per (kind, target, period). A restart never
-- sends a row twice; a send that timed out is 'uncertain' and not repeated blindly.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,
    chat_id     INTEGER NOT NULL,
    period      TEXT    NOT NULL,
    state       TEXT    NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'sending', 'sent', 'uncertain', 'failed')),
    message_id  INTEGER,
    created_at  INTEGER NOT NULL,
    sent_at     INTEGER,
    UNIQUE (kind, chat_id, period)
);
