-- Where a basic group went when it became a supergroup: buttons and links sent privately
-- before the upgrade still carry the old id, and must reach the group under its new one.
-- ``chat_id`` is the new id, so the group's own purge removes the row with everything else.
CREATE TABLE chat_migrations (
    old_chat_id INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL
);
CREATE INDEX chat_migrations_by_chat ON chat_migrations (chat_id);
