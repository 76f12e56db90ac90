"""Needs and offers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import aiosqlite

from voisinbot.domain.posts import ACTIVE_STATUSES, Post, PostKind, PostStatus
from voisinbot.storage.db import Database
from voisinbot.storage.timeconv import from_db, to_db

POST_COLUMNS = (
    "p.id, p.chat_id, p.author_id, coalesce(m.display_name, '') AS author_name, p.kind, p.text,"
    " p.status, p.created_at, p.expires_at, p.message_id, p.category, p.offer_type, p.due_at,"
    " p.due_has_time, p.closed_at"
)
POST_FROM = " FROM posts p LEFT JOIN members m ON m.user_id = p.author_id"
_ACTIVE = "(" + ", ".join(f"'{s.value}'" for s in ACTIVE_STATUSES) + ")"


def post_from_row(row: aiosqlite.Row) -> Post:
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
        category=row["category"],
        offer_type=row["offer_type"],
        due_at=None if row["due_at"] is None else from_db(row["due_at"]),
        due_has_time=bool(row["due_has_time"]),
        closed_at=None if row["closed_at"] is None else from_db(row["closed_at"]),
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
        category: str = "other",
        offer_type: str | None = None,
        due_at: datetime | None = None,
        due_has_time: bool = False,
        features_json: str | None = None,
        terms: Sequence[str] = (),
    ) -> tuple[Post, bool]:
        """Store a new post (and its matching index terms, in the same transaction); returns
        it and whether it is new.

        Idempotent per (group, source message): a re-delivered update returns the post it
        created the first time instead of creating a second one.
        """
        async with self._db.write() as conn:
            cursor = await self._db.execute(
                conn,
                "INSERT INTO posts (chat_id, author_id, kind, text, created_at, updated_at,"
                " expires_at, source_message_id, category, offer_type, due_at, due_has_time,"
                " features) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (chat_id, source_message_id) DO NOTHING",
                (
                    chat_id,
                    author_id,
                    kind.value,
                    text,
                    to_db(now),
                    to_db(now),
                    to_db(expires_at),
                    source_message_id,
                    category,
                    offer_type,
                    None if due_at is None else to_db(due_at),
                    int(due_has_time),
                    features_json,
                ),
            )
            created = cursor.rowcount == 1
            if created:
                post_id = cursor.lastrowid
                await self._db.execute_many(
                    conn,
                    "INSERT OR IGNORE INTO post_terms (chat_id, kind, term, post_id) VALUES (?, ?, ?, ?)",
                    [(chat_id, kind.value, term, post_id) for term in terms],
                )
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
            f"SELECT {POST_COLUMNS}{POST_FROM} WHERE p.id = ?", (post_id,)
        )
        return None if row is None else post_from_row(row)

    async def get_many(self, post_ids: Sequence[int]) -> dict[int, Post]:
        if not post_ids:
            return {}
        marks = ", ".join("?" * len(post_ids))
        rows = await self._db.fetch_all(
            f"SELECT {POST_COLUMNS}{POST_FROM} WHERE p.id IN ({marks})", tuple(post_ids)
        )
        return {row["id"]: post_from_row(row) for row in rows}

    async def by_source(self, chat_id: int, source_message_id: int) -> Post | None:
        row = await self._db.fetch_one(
            f"SELECT {POST_COLUMNS}{POST_FROM} WHERE p.chat_id = ? AND p.source_message_id = ?",
            (chat_id, source_message_id),
        )
        return None if row is None else post_from_row(row)

    async def set_message(self, post_id: int, message_id: int) -> None:
        """Remember the bot's group message that shows this post."""
        async with self._db.write() as conn:
            await self._db.execute(
                conn, "UPDATE posts SET message_id = ? WHERE id = ?", (message_id, post_id)
            )

    async def active(
        self,
        chat_id: int,
        kind: PostKind,
        now: datetime,
        *,
        limit: int,
        offset: int = 0,
        category: str | None = None,
    ) -> Sequence[Post]:
        """Active, unexpired posts of one group (of one category if given), newest first."""
        rows = await self._db.fetch_all(
            f"SELECT {POST_COLUMNS}{POST_FROM}"
            f" WHERE p.chat_id = ? AND p.kind = ? AND p.status IN {_ACTIVE} AND p.expires_at > ?"
            " AND (? IS NULL OR p.category = ?)"
            " ORDER BY p.created_at DESC, p.id DESC LIMIT ? OFFSET ?",
            (chat_id, kind.value, to_db(now), category, category, limit, offset),
        )
        return [post_from_row(row) for row in rows]

    async def count_active(
        self, chat_id: int, kind: PostKind, now: datetime, *, category: str | None = None
    ) -> int:
        return int(
            await self._db.fetch_value(
                f"SELECT count(*) FROM posts WHERE chat_id = ? AND kind = ?"
                f" AND status IN {_ACTIVE} AND expires_at > ? AND (? IS NULL OR category = ?)",
                (chat_id, kind.value, to_db(now), category, category),
            )
        )

    async def search(
        self, chat_id: int, words: Sequence[str], now: datetime, *, limit: int
    ) -> Sequence[Post]:
        """Active posts of a group whose text contains every word (case-insensitive)."""
        conditions = " AND ".join(["p.text LIKE ? ESCAPE '\\'"] * len(words)) or "1"
        patterns = ["%" + _like_escape(w) + "%" for w in words]
        rows = await self._db.fetch_all(
            f"SELECT {POST_COLUMNS}{POST_FROM} WHERE p.chat_id = ? AND p.status IN {_ACTIVE}"
            f" AND p.expires_at > ? AND {conditions} ORDER BY p.created_at DESC LIMIT ?",
            (chat_id, to_db(now), *patterns, limit),
        )
        return [post_from_row(row) for row in rows]

    async def by_author(self, author_id: int, now: datetime, *, limit: int) -> Sequence[Post]:
        """The author's active posts in every group, newest first."""
        rows = await self._db.fetch_all(
            f"SELECT {POST_COLUMNS}{POST_FROM} WHERE p.author_id = ?"
            f" AND p.status IN {_ACTIVE} AND p.expires_at > ?"
            " ORDER BY p.created_at DESC LIMIT ?",
            (author_id, to_db(now), limit),
        )
        return [post_from_row(row) for row in rows]

    async def move(
        self,
        post_id: int,
        *,
        from_statuses: Sequence[PostStatus],
        to_status: PostStatus,
        now: datetime,
        expires_at: datetime | None = None,
    ) -> bool:
        """Change the status if it is still one of ``from_statuses`` (False otherwise: someone
        else got there first). Closing statuses stamp ``closed_at``."""
        closing = not to_status.is_active
        marks = ", ".join("?" * len(from_statuses))
        async with self._db.write() as conn:
            cursor = await self._db.execute(
                conn,
                "UPDATE posts SET status = ?, updated_at = ?,"
                " closed_at = CASE WHEN ? THEN ? ELSE NULL END,"
                " expires_at = coalesce(?, expires_at)"
                f" WHERE id = ? AND status IN ({marks})",
                (
                    to_status.value,
                    to_db(now),
                    int(closing),
                    to_db(now),
                    None if expires_at is None else to_db(expires_at),
                    post_id,
                    *(s.value for s in from_statuses),
                ),
            )
            return cursor.rowcount == 1

    async def update_fields(self, post_id: int, now: datetime, **fields: object) -> None:
        """Change text, category, offer type or date of a post."""
        allowed = {"text", "category", "offer_type", "due_at", "due_has_time", "expires_at"}
        if not fields or not set(fields) <= allowed:
            raise ValueError(f"cannot update {sorted(set(fields) - allowed)}")
        values = [to_db(v) if isinstance(v, datetime) else v for v in fields.values()]
        assignments = ", ".join(f"{name} = ?" for name in fields)
        async with self._db.write() as conn:
            await self._db.execute(
                conn,
                f"UPDATE posts SET {assignments}, updated_at = ? WHERE id = ?",
                (*values, to_db(now), post_id),
            )

    async def count_by_author_since(self, author_id: int, since: datetime) -> int:
        return int(
            await self._db.fetch_value(
                "SELECT count(*) FROM posts WHERE author_id = ? AND created_at >= ?",
                (author_id, to_db(since)),
            )
        )


def _like_escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
