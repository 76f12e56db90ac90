"""The figures behind /stats and the rows behind the CSV export, for one group and period.

Periods are half-open, [since, until), in UTC seconds like every instant stored.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from voisinbot.storage.db import Database
from voisinbot.storage.timeconv import from_db, to_db

_PSEUDONYM_KEY = "pseudonym_key"
_DONE_IN = " p.chat_id = ? AND p.status = 'done' AND p.closed_at >= ? AND p.closed_at < ?"
_ACCEPTED = "EXISTS (SELECT 1 FROM responses a WHERE a.post_id = p.id AND a.state = 'accepted')"
_ACTIVE_IN = (
    " p.chat_id = ? AND ((p.created_at >= ? AND p.created_at < ?)"
    " OR (p.closed_at >= ? AND p.closed_at < ?))"
)


@dataclass(frozen=True, slots=True)
class PeriodCounts:
    needs_posted: int
    offers_posted: int
    needs_done: int
    offers_done: int
    thanks: int
    help_seconds: tuple[int, ...]  # created -> done, for each need done in the period
    helpers: int  # distinct residents who gave a hand (or lent, gave)
    helped: int  # distinct residents who received one


@dataclass(frozen=True, slots=True)
class DecisionTurnout:
    id: int
    kind: str
    voters: int


@dataclass(frozen=True, slots=True)
class PostRow:
    id: int
    kind: str
    category: str
    offer_type: str | None
    status: str
    created_at: datetime
    closed_at: datetime | None
    author_id: int | None
    text: str


@dataclass(frozen=True, slots=True)
class HelpRow:
    post_id: int
    kind: str
    author_id: int | None
    responder_id: int
    accepted_at: datetime
    done_at: datetime | None


@dataclass(frozen=True, slots=True)
class ThanksRow:
    post_id: int
    from_user: int | None
    to_user: int | None
    public: bool
    created_at: datetime


def _when(value: int | None) -> datetime | None:
    return None if value is None else from_db(value)


class ReportsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def counts(self, chat_id: int, since: datetime, until: datetime) -> PeriodCounts:
        span = (chat_id, to_db(since), to_db(until))

        async def count(sql: str, params: tuple[object, ...] = span) -> int:
            return int(await self._db.fetch_value(sql, params) or 0)

        created = (
            "SELECT count(*) FROM posts WHERE chat_id = ? AND created_at >= ? AND created_at < ?"
        )
        done = f"SELECT count(*) FROM posts p WHERE{_DONE_IN}"
        durations = await self._db.fetch_all(
            f"SELECT p.closed_at - p.created_at FROM posts p WHERE{_DONE_IN} AND p.kind = 'need'",
            span,
        )
        people = (
            "SELECT count(DISTINCT who) FROM ("
            " SELECT r.user_id AS who FROM responses r JOIN posts p ON p.id = r.post_id"
            f" WHERE{_DONE_IN} AND r.state = 'accepted' AND p.kind = ?"
            " UNION ALL SELECT p.author_id FROM posts p"
            f" WHERE{_DONE_IN} AND p.kind = ? AND p.author_id IS NOT NULL{{accepted}})"
        )
        return PeriodCounts(
            needs_posted=await count(created + " AND kind = 'need'"),
            offers_posted=await count(created + " AND kind = 'offer'"),
            needs_done=await count(done + " AND p.kind = 'need'"),
            offers_done=await count(done + " AND p.kind = 'offer'"),
            thanks=await count(
                "SELECT count(*) FROM thanks WHERE chat_id = ? AND created_at >= ? AND created_at < ?"
            ),
            help_seconds=tuple(sorted(max(int(r[0]), 0) for r in durations)),
            # Who gave: the accepted helpers of needs, the authors of offers taken up.
            helpers=await count(
                people.format(accepted=" AND " + _ACCEPTED), (*span, "need", *span, "offer")
            ),
            # Who received: the authors of needs done, those who took up an offer.
            helped=await count(people.format(accepted=""), (*span, "offer", *span, "need")),
        )

    async def decisions_closed(
        self, chat_id: int, since: datetime, until: datetime
    ) -> list[DecisionTurnout]:
        """Decisions closed with a result in the period, with how many residents took part
        (Telegram's count for anonymous polls)."""
        rows = await self._db.fetch_all(
            "SELECT d.id, d.kind, CASE WHEN d.kind = 'poll' AND d.anonymous THEN d.voter_count"
            " ELSE (SELECT count(*) FROM (SELECT a.user_id FROM decision_answers a"
            " WHERE a.decision_id = d.id UNION SELECT b.user_id FROM budget_ballots b"
            " WHERE b.decision_id = d.id AND b.submitted IS NOT NULL)) END"
            " FROM decisions d WHERE d.chat_id = ? AND d.state = 'closed'"
            " AND d.closed_at >= ? AND d.closed_at < ? ORDER BY d.closed_at, d.id",
            (chat_id, to_db(since), to_db(until)),
        )
        return [DecisionTurnout(int(r[0]), str(r[1]), int(r[2] or 0)) for r in rows]

    # --- rows for the export ---------------------------------------------------------------

    def _active_in(self, chat_id: int, since: datetime, until: datetime) -> tuple[object, ...]:
        return (chat_id, to_db(since), to_db(until), to_db(since), to_db(until))

    async def posts(self, chat_id: int, since: datetime, until: datetime) -> list[PostRow]:
        """Posts created or closed in the period."""
        rows = await self._db.fetch_all(
            "SELECT p.id, p.kind, p.category, p.offer_type, p.status, p.created_at,"
            f" p.closed_at, p.author_id, p.text FROM posts p WHERE{_ACTIVE_IN} ORDER BY p.id",
            self._active_in(chat_id, since, until),
        )
        return [
            PostRow(
                id=r[0],
                kind=r[1],
                category=r[2],
                offer_type=r[3],
                status=r[4],
                created_at=from_db(r[5]),
                closed_at=_when(r[6]),
                author_id=r[7],
                text=r[8],
            )
            for r in rows
        ]

    async def helps(self, chat_id: int, since: datetime, until: datetime) -> list[HelpRow]:
        """Accepted answers on the posts created or closed in the period."""
        rows = await self._db.fetch_all(
            "SELECT r.post_id, p.kind, p.author_id, r.user_id, r.updated_at,"
            " CASE WHEN p.status = 'done' THEN p.closed_at END"
            " FROM responses r JOIN posts p ON p.id = r.post_id"
            f" WHERE r.state = 'accepted' AND{_ACTIVE_IN} ORDER BY r.post_id, r.created_at",
            self._active_in(chat_id, since, until),
        )
        return [HelpRow(r[0], r[1], r[2], r[3], from_db(r[4]), _when(r[5])) for r in rows]

    async def thanks(self, chat_id: int, since: datetime, until: datetime) -> list[ThanksRow]:
        rows = await self._db.fetch_all(
            "SELECT post_id, from_user, to_user, public, created_at FROM thanks"
            " WHERE chat_id = ? AND created_at >= ? AND created_at < ? ORDER BY created_at, id",
            (chat_id, to_db(since), to_db(until)),
        )
        return [ThanksRow(r[0], r[1], r[2], bool(r[3]), from_db(r[4])) for r in rows]

    async def decisions_in(
        self, chat_id: int, since: datetime, until: datetime
    ) -> list[tuple[int, datetime | None]]:
        """(id, closed at) of the decisions created or closed in the period."""
        rows = await self._db.fetch_all(
            "SELECT id, closed_at FROM decisions WHERE chat_id = ?"
            " AND ((created_at >= ? AND created_at < ?) OR (closed_at >= ? AND closed_at < ?))"
            " ORDER BY id",
            self._active_in(chat_id, since, until),
        )
        return [(int(r[0]), _when(r[1])) for r in rows]

    async def pseudonym_key(self) -> bytes:
        """The secret that turns residents' ids into pseudonyms: made once, kept in the
        database (the same resident gets the same pseudonym in every export)."""
        async with self._db.write() as conn:
            await self._db.execute(
                conn,
                "INSERT INTO bot_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                (_PSEUDONYM_KEY, secrets.token_hex(32)),
            )
        value = await self._db.fetch_value(
            "SELECT value FROM bot_state WHERE key = ?", (_PSEUDONYM_KEY,)
        )
        return bytes.fromhex(str(value))
