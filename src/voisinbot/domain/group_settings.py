"""A typed view of a group's settings (the ``groups.settings`` JSON), with defaults and the
values a facilitator may choose.

The JSON is read leniently (a missing or odd value falls back to its default: a group must
never break because of one bad key) and written strictly (``validate`` refuses anything a
facilitator could not have chosen). Language and time zone are columns of ``groups``, not
JSON keys, but their choices live here too so that every setting is validated in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from voisinbot.domain.categories import Category
from voisinbot.domain.digest import DigestSettings

# Keys of groups.settings. Other features read them by these names: keep them stable.
POLLS_OPEN_TO_ALL = "polls_open_to_all"  # bool: anyone may launch a quick poll
NEED_DAYS = "need_days"  # int: how long a need stays open
OFFER_DAYS = "offer_days"  # int: how long an offer stays open
MATCH_ALERTS = "match_alerts"  # bool: tell residents about matching posts
CATEGORIES = "categories"  # list of Category values the group uses
DIGEST = "digest"  # object: see domain/digest.py DigestSettings

NEED_DAYS_CHOICES = (7, 14, 30)
OFFER_DAYS_CHOICES = (30, 90, 180)
DEFAULT_NEED_DAYS = 14
DEFAULT_OFFER_DAYS = 90

# The zones offered as buttons: where French-speaking neighbourhood groups usually are.
# Any other IANA zone can be typed (/settings timezone Zone/Name).
TIMEZONE_CHOICES = (
    "Europe/Paris",
    "Europe/Brussels",
    "Europe/Zurich",
    "Europe/Luxembourg",
    "America/Montreal",
    "Africa/Dakar",
    "Indian/Reunion",
    "America/Guadeloupe",
    "Pacific/Noumea",
    "Europe/London",
)

# Every post must fit somewhere: "other" is always in use.
ALWAYS_USED = Category.OTHER
ALL_CATEGORIES: tuple[Category, ...] = tuple(Category)


@dataclass(frozen=True, slots=True)
class GroupSettings:
    polls_open_to_all: bool = False
    need_days: int = DEFAULT_NEED_DAYS
    offer_days: int = DEFAULT_OFFER_DAYS
    match_alerts: bool = True
    categories: tuple[Category, ...] = ALL_CATEGORIES
    digest: DigestSettings = field(default_factory=DigestSettings)

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> GroupSettings:
        """Read the stored JSON; anything missing or invalid takes its default."""
        return cls(
            polls_open_to_all=_bool(raw.get(POLLS_OPEN_TO_ALL), False),
            need_days=_days(raw.get(NEED_DAYS), DEFAULT_NEED_DAYS),
            offer_days=_days(raw.get(OFFER_DAYS), DEFAULT_OFFER_DAYS),
            match_alerts=_bool(raw.get(MATCH_ALERTS), True),
            categories=_categories(raw.get(CATEGORIES)),
            digest=_digest(raw.get(DIGEST)),
        )

    def uses(self, category: Category) -> bool:
        return category in self.categories


def validate(key: str, value: object) -> object:
    """The JSON value to store for ``key``; ValueError when a facilitator could not have
    chosen it (forged button, typo in a command)."""
    if key in (POLLS_OPEN_TO_ALL, MATCH_ALERTS):
        if not isinstance(value, bool):
            raise ValueError(f"{key} must be true or false")
        return value
    if key == NEED_DAYS:
        return _strict_choice(key, value, NEED_DAYS_CHOICES)
    if key == OFFER_DAYS:
        return _strict_choice(key, value, OFFER_DAYS_CHOICES)
    if key == CATEGORIES:
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ValueError("categories must be a list of category keys")
        chosen = {Category.parse(v) for v in value}
        if None in chosen:
            raise ValueError("unknown category")
        chosen.add(ALWAYS_USED)
        # Stored in the canonical order, so the picker's order never depends on clicks.
        return [c.value for c in ALL_CATEGORIES if c in chosen]
    raise ValueError(f"unknown setting {key!r}")


def with_category(settings: GroupSettings, category: Category, used: bool) -> list[str]:
    """The categories once ``category`` is switched on or off (``other`` stays on). Absolute,
    not a toggle: a double tap on the same button gives the same result."""
    chosen = set(settings.categories)
    if used:
        chosen.add(category)
    elif category is not ALWAYS_USED:
        chosen.discard(category)
    return [c.value for c in ALL_CATEGORIES if c in chosen]


def find_timezone(name: str) -> str | None:
    """The canonical IANA name for what a facilitator typed ("europe/berlin" works), or None."""
    wanted = name.strip().replace(" ", "_")
    if not wanted or "/" not in wanted or wanted.startswith(("/", ".")) or ".." in wanted:
        return None
    folded = wanted.casefold()
    for zone in available_timezones():
        if zone.casefold() == folded:
            return zone if _loads(zone) else None
    return None


def _loads(zone: str) -> bool:
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _bool(value: object, default: bool) -> bool:
    return value if isinstance(value, bool) else default


def _days(value: object, default: int) -> int:
    # Earlier versions stored the lifetimes as free integers: keep any sane one.
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 366:
        return value
    return default


def _strict_choice(key: str, value: object, choices: tuple[int, ...]) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in choices:
        raise ValueError(f"{key} must be one of {choices}")
    return value


def _digest(value: object) -> DigestSettings:
    if not isinstance(value, dict):
        return DigestSettings()
    try:
        return DigestSettings.from_group({DIGEST: value})
    except (TypeError, ValueError, AttributeError):
        return DigestSettings()


def _categories(value: object) -> tuple[Category, ...]:
    if not isinstance(value, list):
        return ALL_CATEGORIES
    chosen = {c for v in value if isinstance(v, str) and (c := Category.parse(v)) is not None}
    chosen.add(ALWAYS_USED)
    return tuple(c for c in ALL_CATEGORIES if c in chosen)
