"""Groups and residents."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from voisinbot.storage.db import Database
from voisinbot.storage.timeconv import to_db


@dataclass(frozen=True, slots=True)
class GroupRow:
    chat_id: int
    title: str
    chat_type: str
    locale: str
    timezone: str
    settings: dict[str, Any]
    active: bool


@dataclass(frozen=True, slots=True)
class MemberRow:
    user_id: int
    display_name: str
    language_code: str | None
    started_private: bool
    reachable: bool


class CommunityRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get_group(self, chat_id: int) -> GroupRow | None:
        row = await self._db.fetch_one(
            "SELECT chat_id, title, chat_type, locale, timezone, settings, active"
            " FROM groups WHERE chat_id = ?",
            (chat_id,),
        )
        if row is None:
            return None
        return GroupRow(
            chat_id=row["chat_id"],
            title=row["title"],
            chat_type=row["chat_type"],
            locale=row["locale"],
            timezone=row["timezone"],
            settings=json.loads(row["settings"]),
            active=bool(row["active"]),
        )

    async def add_group(
        self, chat_id: int, title: str, chat_type: str, locale: str, timezone: str, now: datetime
    ) -> None:
        """Create the group, or refresh title and type and mark it active again. Idempotent."""
        async with self._db.write() as conn:
            await self._db.execute(
                conn,
                "INSERT INTO groups (chat_id, title, chat_type, locale, timezone, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (chat_id) DO UPDATE SET title = excluded.title,"
                " chat_type = excluded.chat_type, active = 1, left_at = NULL",
                (chat_id, title, chat_type, locale, timezone, to_db(now)),
            )

    async def mark_group_left(self, chat_id: int, now: datetime) -> None:
        async with self._db.write() as conn:
            await self._db.execute(
                conn,
                "UPDATE groups SET active = 0, left_at = ? WHERE chat_id = ?",
                (to_db(now), chat_id),
            )

    async def get_member(self, user_id: int) -> MemberRow | None:
        row = await self._db.fetch_one(
            "SELECT user_id, display_name, language_code, started_private, reachable"
            " FROM members WHERE user_id = ?",
            (user_id,),
        )
        if row is None:
            return None
        return MemberRow(
            user_id=row["user_id"],
            display_name=row["display_name"],
            language_code=row["language_code"],
            started_private=bool(row["started_private"]),
            reachable=bool(row["reachable"]),
        )

    async def save_member(
        self,
        user_id: int,
        display_name: str,
        language_code: str | None,
        now: datetime,
        *,
        chat_id: int | None = None,
        started_private: bool = False,
    ) -> None:
        """Insert or refresh a resident, and note that they were seen in ``chat_id``.

        ``started_private`` only ever turns the flag on; a resident who wrote to the bot
        privately once can be written to until they block it.
        """
        stamp = to_db(now)
        async with self._db.write() as conn:
            await self._db.execute(
                conn,
                "INSERT INTO members (user_id, display_name, language_code, started_private,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET display_name = excluded.display_name,"
                " language_code = excluded.language_code,"
                " started_private = max(members.started_private, excluded.started_private),"
                " reachable = CASE WHEN excluded.started_private THEN 1 ELSE members.reachable END,"
                " updated_at = excluded.updated_at",
                (user_id, display_name, language_code, int(started_private), stamp, stamp),
            )
            if chat_id is not None:
                await self._db.execute(
                    conn,
                    "INSERT INTO group_members (chat_id, user_id, seen_at) VALUES (?, ?, ?)"
                    " ON CONFLICT (chat_id, user_id) DO UPDATE SET seen_at = excluded.seen_at",
                    (chat_id, user_id, stamp),
                )

    async def is_member_of(self, chat_id: int, user_id: int) -> bool:
        return (
            await self._db.fetch_value(
                "SELECT 1 FROM group_members WHERE chat_id = ? AND user_id = ?",
                (chat_id, user_id),
            )
            is not None
        )

    async def set_reachable(self, user_id: int, reachable: bool) -> None:
        """Whether the bot can write to the resident privately (False after Forbidden)."""
        async with self._db.write() as conn:
            await self._db.execute(
                conn,
                "UPDATE members SET reachable = ? WHERE user_id = ?",
                (int(reachable), user_id),
            )

    async def is_appointed_facilitator(self, chat_id: int, user_id: int) -> bool:
        return (
            await self._db.fetch_value(
                "SELECT 1 FROM group_members WHERE chat_id = ? AND user_id = ? AND role = 'facilitator'",
                (chat_id, user_id),
            )
            is not None
        )

    async def set_role(self, chat_id: int, user_id: int, role: str, now: datetime) -> None:
        """Appoint ('facilitator') or return to 'resident'."""
        async with self._db.write() as conn:
            await self._db.execute(
                conn,
                "INSERT INTO group_members (chat_id, user_id, role, seen_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (chat_id, user_id) DO UPDATE SET role = excluded.role",
                (chat_id, user_id, role, to_db(now)),
            )
