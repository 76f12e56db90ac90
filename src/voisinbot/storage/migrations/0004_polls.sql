-- Collective decisions: quick polls (native Telegram polls), date finding, sign-up sheets and
-- citizen budgets. One row per decision; its options (poll options, date slots, sign-up slots,
-- budget projects) by position.
CREATE TABLE decisions (
    id                  INTEGER PRIMARY KEY,
    chat_id             INTEGER NOT NULL REFERENCES groups (chat_id) ON UPDATE CASCADE,
    kind                TEXT    NOT NULL CHECK (kind IN ('poll', 'dates', 'signup', 'budget')),
    title               TEXT    NOT NULL,
    created_by          INTEGER,
    created_at          INTEGER NOT NULL,
    closes_at           INTEGER,
    state               TEXT    NOT NULL DEFAULT 'open'
                        CHECK (state IN ('open', 'closed', 'cancelled')),
    closed_at           INTEGER,
    anonymous           INTEGER NOT NULL DEFAULT 0,
    multiple            INTEGER NOT NULL DEFAULT 0,
    hidden              INTEGER NOT NULL DEFAULT 0,
    total               INTEGER,  -- budget, in cents
    source_message_id   INTEGER,  -- the facilitator's command: a re-delivered one finds this row
    message_id          INTEGER,  -- the poll, board or budget message in the group
    control_message_id  INTEGER,  -- quick polls: the small message with the facilitators' buttons
    poll_id             TEXT UNIQUE,
    voter_count         INTEGER NOT NULL DEFAULT 0,  -- anonymous polls: Telegram's total
    refreshed_at        INTEGER,  -- last edit of the board, to space edits out
    rendered            TEXT,     -- digest of what the board shows: an unchanged one is not sent
    UNIQUE (chat_id, source_message_id)
);
CREATE INDEX decisions_by_group ON decisions (chat_id, state);

CREATE TABLE decision_options (
    decision_id  INTEGER NOT NULL REFERENCES decisions (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    label        TEXT    NOT NULL,
    at           INTEGER,  -- when the label reads as a date
    has_time     INTEGER NOT NULL DEFAULT 0,
    capacity     INTEGER,  -- sign-up places, NULL for unlimited
    cost         INTEGER,  -- budget projects, in cents
    votes        INTEGER NOT NULL DEFAULT 0,  -- anonymous polls: Telegram's count
    PRIMARY KEY (decision_id, position)
) WITHOUT ROWID;

-- Who answered what, where the bot may know it: named polls (value 1 per chosen option),
-- date slots (0 no, 1 maybe, 2 yes), sign-up slots (value 1). Never for anonymous polls.
CREATE TABLE decision_answers (
    decision_id  INTEGER NOT NULL REFERENCES decisions (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL,
    position     INTEGER NOT NULL,
    value        INTEGER NOT NULL DEFAULT 1,
    answered_at  INTEGER NOT NULL,
    PRIMARY KEY (decision_id, user_id, position)
) WITHOUT ROWID;
CREATE INDEX decision_answers_by_slot ON decision_answers (decision_id, position);

-- Citizen budget ballots, filled in privately: the selection being made, and the one submitted.
CREATE TABLE budget_ballots (
    decision_id   INTEGER NOT NULL REFERENCES decisions (id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL,
    draft         TEXT    NOT NULL DEFAULT '[]',
    submitted     TEXT,
    submitted_at  INTEGER,
    PRIMARY KEY (decision_id, user_id)
) WITHOUT ROWID;

-- Residents who asked for a private reminder before decisions of the group close (opt-in).
CREATE TABLE decision_roster (
    chat_id    INTEGER NOT NULL REFERENCES groups (chat_id) ON UPDATE CASCADE ON DELETE CASCADE,
    user_id    INTEGER NOT NULL,
    joined_at  INTEGER NOT NULL,
    PRIMARY KEY (chat_id, user_id)
) WITHOUT ROWID;

-- The guided launch (/sondage without words): the title given, waiting for the options.
CREATE TABLE decision_drafts (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    title       TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);
