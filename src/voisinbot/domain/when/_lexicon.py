"""Words of the grammar, French and English, already folded (lower case, no accents)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TypeAlias

_Trie: TypeAlias = dict[str, "_Trie"]

WEEKDAYS_FULL: dict[str, int] = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip

# Abbreviations are also ordinary words ("mer", "jeu", "mon", "sat", "sam" the name...): in free
# text they count only next to a date, a day number or a time.
WEEKDAYS_ABBR: dict[str, int] = {
    "lun": 0, "mar": 1, "mer": 2, "merc": 2, "jeu": 3, "ven": 4, "vend": 4, "sam": 5, "dim": 6,
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "weds": 2, "thu": 3, "thur": 3, "thurs": 3,
    "fri": 4, "sat": 5, "sun": 6,
}  # fmt: skip

# Month names after a day number: "12 déc", "1er mai", "12th of December", "12 mar".
MONTHS: dict[str, int] = {
    "janvier": 1, "janv": 1, "jan": 1, "january": 1,
    "fevrier": 2, "fevr": 2, "fev": 2, "february": 2, "feb": 2,
    "mars": 3, "march": 3, "mar": 3,
    "avril": 4, "avr": 4, "april": 4, "apr": 4,
    "mai": 5, "may": 5,
    "juin": 6, "june": 6, "jun": 6,
    "juillet": 7, "juil": 7, "july": 7, "jul": 7,
    "aout": 8, "august": 8, "aug": 8,
    "septembre": 9, "september": 9, "sept": 9, "sep": 9,
    "octobre": 10, "october": 10, "oct": 10,
    "novembre": 11, "november": 11, "nov": 11,
    "decembre": 12, "december": 12, "dec": 12,
}  # fmt: skip

# Month names before a day number ("Dec 12", "December 12th"): English style only, and not
# "mar", which in front of a number is French for Tuesday ("mar 12").
MONTHS_FIRST: dict[str, int] = {
    name: MONTHS[name]
    for name in (
        "january", "jan", "february", "feb", "march", "april", "apr", "may", "june", "jun",
        "july", "jul", "august", "aug", "september", "sept", "sep", "october", "oct",
        "november", "nov", "december", "dec",
    )
}  # fmt: skip

NUMBER_WORDS: dict[str, int] = {
    "un": 1, "une": 1, "a": 1, "an": 1, "one": 1, "deux": 2, "two": 2, "trois": 3, "three": 3,
    "quatre": 4, "four": 4, "cinq": 5, "five": 5, "six": 6, "sept": 7, "seven": 7, "huit": 8,
    "eight": 8, "neuf": 9, "nine": 9, "dix": 10, "ten": 10, "onze": 11, "eleven": 11,
    "douze": 12, "twelve": 12, "quinze": 15, "fifteen": 15, "vingt": 20, "twenty": 20,
    "trente": 30, "thirty": 30,
}  # fmt: skip

# Duration units -> (kind, multiplier); kind is "seconds", "days" or "months".
UNITS: dict[str, tuple[str, int]] = {
    "h": ("seconds", 3600), "hr": ("seconds", 3600), "hrs": ("seconds", 3600),
    "heure": ("seconds", 3600), "heures": ("seconds", 3600),
    "hour": ("seconds", 3600), "hours": ("seconds", 3600),
    "min": ("seconds", 60), "mins": ("seconds", 60), "mn": ("seconds", 60),
    "minute": ("seconds", 60), "minutes": ("seconds", 60),
    "j": ("days", 1), "jour": ("days", 1), "jours": ("days", 1),
    "d": ("days", 1), "day": ("days", 1), "days": ("days", 1),
    "sem": ("days", 7), "semaine": ("days", 7), "semaines": ("days", 7),
    "w": ("days", 7), "wk": ("days", 7), "wks": ("days", 7), "week": ("days", 7),
    "weeks": ("days", 7),
    "mois": ("months", 1), "month": ("months", 1), "months": ("months", 1),
}  # fmt: skip

# "dans huit jours" is a week and "dans quinze jours" two weeks, in French usage.
FRENCH_DAY_UNITS = frozenset({"jours"})

# Hours given to a part of the day: "demain matin" is 09:00, "samedi soir" 19:00.
MORNING_HOUR = 9
NOON_HOUR = 12
AFTERNOON_HOUR = 14
EVENING_HOUR = 19


def alternation(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, longest first, as a trie: "sam(?:edi)?".

    Branching on each next character keeps a failed match cheap, which matters because the
    scanner tries every word of every message.
    """
    trie: _Trie = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_regex(trie)


def first_chars(words: Iterable[str]) -> str:
    """A regex lookahead for the first characters of ``words``: "(?=[ls])"."""
    return "(?=[" + "".join(sorted({re.escape(w[0]) for w in words})) + "])"


def _trie_regex(node: _Trie) -> str:
    branches = [re.escape(ch) + _trie_regex(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    optional = "" in node
    if len(branches) == 1 and not optional:
        return branches[0]
    return "(?:" + "|".join(branches) + ")" + ("?" if optional else "")
