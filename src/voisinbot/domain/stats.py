"""Social usefulness in figures: the period asked for, medians, turnout, and the comparison
with the period just before."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta, tzinfo
from statistics import mean
from statistics import median as _median

DEFAULT_DAYS = 30
MAX_DAYS = 3660  # ten years: older data is purged long before
MONTH_WORDS = frozenset({"mois", "month"})
YEAR_WORDS = frozenset({"année", "annee", "an", "year"})
_DAYS = re.compile(r"^(\d{1,4})\s*(?:j|d|jours?|days?)?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_FRENCH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass(frozen=True, slots=True)
class Period:
    """[start, end): aware instants."""

    start: datetime
    end: datetime

    @property
    def length(self) -> timedelta:
        return self.end - self.start

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        return Period(self.start - self.length, self.start)

    def last_day(self, tz: tzinfo) -> date:
        """The last local day the period covers (its end is exclusive)."""
        return (self.end - timedelta(microseconds=1)).astimezone(tz).date()


def _local_midnight(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


def parse_day(word: str) -> date | None:
    """``2026-01-31`` or ``31/01/2026``."""
    match = _ISO.match(word)
    if match:
        year, month, day = (int(g) for g in match.groups())
    elif match := _FRENCH.match(word):
        day, month, year = (int(g) for g in match.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def days_period(first: date, last: date, tz: tzinfo) -> Period | None:
    """From the first to the last day, both included, in local time; None when reversed or
    longer than ten years."""
    if last < first or (last - first).days >= MAX_DAYS:
        return None
    return Period(_local_midnight(first, tz), _local_midnight(last + timedelta(days=1), tz))


def parse_period(text: str, now: datetime, tz: tzinfo) -> Period | None:
    """The period a facilitator asked for; None when the words are not one.

    Nothing: the last 30 days. ``90``: the last 90 days. ``mois``/``month``: since the 1st of
    this month. ``année``/``year``: since the 1st of January. Two dates: from the first to
    the second, both days included (in the group's time zone).
    """
    words = text.casefold().split()
    if not words:
        return Period(now - timedelta(days=DEFAULT_DAYS), now)
    local = now.astimezone(tz)
    if len(words) == 1 and words[0] in MONTH_WORDS:
        return Period(_local_midnight(local.date().replace(day=1), tz), now)
    if len(words) == 1 and words[0] in YEAR_WORDS:
        return Period(_local_midnight(date(local.year, 1, 1), tz), now)
    if (match := _DAYS.match(" ".join(words))) is not None:
        days = int(match.group(1))
        return Period(now - timedelta(days=days), now) if 0 < days <= MAX_DAYS else None
    if len(words) == 2:
        first, last = parse_day(words[0]), parse_day(words[1])
        if first is None or last is None:
            return None
        return days_period(first, last, tz)
    return None


def median_duration(seconds: Sequence[int]) -> timedelta | None:
    return timedelta(seconds=_median(seconds)) if seconds else None


def turnout(voters: Sequence[int], members: int) -> float | None:
    """The mean share of the residents who took part, over the decisions; None without any.
    A decision never counts more voters than residents (someone may vote without having
    written to the bot, so the denominator is at least the voters)."""
    if not voters:
        return None
    return mean(v / max(members, v) if max(members, v) else 0.0 for v in voters)


@dataclass(frozen=True, slots=True)
class Figures:
    """What a group did in one period."""

    needs_posted: int = 0
    needs_done: int = 0
    offers_posted: int = 0
    offers_done: int = 0
    helpers: int = 0
    helped: int = 0
    thanks: int = 0
    decisions: int = 0
    median_help: timedelta | None = None
    turnout: float | None = None
    decisions_by_kind: tuple[tuple[str, int], ...] = ()

    def is_empty(self) -> bool:
        return not any(
            getattr(self, f.name) for f in fields(self) if f.name not in ("median_help", "turnout")
        )


@dataclass(frozen=True, slots=True)
class Report:
    period: Period
    current: Figures
    previous: Figures

    def change(self, name: str) -> int:
        """The difference with the previous period for a count (``needs_done``...)."""
        return int(getattr(self.current, name)) - int(getattr(self.previous, name))

    def median_change(self) -> timedelta | None:
        now, before = self.current.median_help, self.previous.median_help
        return None if now is None or before is None else now - before

    def turnout_change(self) -> float | None:
        now, before = self.current.turnout, self.previous.turnout
        return None if now is None or before is None else now - before


def signed(value: int) -> str:
    return f"+{value}" if value > 0 else ("±0" if value == 0 else f"−{-value}")


DECISION_KINDS = ("poll", "dates", "signup", "budget")


def kinds_count(kinds: Sequence[str]) -> tuple[tuple[str, int], ...]:
    """How many decisions of each kind, polls first."""
    counted: dict[str, int] = {}
    for kind in kinds:
        counted[kind] = counted.get(kind, 0) + 1
    rank = {kind: i for i, kind in enumerate(DECISION_KINDS)}
    return tuple(sorted(counted.items(), key=lambda item: (rank.get(item[0], 99), item[0])))
