"""Groups joining and leaving, residents being seen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from voisinbot.storage import Store
from voisinbot.storage.community import GroupRow


@dataclass(frozen=True, slots=True)
class Resident:
    """A resident as the transport layer saw them on this update."""

    user_id: int
    display_name: str
    language_code: str | None


async def group_joined(
    store: Store,
    *,
    chat_id: int,
    title: str,
    chat_type: str,
    default_locale: str,
    default_timezone: str,
    now: datetime,
) -> GroupRow:
    """The bot is in a group (added, or seen there): make sure the group exists and is active."""
    await store.community.add_group(
        chat_id, title, chat_type, default_locale, default_timezone, now
    )
    group = await store.community.get_group(chat_id)
    assert group is not None
    return group


async def group_left(store: Store, *, chat_id: int, now: datetime) -> None:
    """The bot was removed: the group stays on record (retention rules) but is inactive."""
    await store.community.mark_group_left(chat_id, now)


async def resident_seen(
    store: Store,
    resident: Resident,
    *,
    now: datetime,
    chat_id: int | None = None,
    in_private: bool = False,
) -> None:
    """Record a resident who wrote to the bot, where they wrote, and whether privately."""
    await store.community.save_member(
        resident.user_id,
        resident.display_name,
        resident.language_code,
        now,
        chat_id=chat_id,
        started_private=in_private,
    )
