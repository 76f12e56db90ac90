"""Needs and offers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import aiosqlite

from voisinbot.domain.posts import ACTIVE_STATUSES, Post, PostKind, PostStatus
from voisinbot.storage.db import Database
from voisinbot.storage.timeconv import from_db, to_db

_POST_COLUMNS = (
    "p.id, p.chat_id, p.author_id, coalesce(m.display_name, '') AS author_name, p.kind, p.text,"
    " p.status, p.created_at, p.expires_at, p.message_id"
)
_POST_FROM = " FROM posts p LEFT JOIN members m ON m.user_id = p.author_id"
_ACTIVE = "(" + ", ".join(f"'{s.value}'" for s in ACTIVE_STATUSES) + ")"


def _post(row: aiosqlite.Row) -> Post:
    return Post(
        id=row["id"],
        chat_id=row["chat_id"],
        author_id=row["author_id"],
        author_name=row["author_name"],
        kind=PostKind(row["kind"]),
        text=row["text"],
        status=PostStatus(row["status"]),
        created_at=from_db(row["created_at"]),
        expires_at=from_db(row["expires_at"]),
        message_id=row["message_id"],
    )


class PostsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        *,
        chat_id: int,
        author_id: int,
        kind: PostKind,
        text: str,
        now: datetime,
        expires_at: datetime,
        source_message_id: int | None,
    ) -> tuple[Post, bool]:
        """Store a new post; returns it and whether it is new.

        Idempotent per (group, source message): a re-delivered update returns the post it
        created the first time instead of creating a second one.
        """
        async with self._db.write() as conn:
            cursor = await self._db.execute(
                conn,
                "INSERT INTO posts (chat_id, author_id, kind, text, created_at, expires_at,"
                " source_message_id) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (chat_id, source_message_id) DO NOTHING",
                (
                    chat_id,
                    author_id,
                    kind.value,
                    text,
                    to_db(now),
                    to_db(expires_at),
                    source_message_id,
                ),
            )
            created = cursor.rowcount == 1
            if created:
                post_id = cursor.lastrowid
            else:
                post_id = await self._db.fetch_value(
                    "SELECT id FROM posts WHERE chat_id = ? AND source_message_id = ?",
                    (chat_id, source_message_id),
                )
        post = await self.get(int(post_id))  # type: ignore[arg-type]
        assert post is not None
        return post, created

    async def get(self, post_id: int) -> Post | None:
        row = await self._db.fetch_one(
            f"SELECT {_POST_COLUMNS}{_POST_FROM} WHERE p.id = ?", (post_id,)
        )
        return None if row is None else _post(row)

    async def by_source(self, chat_id: int, source_message_id: int) -> Post | None:
        row = await self._db.fetch_one(
            f"SELECT {_POST_COLUMNS}{_POST_FROM} WHERE p.chat_id = ? AND p.source_message_id = ?",
            (chat_id, source_message_id),
        )
        return None if row is None else _post(row)

    async def set_message(self, post_id: int, message_id: int) -> None:
        """Remember the bot's group message that shows this post."""
        async with self._db.write() as conn:
            await self._db.execute(
                conn, "UPDATE posts SET message_id = ? WHERE id = ?", (message_id, post_id)
            )

    async def active(
        self, chat_id: int, kind: PostKind, now: datetime, *, limit: int, offset: int = 0
    ) -> Sequence[Post]:
        """Active, unexpired posts of one group, newest first."""
        rows = await self._db.fetch_all(
            f"SELECT {_POST_COLUMNS}{_POST_FROM}"
            f" WHERE p.chat_id = ? AND p.kind = ? AND p.status IN {_ACTIVE} AND p.expires_at > ?"
            " ORDER BY p.created_at DESC, p.id DESC LIMIT ? OFFSET ?",
            (chat_id, kind.value, to_db(now), limit, offset),
        )
        return [_post(row) for row in rows]

    async def count_active(self, chat_id: int, kind: PostKind, now: datetime) -> int:
        return int(
            await self._db.fetch_value(
                f"SELECT count(*) FROM posts WHERE chat_id = ? AND kind = ?"
                f" AND status IN {_ACTIVE} AND expires_at > ?",
                (chat_id, kind.value, to_db(now)),
            )
        )

    async def count_by_author_since(self, author_id: int, since: datetime) -> int:
        return int(
            await self._db.fetch_value(
                "SELECT count(*) FROM posts WHERE author_id = ? AND created_at >= ?",
                (author_id, to_db(since)),
            )
        )
