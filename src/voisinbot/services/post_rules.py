"""A group's rules for posts (timezone, lifetimes) and the schedules a post needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from voisinbot.domain.lifecycle import expiry_warning_at, follow_up_at
from voisinbot.domain.schedules import grace_for
from voisinbot.storage import Store

EXPIRY_WARNING = "post_expiry_warning"
EXPIRE = "post_expire"
FOLLOW_UP = "post_follow_up"


@dataclass(frozen=True, slots=True)
class GroupRules:
    tz: ZoneInfo
    locale: str
    need_days: int = 14
    offer_days: int = 90


async def group_rules(store: Store, chat_id: int) -> GroupRules:
    group = await store.community.get_group(chat_id)
    if group is None:
        return GroupRules(ZoneInfo("Europe/Paris"), "fr")
    return GroupRules(
        tz=ZoneInfo(group.timezone),
        locale=group.locale,
        need_days=int(group.settings.get("need_days", 14)),
        offer_days=int(group.settings.get("offer_days", 90)),
    )


async def plan_post_schedules(
    store: Store,
    chat_id: int,
    post_id: int,
    *,
    created: datetime,
    expiry: datetime,
    due: datetime | None,
    now: datetime,
) -> None:
    """(Re)plan the expiry warning, the expiry and, for a dated post, the follow-up.
    Earlier pending ones of the same post are replaced, never left behind."""
    rules = await group_rules(store, chat_id)
    warning = expiry_warning_at(created, expiry)
    if warning is not None and warning > now:
        await store.schedules.add(
            EXPIRY_WARNING,
            warning,
            grace_for(EXPIRY_WARNING),
            now,
            chat_id=chat_id,
            ref_id=post_id,
            replace=True,
        )
    else:
        await store.schedules.cancel(EXPIRY_WARNING, chat_id, post_id, now)
    await store.schedules.add(
        EXPIRE, expiry, grace_for(EXPIRE), now, chat_id=chat_id, ref_id=post_id, replace=True
    )
    follow = follow_up_at(due, None, rules.tz)
    if follow is not None:
        await store.schedules.add(
            FOLLOW_UP,
            follow,
            grace_for(FOLLOW_UP),
            now,
            chat_id=chat_id,
            ref_id=post_id,
            replace=True,
        )
