"""The scanner: one precompiled regex finds the pieces of date expressions in folded text.

Each match becomes a token (a day, a weekday, a date, a time, a part of the day, a relative
offset); ``_resolve.groups`` then puts adjacent tokens together into expressions. The scanner
rejects pieces that are clearly something else (prices, ages, flat numbers, phone numbers,
emergency numbers) and marks the doubtful ones, which need support to count in free text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from . import _lexicon as lx
from ._tokens import (
    DateTok,
    DayNumTok,
    OffsetTok,
    PartTok,
    RelTok,
    TimeTok,
    Token,
    WeekdayTok,
)

# Word and number boundaries in folded text. A number must not continue another number
# ("06.12.34.56.78", "1.5", "+33", "n°12", "#12", "7j/7", "12:30") nor a word ("x2", "A4").
_WL = r"(?<![a-z0-9])"
_WR = r"(?![a-z0-9])"
_NL = r"(?<![a-z0-9/:+#°€$£_])(?<![0-9][.,-])"

_WEEKDAYS = lx.alternation([*lx.WEEKDAYS_FULL, *lx.WEEKDAYS_ABBR])
_MONTHS = lx.alternation(lx.MONTHS)
_MONTHS_FIRST = lx.alternation(lx.MONTHS_FIRST)
_NUMBER_WORDS = lx.alternation(lx.NUMBER_WORDS)
_UNITS = lx.alternation(lx.UNITS)
_ORD = r"(?:er|st|nd|rd|th)"
_MFIRST_START = lx.first_chars([*lx.MONTHS_FIRST, "on"])
_WDAY_START = lx.first_chars(
    [*lx.WEEKDAYS_FULL, *lx.WEEKDAYS_ABBR, "ce", "le", "this", "next", "on", "coming"]
)
_YEAR_AFTER = r"(?:,?\s(?P<{0}>[0-9]{{4}})(?![0-9]))?"

_REL = {
    "r_d2": r"apres[- ]?demain|(?:the\s+)?day\s+after\s+tomorrow|overmorrow",
    "r_d0": r"aujourd'?\s?hui|auj|ajd|today",
    "r_d1": r"demain|tomorrow|tmrw|tmr|2main",
    "r_evening": r"ce\s+soir|tonight|tonite|this\s+evening",
    "r_morning": r"ce\s+matin|this\s+morning",
    "r_noon": r"ce\s+midi",
    "r_afternoon": r"(?:ce|cet|cette)\s+(?:apres[- ]?midi|aprem)|this\s+afternoon",
    "r_weekend": r"(?:ce|this)\s+(?:week[- ]?end|we)",
}
_PART = {
    "p_morning": r"matin(?:ee)?|mat|morning",
    "p_afternoon": r"apres[- ]?midi|aprem|afternoon",
    "p_evening": r"soir(?:ee)?|evening|night",
}


def _named_words(name: str, starts: str, alternatives: dict[str, str]) -> str:
    """One branch per meaning; ``starts``: every first letter, so most words fail at once."""
    inner = "|".join(f"(?P<{key}>{pattern})" for key, pattern in alternatives.items())
    return f"(?P<{name}>(?=[{starts}]){_WL}(?:{inner}){_WR})"


_PATTERN = "|".join(
    [
        # 2026-12-12, 2026-12-12T14:30
        rf"(?P<ISO>(?=[0-9]){_NL}"
        r"(?P<iso_y>[0-9]{4})-(?P<iso_m>[0-9]{1,2})-(?P<iso_d>[0-9]{1,2})"
        r"(?:t(?P<iso_h>[0-9]{2}):(?P<iso_mi>[0-9]{2})(?::[0-9]{2}(?:\.[0-9]+)?)?)?(?![0-9]))",
        # le 12 décembre, 1er mai, 12 déc., the 12th of December, 12 mars 2027
        rf"(?P<DFIRST>(?=[0-9lduato])(?:{_WL}(?:le|du|au|the|on\s+the|on)\s+|{_NL})"
        rf"(?P<df_d>[0-9]{{1,2}}){_ORD}?"
        rf"(?:\s+of)?\s?(?P<df_m>{_MONTHS}){_WR}\.?{_YEAR_AFTER.format('df_y')})",
        # Dec 12, December 12th, 2026
        rf"(?P<MFIRST>{_MFIRST_START}{_WL}(?:on\s+)?(?P<mf_m>{_MONTHS_FIRST}){_WR}\.?\s?"
        r"(?P<mf_d>[0-9]{1,2})"
        rf"{_ORD}?(?![0-9a-z:])(?![.,/-][0-9]){_YEAR_AFTER.format('mf_y')})",
        # 12/12, 12/12/2026, 12/12/26, 12-12, 12.12
        rf"(?P<NUMDATE>(?=[0-9lduto])(?:{_WL}(?P<nd_pre>le|du|au|the|on)\s+|{_NL})"
        r"(?P<nd_d>[0-9]{1,2})"
        r"(?P<nd_s>[/.-])(?P<nd_m>[0-9]{1,2})(?:(?P=nd_s)(?P<nd_y>[0-9]{4}|[0-9]{2}))?"
        r"(?![0-9a-z])(?![./-][0-9]))",
        # dans 3 jours, in 2 weeks, dans 2h, in an hour, dans une demi-heure, sous 48h
        rf"(?P<OFFSET>(?=[disw]){_WL}(?:dans|in|d'ici|within|sous)\s+"
        r"(?:(?P<of_half>une\s+demi[- ]?heure|half\s+an\s+hour|a\s+half\s+hour)"
        rf"|(?P<of_n>[0-9]{{1,4}}|{_NUMBER_WORDS})\s?"
        rf"(?P<of_u>{_UNITS})(?:(?P<of_min>[0-9]{{2}})(?![0-9]))?){_WR})",
        _named_words("REL", "2acdot", _REL),
        # samedi, sam., ce samedi, samedi prochain, lundi pro, next Monday, on Friday
        rf"(?P<WDAY>{_WDAY_START}{_WL}(?:(?P<wd_pre>ce|cette|le|this|next|on|coming)\s+)?"
        rf"(?P<wd_name>{_WEEKDAYS}){_WR}(?P<wd_dot>\.)?"
        rf"(?:\s+(?P<wd_post>prochaine?|pro|qui\s+vient|en\s+(?:huit|8)){_WR})?)",
        # le 18, le 1er, the 18th, on the 18th
        rf"(?P<LEDAY>(?=[lto]){_WL}(?P<ld_pre>le|the|on\s+the)\s+"
        rf"(?P<ld_d>[0-9]{{1,2}})(?P<ld_suf>{_ORD})?"
        r"(?![0-9a-z])(?![.,/:-][0-9])(?!\s?(?:h|heures?)(?![a-z])))",
        # 6pm, 6:30 pm, 10 a.m.
        rf"(?P<TAMPM>(?=[0-9]){_NL}"
        r"(?P<ta_h>[0-9]{1,2})(?::(?P<ta_m>[0-9]{2}))?\s?(?P<ta_ap>[ap])(?:m|\.m\.?)(?![a-z0-9]))",
        # 14:30, 9:05
        rf"(?P<TCOLON>(?=[0-9]){_NL}"
        r"(?P<tc_h>[0-9]{1,2}):(?P<tc_m>[0-9]{2})(?::[0-9]{2})?(?![0-9])(?!:[0-9])"
        r"(?:\s?h(?![a-z0-9]))?)",
        # 14h, 14h30, 14 h 30, 18h00, 9 heures
        rf"(?P<TH>(?=[0-9]){_NL}(?P<th_h>[0-9]{{1,2}})\s?(?P<th_u>h|heures?|hrs?)"
        r"(?:\s?(?P<th_m>[0-9]{2})(?![0-9]))?(?:\s?(?:min|mn))?(?![a-z0-9]))",
        # English "at 10": a bare hour, only after "at".
        rf"(?P<TAT>(?=a){_WL}at\s+(?P<tat_h>[0-9]{{1,2}})(?![0-9a-z])(?![.,/:-][0-9])"
        r"(?!\s?(?:h|heures?|hours?|[ap]\.?m)(?![a-z])))",
        rf"(?P<TWORD>(?=[mn]){_WL}(?P<tw>midi|minuit|noon|midnight){_WR})",
        _named_words("PART", "aemns", _PART),
        # A bare day number: only ever used right after a weekday ("samedi 14").
        rf"(?P<NUM>(?=[0-9]){_NL}(?P<nu_d>[0-9]{{1,2}}){_ORD}?(?![0-9a-z])(?![.,/:-][0-9])"
        r"(?!\s?(?:h|heures?)(?![a-z]))(?!\s*[0-9]{2}\s*[0-9]{2}))",
    ]
)
# Every alternative starts a word or a number: one shared check skips the middle of words.
_SCANNER = re.compile(rf"(?<![a-z0-9])(?=[a-z0-9])(?:{_PATTERN})")

# What follows a number that is a price, an age or a measure rather than a date: "12.10 €".
_UNIT = (
    r"[€$£%]|(?:euros?|eur|ans?|years?|yrs?|kg|kilos?|g|km|m|cm|mm|m2|m3|l|litres?|liters?|cl|ml"
    r"|journees?|heures?|h)(?![a-z'])"
)
_UNIT_AFTER = re.compile(rf"\s?(?:{_UNIT})")
# ... and what follows a lone day number that counts things: "samedi 3 personnes", "le 18 rue
# Voltaire", "le 1er étage".
_NOT_A_DAY_AFTER = re.compile(
    rf"\s?(?:{_UNIT}|(?:personnes?|pers|people|persons?|enfants?|kids?|fois|times|x|rue|av"
    r"|avenue|bd|boulevard|bis|ter|place|chemin|allee|impasse|route|etage|etages|floor|pieces?"
    r"|places?|cartons?|boxes|min|mins|minutes?|mois|months?|jours?|days?|semaines?|weeks?"
    r"|hours?|nuits?|nights?|sur|/)(?![a-z']))"
)
# After "le 18" must come the end, punctuation, a number, or a word that keeps it a date:
# "le 18 à 14h", "le 18 on fait", but not "le 18 rue Voltaire", "le 2 pièces".
_LEDAY_FOLLOW = re.compile(
    r"\s*(?:$|[^\sa-z0-9]|[0-9]|(?:a|au|aux|vers|des|de|du|avant|apres|pour|et|ou|on|je|j'|tu"
    r"|il|elle|nous|vous|ils|elles|c'|ca|ce|cet|cette|chez|dans|matin|soir|aprem|apres-midi"
    r"|midi|minuit|soiree|prochain|at|in|from|or|and|if|si|ok|dispo|svp|stp|merci|morning"
    r"|afternoon|evening|night|noon|midnight)(?![a-z]))"
)
# "appelle le 18", "faites le 15": French emergency numbers, not days.
_CALL_BEFORE = re.compile(
    r"(?<![a-z])(?:appel\w*|compos\w*|fais|faites|faire|tel|telephone\w*|numero|num|call|dial"
    r"|ring|joindre|contacte\w*)\s*$"
)


_REL_VALUES: dict[str, tuple[int, int | None, bool, bool]] = {
    "r_d0": (0, None, False, False),
    "r_d1": (1, None, False, False),
    "r_d2": (2, None, False, False),
    "r_evening": (0, lx.EVENING_HOUR, True, False),
    "r_morning": (0, lx.MORNING_HOUR, False, False),
    "r_noon": (0, lx.NOON_HOUR, False, False),
    "r_afternoon": (0, lx.AFTERNOON_HOUR, True, False),
    "r_weekend": (0, None, False, True),
}
_PART_VALUES: dict[str, tuple[int, bool]] = {
    "p_morning": (lx.MORNING_HOUR, False),
    "p_afternoon": (lx.AFTERNOON_HOUR, True),
    "p_evening": (lx.EVENING_HOUR, True),
}
_WORD_TIMES: dict[str, tuple[int, bool]] = {
    "midi": (12, False),
    "noon": (12, False),
    "minuit": (0, True),
    "midnight": (0, True),
}
_WEEKDAY_MODES = {
    None: "bare", "le": "bare", "on": "bare", "ce": "this", "cette": "this", "this": "this",
    "next": "next", "coming": "next",
}  # fmt: skip


# The words a token can start with. The scanner is tried only at these and at numbers: trying
# its fourteen branches at every word of every message would cost five times as much.
_STARTERS = frozenset(
    {
        *lx.WEEKDAYS_FULL, *lx.WEEKDAYS_ABBR, *lx.MONTHS_FIRST,
        # prefixes: le 12/12, du 12 mai, au 15, the 18th, on Friday, ce samedi, next Monday...
        "le", "du", "au", "the", "on", "ce", "cet", "cette", "this", "next", "coming",
        "dans", "in", "d", "within", "sous", "at",
        # relative days and parts of the day
        "apres", "aujourd", "aujourdhui", "auj", "ajd", "today", "demain", "tomorrow", "tmrw",
        "tmr", "tonight", "tonite", "day", "overmorrow",
        "matin", "matinee", "mat", "morning", "aprem", "afternoon", "soir", "soiree", "evening",
        "night", "midi", "minuit", "noon", "midnight",
    }
)  # fmt: skip
_WORD = re.compile(r"(?<![a-z0-9])(?:[a-z]+|[0-9])")


def scan(text: str) -> list[Token]:
    """Every token of ``text`` (folded), left to right, without overlaps."""
    tokens: list[Token] = []
    end = 0
    for word in _WORD.finditer(text):
        start = word.start()
        if start < end or not (word.group() in _STARTERS or text[start].isdigit()):
            continue
        m = _SCANNER.match(text, start)
        if m is None:
            continue
        kind = m.lastgroup
        if kind == "ISO":
            found = _scan_iso(m)
        else:
            builder = _BUILDERS.get(kind or "")
            token = builder(m, text) if builder is not None else None
            found = [] if token is None else [token]
        if found:  # a rejected match lets the words inside it be read on their own
            tokens.extend(found)
            end = m.end()
    return tokens


def _scan_iso(m: re.Match[str]) -> list[Token]:
    year, month, day = int(m["iso_y"]), int(m["iso_m"]), int(m["iso_d"])
    if m["iso_h"] is None:
        return [DateTok(m.start(), m.end(), year, month, day)]
    hour, minute = int(m["iso_h"]), int(m["iso_mi"])
    if hour > 23 or minute > 59:
        return []
    split = m.start("iso_h") - 1  # the "t" goes with the time, so the two tokens touch
    return [
        DateTok(m.start(), split, year, month, day),
        TimeTok(split, m.end(), hour, minute, "colon"),
    ]


def _dfirst(m: re.Match[str], text: str) -> Token | None:
    year = int(m["df_y"]) if m["df_y"] else None
    return DateTok(m.start(), m.end(), year, lx.MONTHS[m["df_m"]], int(m["df_d"]))


def _mfirst(m: re.Match[str], text: str) -> Token | None:
    if _UNIT_AFTER.match(text, m.end("mf_d")):
        return None
    year = int(m["mf_y"]) if m["mf_y"] else None
    return DateTok(m.start(), m.end(), year, lx.MONTHS_FIRST[m["mf_m"]], int(m["mf_d"]))


def _numdate(m: re.Match[str], text: str) -> Token | None:
    d_text, m_text, sep, y_text = m["nd_d"], m["nd_m"], m["nd_s"], m["nd_y"]
    if y_text is None and _UNIT_AFTER.match(text, m.end()):
        return None
    # "12-12" and "12.12" need two digits on each side ("2-3 personnes", "3.5 kg" are not
    # dates); with a year any form is a date.
    if sep != "/" and y_text is None and (len(d_text) != 2 or len(m_text) != 2):
        return None
    day, month = int(d_text), int(m_text)
    year = None if y_text is None else int(y_text) + (2000 if len(y_text) == 2 else 0)
    prefixed = m["nd_pre"] is not None
    weak = y_text is None and (
        (len(d_text) == 1 and len(m_text) == 1 and day < month <= 4)  # 1/2, 2/3, 3/4
        or (day, month) in {(24, 7), (7, 7)}  # 24/7, 7/7
    )
    return DateTok(m.start(), m.end(), year, month, day, weak=weak, prefixed=prefixed)


def _offset(m: re.Match[str], text: str) -> Token | None:
    if m["of_half"] is not None:
        return OffsetTok(m.start(), m.end(), seconds=1800)
    n_text, unit = m["of_n"], m["of_u"]
    n = int(n_text) if n_text.isdigit() else lx.NUMBER_WORDS[n_text]
    kind, mult = lx.UNITS[unit]
    if m["of_min"] is not None and mult != 3600:
        return None
    if kind == "seconds":
        minutes = int(m["of_min"]) if m["of_min"] is not None else 0
        if minutes > 59:
            return None
        return OffsetTok(m.start(), m.end(), seconds=n * mult + minutes * 60)
    if kind == "days":
        if unit in lx.FRENCH_DAY_UNITS and n in (8, 15):  # "dans huit jours", "quinze jours"
            n -= 1
        return OffsetTok(m.start(), m.end(), days=n * mult)
    return OffsetTok(m.start(), m.end(), months=n)


def _rel(m: re.Match[str], text: str) -> Token | None:
    for name, (days, part_hour, evening, weekend) in _REL_VALUES.items():
        if m[name] is not None:
            return RelTok(m.start(), m.end(), days, part_hour, evening, weekend)
    return None  # pragma: no cover - one of the groups always matched


def _weekday(m: re.Match[str], text: str) -> Token | None:
    name = m["wd_name"]
    abbr = name in lx.WEEKDAYS_ABBR
    weekday = lx.WEEKDAYS_ABBR[name] if abbr else lx.WEEKDAYS_FULL[name]
    mode = _WEEKDAY_MODES.get(m["wd_pre"], "bare")
    post = m["wd_post"]
    if post is not None:
        mode = "week_after" if post.startswith("en") else "next"
    end = m.end()
    if m["wd_dot"] is not None and post is None and not abbr:
        end -= 1  # "samedi." ends a sentence
    return WeekdayTok(m.start(), end, weekday, mode, abbr)


def _leday(m: re.Match[str], text: str) -> Token | None:
    # "the 18" is not enough in English: "the 18th".
    if m["ld_pre"] != "le" and m["ld_suf"] is None:
        return None
    if not _LEDAY_FOLLOW.match(text, m.end()) or _NOT_A_DAY_AFTER.match(text, m.end()):
        return None
    if _CALL_BEFORE.search(text, max(0, m.start() - 30), m.start()):
        return None
    return DayNumTok(m.start(), m.end(), int(m["ld_d"]), bare=False)


def _tampm(m: re.Match[str], text: str) -> Token | None:
    hour = int(m["ta_h"])
    minute = int(m["ta_m"]) if m["ta_m"] else 0
    if not 1 <= hour <= 12 or minute > 59:
        return None
    hour = hour % 12 + (12 if m["ta_ap"] == "p" else 0)
    return TimeTok(m.start(), m.end(), hour, minute, "ampm")


def _tcolon(m: re.Match[str], text: str) -> Token | None:
    hour, minute = int(m["tc_h"]), int(m["tc_m"])
    if hour > 23 or minute > 59:
        return None
    return TimeTok(m.start(), m.end(), hour, minute, "colon")


def _th(m: re.Match[str], text: str) -> Token | None:
    hour = int(m["th_h"])
    minute = int(m["th_m"]) if m["th_m"] else 0
    if hour > 23 or minute > 59:
        return None
    form = "h" if m["th_u"] == "h" else "heures"
    return TimeTok(m.start(), m.end(), hour, minute, form)


def _tat(m: re.Match[str], text: str) -> Token | None:
    hour = int(m["tat_h"])
    if hour > 23 or _NOT_A_DAY_AFTER.match(text, m.end()):
        return None
    return TimeTok(m.start(), m.end(), hour, 0, "at")


def _tword(m: re.Match[str], text: str) -> Token | None:
    hour, midnight = _WORD_TIMES[m["tw"]]
    return TimeTok(m.start(), m.end(), hour, 0, "word", midnight=midnight)


def _part(m: re.Match[str], text: str) -> Token | None:
    for name, (hour, evening) in _PART_VALUES.items():
        if m[name] is not None:
            return PartTok(m.start(), m.end(), hour, evening)
    return None  # pragma: no cover - one of the groups always matched


def _num(m: re.Match[str], text: str) -> Token | None:
    if _NOT_A_DAY_AFTER.match(text, m.end()):
        return None
    return DayNumTok(m.start(), m.end(), int(m["nu_d"]), bare=True)


_BUILDERS: dict[str, Callable[[re.Match[str], str], Token | None]] = {
    "DFIRST": _dfirst,
    "MFIRST": _mfirst,
    "NUMDATE": _numdate,
    "OFFSET": _offset,
    "REL": _rel,
    "WDAY": _weekday,
    "LEDAY": _leday,
    "TAMPM": _tampm,
    "TCOLON": _tcolon,
    "TH": _th,
    "TAT": _tat,
    "TWORD": _tword,
    "PART": _part,
    "NUM": _num,
}
