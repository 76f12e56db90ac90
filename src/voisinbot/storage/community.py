"""Groups and residents."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

import aiosqlite

from voisinbot.storage.db import Database
from voisinbot.storage.timeconv import to_db


@dataclass(frozen=True, slots=True)
class GroupRow:
    chat_id: int
    title: str
    chat_type: str
    locale: str
    timezone: str
    settings: Mapping[str, Any]  # read-only: rows are shared by the repository's cache
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
        # Every update in a group reads its row (locale, settings); rows change only through
        # this repository and PrivacyRepo's purge, which drop them from here after writing.
        self._groups: dict[int, GroupRow] = {}

    def forget_groups(self, chat_ids: Iterable[int] | None = None) -> None:
        """Drop cached group rows (all of them without ``chat_ids``): they were written."""
        if chat_ids is None:
            self._groups.clear()
        for chat_id in chat_ids or ():
            self._groups.pop(chat_id, None)

    async def get_group(self, chat_id: int) -> GroupRow | None:
        cached = self._groups.get(chat_id)
        if cached is not None:
            return cached
        row = await self._db.fetch_one(
            "SELECT chat_id, title, chat_type, locale, timezone, settings, active"
            " FROM groups WHERE chat_id = ?",
            (chat_id,),
        )
        if row is None:
            return None
        group = GroupRow(
            chat_id=row["chat_id"],
            title=row["title"],
            chat_type=row["chat_type"],
            locale=row["locale"],
            timezone=row["timezone"],
            settings=MappingProxyType(json.loads(row["settings"])),
            active=bool(row["active"]),
        )
        if not self._db.sql.in_transaction:  # never keep what a rollback may undo
            self._groups[chat_id] = group
        return group

    async def migrated_to(self, chat_id: int) -> int | None:
        """The id a basic group has had since it became a supergroup, if it did."""
        value = await self._db.fetch_value(
            "SELECT chat_id FROM chat_migrations WHERE old_chat_id = ?", (chat_id,)
        )
        return None if value is None else int(value)

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
        self.forget_groups([chat_id])

    async def mark_group_left(self, chat_id: int, now: datetime) -> None:
        async with self._db.write() as conn:
            await self._db.execute(
                conn,
                "UPDATE groups SET active = 0, left_at = ? WHERE chat_id = ?",
                (to_db(now), chat_id),
            )
        self.forget_groups([chat_id])

    async def migrate_group(self, old_id: int, new_id: int) -> int:
        """A group became a supergroup and Telegram gave it a new id: move everything that
        belongs to the group to ``new_id``, in one transaction. Idempotent; returns the rows
        moved.

        Every table with a ``chat_id`` column moves, also those added by later migrations
        (found in the schema, not listed here); the ``ON UPDATE CASCADE`` foreign keys move
        members and posts with the group row. Chat ids of groups are negative and those of
        residents positive, so rows addressed to a resident never match ``old_id``.
        """
        if old_id == new_id:
            return 0
        async with self._db.write() as conn:
            tables = [
                row[0]
                for row in await (
                    await self._db.execute(
                        conn,
                        "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c"
                        " WHERE m.type = 'table' AND c.name = 'chat_id' AND m.name != 'groups'"
                        " ORDER BY m.name",
                    )
                ).fetchall()
            ]
            found = await (
                await self._db.execute(
                    conn,
                    "SELECT chat_id, created_at FROM groups WHERE chat_id IN (?, ?)",
                    (old_id, new_id),
                )
            ).fetchall()
            created = {row[0]: row[1] for row in found}
            moved = 0
            if old_id in created and new_id not in created:
                cursor = await self._db.execute(
                    conn,
                    "UPDATE groups SET chat_id = ?, chat_type = 'supergroup' WHERE chat_id = ?",
                    (new_id, old_id),
                )
                moved += cursor.rowcount
            for table in tables:
                moved += await self._move_rows(conn, table, old_id, new_id)
            await self._db.execute(
                conn,
                "INSERT INTO chat_migrations (old_chat_id, chat_id) VALUES (?, ?)"
                " ON CONFLICT (old_chat_id) DO UPDATE SET chat_id = excluded.chat_id",
                (old_id, new_id),
            )
            if old_id in created and new_id in created:
                # Both known (the new id was seen first): the older row holds what the
                # group configured; the new one keeps its title and type.
                if created[old_id] <= created[new_id]:
                    await self._db.execute(
                        conn,
                        "UPDATE groups SET (locale, timezone, settings, created_at) ="
                        " (SELECT locale, timezone, settings, created_at FROM groups"
                        " WHERE chat_id = ?) WHERE chat_id = ?",
                        (old_id, new_id),
                    )
                cursor = await self._db.execute(
                    conn, "DELETE FROM groups WHERE chat_id = ?", (old_id,)
                )
                moved += cursor.rowcount
        self.forget_groups([old_id, new_id])
        return moved

    async def _move_rows(
        self, conn: aiosqlite.Connection, table: str, old_id: int, new_id: int
    ) -> int:
        quoted = '"' + table.replace('"', '""') + '"'
        if table == "posts":
            # Message ids are per chat: a post created from message 5 in each chat would
            # collide on (chat_id, source_message_id); the old one no longer needs it.
            await self._db.execute(
                conn,
                "UPDATE posts SET source_message_id = NULL WHERE chat_id = ?"
                " AND source_message_id IN (SELECT source_message_id FROM posts WHERE chat_id = ?)",
                (old_id, new_id),
            )
        if table == "group_members":
            await self._db.execute(
                conn,
                "UPDATE group_members SET role = 'facilitator' WHERE chat_id = ? AND user_id IN"
                " (SELECT user_id FROM group_members WHERE chat_id = ? AND role = 'facilitator')",
                (new_id, old_id),
            )
        cursor = await self._db.execute(
            conn, f"UPDATE OR IGNORE {quoted} SET chat_id = ? WHERE chat_id = ?", (new_id, old_id)
        )
        # What is left duplicates a row the new chat already has (same key): drop it.
        await self._db.execute(conn, f"DELETE FROM {quoted} WHERE chat_id = ?", (old_id,))
        return cursor.rowcount

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

    async def set_setting(self, chat_id: int, key: str, value: object) -> None:
        """Store one group setting (a JSON value) under ``key``."""
        async with self._db.write() as conn:
            await self._db.execute(
                conn,
                "UPDATE groups SET settings = json_set(settings, '$.' || ?, json(?)) WHERE chat_id = ?",
                (key, json.dumps(value), chat_id),
            )
        self.forget_groups([chat_id])

    async def set_locale(self, chat_id: int, locale: str) -> None:
        async with self._db.write() as conn:
            await self._db.execute(
                conn, "UPDATE groups SET locale = ? WHERE chat_id = ?", (locale, chat_id)
            )
        self.forget_groups([chat_id])

    async def set_timezone(self, chat_id: int, timezone: str) -> None:
        async with self._db.write() as conn:
            await self._db.execute(
                conn, "UPDATE groups SET timezone = ? WHERE chat_id = ?", (timezone, chat_id)
            )
        self.forget_groups([chat_id])

    async def appointed_facilitators(self, chat_id: int) -> list[MemberRow]:
        """Residents a facilitator appointed in this group, by name."""
        rows = await self._db.fetch_all(
            "SELECT m.user_id, m.display_name, m.language_code, m.started_private, m.reachable"
            " FROM group_members g JOIN members m ON m.user_id = g.user_id"
            " WHERE g.chat_id = ? AND g.role = 'facilitator' ORDER BY m.display_name, m.user_id",
            (chat_id,),
        )
        return [_member_row(row) for row in rows]

    async def members_named(self, chat_id: int, name: str) -> list[MemberRow]:
        """Residents seen in this group whose display name is ``name`` (any case)."""
        rows = await self._db.fetch_all(
            "SELECT m.user_id, m.display_name, m.language_code, m.started_private, m.reachable"
            " FROM group_members g JOIN members m ON m.user_id = g.user_id"
            " WHERE g.chat_id = ? ORDER BY m.user_id",
            (chat_id,),
        )
        # SQLite's lower() folds ASCII only: "élodie" must find "Élodie".
        wanted = name.strip().casefold()
        return [_member_row(row) for row in rows if row["display_name"].casefold() == wanted]


def _member_row(row: aiosqlite.Row) -> MemberRow:
    return MemberRow(
        user_id=row["user_id"],
        display_name=row["display_name"],
        language_code=row["language_code"],
        started_private=bool(row["started_private"]),
        reachable=bool(row["reachable"]),
    )
