"""The bot's own durable state: the update offset and the questions it is waiting on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from voisinbot.storage.db import Database
from voisinbot.storage.timeconv import to_db

_OFFSET_KEY = "update_offset"


@dataclass(frozen=True, slots=True)
class PendingInput:
    chat_id: int
    prompt_message_id: int
    user_id: int
    purpose: str


class StateRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def update_offset(self) -> int | None:
        """The next getUpdates offset: one past the last update whose effects are committed."""
        value = await self._db.fetch_value(
            "SELECT value FROM bot_state WHERE key = ?", (_OFFSET_KEY,)
        )
        return None if value is None else int(value)

    async def save_update_offset(self, offset: int) -> None:
        """Advance the offset (never moves it back)."""
        async with self._db.write() as conn:
            await self._db.execute(
                conn,
                "INSERT INTO bot_state (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                " WHERE CAST(excluded.value AS INTEGER) > CAST(bot_state.value AS INTEGER)",
                (_OFFSET_KEY, str(offset)),
            )

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
