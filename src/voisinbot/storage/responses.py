"""Who answered which post, the introductions owed, and thanks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from voisinbot.storage.db import Database
from voisinbot.storage.timeconv import to_db


@dataclass(frozen=True, slots=True)
class Response:
    post_id: int
    user_id: int
    name: str
    state: str
    author_introduced: bool
    helper_introduced: bool


_COLUMNS = (
    "r.post_id, r.user_id, coalesce(m.display_name, '') AS name, r.state,"
    " r.author_introduced, r.helper_introduced"
)
_FROM = " FROM responses r LEFT JOIN members m ON m.user_id = r.user_id"


def _response(row: aiosqlite.Row) -> Response:
    return Response(
        post_id=row["post_id"],
        user_id=row["user_id"],
        name=row["name"],
        state=row["state"],
        author_introduced=bool(row["author_introduced"]),
        helper_introduced=bool(row["helper_introduced"]),
    )


class ResponsesRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, post_id: int, user_id: int, now: datetime) -> bool:
        """Record that ``user_id`` answered the post; False if they already had (idempotent).
        Someone who withdrew may offer again."""
        async with self._db.write() as conn:
            cursor = await self._db.execute(
                conn,
                "INSERT INTO responses (post_id, user_id, created_at, updated_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (post_id, user_id) DO UPDATE"
                " SET state = 'offered', updated_at = excluded.updated_at"
                " WHERE responses.state = 'withdrawn'",
                (post_id, user_id, to_db(now), to_db(now)),
            )
            return cursor.rowcount == 1

    async def get(self, post_id: int, user_id: int) -> Response | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS}{_FROM} WHERE r.post_id = ? AND r.user_id = ?", (post_id, user_id)
        )
        return None if row is None else _response(row)

    async def for_post(self, post_id: int) -> Sequence[Response]:
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS}{_FROM} WHERE r.post_id = ? ORDER BY r.created_at, r.user_id",
            (post_id,),
        )
        return [_response(row) for row in rows]

    async def set_state(
        self, post_id: int, user_id: int, state: str, now: datetime, *, only_from: str | None = None
    ) -> bool:
        """Change a response's state (only from ``only_from`` if given); True if it changed."""
        async with self._db.write() as conn:
            cursor = await self._db.execute(
                conn,
                "UPDATE responses SET state = ?, updated_at = ? WHERE post_id = ? AND user_id = ?"
                " AND state != ? AND (? IS NULL OR state = ?)",
                (state, to_db(now), post_id, user_id, state, only_from, only_from),
            )
            return cursor.rowcount == 1

    async def mark_introduced(self, post_id: int, user_id: int, *, side: str) -> None:
        """Note that one side ('author' or 'helper') received the other's contact."""
        column = {"author": "author_introduced", "helper": "helper_introduced"}[side]
        async with self._db.write() as conn:
            await self._db.execute(
                conn,
                f"UPDATE responses SET {column} = 1 WHERE post_id = ? AND user_id = ?",
                (post_id, user_id),
            )

    async def owed_introductions(self, user_id: int) -> Sequence[tuple[int, int, str]]:
        """Accepted responses where ``user_id`` still waits for the other's contact:
        (post id, helper id, 'author' | 'helper' = the side ``user_id`` is on)."""
        rows = await self._db.fetch_all(
            "SELECT r.post_id, r.user_id, 'helper' FROM responses r WHERE r.user_id = ?"
            " AND r.state = 'accepted' AND r.helper_introduced = 0"
            " UNION ALL SELECT r.post_id, r.user_id, 'author' FROM responses r"
            " JOIN posts p ON p.id = r.post_id WHERE p.author_id = ?"
            " AND r.state = 'accepted' AND r.author_introduced = 0",
            (user_id, user_id),
        )
        return [(row[0], row[1], row[2]) for row in rows]

    async def add_thanks(
        self,
        post_id: int,
        chat_id: int,
        from_user: int,
        to_user: int,
        now: datetime,
        *,
        public: bool,
    ) -> bool:
        """Record a thank-you; False when this helper was already thanked for this post."""
        async with self._db.write() as conn:
            cursor = await self._db.execute(
                conn,
                "INSERT INTO thanks (post_id, chat_id, from_user, to_user, public, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (post_id, to_user) DO NOTHING",
                (post_id, chat_id, from_user, to_user, int(public), to_db(now)),
            )
            return cursor.rowcount == 1
