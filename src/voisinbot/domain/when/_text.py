"""Folding chat text for matching: lower case, no accents, one output character per input one.

The grammar only has to know plain ASCII: ``Aujourd’hui`` becomes ``aujourd'hui``, ``14 h 30``
with French narrow no-break spaces becomes ``14 h 30`` with plain spaces, ``après‑demain`` with a
non-breaking hyphen becomes ``apres-demain``. Every kept character maps to exactly one character,
so a match in the folded text maps back to the same span of the original; the only characters
dropped are invisible ones (zero-width spaces and joiners, bidi marks, soft hyphens), and then an
index table maps folded positions back to original ones.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Invisible characters: dropped, so that "sam\u200bedi" reads as "samedi".
_DROP = (
    "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
_APOSTROPHES = "\u2018\u2019\u201b\u02bc\u00b4\u0060\u2032"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_SPACES = "\u2028\u2029\u0085"


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {cp: chr(cp + 32) for cp in range(ord("A"), ord("Z") + 1)}
    # Latin-1, Latin Extended-A/B and Latin Extended Additional cover French, and far more.
    for cp in (*range(0x80, 0x250), *range(0x1E00, 0x1F00), *range(0x2000, 0x2070), 0x3000):
        ch = chr(cp)
        if unicodedata.category(ch) == "Zs":
            table[cp] = " "
            continue
        low = ch.lower()
        if len(low) != 1:
            low = ch
        base = "".join(c for c in unicodedata.normalize("NFD", low) if not unicodedata.combining(c))
        if len(base) == 1 and base != ch:
            table[cp] = base
    for ch in _SPACES:
        table[ord(ch)] = " "
    for ch in _APOSTROPHES:
        table[ord(ch)] = "'"
    for ch in _DASHES:
        table[ord(ch)] = "-"
    for ch in _DROP:
        table[ord(ch)] = None
    return table


_TABLE = _build_table()
_DROP_SET = frozenset(_DROP)


@dataclass(frozen=True, slots=True)
class Folded:
    """The folded text, and where each of its characters came from when some were dropped."""

    text: str
    index: tuple[int, ...] | None = None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span in the original text of the folded span ``[start, end)`` (``start < end``)."""
        if self.index is None:
            return start, end
        return self.index[start], self.index[end - 1] + 1


def fold(text: str) -> Folded:
    if text.isascii():  # the common case, ten times faster
        return Folded(text.lower().replace("`", "'"))
    folded = text.translate(_TABLE)
    if len(folded) == len(text):
        return Folded(folded)
    return Folded(folded, tuple(i for i, ch in enumerate(text) if ch not in _DROP_SET))
