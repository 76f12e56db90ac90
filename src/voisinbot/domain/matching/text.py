"""Normalisation of short chat texts into plain tokens.

Chat posts are lower-case-or-not, accented-or-not, full of elisions, emoji and abbreviations.
Everything here turns them into a list of ASCII tokens so that "J’ai BESOIN d'1 pti coup d'main 😅"
and "jai besoin dun petit coup de main" look alike to the matcher. The same function normalises
the lexicon's own entries, so both sides always agree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

# Characters people type instead of the ASCII apostrophe.
_APOSTROPHES = str.maketrans(dict.fromkeys("’‘`´ʼ′‛＇", "'"))

# French elided words: "l'évier" -> "évier". Only the prefix is dropped; the word is kept.
_FR_ELISIONS = frozenset(
    {"l", "j", "qu", "d", "n", "s", "c", "m", "t", "jusqu", "lorsqu", "puisqu", "quoiqu"}
)

# Ordinals: "4ème", "4e", "4eme", "4ieme", "4è" all mean the same class or floor.
_ORDINAL = re.compile(r"^(\d+)(?:e|eme|ieme|em|er|ere|nd|nde)$")
# Three or more identical letters are chat emphasis ("fuiiite", "svppp"), never French or English.
_REPEATS = re.compile(r"([a-z])\1{2,}")
# After folding, anything that is not a letter, a digit or an apostrophe separates tokens.
_SEPARATORS = re.compile(r"[^a-z0-9']+")

# Where a sentence ends: an expression never reaches across it ("…dans mon garage. Vélo…").
# Meaningful emoji stand alone too: "ds mon garage 🚲" is no bike shed.
_SENTENCE_ENDS = re.compile(r"[.!?;:\n]+")
# The token standing for a sentence end; no word folds into it.
BREAK = "."

# Letters that NFKD does not decompose but that French and German words use.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"})


def fold(text: str) -> str:
    """Lower-case, strip accents and unify apostrophes; keeps other characters as they are."""
    # Apostrophes first: NFKC would turn "´" into a space and a combining accent.
    text = unicodedata.normalize("NFKC", text.translate(_APOSTROPHES)).casefold()
    text = text.translate(_APOSTROPHES)
    text = text.translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def has_french_marks(text: str) -> bool:
    """Accented letters or an elision: a cheap sign that a text is French."""
    lowered = text.casefold()
    if any(ch in "éèêàùçâîôûëïœ" for ch in lowered):
        return True
    return re.search(r"\b(?:l|j|qu|d|n|c|m|t)['’]\w", lowered) is not None


class ChatNormaliser:
    """Turns a chat text into tokens, expanding abbreviations and meaningful emoji."""

    def __init__(self, abbreviations: Mapping[str, str], emoji: Mapping[str, str]) -> None:
        # Emoji are mapped before folding, so keys are raw characters without variation selectors.
        self._emoji = {_strip_selectors(k): f" {v} " for k, v in emoji.items()}
        self._emoji_pattern = (
            re.compile("|".join(re.escape(k) for k in sorted(self._emoji, key=len, reverse=True)))
            if self._emoji
            else None
        )
        # Expansions are themselves normalised once, so "qqn" -> ("quelqu", "un").
        self._abbreviations: dict[str, tuple[str, ...]] = {}
        for short, long in abbreviations.items():
            key = self._plain_tokens(fold(short))
            if len(key) == 1:
                self._abbreviations[key[0]] = tuple(self._plain_tokens(fold(long)))

    def tokens(self, text: str) -> list[str]:
        """Normalised tokens of `text`, in order; never raises on odd input."""
        text = _strip_selectors(text)
        if self._emoji_pattern is not None:
            text = self._emoji_pattern.sub(lambda m: f"\n{self._emoji[m.group(0)]}\n", text)
        result: list[str] = []
        for sentence in _SENTENCE_ENDS.split(text):
            tokens = self._plain_tokens(fold(sentence))
            if tokens and result and result[-1] != BREAK:
                result.append(BREAK)
            for token in tokens:
                result.extend(self._abbreviations.get(token, (token,)))
        return result

    @staticmethod
    def _plain_tokens(folded: str) -> list[str]:
        tokens: list[str] = []
        for raw in _SEPARATORS.split(folded):
            for part in _split_apostrophes(raw):
                part = _REPEATS.sub(r"\1", part)
                ordinal = _ORDINAL.match(part)
                if ordinal:
                    part = ordinal.group(1) + "eme"
                # One-letter leftovers ("t" of "don't", a stray "x") carry no meaning.
                if len(part) > 1:
                    tokens.append(part)
        return tokens


def _split_apostrophes(raw: str) -> Sequence[str]:
    parts = [p for p in raw.split("'") if p]
    if len(parts) > 1 and parts[0] in _FR_ELISIONS:
        parts = parts[1:]
    return parts


def _strip_selectors(text: str) -> str:
    # Variation selectors, zero-width joiners and direction marks only change how text looks.
    return re.sub("[\ufe0e\ufe0f\u200b-\u200f\u2060\u202a-\u202e\u2066-\u2069\ufeff]", "", text)
