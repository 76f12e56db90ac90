"""The tokens the scanner finds: pieces of date expressions, with where they are in the text.

``_resolve`` puts adjacent tokens together into dates."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class DateTok(Token):
    year: int | None  # None: the next such date
    month: int
    day: int
    weak: bool = False  # "1/2", "3/4", "24/7": a fraction unless something supports a date
    prefixed: bool = False  # "le 12/12", "du 12/12"


@dataclass(frozen=True, slots=True)
class DayNumTok(Token):
    day: int
    bare: bool  # "samedi 14": only counts right after a weekday; else "le 14" / "the 14th"


@dataclass(frozen=True, slots=True)
class WeekdayTok(Token):
    weekday: int
    mode: str  # "bare", "this", "next", "week_after"
    abbr: bool


@dataclass(frozen=True, slots=True)
class RelTok(Token):
    days: int  # days after today; ignored when weekend
    part_hour: int | None = None  # "ce soir": 19
    evening: bool = False  # "ce soir 8h" is 20:00
    weekend: bool = False


@dataclass(frozen=True, slots=True)
class OffsetTok(Token):
    seconds: int = 0  # "dans 2h": an exact instant
    days: int = 0
    months: int = 0


@dataclass(frozen=True, slots=True)
class TimeTok(Token):
    hour: int
    minute: int
    # "h" (14h), "heures" (14 heures), "colon" (14:30), "ampm" (2pm), "word" (midi), "at" (at 10)
    form: str
    midnight: bool = False  # minuit: 00:00 at the end of the day


@dataclass(frozen=True, slots=True)
class PartTok(Token):
    hour: int
    evening: bool  # moves 1-11 o'clock to the afternoon: "8h du soir", "samedi soir 8h"
