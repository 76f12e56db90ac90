"""Collective decisions: the decision, its options, its life; the roster; guided drafts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from voisinbot.domain.polls.model import Decision, DecisionKind, DecisionState, Option
from voisinbot.storage.db import Database
from voisinbot.storage.timeconv import from_db, to_db

_COLUMNS = (
    "id, chat_id, kind, title, created_by, created_at, closes_at, state, anonymous, multiple,"
    " hidden, total, message_id, control_message_id, poll_id, voter_count, refreshed_at,"
    " rendered"
)


def _decision(row: aiosqlite.Row) -> Decision:
    return Decision(
        id=row["id"],
        chat_id=row["chat_id"],
        kind=DecisionKind(row["kind"]),
        title=row["title"],
        created_by=row["created_by"],
        created_at=from_db(row["created_at"]),
        closes_at=None if row["closes_at"] is None else from_db(row["closes_at"]),
        state=DecisionState(row["state"]),
        anonymous=bool(row["anonymous"]),
        multiple=bool(row["multiple"]),
        hidden=bool(row["hidden"]),
        total=row["total"],
        message_id=row["message_id"],
        control_message_id=row["control_message_id"],
        poll_id=row["poll_id"],
        voter_count=row["voter_count"],
        refreshed_at=None if row["refreshed_at"] is None else from_db(row["refreshed_at"]),
        rendered=row["rendered"],
    )


@dataclass(frozen=True, slots=True)
class NewDecision:
    chat_id: int
    kind: DecisionKind
    title: str
    created_by: int | None
    closes_at: datetime | None
    options: Sequence[Option]
    anonymous: bool = False
    multiple: bool = False
    hidden: bool = False
    total: int | None = None
    source_message_id: int | None = None


@dataclass(frozen=True, slots=True)
class RosterMember:
    user_id: int
    display_name: str
    language_code: str | None
    started_private: bool
    reachable: bool


@dataclass(frozen=True, slots=True)
class Draft:
    id: int
    chat_id: int
    user_id: int
    kind: DecisionKind
    title: str


class DecisionsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(self, new: NewDecision, now: datetime) -> tuple[Decision, bool]:
        """Store a decision and its options; a command seen before (same source message)
        returns the earlier decision and False. Idempotent."""
        async with self._db.write() as conn:
            cursor = await self._db.execute(
                conn,
                "INSERT INTO decisions (chat_id, kind, title, created_by, created_at, closes_at,"
                " anonymous, multiple, hidden, total, source_message_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (chat_id, source_message_id) DO NOTHING RETURNING id",
                (
                    new.chat_id,
                    new.kind.value,
                    new.title,
                    new.created_by,
                    to_db(now),
                    None if new.closes_at is None else to_db(new.closes_at),
                    int(new.anonymous),
                    int(new.multiple),
                    int(new.hidden),
                    new.total,
                    new.source_message_id,
                ),
            )
            rows = list(await cursor.fetchall())
            if rows:
                decision_id = int(rows[0][0])
                await self._db.execute_many(
                    conn,
                    "INSERT INTO decision_options"
                    " (decision_id, position, label, at, has_time, capacity, cost)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            decision_id,
                            o.position,
                            o.label,
                            None if o.at is None else to_db(o.at),
                            int(o.has_time),
                            o.capacity,
                            o.cost,
                        )
                        for o in new.options
                    ],
                )
        if rows:
            created = await self.get(decision_id)
            assert created is not None
            return created, True
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM decisions WHERE chat_id = ? AND source_message_id = ?",
            (new.chat_id, new.source_message_id),
        )
        assert row is not None
        return _decision(row), False

    async def get(self, decision_id: int) -> Decision | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM decisions WHERE id = ?", (decision_id,)
        )
        return None if row is None else _decision(row)

    async def by_poll_id(self, poll_id: str) -> Decision | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM decisions WHERE poll_id = ?", (poll_id,)
        )
        return None if row is None else _decision(row)

    async def options(self, decision_id: int) -> list[Option]:
        rows = await self._db.fetch_all(
            "SELECT position, label, at, has_time, capacity, cost, votes FROM decision_options"
            " WHERE decision_id = ? ORDER BY position",
            (decision_id,),
        )
        return [
            Option(
                position=r["position"],
                label=r["label"],
                at=None if r["at"] is None else from_db(r["at"]),
                has_time=bool(r["has_time"]),
                capacity=r["capacity"],
                cost=r["cost"],
                votes=r["votes"],
            )
            for r in rows
        ]

    async def attach(
        self,
        decision_id: int,
        *,
        message_id: int | None = None,
        control_message_id: int | None = None,
        poll_id: str | None = None,
        now: datetime | None = None,
        rendered: str | None = None,
    ) -> None:
        """Remember the group messages that stand for the decision (only the ones given), and
        the digest of the board as sent."""
        async with self._db.write() as conn:
            await self._db.execute(
                conn,
                "UPDATE decisions SET message_id = coalesce(?, message_id),"
                " control_message_id = coalesce(?, control_message_id),"
                " poll_id = coalesce(?, poll_id), refreshed_at = coalesce(?, refreshed_at),"
                " rendered = coalesce(?, rendered) WHERE id = ?",
                (
                    message_id,
                    control_message_id,
                    poll_id,
                    None if now is None else to_db(now),
                    rendered,
                    decision_id,
                ),
            )

    async def finish(self, decision_id: int, state: DecisionState, now: datetime) -> bool:
        """open -> closed or cancelled; False when it was not open any more (someone else
        closed it first)."""
        async with self._db.write() as conn:
            cursor = await self._db.execute(
                conn,
                "UPDATE decisions SET state = ?, closed_at = ? WHERE id = ? AND state = 'open'",
                (state.value, to_db(now), decision_id),
            )
            return cursor.rowcount == 1

    async def move_deadline(self, decision_id: int, closes_at: datetime) -> bool:
        """Set a new deadline on an open decision; False when it is not open."""
        async with self._db.write() as conn:
            cursor = await self._db.execute(
                conn,
                "UPDATE decisions SET closes_at = ? WHERE id = ? AND state = 'open'",
                (to_db(closes_at), decision_id),
            )
            return cursor.rowcount == 1

    async def mark_refreshed(self, decision_id: int, now: datetime, rendered: str | None) -> None:
        """The board was edited now to show ``rendered`` (a digest; None: unknown)."""
        async with self._db.write() as conn:
            await self._db.execute(
                conn,
                "UPDATE decisions SET refreshed_at = ?, rendered = ? WHERE id = ?",
                (to_db(now), rendered, decision_id),
            )

    async def set_poll_totals(
        self, decision_id: int, counts: Sequence[int], voter_count: int
    ) -> None:
        """Telegram's counts for a poll (anonymous polls have no other source)."""
        async with self._db.write() as conn:
            await self._db.execute_many(
                conn,
                "UPDATE decision_options SET votes = ? WHERE decision_id = ? AND position = ?",
                [(count, decision_id, position) for position, count in enumerate(counts)],
            )
            await self._db.execute(
                conn,
                "UPDATE decisions SET voter_count = ? WHERE id = ?",
                (voter_count, decision_id),
            )

    async def count_members(self, chat_id: int) -> int:
        """Residents the bot has seen in the group: the turnout's denominator."""
        value = await self._db.fetch_value(
            "SELECT count(*) FROM group_members WHERE chat_id = ?", (chat_id,)
        )
        return int(value or 0)

    # --- the roster: residents who want a private reminder ---------------------------------

    async def join_roster(self, chat_id: int, user_id: int, now: datetime) -> bool:
        """Add the resident; False when already there. Idempotent."""
        async with self._db.write() as conn:
            cursor = await self._db.execute(
                conn,
                "INSERT INTO decision_roster (chat_id, user_id, joined_at) VALUES (?, ?, ?)"
                " ON CONFLICT (chat_id, user_id) DO NOTHING",
                (chat_id, user_id, to_db(now)),
            )
            return cursor.rowcount == 1

    async def leave_roster(self, chat_id: int, user_id: int) -> bool:
        async with self._db.write() as conn:
            cursor = await self._db.execute(
                conn,
                "DELETE FROM decision_roster WHERE chat_id = ? AND user_id = ?",
                (chat_id, user_id),
            )
            return cursor.rowcount == 1

    async def roster(self, chat_id: int) -> list[RosterMember]:
        rows = await self._db.fetch_all(
            "SELECT r.user_id, coalesce(m.display_name, '') AS name, m.language_code,"
            " coalesce(m.started_private, 0) AS started, coalesce(m.reachable, 0) AS reachable"
            " FROM decision_roster r LEFT JOIN members m ON m.user_id = r.user_id"
            " WHERE r.chat_id = ? ORDER BY r.joined_at, r.user_id",
            (chat_id,),
        )
        return [
            RosterMember(
                r["user_id"],
                r["name"],
                r["language_code"],
                bool(r["started"]),
                bool(r["reachable"]),
            )
            for r in rows
        ]

    # --- the guided launch ------------------------------------------------------------------

    async def add_draft(
        self, chat_id: int, user_id: int, kind: DecisionKind, title: str, now: datetime
    ) -> int:
        async with self._db.write() as conn:
            cursor = await self._db.execute(
                conn,
                "INSERT INTO decision_drafts (chat_id, user_id, kind, title, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (chat_id, user_id, kind.value, title, to_db(now)),
            )
            return int(cursor.lastrowid or 0)

    async def draft(self, draft_id: int) -> Draft | None:
        row = await self._db.fetch_one(
            "SELECT id, chat_id, user_id, kind, title FROM decision_drafts WHERE id = ?",
            (draft_id,),
        )
        if row is None:
            return None
        return Draft(row[0], row[1], row[2], DecisionKind(row[3]), row[4])

    async def drop_draft(self, draft_id: int) -> None:
        async with self._db.write() as conn:
            await self._db.execute(conn, "DELETE FROM decision_drafts WHERE id = ?", (draft_id,))
