"""A group's settings and its appointed facilitators: reading them, and changing one value at a
time after validating it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from voisinbot.domain import group_settings as gs
from voisinbot.domain.categories import Category
from voisinbot.domain.digest import DigestSettings
from voisinbot.domain.group_settings import GroupSettings
from voisinbot.i18n import LOCALES
from voisinbot.services import community
from voisinbot.services import digest as digest_service
from voisinbot.storage import Store
from voisinbot.storage.community import MemberRow

FACILITATOR = "facilitator"
RESIDENT = "resident"


@dataclass(frozen=True, slots=True)
class GroupConfig:
    """Everything a facilitator can set, as it is now."""

    chat_id: int
    title: str
    locale: str
    timezone: str
    settings: GroupSettings


async def load(store: Store, chat_id: int) -> GroupConfig | None:
    """The settings of an active group; None for an unknown group or one the bot left.

    A group that became a supergroup is found under its new id (a panel or link sent
    privately before the upgrade carries the old one)."""
    group = await store.community.get_group(chat_id)
    if group is None and (moved := await store.community.migrated_to(chat_id)) is not None:
        group = await store.community.get_group(moved)
    if group is None or not group.active:
        return None
    return GroupConfig(
        chat_id=group.chat_id,
        title=group.title,
        locale=group.locale,
        timezone=group.timezone,
        settings=GroupSettings.from_json(group.settings),
    )


async def _reloaded(store: Store, chat_id: int) -> GroupConfig:
    config = await load(store, chat_id)
    if config is None:  # pragma: no cover - checked by every caller just before
        raise LookupError(chat_id)
    return config


async def set_locale(store: Store, chat_id: int, locale: str) -> GroupConfig:
    if locale not in LOCALES:
        raise ValueError(f"unknown locale {locale!r}")
    await store.community.set_locale(chat_id, locale)
    return await _reloaded(store, chat_id)


async def set_timezone(store: Store, chat_id: int, name: str, now: datetime) -> GroupConfig:
    """Change the zone (any IANA name, any case); the next digest moves with it."""
    zone = gs.find_timezone(name)
    if zone is None:
        raise ValueError(f"unknown time zone {name!r}")
    await store.community.set_timezone(chat_id, zone)
    await digest_service.plan_digest(store, chat_id, now)
    return await _reloaded(store, chat_id)


async def set_value(store: Store, chat_id: int, key: str, value: object) -> GroupConfig:
    """Store one JSON setting after validating it (ValueError when it is not a choice)."""
    await store.community.set_setting(chat_id, key, gs.validate(key, value))
    return await _reloaded(store, chat_id)


async def use_category(store: Store, chat_id: int, category: Category, used: bool) -> GroupConfig:
    config = await _reloaded(store, chat_id)
    return await set_value(
        store, chat_id, gs.CATEGORIES, gs.with_category(config.settings, category, used)
    )


async def set_digest(
    store: Store, chat_id: int, settings: DigestSettings, now: datetime
) -> GroupConfig:
    """Change the weekly digest and re-plan it (the caller arms the scheduler)."""
    await digest_service.change_settings(store, chat_id, settings, now)
    return await _reloaded(store, chat_id)


# --- facilitators appointed by a facilitator ------------------------------------------------


async def appoint(store: Store, chat_id: int, resident: community.Resident, now: datetime) -> bool:
    """Make ``resident`` a facilitator of the group; False when they already were."""
    if await store.community.is_appointed_facilitator(chat_id, resident.user_id):
        return False
    # They may never have written where the bot could see: record them first.
    await community.resident_seen(store, resident, now=now, chat_id=chat_id)
    await store.community.set_role(chat_id, resident.user_id, FACILITATOR, now)
    return True


async def dismiss(store: Store, chat_id: int, user_id: int, now: datetime) -> bool:
    """Return an appointed facilitator to resident; False when they were not one."""
    if not await store.community.is_appointed_facilitator(chat_id, user_id):
        return False
    await store.community.set_role(chat_id, user_id, RESIDENT, now)
    return True


async def appointed(store: Store, chat_id: int) -> list[MemberRow]:
    return await store.community.appointed_facilitators(chat_id)


async def residents_named(store: Store, chat_id: int, name: str) -> list[MemberRow]:
    return await store.community.members_named(chat_id, name)
