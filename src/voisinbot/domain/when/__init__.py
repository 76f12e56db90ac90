"""Dates, times and deadlines in short French and English chat text. Pure: no I/O.

Hand-written (a few precompiled regexes), fast enough to run on every message, and it never
raises on any text. Every function takes ``now``, an aware datetime in the group's timezone, and
every result is aware, in the timezone of ``now``, built from wall-clock times in that zone (so it
is right across daylight-saving changes).

What is read (case, accents, typographic apostrophes and spaces, invisible characters ignored):

- relative days: aujourd'hui/auj, demain, après-demain, today, tomorrow, day after tomorrow,
  ce week-end / this weekend (the coming Saturday, today on a Saturday or Sunday);
- parts of the day, alone or after a day: ce matin / this morning 09:00, ce midi 12:00,
  cet aprem / cet après-midi / this afternoon 14:00, ce soir / tonight / this evening 19:00;
  "demain matin", "samedi soir", "tomorrow afternoon", "samedi dans la soirée" likewise;
- weekdays: samedi, sam., ce samedi, samedi prochain, lundi pro, lundi en huit, saturday, sat,
  this saturday, next monday, on friday;
- dates, day first even in English (residents are in France): 12/12, 12/12/2026, 12/12/26,
  12-12, 12.12, ISO 2026-12-12, le 12 décembre, 12 déc, 1er mai, 12 Dec, 12th of December;
  month first only with English names: Dec 12, December 12th, 2026; "le 18" / "the 18th";
- times: 14h, 14h30, 14 h 30, 18h00, 14:30, 6pm, 6:30 pm, 10 am, at 10, midi, minuit, noon,
  midnight, with "à", "vers", "at", "dès", "à partir de", "entre"...; "8h du soir" and
  "samedi soir 8h" are 20:00; in a range ("14h-16h", "entre 14h et 16h") the start counts;
- offsets: dans 3 jours, dans 2h, in 2 weeks, in an hour, dans une demi-heure, sous 48h
  ("dans huit jours" is 7 days and "dans quinze jours" 14, as meant in French).

A day and a time combine in either order with "à", "vers", "le", ",", "-"... between them:
"demain 14h", "samedi à 10h", "à 14h samedi", "sam 14/12 10h", "Mon 16/12 6pm".

Rules:

- A bare weekday is the next such day, never today unless a time is given that is still ahead
  today ("samedi 18h" on Saturday at 10:00 is today; "samedi" on a Saturday is in 7 days).
  "ce samedi"/"this Saturday" is today on a Saturday. "samedi prochain"/"next Saturday" is the
  coming Saturday too (most French speakers mean that), never today; "samedi en huit" is the
  one after it.
- Numeric dates are day/month, in English text too. A date without a year is the next one from
  today on: a date already past this year is next year's; today's date is today. An explicit
  year must be within one year back and ten ahead. Impossible dates (31/02) are not read.
- A weekday with an explicit date ("sam 14/12") takes the date, even if they disagree; a
  weekday with a bare day number ("samedi 14") takes it only if that 14th is a Saturday.
- A time alone is today if still ahead, else tomorrow. "minuit"/"midnight" ends the day it is
  attached to: "samedi minuit" is Sunday 00:00.
- Without a time, ``When.at`` is the start of that day (00:00 local, or the first instant of
  the day where a clock change skips midnight) and ``When.has_time`` is False.
- In free text (:func:`find_when`) doubtful pieces need support, to rather miss a date than
  invent one: abbreviated weekdays ("sam", "mer", "mon") only before a date, a day number or a
  time; fractions ("1/2", "3/4") and "24/7" only with "le"/"du" or a weekday or time; a lone time
  only after "à"/"vers"/"at"/"dès"/"avant"..., or as "14:30"/"6pm", or as "Nh" between 7h and
  23h, and never after "pendant"/"prend"/"for"... or before "de route"...; "le 18" not before a
  noun ("le 18 rue...", "le 1er étage") nor after "appelle"/"compose" (emergency numbers).
  Prices, ages, quantities and phone numbers are not dates. The past is not read: "hier soir",
  "samedi dernier", "last Monday" give nothing (rather than a wrong future date).
- :func:`find_when` returns the first expression that reads as a date, left to right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time

from ._clock import is_after, local_datetime, local_day_bounds, next_weekly, require_aware
from ._duration import duration_deadline
from ._resolve import groups, resolve
from ._scan import scan
from ._text import fold

__all__ = [
    "DEFAULT_DEADLINE_TIME",
    "When",
    "find_when",
    "local_datetime",
    "local_day_bounds",
    "next_weekly",
    "parse_deadline",
    "parse_when",
    "split_deadline",
]

DEFAULT_DEADLINE_TIME = time(20, 0)
"""A deadline given as a day without a time closes that day at 20:00: late enough to include
the day, early enough that the result is announced while people are awake."""

_MAX_LABEL = 200  # slot labels and deadlines are short, not essays
_FIRST = re.compile(r"[a-z0-9]")
_LAST = re.compile(r"[a-z0-9][^a-z0-9]*\Z")
_LEAD = re.compile(r"(?:(?:a\s+partir\s+de|a|at|vers|le|on|des|around|from|entre|@)\s*)?")


@dataclass(frozen=True, slots=True)
class When:
    """A date, and maybe a time, read from text."""

    at: datetime
    """Aware, in the timezone of ``now``. Without a time: the start of that day."""
    has_time: bool
    """False for a day alone ("samedi", "12/12"); a part of the day ("demain soir") counts."""
    span: tuple[int, int]
    """``text[span[0]:span[1]]`` is the expression in the original text (with "à"/"vers"...)."""


def find_when(text: str, now: datetime) -> When | None:
    """The first date expression inside free text, or None.

    ``find_when("je prête ma remorque demain 14h", now)`` is tomorrow 14:00, span "demain 14h".
    """
    require_aware(now, "now")
    folded = fold(text)
    try:
        for group in groups(scan(folded.text), folded.text):
            found = resolve(group, now, folded.text, strict=True)
            if found is not None:
                return When(found.at, found.has_time, folded.original_span(found.start, found.end))
    except OverflowError:  # only near datetime.max
        return None
    return None


def parse_when(text: str, now: datetime) -> When | None:
    """The date expression that is the whole of ``text`` (a poll slot label), or None.

    Surrounding punctuation and emoji are ignored, and so is a leading "à"/"le"/"on"/"at".
    Abbreviations and lone times count here without support: "sam 14/12 10h", "lundi 18h30",
    "Mon 16/12 6pm", "midi", "2h" (02:00).
    """
    require_aware(now, "now")
    folded = fold(text)
    bounds = _core(folded.text)
    if bounds is None:
        return None
    start, end = bounds
    core = folded.text[start:end]
    tokens = scan(core)
    if not tokens or not _LEAD.fullmatch(core, 0, tokens[0].start):
        return None
    found_groups = list(groups(tokens, core))
    if len(found_groups) != 1:
        return None
    try:
        found = resolve(found_groups[0], now, core, strict=False)
    except OverflowError:
        return None
    if found is None or found.start != tokens[0].start or found.end != len(core):
        return None
    return When(found.at, found.has_time, folded.original_span(start, end))


def _core(folded: str) -> tuple[int, int] | None:
    """Where ``folded`` starts and ends once punctuation and emoji around it are cut off."""
    first = _FIRST.search(folded)
    if first is None:
        return None
    last = _LAST.search(folded, first.start())
    assert last is not None
    if last.start() + 1 - first.start() > _MAX_LABEL:
        return None
    return first.start(), last.start() + 1


def parse_deadline(
    text: str, now: datetime, *, default_time: time = DEFAULT_DEADLINE_TIME
) -> datetime | None:
    """The deadline that is the whole of ``text``, strictly after ``now``; else None.

    A duration counts from ``now``: "48h", "2h", "90 min", "30min", "2j", "3 jours",
    "1 semaine", "2 sem", "dans 3 jours", "in 3 days", "2 weeks", "1 mois", "1h 30min". Hours
    and minutes are elapsed time; days, weeks and months keep the wall-clock time of ``now``.
    A bare "Nh" is always a duration ("18h" is 18 hours from now): for a time of day write
    "à 18h", "18h00", "18:00" or give a day ("vendredi 18h"). A bare "NhMM" ("18h30") is a time
    of day; "dans 1h30" is a duration.
    Otherwise ``text`` is read as :func:`parse_when`; a day without a time gets
    ``default_time`` (20:00). A deadline that would not be in the future is None.
    """
    require_aware(now, "now")
    folded = fold(text).text
    bounds = _core(folded)
    if bounds is None:
        return None
    try:
        result = duration_deadline(folded[bounds[0] : bounds[1]], now)
        if result is None:
            when = parse_when(text, now)
            if when is None:
                return None
            result = when.at
            if not when.has_time:
                assert now.tzinfo is not None
                result = local_datetime(when.at.date(), default_time, now.tzinfo)
    except OverflowError:
        return None
    return result if is_after(result, now) else None


def split_deadline(
    text: str, now: datetime, *, default_time: time = DEFAULT_DEADLINE_TIME
) -> tuple[str, datetime | None]:
    """Split a trailing deadline off ``text``: ``("dimanche", <in 48h>)`` for "dimanche 48h".

    The longest proper suffix (starting at a word, at most the last six words) that
    :func:`parse_deadline` reads; the rest must not be empty. ``(text, None)`` if there is none.
    Ambiguous by nature: "dimanche 14h" splits into "dimanche" and 14 hours from now.
    """
    starts = [m.end() for m in re.finditer(r"\s+(?=\w)", text)][-6:]
    for pos in starts:
        head = text[:pos].rstrip()
        if not head:
            continue
        deadline = parse_deadline(text[pos:], now, default_time=default_time)
        if deadline is not None:
            return head, deadline
    return text, None
