"""Residents' rights and retention: a copy of everything held about a resident, their
erasure, and the daily purge of what is kept no longer. The format of the copy and what an
erasure does: docs/privacy.md."""

from __future__ import annotations

import enum
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any

from voisinbot.domain.posts import Post
from voisinbot.domain.schedules import Schedule
from voisinbot.services.post_rules import EXPIRE, EXPIRY_WARNING, FOLLOW_UP
from voisinbot.storage import Store

FORMAT = "voisinbot-personal-data"
FORMAT_VERSION = 1
RETENTION_KIND = "retention_purge"
RETENTION_AT = time(4, 0)  # at night, local time of the bot
RETENTION_GRACE = timedelta(hours=6)
# Columns holding JSON text: shown as JSON in the copy, not as a string of JSON.
_JSON_COLUMNS = frozenset({"settings", "payload", "features", "draft", "submitted"})


class PostsChoice(enum.StrEnum):
    """What happens to the posts of a resident who asks to be forgotten."""

    REMOVE = "remove"  # deleted, and their group messages say so
    ANONYMISE = "anonymise"  # kept without author (closed), their words stay in the group


def _readable(column: str, value: Any) -> Any:
    if column.endswith("_at") and isinstance(value, int):
        return datetime.fromtimestamp(value, UTC).isoformat()
    if column in _JSON_COLUMNS and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


async def personal_data(store: Store, user_id: int, now: datetime) -> dict[str, Any]:
    """Everything the bot holds about the resident: every row naming them, table by table,
    and the titles of the groups and decisions these rows refer to."""
    found = await store.privacy.personal_rows(user_id)
    tables = {
        table: [{column: _readable(column, value) for column, value in row.items()} for row in rows]
        for table, rows in found.items()
    }
    group_ids = sorted(
        {
            row["chat_id"]
            for rows in found.values()
            for row in rows
            if isinstance(row.get("chat_id"), int) and row["chat_id"] < 0
        }
    )
    groups = {}
    for chat_id in group_ids:
        group = await store.community.get_group(chat_id)
        if group is not None:
            groups[str(chat_id)] = group.title
    decision_ids = sorted(
        {row["decision_id"] for rows in found.values() for row in rows if "decision_id" in row}
    )
    decisions = {}
    for decision_id in decision_ids:
        decision = await store.decisions.get(decision_id)
        if decision is not None:
            options = await store.decisions.options(decision_id)
            decisions[str(decision_id)] = {
                "kind": decision.kind.value,
                "title": decision.title,
                "options": {str(o.position): o.label for o in options},
            }
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "generated_at": now.astimezone(UTC).isoformat(),
        "user_id": user_id,
        "tables": tables,
        "groups": groups,
        "decisions": decisions,
    }


def to_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8")


@dataclass(frozen=True, slots=True)
class Forgotten:
    """What the erasure changed that residents may still see in their groups."""

    posts: list[Post]  # the resident's posts, as they were
    choice: PostsChoice
    named_in: list[int]  # other residents' posts whose message showed their name
    decisions: list[int]  # decisions whose board listed their name
    facilitated: list[int]  # groups where they had the facilitators' menu
    rows: int


async def forget(store: Store, user_id: int, choice: PostsChoice, now: datetime) -> Forgotten:
    """Erase the resident everywhere, then rewrite the database file so nothing is left."""
    posts = await store.privacy.posts_of(user_id)
    named_in = await store.privacy.posts_naming(user_id)
    decisions = await store.privacy.decisions_answered_by(user_id)
    facilitated = await store.privacy.facilitated_by(user_id)
    # Votes keep counting under an id that is nobody's (residents' ids are positive) and
    # that cannot be traced back: random, not derived from theirs.
    surrogate = -(secrets.randbelow(2**52) + 1)
    erased = await store.privacy.erase(
        user_id,
        remove_posts=choice is PostsChoice.REMOVE,
        surrogate=surrogate,
        post_schedule_kinds=(EXPIRY_WARNING, EXPIRE, FOLLOW_UP),
        now=now,
    )
    await store.db.vacuum()
    return Forgotten(posts, choice, named_in, decisions, facilitated, erased.rows)


# --- retention -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Purged:
    posts: int
    groups: int
    members: int

    @property
    def anything(self) -> bool:
        return bool(self.posts or self.groups or self.members)


async def purge(store: Store, now: datetime, days: int) -> Purged:
    """Delete closed posts, groups the bot left and residents in no group, older than
    ``days``; the file is rewritten when something went."""
    cutoff = now - timedelta(days=days)
    purged = Purged(
        posts=await store.privacy.purge_closed_posts(cutoff),
        groups=len(await store.privacy.purge_left_groups(cutoff)),
        members=await store.privacy.purge_orphan_members(cutoff),
    )
    if purged.anything:
        await store.db.vacuum()
    return purged


def next_purge_at(now: datetime, tz: tzinfo) -> datetime:
    """The next night's purge time after ``now``."""
    local = now.astimezone(tz)
    at = datetime.combine(local.date(), RETENTION_AT, tzinfo=tz)
    if at <= local:
        at = datetime.combine(local.date() + timedelta(days=1), RETENTION_AT, tzinfo=tz)
    return at


async def plan_retention(store: Store, now: datetime, tz: tzinfo) -> Schedule:
    """Keep exactly one purge pending (idempotent: an existing one is kept)."""
    pending = await store.schedules.pending_for(RETENTION_KIND, None)
    if len(pending) == 1:
        return pending[0]
    return await store.schedules.add(
        RETENTION_KIND, next_purge_at(now, tz), RETENTION_GRACE, now, replace=True
    )
