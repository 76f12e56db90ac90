"""Loading many posts (and schedules) at once, for benchmarks and imports: one transaction,
executemany."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from voisinbot.storage.db import Database
from voisinbot.storage.timeconv import to_db


@dataclass(frozen=True, slots=True)
class BulkPost:
    chat_id: int
    author_id: int
    kind: str
    text: str
    category: str
    features_json: str
    terms: Sequence[str]


@dataclass(frozen=True, slots=True)
class BulkSchedule:
    kind: str
    due_at: datetime
    grace: timedelta
    chat_id: int | None = None
    ref_id: int | None = None


class BulkRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def load_posts(
        self, rows: Iterable[BulkPost], now: datetime, expires_at: datetime
    ) -> int:
        """Insert active, indexed posts in one transaction; returns how many."""
        count = 0
        async with self._db.write() as conn:
            start = int(await self._db.fetch_value("SELECT coalesce(max(id), 0) FROM posts")) + 1
            posts: list[tuple[object, ...]] = []
            terms: list[tuple[object, ...]] = []
            for post_id, row in enumerate(rows, start=start):
                posts.append(
                    (post_id, row.chat_id, row.author_id, row.kind, row.text, to_db(now), to_db(now),
                     to_db(expires_at), row.category, row.features_json)
                )  # fmt: skip
                terms.extend((row.chat_id, row.kind, term, post_id) for term in row.terms)
                count += 1
            await self._db.execute_many(
                conn,
                "INSERT INTO posts (id, chat_id, author_id, kind, text, created_at, updated_at,"
                " expires_at, category, features) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                posts,
            )
            terms.sort()  # in primary-key order: the index grows at its end, much faster
            await self._db.execute_many(
                conn,
                "INSERT OR IGNORE INTO post_terms (chat_id, kind, term, post_id) VALUES (?, ?, ?, ?)",
                terms,
            )
        return count

    async def add_members(self, user_ids: Iterable[int], now: datetime) -> None:
        async with self._db.write() as conn:
            await self._db.execute_many(
                conn,
                "INSERT OR IGNORE INTO members (user_id, display_name, created_at, updated_at) VALUES (?, ?, ?, ?)",
                [(uid, f"resident {uid}", to_db(now), to_db(now)) for uid in user_ids],
            )

    async def load_schedules(self, rows: Iterable[BulkSchedule], now: datetime) -> int:
        """Insert pending schedules (no payload) in one transaction; returns how many."""
        values = [
            (r.kind, r.chat_id, r.ref_id, to_db(r.due_at), int(r.grace.total_seconds()), "{}",
             to_db(now))
            for r in rows
        ]  # fmt: skip
        async with self._db.write() as conn:
            await self._db.execute_many(
                conn,
                "INSERT INTO schedules (kind, chat_id, ref_id, due_at, grace, payload, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                values,
            )
        return len(values)
