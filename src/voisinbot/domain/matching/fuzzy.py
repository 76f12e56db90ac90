"""Typo tolerance: map an unknown token to the one lexicon word at edit distance 1.

A symmetric-deletion index (as in SymSpell) finds candidates in a few dictionary look-ups instead
of comparing against every word: two words are within one edit only if they share a deletion.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

# Short words have too many real neighbours ("chat"/"char"/"chut"): only correct longer ones.
MIN_FUZZY_LENGTH = 5


def within_one_edit(a: str, b: str) -> bool:
    """True when `a` and `b` differ by at most one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diffs = [i for i in range(la) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        # Adjacent transposition ("plmobier") counts as one typo.
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    if la > lb:
        a, b = b, a
    # b is one longer: skipping one character of b must give a.
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))} | {word}


class TypoCorrector:
    """Corrects a token to a vocabulary word one typo away, when exactly one such word exists."""

    def __init__(self, vocabulary: Iterable[str], *, first_letter: bool = True) -> None:
        self._first_letter = first_letter
        self._by_deletion: dict[str, set[str]] = defaultdict(set)
        self.vocabulary = frozenset(w for w in vocabulary if len(w) >= MIN_FUZZY_LENGTH)
        for word in self.vocabulary:
            for key in _deletions(word):
                self._by_deletion[key].add(word)

    def neighbours(self, token: str) -> set[str]:
        """Vocabulary words within one edit of `token` (itself included if known)."""
        candidates: set[str] = set()
        for key in _deletions(token):
            candidates |= self._by_deletion.get(key, set())
        return {
            w
            for w in candidates
            # Typos rarely hit the first letter, and requiring it avoids many wrong corrections.
            if (not self._first_letter or w[0] == token[0]) and within_one_edit(token, w)
        }

    def correct(self, token: str) -> str | None:
        if len(token) < MIN_FUZZY_LENGTH or not token.isalpha():
            return None
        matches = self.neighbours(token)
        if len(matches) == 1:
            return matches.pop()
        return None
