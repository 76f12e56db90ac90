-- Groups the bot lives in. Settings that grow with later features live in `settings` (JSON).
CREATE TABLE groups (
    chat_id     INTEGER PRIMARY KEY,
    title       TEXT    NOT NULL DEFAULT '',
    chat_type   TEXT    NOT NULL,
    locale      TEXT    NOT NULL,
    timezone    TEXT    NOT NULL,
    settings    TEXT    NOT NULL DEFAULT '{}',
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL,
    left_at     INTEGER
);

-- Residents: only what the bot needs to address them.
CREATE TABLE members (
    user_id          INTEGER PRIMARY KEY,
    display_name     TEXT    NOT NULL,
    language_code    TEXT,
    started_private  INTEGER NOT NULL DEFAULT 0,
    reachable        INTEGER NOT NULL DEFAULT 1,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);

-- Who was seen in which group, so a group's posts are shown only to its members.
CREATE TABLE group_members (
    chat_id    INTEGER NOT NULL REFERENCES groups (chat_id) ON UPDATE CASCADE ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES members (user_id) ON DELETE CASCADE,
    role       TEXT    NOT NULL DEFAULT 'resident',
    seen_at    INTEGER NOT NULL,
    PRIMARY KEY (chat_id, user_id)
) WITHOUT ROWID;

-- Needs and offers. `source_message_id` is the resident's message that created the post:
-- a re-delivered update finds the post instead of creating a second one.
CREATE TABLE posts (
    id                 INTEGER PRIMARY KEY,
    chat_id            INTEGER NOT NULL REFERENCES groups (chat_id) ON UPDATE CASCADE,
    author_id          INTEGER REFERENCES members (user_id) ON DELETE SET NULL,
    kind               TEXT    NOT NULL CHECK (kind IN ('need', 'offer')),
    text               TEXT    NOT NULL,
    status             TEXT    NOT NULL DEFAULT 'open',
    created_at         INTEGER NOT NULL,
    expires_at         INTEGER NOT NULL,
    source_message_id  INTEGER,
    message_id         INTEGER,
    UNIQUE (chat_id, source_message_id)
);
CREATE INDEX posts_open_by_group ON posts (chat_id, kind, status, created_at);
CREATE INDEX posts_by_author ON posts (author_id, created_at);

-- A question the bot asked and is waiting for (ForceReply): the conversation step lives here,
-- not in memory, so a restart does not lose it.
CREATE TABLE pending_inputs (
    chat_id            INTEGER NOT NULL,
    prompt_message_id  INTEGER NOT NULL,
    user_id            INTEGER NOT NULL,
    purpose            TEXT    NOT NULL,
    created_at         INTEGER NOT NULL,
    PRIMARY KEY (chat_id, prompt_message_id)
) WITHOUT ROWID;

-- Small key/value facts about the bot itself (the getUpdates offset).
CREATE TABLE bot_state (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) WITHOUT ROWID;
