"""The bot's own durable state: the update offset, the questions it is waiting on, and the
facts `voisinbot health` reads (heartbeat, last update handled, last scheduled send)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import aiosqlite

from voisinbot.storage.db import Database
from voisinbot.storage.timeconv import from_db, to_db

_OFFSET_KEY = "update_offset"
OFFSET_RESET_AFTER = timedelta(days=6)
# Health facts in bot_state: instants as UTC seconds, the run mode as text.
STARTED_AT = "started_at"
STOPPED_AT = "stopped_at"
HEARTBEAT_AT = "heartbeat_at"
LAST_UPDATE_AT = "last_update_at"
LAST_SCHEDULED_SEND_AT = "last_scheduled_send_at"
RUN_MODE = "run_mode"
_INSTANTS = (STARTED_AT, STOPPED_AT, HEARTBEAT_AT, LAST_UPDATE_AT, LAST_SCHEDULED_SEND_AT)
_HEALTH_SQL = (
    "SELECT key, value FROM bot_state WHERE key IN (" + ", ".join("?" * (len(_INSTANTS) + 1)) + ")"
)
_UPSERT = (
    "INSERT INTO bot_state (key, value) VALUES (?, ?)"
    " ON CONFLICT (key) DO UPDATE SET value = excluded.value"
)
# Two keys in one statement: saved after every update, so one statement fewer each time.
_UPSERT_TWO = (
    "INSERT INTO bot_state (key, value) VALUES (?, ?), (?, ?)"
    " ON CONFLICT (key) DO UPDATE SET value = excluded.value"
)


@dataclass(frozen=True, slots=True)
class HealthFacts:
    """What the running bot wrote about itself; None where it never happened."""

    started_at: datetime | None = None
    stopped_at: datetime | None = None
    heartbeat_at: datetime | None = None
    last_update_at: datetime | None = None
    last_scheduled_send_at: datetime | None = None
    run_mode: str | None = None

    @classmethod
    def from_rows(cls, rows: list[tuple[str, str]]) -> HealthFacts:
        values = dict(rows)
        instants = {k: from_db(int(values[k])) for k in _INSTANTS if k in values}
        return cls(**instants, run_mode=values.get(RUN_MODE))


def read_health_facts(path: Path) -> HealthFacts:
    """Read the health facts through a read-only connection, outside the running bot.

    With no ``-wal`` file next to the database nobody has it open and everything is in the
    main file: it is then read as immutable, which creates no ``-wal``/``-shm`` files (a
    health check every minute must not leave files behind). Raises sqlite3.Error when the
    file is not a readable VoisinBot database.
    """
    quiet = not path.with_name(path.name + "-wal").exists()
    options = "mode=ro&immutable=1" if quiet else "mode=ro"
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?{options}", uri=True)
    try:
        conn.execute("PRAGMA busy_timeout = 2000")
        rows = conn.execute(_HEALTH_SQL, (*_INSTANTS, RUN_MODE)).fetchall()
    finally:
        conn.close()
    return HealthFacts.from_rows(rows)


@dataclass(frozen=True, slots=True)
class PendingInput:
    chat_id: int
    prompt_message_id: int
    user_id: int
    purpose: str


async def done_once(db: Database, conn: aiosqlite.Connection, key: str, by: str) -> bool:
    """Inside a write transaction: note that action ``key`` was last done for request ``by``
    (a message or button press id); False when ``by`` is already that last one.

    For effects that are not idempotent by nature (a toggle): committed with the effect, it
    lets a re-delivered update find the work done instead of undoing it. One key per action
    is enough, and keeps personal ids out: updates are handled one at a time, so the only
    update that can come again (bot/polling.py) is the latest handled."""
    cursor = await db.execute(
        conn,
        "INSERT INTO bot_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE"
        " SET value = excluded.value WHERE bot_state.value != excluded.value",
        (key, by),
    )
    return cursor.rowcount == 1


class StateRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def first_time(self, key: str, by: str) -> bool:
        """``done_once`` in a transaction of its own, before the effect: a crash in between
        loses the effect (the resident sees nothing happen and asks again) rather than
        doubling it."""
        async with self._db.write() as conn:
            return await done_once(self._db, conn, key, by)

    async def update_offset(self, now: datetime | None = None) -> int | None:
        """The next getUpdates offset: one past the last update whose effects are committed.

        After a week without updates Telegram numbers the next ones from a random start,
        possibly below our offset (which would make Telegram drop them): past six quiet days
        the offset is left out, and Telegram sends whatever it still holds."""
        rows = await self._db.fetch_all(
            "SELECT key, value FROM bot_state WHERE key IN (?, ?)", (_OFFSET_KEY, LAST_UPDATE_AT)
        )
        values = {str(r[0]): str(r[1]) for r in rows}
        if _OFFSET_KEY not in values:
            return None
        last = values.get(LAST_UPDATE_AT)
        if now is not None and last is not None and now - from_db(int(last)) > OFFSET_RESET_AFTER:
            return None
        return int(values[_OFFSET_KEY])

    async def save_update_offset(self, offset: int, handled_at: datetime | None = None) -> None:
        """Store the offset (updates are handled in order, so the last one stored is the one;
        it may go down after Telegram restarts its numbering); with ``handled_at``, also record
        it as the last update handled, in the same transaction."""
        async with self._db.write() as conn:
            if handled_at is None:
                await self._db.execute(conn, _UPSERT, (_OFFSET_KEY, str(offset)))
            else:
                values = (_OFFSET_KEY, str(offset), LAST_UPDATE_AT, str(to_db(handled_at)))
                await self._db.execute(conn, _UPSERT_TWO, values)

    async def record_start(self, now: datetime, mode: str) -> None:
        """The bot process started (``mode``: polling or webhook); counts as a heartbeat."""
        async with self._db.write() as conn:
            await self._db.execute_many(
                conn,
                _UPSERT,
                [(STARTED_AT, str(to_db(now))), (HEARTBEAT_AT, str(to_db(now))), (RUN_MODE, mode)],
            )

    async def text(self, key: str) -> str | None:
        value = await self._db.fetch_value("SELECT value FROM bot_state WHERE key = ?", (key,))
        return None if value is None else str(value)

    async def put_text(self, key: str, value: str) -> None:
        async with self._db.write() as conn:
            await self._db.execute(conn, _UPSERT, (key, value))

    async def record_instant(self, key: str, now: datetime) -> None:
        """Record when ``key`` (HEARTBEAT_AT, STOPPED_AT, LAST_SCHEDULED_SEND_AT...) happened."""
        if key not in _INSTANTS:
            raise ValueError(f"not a health fact: {key!r}")
        async with self._db.write() as conn:
            await self._db.execute(conn, _UPSERT, (key, str(to_db(now))))

    async def health_facts(self) -> HealthFacts:
        rows = await self._db.fetch_all(_HEALTH_SQL, (*_INSTANTS, RUN_MODE))
        return HealthFacts.from_rows([(row[0], row[1]) for row in rows])

    async def expect_input(
        self, chat_id: int, prompt_message_id: int, user_id: int, purpose: str, now: datetime
    ) -> None:
        async with self._db.write() as conn:
            await self._db.execute(
                conn,
                "INSERT OR REPLACE INTO pending_inputs"
                " (chat_id, prompt_message_id, user_id, purpose, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (chat_id, prompt_message_id, user_id, purpose, to_db(now)),
            )

    async def pending_input(self, chat_id: int, prompt_message_id: int) -> PendingInput | None:
        row = await self._db.fetch_one(
            "SELECT chat_id, prompt_message_id, user_id, purpose FROM pending_inputs"
            " WHERE chat_id = ? AND prompt_message_id = ?",
            (chat_id, prompt_message_id),
        )
        if row is None:
            return None
        return PendingInput(row[0], row[1], row[2], row[3])

    async def forget_input(self, chat_id: int, prompt_message_id: int) -> None:
        async with self._db.write() as conn:
            await self._db.execute(
                conn,
                "DELETE FROM pending_inputs WHERE chat_id = ? AND prompt_message_id = ?",
                (chat_id, prompt_message_id),
            )
