"""What residents answered: named poll votes, date answers, sign-ups, budget ballots."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from voisinbot.domain.polls.tally import SignupMove, signup_move
from voisinbot.storage.db import Database
from voisinbot.storage.state import done_once
from voisinbot.storage.timeconv import to_db


@dataclass(frozen=True, slots=True)
class AnswerRow:
    user_id: int
    display_name: str
    position: int
    value: int


@dataclass(frozen=True, slots=True)
class Ballot:
    draft: tuple[int, ...]
    submitted: tuple[int, ...] | None


def _positions(text: str | None) -> tuple[int, ...] | None:
    if text is None:
        return None
    return tuple(sorted({int(p) for p in json.loads(text)}))


class AnswersRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def set_choices(
        self, decision_id: int, user_id: int, positions: Iterable[int], now: datetime
    ) -> None:
        """Replace a resident's chosen options (empty: a retracted vote)."""
        async with self._db.write() as conn:
            await self._db.execute(
                conn,
                "DELETE FROM decision_answers WHERE decision_id = ? AND user_id = ?",
                (decision_id, user_id),
            )
            await self._db.execute_many(
                conn,
                "INSERT INTO decision_answers (decision_id, user_id, position, value, answered_at)"
                " VALUES (?, ?, ?, 1, ?)",
                [(decision_id, user_id, p, to_db(now)) for p in sorted(set(positions))],
            )

    async def set_answer(
        self, decision_id: int, user_id: int, position: int, value: int, now: datetime
    ) -> None:
        """A resident's answer to one slot, replacing the previous one."""
        async with self._db.write() as conn:
            await self._db.execute(
                conn,
                "INSERT INTO decision_answers (decision_id, user_id, position, value, answered_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (decision_id, user_id, position)"
                " DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at",
                (decision_id, user_id, position, value, to_db(now)),
            )

    async def toggle_slot(
        self,
        decision_id: int,
        user_id: int,
        position: int,
        capacity: int | None,
        now: datetime,
        request_id: str | None = None,
    ) -> SignupMove:
        """Take or leave a sign-up slot; the count is read in the same transaction, so two
        neighbours tapping the last place at once cannot both get it. The same tap delivered
        again (``request_id``, after a crash) reports the move made instead of undoing it."""
        async with self._db.write() as conn:
            cursor = await self._db.execute(
                conn,
                "SELECT count(*), coalesce(sum(user_id = ?), 0) FROM decision_answers"
                " WHERE decision_id = ? AND position = ?",
                (user_id, decision_id, position),
            )
            row = await cursor.fetchone()
            taken, mine = (int(row[0]), bool(row[1])) if row else (0, False)
            once = "once:signup-toggle"
            if request_id is not None and not await done_once(self._db, conn, once, request_id):
                return SignupMove.TAKE if mine else SignupMove.LEAVE
            move = signup_move(capacity, taken, mine)
            if move is SignupMove.TAKE:
                await self._db.execute(
                    conn,
                    "INSERT INTO decision_answers"
                    " (decision_id, user_id, position, value, answered_at) VALUES (?, ?, ?, 1, ?)",
                    (decision_id, user_id, position, to_db(now)),
                )
            elif move is SignupMove.LEAVE:
                await self._db.execute(
                    conn,
                    "DELETE FROM decision_answers"
                    " WHERE decision_id = ? AND user_id = ? AND position = ?",
                    (decision_id, user_id, position),
                )
            return move

    async def answers(self, decision_id: int) -> list[AnswerRow]:
        """Every answer with the resident's name, in the order they were given."""
        rows = await self._db.fetch_all(
            "SELECT a.user_id, coalesce(m.display_name, '?') AS name, a.position, a.value"
            " FROM decision_answers a LEFT JOIN members m ON m.user_id = a.user_id"
            " WHERE a.decision_id = ? ORDER BY a.answered_at, a.user_id, a.position",
            (decision_id,),
        )
        return [AnswerRow(r["user_id"], r["name"], r["position"], r["value"]) for r in rows]

    async def responders(self, decision_id: int) -> set[int]:
        """Who answered (named polls, dates, sign-ups) or submitted a ballot (budgets)."""
        rows = await self._db.fetch_all(
            "SELECT user_id FROM decision_answers WHERE decision_id = ?"
            " UNION SELECT user_id FROM budget_ballots"
            " WHERE decision_id = ? AND submitted IS NOT NULL",
            (decision_id, decision_id),
        )
        return {int(r[0]) for r in rows}

    # --- budget ballots ----------------------------------------------------------------------

    async def ballot(self, decision_id: int, user_id: int) -> Ballot:
        row = await self._db.fetch_one(
            "SELECT draft, submitted FROM budget_ballots WHERE decision_id = ? AND user_id = ?",
            (decision_id, user_id),
        )
        if row is None:
            return Ballot((), None)
        return Ballot(_positions(row[0]) or (), _positions(row[1]))

    async def save_draft(self, decision_id: int, user_id: int, positions: Iterable[int]) -> None:
        draft = json.dumps(sorted(set(positions)))
        async with self._db.write() as conn:
            await self._db.execute(
                conn,
                "INSERT INTO budget_ballots (decision_id, user_id, draft) VALUES (?, ?, ?)"
                " ON CONFLICT (decision_id, user_id) DO UPDATE SET draft = excluded.draft",
                (decision_id, user_id, draft),
            )

    async def submit(
        self, decision_id: int, user_id: int, positions: Iterable[int], now: datetime
    ) -> None:
        """Record the ballot that counts (replacing an earlier one)."""
        chosen = json.dumps(sorted(set(positions)))
        async with self._db.write() as conn:
            await self._db.execute(
                conn,
                "INSERT INTO budget_ballots (decision_id, user_id, draft, submitted, submitted_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (decision_id, user_id) DO UPDATE SET"
                " draft = excluded.draft, submitted = excluded.submitted,"
                " submitted_at = excluded.submitted_at",
                (decision_id, user_id, chosen, chosen, to_db(now)),
            )

    async def submitted_ballots(self, decision_id: int) -> list[tuple[int, ...]]:
        rows = await self._db.fetch_all(
            "SELECT submitted FROM budget_ballots WHERE decision_id = ? AND submitted IS NOT NULL",
            (decision_id,),
        )
        return [_positions(r[0]) or () for r in rows]
