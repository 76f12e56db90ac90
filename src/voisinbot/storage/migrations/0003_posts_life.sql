-- The life of a post: what kind of offer, its category and date, who offered help, thanks.
ALTER TABLE posts ADD COLUMN offer_type TEXT;        -- 'skill' | 'lend' | 'give' (offers only)
ALTER TABLE posts ADD COLUMN category TEXT NOT NULL DEFAULT 'other';
ALTER TABLE posts ADD COLUMN due_at INTEGER;          -- the date read from the text, if any
ALTER TABLE posts ADD COLUMN due_has_time INTEGER NOT NULL DEFAULT 0;
ALTER TABLE posts ADD COLUMN updated_at INTEGER;
ALTER TABLE posts ADD COLUMN closed_at INTEGER;       -- done, cancelled or expired

-- Residents who answered a post: "I can help" on a need, "I'm interested" on an offer.
CREATE TABLE responses (
    post_id     INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES members (user_id) ON DELETE CASCADE,
    state       TEXT    NOT NULL DEFAULT 'offered'
                CHECK (state IN ('offered', 'accepted', 'declined', 'withdrawn')),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    -- Whether each side has received the other's contact (delivered once they start the bot).
    author_introduced  INTEGER NOT NULL DEFAULT 0,
    helper_introduced  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (post_id, user_id)
) WITHOUT ROWID;
CREATE INDEX responses_by_user ON responses (user_id, state);

-- Thanks said with one tap once a post is done.
CREATE TABLE thanks (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    chat_id     INTEGER NOT NULL,
    from_user   INTEGER REFERENCES members (user_id) ON DELETE SET NULL,
    to_user     INTEGER REFERENCES members (user_id) ON DELETE SET NULL,
    public      INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL,
    UNIQUE (post_id, to_user)
);
CREATE INDEX thanks_by_group ON thanks (chat_id, created_at);

-- A declaration being written in private, step by step; survives restarts.
CREATE TABLE drafts (
    user_id     INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL,
    step        TEXT    NOT NULL,
    kind        TEXT,
    offer_type  TEXT,
    text        TEXT,
    due_at      INTEGER,
    due_has_time INTEGER NOT NULL DEFAULT 0,
    category    TEXT,
    updated_at  INTEGER NOT NULL
);
