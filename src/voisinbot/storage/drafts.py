"""Declarations being written step by step in private."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from voisinbot.storage.db import Database
from voisinbot.storage.timeconv import from_db, to_db


@dataclass(frozen=True, slots=True)
class Draft:
    user_id: int
    chat_id: int
    step: str
    kind: str | None = None
    offer_type: str | None = None
    text: str | None = None
    due_at: datetime | None = None
    due_has_time: bool = False
    category: str | None = None

    def with_(self, **changes: object) -> Draft:
        return replace(self, **changes)  # type: ignore[arg-type]


class DraftsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, user_id: int) -> Draft | None:
        row = await self._db.fetch_one(
            "SELECT user_id, chat_id, step, kind, offer_type, text, due_at, due_has_time, category"
            " FROM drafts WHERE user_id = ?",
            (user_id,),
        )
        if row is None:
            return None
        return Draft(
            user_id=row[0],
            chat_id=row[1],
            step=row[2],
            kind=row[3],
            offer_type=row[4],
            text=row[5],
            due_at=None if row[6] is None else from_db(row[6]),
            due_has_time=bool(row[7]),
            category=row[8],
        )

    async def save(self, draft: Draft, now: datetime) -> None:
        """Store the draft as it is now (one per resident: a new one replaces the old)."""
        async with self._db.write() as conn:
            await self._db.execute(
                conn,
                "INSERT OR REPLACE INTO drafts (user_id, chat_id, step, kind, offer_type, text,"
                " due_at, due_has_time, category, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    draft.user_id,
                    draft.chat_id,
                    draft.step,
                    draft.kind,
                    draft.offer_type,
                    draft.text,
                    None if draft.due_at is None else to_db(draft.due_at),
                    int(draft.due_has_time),
                    draft.category,
                    to_db(now),
                ),
            )

    async def delete(self, user_id: int) -> None:
        async with self._db.write() as conn:
            await self._db.execute(conn, "DELETE FROM drafts WHERE user_id = ?", (user_id,))
