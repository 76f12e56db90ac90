"""French and English stems of already-normalised (accent-free) tokens.

snowballstemmer is pure Python (~50-100 µs a word), so every stem is memoised: chat vocabulary is
small and repetitive, and the lexicon's own words are stemmed once at load time.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

import snowballstemmer

Language = Literal["fr", "en"]
LANGUAGES: tuple[Language, ...] = ("fr", "en")

_STEMMERS = {"fr": snowballstemmer.stemmer("french"), "en": snowballstemmer.stemmer("english")}


@lru_cache(maxsize=65536)
def stem(token: str, language: Language) -> str:
    """Stem of `token` in `language`; tokens are accent-free, as produced by the normaliser."""
    if token.isdigit():
        return token
    result: str = _STEMMERS[language].stemWord(token)
    if language == "fr":
        # Without accents the French stemmer leaves the "e" of "réparée" -> "reparee" -> "repare";
        # dropping it makes "reparee", "repare" and "reparer" meet on "repar".
        while len(result) > 3 and result.endswith("e"):
            result = result[:-1]
    return result
