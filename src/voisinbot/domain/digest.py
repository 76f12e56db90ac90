"""The weekly digest: which week it covers, what goes in it, and when it is worth sending."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from voisinbot.domain.when import local_datetime, next_weekly

DEFAULT_WEEKDAY = 0  # Monday
DEFAULT_TIME = time(9, 0)
SECTION_LIMIT = 5  # items shown per section before "… and N more"
CHART_WEEKS = 8


@dataclass(frozen=True, slots=True)
class DigestSettings:
    enabled: bool = True
    weekday: int = DEFAULT_WEEKDAY
    at: time = DEFAULT_TIME
    chart: bool = False

    @classmethod
    def from_group(cls, settings: Mapping[str, Any]) -> DigestSettings:
        raw = settings.get("digest")
        if not isinstance(raw, dict):  # a damaged value must not stop the digest
            raw = {}
        hour, _, minute = str(raw.get("time", "09:00")).partition(":")
        try:
            at = time(int(hour), int(minute or 0))
        except ValueError:
            at = DEFAULT_TIME
        weekday = raw.get("weekday", DEFAULT_WEEKDAY)
        return cls(
            enabled=bool(raw.get("enabled", True)),
            weekday=weekday if isinstance(weekday, int) and 0 <= weekday <= 6 else DEFAULT_WEEKDAY,
            at=at,
            chart=bool(raw.get("chart", False)),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "enabled": self.enabled,
            "weekday": self.weekday,
            "time": self.at.strftime("%H:%M"),
            "chart": self.chart,
        }


def next_digest_at(after: datetime, settings: DigestSettings, tz: ZoneInfo) -> datetime:
    """The next digest time strictly after ``after``, on the group's wall clock (DST-proof)."""
    return next_weekly(after, settings.weekday, settings.at, tz)


@dataclass(frozen=True, slots=True)
class Week:
    """The seven days a digest sent at ``sent_at`` looks back on, in the group's time."""

    start: datetime
    end: datetime
    key: str  # ISO week of the day the digest is sent: one digest per group per key

    @classmethod
    def ending_at(cls, sent_at: datetime, tz: ZoneInfo) -> Week:
        local = sent_at.astimezone(tz)
        start_day: date = local.date() - timedelta(days=7)
        start = local_datetime(start_day, local.timetz().replace(tzinfo=None), tz)
        year, week, _ = local.date().isocalendar()
        return cls(start=start, end=sent_at, key=f"{year}-W{week:02d}")

    def previous(self, tz: ZoneInfo) -> Week:
        return Week.ending_at(self.start, tz)


@dataclass(frozen=True, slots=True)
class Item:
    """One line of a section: a post or a decision, with what the reader needs."""

    ref: int
    text: str
    who: str = ""
    extra: str = ""
    at: datetime | None = None  # a deadline or a slot's time, shown in the group's time


@dataclass(frozen=True, slots=True)
class Section:
    items: tuple[Item, ...]
    total: int

    @property
    def hidden(self) -> int:
        return max(0, self.total - len(self.items))


@dataclass(frozen=True, slots=True)
class Numbers:
    helps: int = 0  # posts done
    thanks: int = 0
    new_needs: int = 0
    new_offers: int = 0


@dataclass(frozen=True, slots=True)
class DigestData:
    week: Week
    open_needs: Section
    new_offers: Section
    helps: Section
    decisions_taken: Section = field(default_factory=lambda: Section((), 0))
    decisions_open: Section = field(default_factory=lambda: Section((), 0))
    upcoming_slots: Section = field(default_factory=lambda: Section((), 0))
    this_week: Numbers = Numbers()
    last_week: Numbers = Numbers()
    weekly_helps: tuple[int, ...] = ()  # oldest first, for the chart

    def is_empty(self) -> bool:
        """Nothing happened and nothing waits: no digest (the group gets at most a monthly nudge)."""
        return not any(
            s.total
            for s in (
                self.open_needs,
                self.new_offers,
                self.helps,
                self.decisions_taken,
                self.decisions_open,
                self.upcoming_slots,
            )
        ) and not (self.this_week.thanks or self.this_week.new_needs)


def trend(now: int, before: int) -> int:
    return now - before


_WEEKDAYS = {
    "lundi": 0, "lun": 0, "monday": 0, "mon": 0,
    "mardi": 1, "mar": 1, "tuesday": 1, "tue": 1,
    "mercredi": 2, "mer": 2, "wednesday": 2, "wed": 2,
    "jeudi": 3, "jeu": 3, "thursday": 3, "thu": 3,
    "vendredi": 4, "ven": 4, "friday": 4, "fri": 4,
    "samedi": 5, "sam": 5, "saturday": 5, "sat": 5,
    "dimanche": 6, "dim": 6, "sunday": 6, "sun": 6,
}  # fmt: skip
_TIME = re.compile(r"^(\d{1,2})(?:[h:](\d{2})?)?$")


def parse_day_and_time(words: str) -> tuple[int, time] | None:
    """ "lundi 9h", "friday 18:30", "dim" (keeps 09:00): a weekly slot, or None."""
    parts = words.casefold().replace("à", " ").replace(" at ", " ").split()
    if not parts or parts[0].rstrip(".") not in _WEEKDAYS:
        return None
    weekday = _WEEKDAYS[parts[0].rstrip(".")]
    if len(parts) == 1:
        return weekday, DEFAULT_TIME
    match = _TIME.match(parts[1])
    if match is None or len(parts) > 2:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    return weekday, time(hour, minute)
