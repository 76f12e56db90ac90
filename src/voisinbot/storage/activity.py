"""What a group did in a period: the figures and lists behind the digest and /stats."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from voisinbot.domain.posts import ACTIVE_STATUSES, Post
from voisinbot.storage.db import Database
from voisinbot.storage.posts import POST_COLUMNS, POST_FROM, post_from_row
from voisinbot.storage.timeconv import from_db, to_db

_ACTIVE = "(" + ", ".join(f"'{s.value}'" for s in ACTIVE_STATUSES) + ")"


class ActivityRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def open_needs(
        self, chat_id: int, now: datetime, *, limit: int
    ) -> tuple[Sequence[Post], int]:
        """The group's open needs, oldest first (they waited longest), and how many there are."""
        params = (chat_id, to_db(now))
        where = f" WHERE p.chat_id = ? AND p.kind = 'need' AND p.status IN {_ACTIVE} AND p.expires_at > ?"
        rows = await self._db.fetch_all(
            f"SELECT {POST_COLUMNS}{POST_FROM}{where} ORDER BY p.created_at, p.id LIMIT ?",
            (*params, limit),
        )
        total = await self._db.fetch_value(f"SELECT count(*){POST_FROM}{where}", params)
        return [post_from_row(r) for r in rows], int(total)

    async def new_posts(
        self,
        chat_id: int,
        kind: str,
        since: datetime,
        until: datetime,
        *,
        limit: int,
        active_only: bool,
    ) -> tuple[Sequence[Post], int]:
        """Posts of one kind created in [since, until), newest first, and their count."""
        params: tuple[object, ...] = (chat_id, kind, to_db(since), to_db(until))
        where = " WHERE p.chat_id = ? AND p.kind = ? AND p.created_at >= ? AND p.created_at < ?"
        if active_only:
            where += f" AND p.status IN {_ACTIVE}"
        rows = await self._db.fetch_all(
            f"SELECT {POST_COLUMNS}{POST_FROM}{where} ORDER BY p.created_at DESC LIMIT ?",
            (*params, limit),
        )
        total = await self._db.fetch_value(f"SELECT count(*){POST_FROM}{where}", params)
        return [post_from_row(r) for r in rows], int(total)

    async def helps(
        self, chat_id: int, since: datetime, until: datetime, *, limit: int
    ) -> tuple[Sequence[tuple[Post, str]], int]:
        """Posts marked done in [since, until), with the names of the accepted helpers."""
        params = (chat_id, to_db(since), to_db(until))
        where = (
            " WHERE p.chat_id = ? AND p.status = 'done' AND p.closed_at >= ? AND p.closed_at < ?"
        )
        rows = await self._db.fetch_all(
            f"SELECT {POST_COLUMNS}, (SELECT group_concat(hm.display_name, ', ') FROM responses r"
            " JOIN members hm ON hm.user_id = r.user_id WHERE r.post_id = p.id AND r.state = 'accepted')"
            f" AS helpers{POST_FROM}{where} ORDER BY p.closed_at DESC LIMIT ?",
            (*params, limit),
        )
        total = await self._db.fetch_value(f"SELECT count(*){POST_FROM}{where}", params)
        return [(post_from_row(r), r["helpers"] or "") for r in rows], int(total)

    async def count_done(self, chat_id: int, since: datetime, until: datetime) -> int:
        return int(
            await self._db.fetch_value(
                "SELECT count(*) FROM posts WHERE chat_id = ? AND status = 'done'"
                " AND closed_at >= ? AND closed_at < ?",
                (chat_id, to_db(since), to_db(until)),
            )
        )

    async def count_created(self, chat_id: int, kind: str, since: datetime, until: datetime) -> int:
        return int(
            await self._db.fetch_value(
                "SELECT count(*) FROM posts WHERE chat_id = ? AND kind = ? AND created_at >= ? AND created_at < ?",
                (chat_id, kind, to_db(since), to_db(until)),
            )
        )

    async def count_thanks(self, chat_id: int, since: datetime, until: datetime) -> int:
        return int(
            await self._db.fetch_value(
                "SELECT count(*) FROM thanks WHERE chat_id = ? AND created_at >= ? AND created_at < ?",
                (chat_id, to_db(since), to_db(until)),
            )
        )

    async def active_group_ids(self) -> list[int]:
        rows = await self._db.fetch_all(
            "SELECT chat_id FROM groups WHERE active = 1 ORDER BY chat_id"
        )
        return [int(r[0]) for r in rows]

    async def decisions_closed(
        self, chat_id: int, since: datetime, until: datetime, *, limit: int
    ) -> tuple[list[tuple[int, str, str]], int]:
        """(id, kind, title) of decisions closed in [since, until), latest first, and how many."""
        params = (chat_id, to_db(since), to_db(until))
        where = " FROM decisions WHERE chat_id = ? AND state = 'closed' AND closed_at >= ? AND closed_at < ?"
        rows = await self._db.fetch_all(
            f"SELECT id, kind, title{where} ORDER BY closed_at DESC LIMIT ?", (*params, limit)
        )
        total = await self._db.fetch_value(f"SELECT count(*){where}", params)
        return [(int(r[0]), str(r[1]), str(r[2])) for r in rows], int(total)

    async def decisions_open(
        self, chat_id: int, *, limit: int
    ) -> tuple[list[tuple[int, str, str, datetime | None]], int]:
        """(id, kind, title, closes at) of open decisions, soonest deadline first, and how many."""
        rows = await self._db.fetch_all(
            "SELECT id, kind, title, closes_at FROM decisions WHERE chat_id = ? AND state = 'open'"
            " ORDER BY closes_at IS NULL, closes_at, id LIMIT ?",
            (chat_id, limit),
        )
        total = await self._db.fetch_value(
            "SELECT count(*) FROM decisions WHERE chat_id = ? AND state = 'open'", (chat_id,)
        )
        return [
            (int(r[0]), str(r[1]), str(r[2]), None if r[3] is None else from_db(r[3])) for r in rows
        ], int(total)

    async def signup_slots(
        self, chat_id: int, start: datetime, end: datetime, *, limit: int
    ) -> tuple[list[tuple[int, str, str, datetime, int | None, int]], int]:
        """Dated sign-up slots in [start, end): (decision id, title, slot, when, places, taken)."""
        where = (
            " FROM decisions d JOIN decision_options o ON o.decision_id = d.id"
            " WHERE d.chat_id = ? AND d.kind = 'signup' AND d.state = 'open' AND o.at >= ? AND o.at < ?"
        )
        params = (chat_id, to_db(start), to_db(end))
        rows = await self._db.fetch_all(
            "SELECT d.id, d.title, o.label, o.at, o.capacity, (SELECT count(*) FROM decision_answers a"
            f" WHERE a.decision_id = d.id AND a.position = o.position){where} ORDER BY o.at LIMIT ?",
            (*params, limit),
        )
        total = await self._db.fetch_value(f"SELECT count(*){where}", params)
        return [
            (
                int(r[0]),
                str(r[1]),
                str(r[2]),
                from_db(r[3]),
                None if r[4] is None else int(r[4]),
                int(r[5]),
            )
            for r in rows
        ], int(total)
