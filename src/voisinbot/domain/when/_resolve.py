"""Grouping adjacent tokens into one expression, and turning an expression into an instant."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from ._clock import add_months, is_after, local_datetime, valid_date
from ._tokens import DateTok, DayNumTok, OffsetTok, PartTok, RelTok, TimeTok, Token, WeekdayTok

# What may stand between two tokens of one expression: "samedi à 10h", "demain, 14h",
# "8h du soir", "2h de l'aprem", "tomorrow at 3pm", "sam. 14/12 - 10h".
GLUE = re.compile(
    r"[\s,@-]*(?:(?:a|at|vers|le|la|on|du|de|des|the|of|from|around|avant|before|by|apres"
    r"|after|until|till|in|dans|pour|jusqu'a|entre|between|partir|environ)[\s,@-]+"
    r"|(?:l|d|jusqu)'\s*){0,3}"
)
_MAX_GAP = 24
# "samedi 14": a bare day number only right after its weekday.
_BARE_GAP = re.compile(r"[\s,]*")
_LETTER_AFTER = re.compile(r"\s*[a-z]")

# A time alone in free text ("à 18h") needs one of these just before it, or a clear form.
_MARKER = re.compile(
    r"(?:(?<![a-z0-9'])(?:a|vers|at|des|from|around|avant|before|by|apres|after|until|till"
    r"|jusqu'?a)|@)\s*$"
)
# Markers that belong to the expression's span ("à 18h", "vers 15h", "at 3pm").
_SPAN_MARKER = re.compile(r"(?:(?<![a-z0-9'])(?:a|vers|at|des|around)\s+|@\s*)$")
# "ça prend 2h", "pendant 3h", "for 2h": durations, not times of day.
_DURATION_BEFORE = re.compile(
    r"(?:(?<![a-z0-9'])(?:pendant|prend|prends|prendre|prendra|prenait|dure|durer|duree|durera"
    r"|y\s+a|durant|en|for|during|take|takes|took|environ|about|approx|plus\s+de|moins\s+de"
    r"|more\s+than|less\s+than|toutes\s+les|every|chaque|sous|within|de\s+plus|max|maxi"
    r"|maximum)|~)\s*$"
)
_DURATION_AFTER = re.compile(
    r"\s*(?:(?:de|of|max|maxi|maximum|mini|minimum|environ|approx|a\s+pied|en\s+voiture|par"
    r"|per|drive|walk|ride|ago|plus\s+tot)(?![a-z])|d'|/)"
)

_PAST_BEFORE = re.compile(
    r"(?<![a-z0-9'])(?:hier|yesterday|last)[\s,]*(?:(?:a|at|vers|des|le|du|on)\s+)?$"
)
_PAST_AFTER = re.compile(r"\s*(?:derniere?|passee?|last)(?![a-z])")

_T = TypeVar("_T", bound=Token)


@dataclass(frozen=True, slots=True)
class Resolved:
    at: datetime
    has_time: bool
    start: int  # span in the scanned text
    end: int


def groups(tokens: Sequence[Token], text: str) -> Iterator[list[Token]]:
    """Maximal runs of tokens that fit together into one expression, left to right."""
    group: list[Token] = []
    for token in tokens:
        if group and _joins(group, token, text[group[-1].end : token.start]):
            group.append(token)
            continue
        if group:
            yield group
        group = [token]
    if group:
        yield group


def _joins(group: list[Token], token: Token, gap: str) -> bool:
    if len(gap) > _MAX_GAP or not GLUE.fullmatch(gap):
        return False
    if any(isinstance(t, OffsetTok) and t.seconds for t in group):
        return False

    def has(*kinds: type[Token]) -> bool:
        return any(isinstance(t, kinds) for t in group)

    if isinstance(token, DayNumTok) and token.bare:
        return (
            isinstance(group[-1], WeekdayTok)
            and _BARE_GAP.fullmatch(gap) is not None
            and not has(DateTok, DayNumTok)
        )
    if isinstance(token, DateTok | DayNumTok):
        return not has(DateTok, DayNumTok, RelTok, OffsetTok)
    if isinstance(token, WeekdayTok):
        return not has(WeekdayTok, RelTok, OffsetTok)
    if isinstance(token, RelTok):
        if has(DateTok, DayNumTok, WeekdayTok, RelTok, OffsetTok):
            return False
        return token.part_hour is None or not has(PartTok)
    if isinstance(token, OffsetTok):
        return not token.seconds and not has(DateTok, DayNumTok, WeekdayTok, RelTok, OffsetTok)
    if isinstance(token, TimeTok):
        return not has(TimeTok)
    if isinstance(token, PartTok):
        return not has(PartTok) and not any(
            isinstance(t, RelTok) and t.part_hour is not None for t in group
        )
    return False  # pragma: no cover - every token kind is handled above


def resolve(group: list[Token], now: datetime, text: str, strict: bool) -> Resolved | None:
    """The instant ``group`` names, seen from ``now``; ``None`` if it names none.

    ``strict`` is for free text: doubtful pieces (abbreviated weekdays, fractions, a lone bare
    time) need support; without it the whole text is known to be a date (poll slot labels).
    """
    tz = now.tzinfo
    assert tz is not None
    today = now.date()

    date_t, num_t = _first(group, DateTok), _first(group, DayNumTok)
    wd_t, rel_t, off_t = _first(group, WeekdayTok), _first(group, RelTok), _first(group, OffsetTok)
    time_t, part_t = _first(group, TimeTok), _first(group, PartTok)

    start, end = group[0].start, group[-1].end
    # "hier soir", "samedi dernier", "last Monday": the past, which no post or poll wants.
    if _PAST_BEFORE.search(text, max(0, start - 20), start) or _PAST_AFTER.match(text, end):
        return None
    if strict:
        marker = _SPAN_MARKER.search(text, max(0, start - 8), start)
        if marker is not None:
            start = marker.start()

    if off_t is not None and off_t.seconds:
        at = (now.astimezone(UTC) + timedelta(seconds=off_t.seconds)).astimezone(tz)
        return Resolved(at, True, start, end)

    # "samedi 14": the number is a day only if the 14th is a Saturday.
    if num_t is not None and num_t.bare:
        numbered = next_day_of_month(today, num_t.day)
        if numbered is None or wd_t is None or numbered.weekday() != wd_t.weekday:
            cut = group.index(num_t)
            return resolve(group[:cut], now, text, strict) if strict and cut else None

    if strict and wd_t is not None and wd_t.abbr:
        # "sam 14/12", "sam 10h", "sam 28." but not "Sam vient", "mon 1er vélo".
        if date_t is None and num_t is None and time_t is None:
            return None
        if num_t is not None and group[-1] is num_t and _LETTER_AFTER.match(text, num_t.end):
            return None
    # "1/2", "3/4", "24/7" are fractions unless "le 1/2", "sam 1/2" or "1/2 à 10h".
    weak = date_t is not None and date_t.weak and not (date_t.prefixed or wd_t or time_t)
    if strict and weak:
        return None

    clock: time | None = None
    midnight = False
    evening = (part_t is not None and part_t.evening) or (rel_t is not None and rel_t.evening)
    if time_t is not None:
        hour = time_t.hour
        if evening and 1 <= hour <= 11 and time_t.form != "ampm":
            hour += 12
        clock, midnight = time(hour, time_t.minute), time_t.midnight
    elif part_t is not None:
        clock = time(part_t.hour)
    elif rel_t is not None and rel_t.part_hour is not None:
        clock = time(rel_t.part_hour)

    def on(day: date) -> datetime:
        if clock is None:
            return local_datetime(day, time(0), tz)
        return local_datetime(day + timedelta(days=1) if midnight else day, clock, tz)

    day: date | None
    if date_t is not None:
        day = _date_of(date_t, today)
    elif num_t is not None:
        day = next_day_of_month(today, num_t.day)
    elif wd_t is not None:
        delta = (wd_t.weekday - today.weekday()) % 7
        if delta == 0 and not (
            wd_t.mode == "this"
            or (wd_t.mode == "bare" and clock is not None and is_after(on(today), now))
        ):
            delta = 7
        day = today + timedelta(days=delta + (7 if wd_t.mode == "week_after" else 0))
    elif rel_t is not None:
        if rel_t.weekend:
            day = today + timedelta(days=max(0, 5 - today.weekday()))
        else:
            day = today + timedelta(days=rel_t.days)
    elif off_t is not None:
        day = add_months(today + timedelta(days=off_t.days), off_t.months)
    elif time_t is not None:  # a part of the day alone ("le soir") is no date
        if strict and not _lone_time_ok(time_t, part_t, text, group[0].start, end):
            return None
        day = today if is_after(on(today), now) else today + timedelta(days=1)
    else:
        return None
    if day is None:
        return None
    return Resolved(on(day), clock is not None, start, end)


def _first(group: list[Token], kind: type[_T]) -> _T | None:
    return next((t for t in group if isinstance(t, kind)), None)


def _lone_time_ok(time_t: TimeTok, part_t: PartTok | None, text: str, start: int, end: int) -> bool:
    """Whether a time with no day, in free text, is a time of day rather than a duration."""
    before = text[max(0, start - 30) : start]
    if _DURATION_BEFORE.search(before):
        return False
    if part_t is not None:  # "8h du soir"
        return True
    marker = _MARKER.search(before) is not None
    if _DURATION_AFTER.match(text, end) and (not marker or time_t.hour < 7):
        return False  # "2h de route", "à 2h de route"
    if marker:
        return True
    if time_t.form in ("colon", "ampm"):
        return True
    return time_t.form in ("h", "at") and 7 <= time_t.hour <= 23


def _date_of(token: DateTok, today: date) -> date | None:
    if token.year is not None:
        if not today.year - 1 <= token.year <= today.year + 10:
            return None
        return valid_date(token.year, token.month, token.day)
    # No year: the next such date from today on (29/02 waits for a leap year).
    for year in range(today.year, today.year + 9):
        day = valid_date(year, token.month, token.day)
        if day is not None and day >= today:
            return day
    return None


def next_day_of_month(today: date, number: int) -> date | None:
    """The next date from today on whose day of the month is ``number`` ("le 31": a 31st)."""
    if not 1 <= number <= 31:
        return None
    first_of_month = today.replace(day=1)
    for k in range(13):
        month = add_months(first_of_month, k)
        day = valid_date(month.year, month.month, number)
        if day is not None and day >= today:
            return day
    return None
