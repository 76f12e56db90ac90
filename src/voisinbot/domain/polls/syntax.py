"""Reading a facilitator's command line: segments, settings words and the deadline.

``/sondage Question ? | Option 1 | Option 2 | 48h anonyme``: segments are separated by ``|``
or by new lines. The LAST segment is read as settings when it is made only of settings words
and, at most, one deadline:

- settings words (French or English, any case or accent): ``anonyme``/``anonymous``,
  ``nominatif``/``named``, ``plusieurs``/``multiple``, ``secret``/``hidden``/``caché``;
- a deadline, optionally introduced by ``jusqu'à``/``until``/``clôture``/``deadline``:
  a duration (``48h``, ``3 jours``, ``in 3 days``) or a date (``vendredi 18h``, ``15/12 20:00``).

A bare date ("vendredi 18h") is a deadline only where options cannot be dates themselves
(see ``bare_date_is_deadline``); with a marker word or a settings word next to it, it always is.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from voisinbot.domain.when import DEFAULT_DEADLINE_TIME, parse_deadline, parse_when

_SEPARATORS = re.compile(r"[|\n]")
_SPACES = re.compile(r"\s+")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad]")
_TOKEN_EDGES = ",;:.!()[]"


class Flag(enum.Enum):
    ANONYMOUS = "anonymous"
    NAMED = "named"
    MULTIPLE = "multiple"
    HIDDEN = "hidden"


FLAG_WORDS: dict[str, Flag] = {
    **dict.fromkeys(("anonyme", "anonymes", "anonymous", "anon"), Flag.ANONYMOUS),
    **dict.fromkeys(("nominatif", "nominative", "named"), Flag.NAMED),
    **dict.fromkeys(("multiple", "multiples", "plusieurs", "multi", "several"), Flag.MULTIPLE),
    **dict.fromkeys(
        ("secret", "secrete", "hidden", "cache", "caches", "cachee", "masque"), Flag.HIDDEN
    ),
}
DEADLINE_MARKERS = frozenset(
    {"jusqu'a", "jusqu'au", "until", "till", "cloture", "deadline", "closes", "close"}
)


def fold(word: str) -> str:
    """Lower case, accents and typographic apostrophes removed: how settings words compare."""
    decomposed = unicodedata.normalize("NFKD", word.replace("’", "'").replace("ʼ", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def clean(text: str) -> str:
    """One line of text: invisible characters dropped, runs of spaces collapsed."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()


def split_segments(text: str) -> list[str]:
    """The non-empty segments of a command line, separated by ``|`` or new lines."""
    return [part for part in (clean(p) for p in _SEPARATORS.split(text)) if part]


@dataclass(frozen=True, slots=True)
class Settings:
    flags: frozenset[Flag]
    deadline: datetime | None


@dataclass(frozen=True, slots=True)
class BadDeadline:
    """A marker word ("jusqu'à", "until") followed by something that is not a deadline."""

    text: str


def is_duration(text: str, now: datetime) -> bool:
    """Whether ``text`` is a deadline counted from now ("48h", "3 jours", "in 3 days").

    parse_deadline reads durations first; a date it read gives the same instant as parse_when
    (or 20:00 that day), so a different instant means it was a duration.
    """
    deadline = parse_deadline(text, now)
    if deadline is None:
        return False
    when = parse_when(text, now)
    if when is None:
        return True
    if when.has_time:
        return when.at != deadline
    local = deadline.astimezone(when.at.tzinfo)
    return local.date() != when.at.date() or local.time() != DEFAULT_DEADLINE_TIME


def read_settings(
    segment: str, now: datetime, *, bare_date_is_deadline: bool
) -> Settings | BadDeadline | None:
    """The settings in ``segment``, or None when it is not a settings segment (an option)."""
    flags: set[Flag] = set()
    rest: list[str] = []
    for token in segment.split():
        flag = FLAG_WORDS.get(fold(token).strip(_TOKEN_EDGES))
        if flag is None:
            rest.append(token)
        else:
            flags.add(flag)
    marker = bool(rest) and fold(rest[0]).strip(_TOKEN_EDGES) in DEADLINE_MARKERS
    if marker:
        rest = rest[1:]
    leftover = " ".join(rest).strip(_TOKEN_EDGES + " ")
    if not leftover:
        if marker:
            return BadDeadline("")
        return Settings(frozenset(flags), None) if flags else None
    deadline = parse_deadline(leftover, now)
    if deadline is None:
        return BadDeadline(leftover) if marker else None
    if marker or flags or bare_date_is_deadline or is_duration(leftover, now):
        return Settings(frozenset(flags), deadline)
    return None


def reads_as_date(label: str, now: datetime) -> bool:
    return parse_when(label, now) is not None
