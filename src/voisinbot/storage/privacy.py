"""Residents' rights and retention: every row about one resident, erasing them, and purging
what is kept no longer.

The schema is read rather than listed where it can be: a table added by a later migration
with a ``user_id`` column (or a ``chat_id`` that may be a resident's private chat) is
exported and erased without this file changing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from voisinbot.domain.posts import ACTIVE_STATUSES, Post, PostStatus
from voisinbot.storage.community import CommunityRepo
from voisinbot.storage.db import Database
from voisinbot.storage.posts import POST_COLUMNS, POST_FROM, post_from_row
from voisinbot.storage.timeconv import to_db

# Columns that hold a resident's Telegram id.
PERSON_COLUMNS = ("user_id", "author_id", "from_user", "to_user", "created_by")
_ACTIVE = "(" + ", ".join(f"'{s.value}'" for s in ACTIVE_STATUSES) + ")"
_CLOSED = "(" + ", ".join(f"'{s.value}'" for s in PostStatus if not s.is_active) + ")"
# JSON columns whose top-level values may hold a resident's id (a reminder's author).
_MENTIONS = (
    " OR (json_valid({col}) AND EXISTS (SELECT 1 FROM json_each({col}) j"
    " WHERE j.type = 'integer' AND j.value = ?))"
)
# Erased explicitly below (anonymised rather than deleted, or before the generic sweep).
_HANDLED = frozenset({"members", "responses", "decision_answers", "budget_ballots"})


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True, slots=True)
class Erased:
    """What an erasure changed, for the messages in groups that showed it."""

    posts: int  # the resident's posts, removed or anonymised
    rows: int  # every row deleted or anonymised


class PrivacyRepo:
    def __init__(self, db: Database, community: CommunityRepo) -> None:
        self._db = db
        self._community = community  # its cache of group rows forgets the purged groups

    async def _schema(self, conn: aiosqlite.Connection | None = None) -> dict[str, list[str]]:
        sql = (
            "SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c"
            " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, c.cid"
        )
        if conn is None:
            rows = await self._db.fetch_all(sql)
        else:
            rows = list(await (await self._db.execute(conn, sql)).fetchall())
        tables: dict[str, list[str]] = {}
        for table, column in rows:
            tables.setdefault(str(table), []).append(str(column))
        return tables

    # --- a resident's copy -----------------------------------------------------------------

    async def personal_rows(self, user_id: int) -> dict[str, list[dict[str, Any]]]:
        """Every row naming the resident, table by table, column by column as stored.

        A row names them when a person column holds their id, or when its ``chat_id`` is
        their private chat (group ids are negative, residents' positive)."""
        found: dict[str, list[dict[str, Any]]] = {}
        for table, columns in (await self._schema()).items():
            keys = [c for c in columns if c in PERSON_COLUMNS]
            if "chat_id" in columns and table != "groups":
                keys.append("chat_id")
            where = " OR ".join(f"{_quoted(c)} = ?" for c in keys)
            if "payload" in columns:
                where = (where or "0") + _MENTIONS.format(col='"payload"')
                keys.append("payload")
            if not keys:
                continue
            rows = await self._db.fetch_all(
                f"SELECT * FROM {_quoted(table)} WHERE {where}", [user_id] * len(keys)
            )
            if rows:
                found[table] = [dict(zip(row.keys(), tuple(row), strict=True)) for row in rows]
        return found

    async def posts_of(self, user_id: int) -> list[Post]:
        """The resident's posts, every status, oldest first."""
        rows = await self._db.fetch_all(
            f"SELECT {POST_COLUMNS}{POST_FROM} WHERE p.author_id = ? ORDER BY p.id", (user_id,)
        )
        return [post_from_row(row) for row in rows]

    async def posts_naming(self, user_id: int) -> list[int]:
        """Other residents' posts whose group message may show the resident's name: those
        they answered, and those showing one of their posts as a match."""
        rows = await self._db.fetch_all(
            "SELECT r.post_id FROM responses r JOIN posts p ON p.id = r.post_id"
            " WHERE r.user_id = ? AND p.author_id IS NOT ?"
            " UNION SELECT m.post_id FROM post_matches m JOIN posts mine ON mine.id = m.matched_id"
            " JOIN posts p ON p.id = m.post_id WHERE mine.author_id = ? AND p.author_id IS NOT ?"
            " ORDER BY 1",
            (user_id, user_id, user_id, user_id),
        )
        return [int(r[0]) for r in rows]

    async def facilitated_by(self, user_id: int) -> list[int]:
        """Groups where the resident was appointed facilitator (their menu there differs)."""
        rows = await self._db.fetch_all(
            "SELECT chat_id FROM group_members WHERE user_id = ? AND role = 'facilitator'"
            " ORDER BY chat_id",
            (user_id,),
        )
        return [int(r[0]) for r in rows]

    async def decisions_answered_by(self, user_id: int) -> list[int]:
        rows = await self._db.fetch_all(
            "SELECT decision_id FROM decision_answers WHERE user_id = ?"
            " UNION SELECT decision_id FROM budget_ballots WHERE user_id = ? ORDER BY 1",
            (user_id, user_id),
        )
        return [int(r[0]) for r in rows]

    # --- erasure ---------------------------------------------------------------------------

    async def erase(
        self,
        user_id: int,
        *,
        remove_posts: bool,
        surrogate: int,
        post_schedule_kinds: Sequence[str],
        now: datetime,
    ) -> Erased:
        """Erase the resident in one transaction.

        Their posts are deleted (with the answers and thanks they received) or kept without
        author, closed; their votes and ballots keep counting under ``surrogate``, an id
        that is nobody's; thanks keep counting without names; everything else naming them
        is deleted, their member row last. Run :meth:`Database.vacuum` afterwards so no
        deleted byte stays in the file.
        """
        rows = 0
        async with self._db.write() as conn:

            async def run(sql: str, params: Sequence[Any] = ()) -> int:
                cursor = await self._db.execute(conn, sql, params)
                return max(cursor.rowcount, 0)

            ids = [
                int(r[0])
                for r in await (
                    await self._db.execute(
                        conn, "SELECT id FROM posts WHERE author_id = ?", (user_id,)
                    )
                ).fetchall()
            ]
            marks = ", ".join("?" * len(ids))
            if ids and post_schedule_kinds:
                kinds = ", ".join("?" * len(post_schedule_kinds))
                rows += await run(
                    "UPDATE schedules SET state = 'cancelled', finished_at = ?"
                    f" WHERE state = 'pending' AND kind IN ({kinds}) AND ref_id IN ({marks})",
                    (to_db(now), *post_schedule_kinds, *ids),
                )
            if remove_posts:
                rows += await run("DELETE FROM posts WHERE author_id = ?", (user_id,))
            elif ids:
                await run(f"DELETE FROM post_terms WHERE post_id IN ({marks})", ids)
                rows += await run(
                    "UPDATE posts SET author_id = NULL, source_message_id = NULL,"
                    " features = NULL, updated_at = ?,"
                    f" status = CASE WHEN status IN {_ACTIVE} THEN 'cancelled' ELSE status END,"
                    " closed_at = coalesce(closed_at, ?) WHERE author_id = ?",
                    (to_db(now), to_db(now), user_id),
                )
            rows += await run("DELETE FROM responses WHERE user_id = ?", (user_id,))
            rows += await run("UPDATE thanks SET from_user = NULL WHERE from_user = ?", (user_id,))
            rows += await run("UPDATE thanks SET to_user = NULL WHERE to_user = ?", (user_id,))
            rows += await run(
                "DELETE FROM budget_ballots WHERE user_id = ? AND submitted IS NULL", (user_id,)
            )
            rows += await run(
                "UPDATE budget_ballots SET user_id = ?, draft = submitted WHERE user_id = ?",
                (surrogate, user_id),
            )
            rows += await run(
                "UPDATE decision_answers SET user_id = ? WHERE user_id = ?", (surrogate, user_id)
            )
            rows += await run(
                "UPDATE decisions SET created_by = NULL WHERE created_by = ?", (user_id,)
            )
            for table, columns in (await self._schema(conn)).items():
                if "payload" in columns:
                    rows += await self._unmention(conn, table, user_id)
                if table in _HANDLED:
                    continue
                if "user_id" in columns:
                    rows += await run(f"DELETE FROM {_quoted(table)} WHERE user_id = ?", (user_id,))
                if "chat_id" in columns and table != "groups":
                    # The resident's private chat: prompts, announcements, schedules to them.
                    rows += await run(f"DELETE FROM {_quoted(table)} WHERE chat_id = ?", (user_id,))
            rows += await run("DELETE FROM members WHERE user_id = ?", (user_id,))
        return Erased(posts=len(ids), rows=rows)

    async def _unmention(self, conn: aiosqlite.Connection, table: str, user_id: int) -> int:
        """Drop the keys of ``payload`` JSON whose value is the resident's id."""
        found = list(
            await (
                await self._db.execute(
                    conn,
                    f"SELECT t.rowid, j.key FROM {_quoted(table)} t, json_each(t.payload) j"
                    " WHERE json_valid(t.payload) AND j.type = 'integer' AND j.value = ?",
                    (user_id,),
                )
            ).fetchall()
        )
        for rowid, key in found:
            await self._db.execute(
                conn,
                f"UPDATE {_quoted(table)} SET payload = json_remove(payload, ?) WHERE rowid = ?",
                ('$."' + str(key).replace('"', "") + '"', rowid),
            )
        return len(found)

    # --- retention -------------------------------------------------------------------------

    async def purge_closed_posts(self, cutoff: datetime) -> int:
        """Delete posts closed (done, cancelled, expired) before ``cutoff``, with what hangs on
        them (answers, thanks, matches, index terms)."""
        async with self._db.write() as conn:
            cursor = await self._db.execute(
                conn,
                f"DELETE FROM posts WHERE status IN {_CLOSED}"
                " AND coalesce(closed_at, updated_at, created_at) < ?",
                (to_db(cutoff),),
            )
            return max(cursor.rowcount, 0)

    async def purge_left_groups(self, cutoff: datetime) -> list[int]:
        """Delete everything of the groups the bot left before ``cutoff``; returns their ids."""
        async with self._db.write() as conn:
            left = [
                int(r[0])
                for r in await (
                    await self._db.execute(
                        conn,
                        "SELECT chat_id FROM groups WHERE active = 0 AND left_at < ?",
                        (to_db(cutoff),),
                    )
                ).fetchall()
            ]
            if not left:
                return []
            marks = ", ".join("?" * len(left))
            tables = await self._schema(conn)
            # Posts and decisions first: their own rows cascade, and the group row is
            # referenced by them.
            order = sorted(
                (t for t, cols in tables.items() if "chat_id" in cols and t != "groups"),
                key=lambda t: (t not in ("posts", "decisions"), t),
            )
            for table in order:
                await self._db.execute(
                    conn, f"DELETE FROM {_quoted(table)} WHERE chat_id IN ({marks})", left
                )
            await self._db.execute(conn, f"DELETE FROM groups WHERE chat_id IN ({marks})", left)
        self._community.forget_groups(left)
        return left

    async def purge_orphan_members(self, cutoff: datetime) -> int:
        """Residents in no group any more, with no post, unchanged since ``cutoff``."""
        async with self._db.write() as conn:
            cursor = await self._db.execute(
                conn,
                "DELETE FROM members WHERE updated_at < ?"
                " AND NOT EXISTS (SELECT 1 FROM group_members g WHERE g.user_id = members.user_id)"
                " AND NOT EXISTS (SELECT 1 FROM posts p WHERE p.author_id = members.user_id)",
                (to_db(cutoff),),
            )
            return max(cursor.rowcount, 0)
