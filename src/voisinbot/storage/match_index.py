"""The matcher's inverted index (term -> posts), the matches kept per post, alert mutes."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from voisinbot.domain.posts import ACTIVE_STATUSES
from voisinbot.storage.db import Database
from voisinbot.storage.state import done_once
from voisinbot.storage.timeconv import to_db

_ACTIVE = "(" + ", ".join(f"'{s.value}'" for s in ACTIVE_STATUSES) + ")"
# Newest posts first under each term: at a very large scale a new post is compared with the
# most recent holders of each term, which are also the most likely to still be valid.
PER_TERM = 60
# Document frequencies are counted up to this many: beyond it a word is common anyway, and
# counting a long posting list would cost more than the match itself.
DF_CAP = 2000
TOTAL_TTL = 60.0  # seconds a group's count of indexed posts is reused


@dataclass(frozen=True, slots=True)
class StoredMatch:
    matched_id: int
    rank: int
    score: float
    reasons: tuple[str, ...]


class MatchIndexRepo:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._totals: dict[tuple[int, str], tuple[float, int]] = {}

    async def index(
        self, post_id: int, chat_id: int, kind: str, features_json: str, terms: Iterable[str]
    ) -> None:
        """Store the post's features and (re)place its index terms. Idempotent."""
        await self.index_many([(post_id, chat_id, kind, features_json, terms)])

    async def active_texts(
        self, after_id: int, now: datetime, limit: int
    ) -> list[tuple[int, int, str, str]]:
        """(id, chat id, kind, text) of active posts after ``after_id``, in id order."""
        rows = await self._db.fetch_all(
            f"SELECT id, chat_id, kind, text FROM posts WHERE id > ? AND status IN {_ACTIVE}"
            " AND expires_at > ? ORDER BY id LIMIT ?",
            (after_id, to_db(now), limit),
        )
        return [(int(r[0]), int(r[1]), str(r[2]), str(r[3])) for r in rows]

    async def index_many(self, rows: Sequence[tuple[int, int, str, str, Iterable[str]]]) -> None:
        """:meth:`index` for many posts (id, chat id, kind, features JSON, terms), in one
        transaction."""
        async with self._db.write() as conn:
            for post_id, chat_id, kind, features_json, terms in rows:
                await self._db.execute(
                    conn, "UPDATE posts SET features = ? WHERE id = ?", (features_json, post_id)
                )
                await self._db.execute(conn, "DELETE FROM post_terms WHERE post_id = ?", (post_id,))
                await self._db.execute_many(
                    conn,
                    "INSERT OR IGNORE INTO post_terms (chat_id, kind, term, post_id)"
                    " VALUES (?, ?, ?, ?)",
                    [(chat_id, kind, term, post_id) for term in sorted(terms)],
                )

    async def unindex(self, post_id: int) -> None:
        """A closed post is no longer found."""
        async with self._db.write() as conn:
            await self._db.execute(conn, "DELETE FROM post_terms WHERE post_id = ?", (post_id,))

    async def candidates(
        self,
        chat_id: int,
        kind: str,
        terms: Sequence[str],
        now: datetime,
        *,
        exclude_author: int | None,
    ) -> list[tuple[int, str]]:
        """(post id, features JSON) of active posts holding any of ``terms``."""
        if not terms:
            return []
        per_term = " UNION ".join(
            "SELECT post_id FROM (SELECT post_id FROM post_terms WHERE chat_id = ? AND kind = ?"
            " AND term = ? ORDER BY post_id DESC LIMIT ?)"
            for _ in terms
        )
        params: list[object] = []
        for term in terms:
            params += [chat_id, kind, term, PER_TERM]
        rows = await self._db.fetch_all(
            f"SELECT p.id, p.features FROM posts p WHERE p.id IN ({per_term})"
            f" AND p.status IN {_ACTIVE} AND p.expires_at > ? AND p.features IS NOT NULL"
            " AND p.author_id IS NOT ?",
            (*params, to_db(now), exclude_author),
        )
        return [(int(r[0]), str(r[1])) for r in rows]

    async def doc_freq(self, chat_id: int, kind: str, terms: Sequence[str]) -> dict[str, int]:
        """How many posts of the group hold each term, counted up to DF_CAP (rare shared words
        weigh more; past the cap a word is common, however common)."""
        if not terms:
            return {}
        per_term = " UNION ALL ".join(
            "SELECT ?, (SELECT count(*) FROM (SELECT 1 FROM post_terms WHERE chat_id = ? AND kind = ?"
            " AND term = ? LIMIT ?))"
            for _ in terms
        )
        params: list[object] = []
        for term in terms:
            params += [term, chat_id, kind, term, DF_CAP]
        rows = await self._db.fetch_all(per_term, params)
        return {str(r[0]): int(r[1]) for r in rows if r[1]}

    async def count_indexed(self, chat_id: int, kind: str) -> int:
        """Active indexed posts of one kind in the group (reused for a minute: it only scales
        word weights, and counting a large group each time would be the slowest step)."""
        key = (chat_id, kind)
        cached = self._totals.get(key)
        now = time.monotonic()
        if cached is not None and now - cached[0] < TOTAL_TTL:
            return cached[1]
        total = int(
            await self._db.fetch_value(
                "SELECT count(DISTINCT post_id) FROM post_terms WHERE chat_id = ? AND kind = ?",
                (chat_id, kind),
            )
        )
        self._totals[key] = (now, total)
        return total

    async def save_matches(self, post_id: int, matches: Sequence[StoredMatch]) -> None:
        async with self._db.write() as conn:
            await self._db.execute(conn, "DELETE FROM post_matches WHERE post_id = ?", (post_id,))
            await self._db.execute_many(
                conn,
                "INSERT INTO post_matches (post_id, matched_id, rank, score, reasons) VALUES (?, ?, ?, ?, ?)",
                [(post_id, m.matched_id, m.rank, m.score, ",".join(m.reasons)) for m in matches],
            )

    async def matches(self, post_id: int) -> list[StoredMatch]:
        rows = await self._db.fetch_all(
            "SELECT matched_id, rank, score, reasons FROM post_matches WHERE post_id = ? ORDER BY rank",
            (post_id,),
        )
        return [
            StoredMatch(
                int(r[0]), int(r[1]), float(r[2]), tuple(filter(None, str(r[3]).split(",")))
            )
            for r in rows
        ]

    async def mute(self, user_id: int, chat_id: int, category: str) -> None:
        async with self._db.write() as conn:
            await self._db.execute(
                conn,
                "INSERT OR IGNORE INTO alert_mutes (user_id, chat_id, category) VALUES (?, ?, ?)",
                (user_id, chat_id, category),
            )

    async def unmute(self, user_id: int, chat_id: int, category: str) -> None:
        async with self._db.write() as conn:
            await self._db.execute(
                conn,
                "DELETE FROM alert_mutes WHERE user_id = ? AND chat_id = ? AND category = ?",
                (user_id, chat_id, category),
            )

    async def toggle_mute(
        self, user_id: int, chat_id: int, category: str, source_message_id: int
    ) -> bool:
        """Mute or unmute; True when muted now. The resident's message is the key: delivered
        again after a crash, it finds the switch made instead of switching back."""
        request = f"{chat_id}:{source_message_id}"
        async with self._db.write() as conn:
            if await done_once(self._db, conn, "once:alerts-toggle", request):
                cursor = await self._db.execute(
                    conn,
                    "DELETE FROM alert_mutes WHERE user_id = ? AND chat_id = ? AND category = ?",
                    (user_id, chat_id, category),
                )
                if cursor.rowcount == 0:
                    await self._db.execute(
                        conn,
                        "INSERT INTO alert_mutes (user_id, chat_id, category) VALUES (?, ?, ?)",
                        (user_id, chat_id, category),
                    )
        return category in await self.muted(user_id, chat_id)

    async def muted(self, user_id: int, chat_id: int) -> set[str]:
        rows = await self._db.fetch_all(
            "SELECT category FROM alert_mutes WHERE user_id = ? AND chat_id = ?", (user_id, chat_id)
        )
        return {str(r[0]) for r in rows}
