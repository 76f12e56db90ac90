"""A group's rules for posts (timezone, lifetimes) and the schedules a post needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from voisinbot.domain.lifecycle import expiry_warning_at, follow_up_at
from voisinbot.domain.schedules import grace_for
from voisinbot.storage import Store
from voisinbot.storage.schedules import PlannedItem

EXPIRY_WARNING = "post_expiry_warning"
EXPIRE = "post_expire"
FOLLOW_UP = "post_follow_up"


@dataclass(frozen=True, slots=True)
class GroupRules:
    tz: ZoneInfo
    locale: str
    need_days: int = 14
    offer_days: int = 90
    categories: frozenset[str] | None = None  # None: every category is in use


async def group_rules(store: Store, chat_id: int) -> GroupRules:
    group = await store.community.get_group(chat_id)
    if group is None:
        return GroupRules(ZoneInfo("Europe/Paris"), "fr")
    return GroupRules(
        tz=ZoneInfo(group.timezone),
        locale=group.locale,
        need_days=int(group.settings.get("need_days", 14)),
        offer_days=int(group.settings.get("offer_days", 90)),
        categories=_categories(group.settings.get("categories")),
    )


def _categories(value: object) -> frozenset[str] | None:
    if isinstance(value, list) and value:
        return frozenset(str(v) for v in value) | {"other"}
    return None


async def plan_post_schedules(
    store: Store,
    chat_id: int,
    post_id: int,
    *,
    created: datetime,
    expiry: datetime,
    due: datetime | None,
    now: datetime,
    rules: GroupRules | None = None,
) -> None:
    """(Re)plan the expiry warning, the expiry and, for a dated post, the follow-up, in one
    transaction. Earlier pending ones of the same post are replaced, never left behind."""
    rules = rules or await group_rules(store, chat_id)
    warning = expiry_warning_at(created, expiry)
    follow = follow_up_at(due, None, rules.tz)
    items = [
        PlannedItem(
            EXPIRY_WARNING,
            warning if warning and warning > now else None,
            grace_for(EXPIRY_WARNING),
            chat_id,
            post_id,
        ),
        PlannedItem(EXPIRE, expiry, grace_for(EXPIRE), chat_id, post_id),
    ]
    if follow is not None:
        items.append(PlannedItem(FOLLOW_UP, follow, grace_for(FOLLOW_UP), chat_id, post_id))
    await store.schedules.plan(items, now)
