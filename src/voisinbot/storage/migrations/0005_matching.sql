-- What each post means to the matcher, and an inverted index over it, so a new post finds
-- its matches among many thousands without reading them all.
ALTER TABLE posts ADD COLUMN features TEXT;

CREATE TABLE post_terms (
    chat_id  INTEGER NOT NULL,
    kind     TEXT    NOT NULL,
    term     TEXT    NOT NULL,
    post_id  INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    PRIMARY KEY (chat_id, kind, term, post_id)
) WITHOUT ROWID;
CREATE INDEX post_terms_by_post ON post_terms (post_id);

-- The matches shown under a post (kept, so the card shows the same ones each time it is edited).
CREATE TABLE post_matches (
    post_id     INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    matched_id  INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    rank        INTEGER NOT NULL,
    score       REAL    NOT NULL,
    reasons     TEXT    NOT NULL,
    PRIMARY KEY (post_id, matched_id)
) WITHOUT ROWID;

-- Alerts a resident turned off (on by default for residents who started the bot).
CREATE TABLE alert_mutes (
    user_id   INTEGER NOT NULL REFERENCES members (user_id) ON DELETE CASCADE,
    chat_id   INTEGER NOT NULL,
    category  TEXT    NOT NULL,   -- a category key, or '*' for every alert of that group
    PRIMARY KEY (user_id, chat_id, category)
) WITHOUT ROWID;
