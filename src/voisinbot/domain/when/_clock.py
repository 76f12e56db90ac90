"""Wall-clock arithmetic that stays right across daylight-saving changes."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta, tzinfo


def require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {value!r}")


def local_datetime(day: date, at: time, tz: tzinfo) -> datetime:
    """The instant that reads ``day at`` on the wall clocks of ``tz``.

    A wall time that does not exist (the spring-forward gap, e.g. 02:30 on the last Sunday of
    March in Europe/Paris) moves forward by the length of the gap (03:30). A wall time that
    happens twice (the autumn fall-back hour) is taken the first time (summer time). Any
    ``tzinfo`` or ``fold`` carried by ``at`` is ignored.
    """
    naive = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    return naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)


def local_day_bounds(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """Start of ``day`` and start of the next day in ``tz``: ``start <= instant < end``.

    The two are 23, 24 or 25 hours apart, depending on daylight-saving changes.
    """
    return local_datetime(day, time(0), tz), local_datetime(day + timedelta(days=1), time(0), tz)


def next_weekly(after: datetime, weekday: int, at: time, tz: tzinfo) -> datetime:
    """The first ``weekday`` (0 = Monday) ``at`` wall-clock time in ``tz`` strictly after ``after``.

    Each week's occurrence is built from the wall-clock time, never by adding 7 × 24 h, so
    "every Monday 09:00 Europe/Paris" stays 09:00 local while the UTC offset changes. A time that
    does not exist that day moves forward by the gap; an ambiguous one is taken the first time
    (see :func:`local_datetime`). The result is in ``tz``. ``after`` may be in any timezone but
    must be aware.
    """
    require_aware(after, "after")
    if not 0 <= weekday <= 6:
        raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), got {weekday}")
    local_day = after.astimezone(tz).date()
    day = local_day + timedelta(days=(weekday - local_day.weekday()) % 7)
    limit = after.timestamp()
    while True:
        candidate = local_datetime(day, at, tz)
        if candidate.timestamp() > limit:
            return candidate
        day += timedelta(days=7)


def is_after(a: datetime, b: datetime) -> bool:
    """``a`` is a later instant than ``b`` (plain ``>`` compares wall times within one zone)."""
    return a.timestamp() > b.timestamp()


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise OverflowError("date value out of range")  # as date + timedelta would
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def valid_date(year: int, month: int, day: int) -> date | None:
    if not (1 <= month <= 12 and 1 <= year <= 9999):
        return None
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)
