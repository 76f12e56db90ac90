"""When reminders go out, and how late a close may still run."""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo

from voisinbot.domain.when import local_datetime

REMINDERS_BEFORE = (timedelta(hours=24), timedelta(hours=2))
# A reminder this close to the launch would only repeat the launch message.
MIN_LEAD = timedelta(minutes=30)
EXTENSION = timedelta(hours=24)
# A close must happen even after a long outage: late, but with the right result.
CLOSE_GRACE = timedelta(days=365)
REMINDER_GRACE = timedelta(hours=1)
SLOT_REMINDER_BEFORE = timedelta(hours=2)
EVENING_BEFORE = time(18, 0)


def reminder_times(
    deadline: datetime, now: datetime, before: tuple[timedelta, ...] = REMINDERS_BEFORE
) -> list[tuple[int, datetime]]:
    """(hours before the deadline, instant) for each reminder still worth sending."""
    out = []
    for lead in before:
        at = deadline - lead
        if at - now >= MIN_LEAD:
            out.append((int(lead.total_seconds() // 3600), at))
    return out


def slot_reminder_at(at: datetime, has_time: bool, tz: tzinfo) -> datetime:
    """Two hours before a slot with a time; the evening before (18:00) for a day alone."""
    if has_time:
        return at - SLOT_REMINDER_BEFORE
    day_before = at.astimezone(tz).date() - timedelta(days=1)
    return local_datetime(day_before, EVENING_BEFORE, tz)
