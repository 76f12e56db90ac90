"""Durations for deadlines: "48h", "2j", "3 jours", "1 semaine", "in 3 days", "90 min"."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from . import _lexicon as lx
from ._clock import add_months, local_datetime

_PREFIX = re.compile(r"(?:dans|in|d'ici|within|sous)(?:\s+|(?=[0-9]))")
_HALF_HOUR = re.compile(r"(?:une\s+)?demi[- ]?heure|(?:a\s+)?half\s+(?:an\s+)?hour")
_PART = re.compile(
    rf"(?:\s*(?:,|et|and)\s*|\s*)(?P<n>[0-9]{{1,5}}|{lx.alternation(lx.NUMBER_WORDS)})\s?"
    rf"(?P<u>{lx.alternation(lx.UNITS)})(?:\s?(?P<m>[0-9]{{2}})(?![0-9]))?(?![a-z0-9])"
)
_MAX_DAYS = 3660  # ten years: anything longer is not a deadline


def duration_deadline(text: str, now: datetime) -> datetime | None:
    """``now`` plus the duration that is the whole of ``text`` (folded and stripped).

    Hours and minutes are elapsed time ("48h" is 48 real hours, even across a clock change);
    days, weeks and months keep the wall-clock time ("2j" at 10:00 is 10:00 two days later).
    A bare "18h30" is a time of day, not a duration, unless introduced by "dans"/"in".
    """
    tz = now.tzinfo
    assert tz is not None
    prefix = _PREFIX.match(text)
    pos = prefix.end() if prefix else 0
    if _HALF_HOUR.fullmatch(text, pos):
        return (now.astimezone(UTC) + timedelta(minutes=30)).astimezone(tz)
    seconds = days = months = parts = 0
    hour_and_minutes = False
    while pos < len(text):
        m = _PART.match(text, pos)
        if m is None or m.end() == pos:
            return None
        pos, parts = m.end(), parts + 1
        n_text = m["n"]
        n = int(n_text) if n_text.isdigit() else lx.NUMBER_WORDS[n_text]
        kind, mult = lx.UNITS[m["u"]]
        if m["m"] is not None:
            if mult != 3600 or int(m["m"]) > 59:
                return None
            hour_and_minutes = True
            seconds += int(m["m"]) * 60
        if kind == "seconds":
            seconds += n * mult
        elif kind == "days":
            if m["u"] in lx.FRENCH_DAY_UNITS and n in (8, 15):
                n -= 1
            days += n * mult
        else:
            months += n
    if parts == 0 or (hour_and_minutes and prefix is None and parts == 1):
        return None
    if days + months * 31 + seconds // 86400 > _MAX_DAYS:
        return None
    base = now
    if days or months:
        day = add_months(now.date() + timedelta(days=days), months)
        base = local_datetime(day, now.time(), tz)
    return (base.astimezone(UTC) + timedelta(seconds=seconds)).astimezone(tz)
