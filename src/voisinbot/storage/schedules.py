"""Schedules and the outbox."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiosqlite

from voisinbot.domain.schedules import Schedule, ScheduleState
from voisinbot.storage.db import Database
from voisinbot.storage.timeconv import from_db, to_db

_COLUMNS = "id, kind, chat_id, ref_id, due_at, grace, state, payload"


def _schedule(row: aiosqlite.Row) -> Schedule:
    return Schedule(
        id=row["id"],
        kind=row["kind"],
        chat_id=row["chat_id"],
        ref_id=row["ref_id"],
        due_at=from_db(row["due_at"]),
        grace=timedelta(seconds=row["grace"]),
        state=ScheduleState(row["state"]),
        payload=json.loads(row["payload"]),
    )


@dataclass(frozen=True, slots=True)
class PlannedItem:
    kind: str
    due_at: datetime | None
    grace: timedelta
    chat_id: int | None
    ref_id: int | None


class SchedulesRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self,
        kind: str,
        due_at: datetime,
        grace: timedelta,
        now: datetime,
        *,
        chat_id: int | None = None,
        ref_id: int | None = None,
        payload: dict[str, Any] | None = None,
        replace: bool = False,
    ) -> Schedule:
        """Store a schedule. With ``replace``, pending ones of the same (kind, chat, ref) are
        cancelled first, so moving a deadline never leaves the old one behind."""
        async with self._db.write() as conn:
            if replace:
                await self._cancel(conn, kind, chat_id, ref_id, now)
            cursor = await self._db.execute(
                conn,
                "INSERT INTO schedules (kind, chat_id, ref_id, due_at, grace, payload, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    kind,
                    chat_id,
                    ref_id,
                    to_db(due_at),
                    int(grace.total_seconds()),
                    json.dumps(payload or {}, separators=(",", ":")),
                    to_db(now),
                ),
            )
            schedule_id = cursor.lastrowid
        found = await self.get(int(schedule_id or 0))
        assert found is not None
        return found

    async def plan(self, items: Sequence[PlannedItem], now: datetime) -> None:
        """Replace, in one transaction, the pending schedules of several (kind, chat, ref):
        each item's earlier pending ones are cancelled and, when it has a time, a new one
        is stored (an item without a time only cancels)."""
        async with self._db.write() as conn:
            for item in items:
                await self._cancel(conn, item.kind, item.chat_id, item.ref_id, now)
            rows = [
                (
                    item.kind,
                    item.chat_id,
                    item.ref_id,
                    to_db(item.due_at),
                    int(item.grace.total_seconds()),
                    "{}",
                    to_db(now),
                )
                for item in items
                if item.due_at is not None
            ]
            await self._db.execute_many(
                conn,
                "INSERT INTO schedules (kind, chat_id, ref_id, due_at, grace, payload, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )

    async def get(self, schedule_id: int) -> Schedule | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM schedules WHERE id = ?", (schedule_id,)
        )
        return None if row is None else _schedule(row)

    async def pending(self) -> Sequence[Schedule]:
        """Every schedule still to run, soonest first (also those left 'running' by a crash)."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM schedules WHERE state IN ('pending', 'running')"
            " ORDER BY due_at, id"
        )
        return [_schedule(row) for row in rows]

    async def due(self, now: datetime, limit: int = 500) -> Sequence[Schedule]:
        """Schedules whose time has come (also those a crash left 'running'), oldest first."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM schedules WHERE state IN ('pending', 'running')"
            " AND due_at <= ? ORDER BY due_at, id LIMIT ?",
            (to_db(now), limit),
        )
        return [_schedule(row) for row in rows]

    async def next_due_at(self) -> datetime | None:
        value = await self._db.fetch_value(
            "SELECT min(due_at) FROM schedules WHERE state IN ('pending', 'running')"
        )
        return None if value is None else from_db(int(value))

    async def pending_for(
        self, kind: str, chat_id: int | None, ref_id: int | None = None
    ) -> Sequence[Schedule]:
        # "+state": without it SQLite picks the (state, due_at) index for the ORDER BY and
        # reads every pending schedule (4 ms at 10,000, once per group at start-up); the
        # (kind, chat, ref) index finds the one or two rows.
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM schedules WHERE +state = 'pending' AND kind = ?"
            " AND chat_id IS ? AND ref_id IS ? ORDER BY due_at",
            (kind, chat_id, ref_id),
        )
        return [_schedule(row) for row in rows]

    async def claim(self, schedule_id: int) -> bool:
        """pending -> running; False when someone else already claimed or it was cancelled.

        A row left 'running' by a crash is reclaimable: its effects go through the outbox,
        which refuses to send twice.
        """
        async with self._db.write() as conn:
            cursor = await self._db.execute(
                conn,
                "UPDATE schedules SET state = 'running' WHERE id = ? AND state IN ('pending', 'running')",
                (schedule_id,),
            )
            return cursor.rowcount == 1

    async def finish(self, schedule_id: int, state: ScheduleState, now: datetime) -> None:
        async with self._db.write() as conn:
            await self._db.execute(
                conn,
                "UPDATE schedules SET state = ?, finished_at = ? WHERE id = ?",
                (state.value, to_db(now), schedule_id),
            )

    async def cancel(
        self, kind: str, chat_id: int | None, ref_id: int | None, now: datetime
    ) -> int:
        """Cancel the pending schedules of one (kind, chat, ref); returns how many."""
        async with self._db.write() as conn:
            return await self._cancel(conn, kind, chat_id, ref_id, now)

    async def cancel_one(self, schedule_id: int, *, kind: str, chat_id: int, now: datetime) -> bool:
        """Cancel one pending schedule, checking it is of that kind and group."""
        async with self._db.write() as conn:
            cursor = await self._db.execute(
                conn,
                "UPDATE schedules SET state = 'cancelled', finished_at = ?"
                " WHERE id = ? AND kind = ? AND chat_id = ? AND state = 'pending'",
                (to_db(now), schedule_id, kind, chat_id),
            )
            return cursor.rowcount == 1

    async def cancel_chat(self, chat_id: int, now: datetime) -> list[int]:
        """Cancel every pending schedule of a group (the bot left it); returns their ids."""
        rows = await self._db.fetch_all(
            "SELECT id FROM schedules WHERE chat_id = ? AND state = 'pending'", (chat_id,)
        )
        async with self._db.write() as conn:
            await self._db.execute(
                conn,
                "UPDATE schedules SET state = 'cancelled', finished_at = ?"
                " WHERE chat_id = ? AND state = 'pending'",
                (to_db(now), chat_id),
            )
        return [row[0] for row in rows]

    async def _cancel(
        self,
        conn: aiosqlite.Connection,
        kind: str,
        chat_id: int | None,
        ref_id: int | None,
        now: datetime,
    ) -> int:
        cursor = await self._db.execute(
            conn,
            "UPDATE schedules SET state = 'cancelled', finished_at = ?"
            " WHERE kind = ? AND chat_id IS ? AND ref_id IS ? AND state = 'pending'",
            (to_db(now), kind, chat_id, ref_id),
        )
        return cursor.rowcount


class OutboxRepo:
    """Announcements that must go out once, keyed by (kind, chat, period)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def reserve(self, kind: str, chat_id: int, period: str, now: datetime) -> int | None:
        """Claim the right to send (kind, chat, period): returns the row id, or None when it was
        already sent, is being sent, or its fate is uncertain."""
        async with self._db.write() as conn:
            await self._db.execute(
                conn,
                "INSERT INTO outbox (kind, chat_id, period, created_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (kind, chat_id, period) DO NOTHING",
                (kind, chat_id, period, to_db(now)),
            )
            cursor = await self._db.execute(
                conn,
                "UPDATE outbox SET state = 'sending' WHERE kind = ? AND chat_id = ? AND period = ?"
                " AND state = 'pending' RETURNING id",
                (kind, chat_id, period),
            )
            rows = list(await cursor.fetchall())
        return int(rows[0][0]) if rows else None

    async def mark(
        self, outbox_id: int, state: str, now: datetime, message_id: int | None = None
    ) -> None:
        """Record how a send ended: 'sent', 'uncertain' (timed out), 'failed', or back to
        'pending' when it certainly did not go out and may be tried again."""
        async with self._db.write() as conn:
            await self._db.execute(
                conn,
                "UPDATE outbox SET state = ?, message_id = coalesce(?, message_id),"
                " sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END WHERE id = ?",
                (state, message_id, state, to_db(now), outbox_id),
            )

    async def interrupted_to_uncertain(self) -> int:
        """At start-up: rows left 'sending' by a crash may or may not have gone out."""
        async with self._db.write() as conn:
            cursor = await self._db.execute(
                conn, "UPDATE outbox SET state = 'uncertain' WHERE state = 'sending'"
            )
            return cursor.rowcount

    async def state_of(self, kind: str, chat_id: int, period: str) -> str | None:
        value = await self._db.fetch_value(
            "SELECT state FROM outbox WHERE kind = ? AND chat_id = ? AND period = ?",
            (kind, chat_id, period),
        )
        return None if value is None else str(value)
