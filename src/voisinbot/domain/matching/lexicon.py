"""The concept lexicon: loaded from `voisinbot/data/concepts/*.json`, compiled once for matching.

The data files say what words mean; this module only turns them into look-up tables:
every word or expression becomes a *pattern* (a sequence of stems, or of exact words for entries
written "=word"), indexed by its first element, with the meanings it carries as *payloads*.
The files are merged in name order (concept lists concatenated, other sections merged), so each
stays small and reviewable; see "_doc" in `concepts/00_common.json` for the format.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from voisinbot.domain.matching.data import (
    TYPO_GUARD_FILE,
    load_concept_data,
    load_json_resource,
)
from voisinbot.domain.matching.fuzzy import TypoCorrector
from voisinbot.domain.matching.stemming import LANGUAGES, Language, stem
from voisinbot.domain.matching.text import ChatNormaliser

FIRM = 1.0
WEAK = 0.5

# An element of a pattern: (exact, value). exact=True compares the surface word, else the stem.
Element = tuple[bool, str]


@dataclass(frozen=True)
class TermMeaning:
    """A word of a concept's own vocabulary: fires the concept (or just names one of its objects)."""

    concept: str
    strength: float
    obj: str | None = None


@dataclass(frozen=True)
class Combo:
    """A concept fires when every part (a set of groups) has a hit within a short window."""

    concept: str
    parts: tuple[frozenset[int], ...]
    vetoes: frozenset[int]
    strength: float


@dataclass(frozen=True)
class ConceptInfo:
    key: str
    labels: Mapping[str, str]
    weight: float
    related: tuple[str, ...]
    vetoes: frozenset[int]
    objects_fire: bool
    has_objects: bool
    vocabulary: Mapping[str, tuple[str, ...]]  # raw words per language, for tests and audits


@dataclass
class Patterns:
    """Patterns of one language, indexed by their first element."""

    by_first: dict[Element, list[tuple[tuple[Element, ...], list[object]]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    _seen: dict[tuple[Element, ...], list[object]] = field(default_factory=dict)

    def all(self) -> Iterable[tuple[Element, ...]]:
        return self._seen.keys()

    def add(self, elements: tuple[Element, ...], payload: object) -> None:
        payloads = self._seen.get(elements)
        if payloads is None:
            payloads = []
            self._seen[elements] = payloads
            self.by_first[elements[0]].append((elements[1:], payloads))
        if payload not in payloads:
            payloads.append(payload)


class Lexicon:
    """Concepts of neighbourhood life, their words in French and English, compiled for matching."""

    def __init__(
        self,
        data: Mapping[str, Any],
        typo_guard: Iterable[str] = (),
        real_words: Iterable[str] = (),
    ) -> None:
        # Real words one typo away from a lexicon word ("couleur", "coureur"): never corrected.
        self._real_words = frozenset(real_words)
        self.normaliser = ChatNormaliser(data.get("abbreviations", {}), data.get("emoji", {}))
        self._surfaces: set[str] = set()
        self._token_cache: dict[str, tuple[str, ...]] = {}
        self.stopwords: dict[str, frozenset[str]] = {
            lang: frozenset(self._single_tokens(data["stopwords"][lang])) for lang in LANGUAGES
        }
        # Words that say a text is French, or English: stopwords of one language only.
        self.cues: dict[str, frozenset[str]] = {
            "fr": self.stopwords["fr"] - self.stopwords["en"],
            "en": self.stopwords["en"] - self.stopwords["fr"],
        }
        self.generic_stems: dict[str, frozenset[str]] = {
            lang: frozenset(stem(t, lang) for t in self._single_tokens(data["generic"][lang]))
            for lang in LANGUAGES
        }
        self.patterns: dict[str, Patterns] = {lang: Patterns() for lang in LANGUAGES}
        self.group_count = 0
        self._named_groups: dict[str, int] = {}
        self.role_stems: dict[str, set[str]] = {lang: set() for lang in LANGUAGES}
        for name, group in data.get("groups", {}).items():
            gid = self._new_group()
            self._named_groups[name] = gid
            for lang in LANGUAGES:
                for entry in group.get(lang, ()):
                    elements = self._add(lang, entry, gid)
                    # Role words (lend, give, need...) say what is asked, not what about.
                    if group.get("role") and elements and len(elements) == 1:
                        self.role_stems[lang].add(elements[0][1])
        # Words that turn an exclusion round: "je peux pas en racheter un" is no purchase.
        self.negation_group: int | None = self._named_groups.get("negation")
        self.concepts: dict[str, ConceptInfo] = {}
        self.combos: list[Combo] = []
        for raw in data["concepts"]:
            self._compile_concept(raw)
        self._token_cache.clear()  # only compilation needs it
        # Analysing a text looks only at what its groups can reach: the concepts a group
        # vetoes, the combos a group may start (a combo needs a hit of its first part).
        self.vetoed_by: dict[int, frozenset[str]] = _inverse(
            (info.key, info.vetoes) for info in self.concepts.values()
        )
        self.combos_by_group: dict[int, tuple[Combo, ...]] = {
            gid: tuple(c for c in self.combos if gid in c.parts[0])
            for gid in {g for c in self.combos for g in c.parts[0]}
        }
        unknown = {r for c in self.concepts.values() for r in c.related} - set(self.concepts)
        if unknown:
            raise ValueError(f"related concepts not in the lexicon: {sorted(unknown)}")
        # Relatedness is mutual: a handyman's offer relates to a plumbing need and vice versa.
        related: dict[str, set[str]] = defaultdict(set)
        for info in self.concepts.values():
            for other in info.related:
                related[info.key].add(other)
                related[other].add(info.key)
        self.related: dict[str, frozenset[str]] = {
            key: frozenset(related.get(key, ())) for key in self.concepts
        }
        self._build_typo_corrector(set(typo_guard))

    # -- public ---------------------------------------------------------------------------------

    def keys(self) -> list[str]:
        return list(self.concepts)

    def label(self, key: str, locale: str) -> str:
        """Human label of a concept for a reason line ("parce que : plomberie")."""
        labels = self.concepts[key].labels
        return labels.get(locale) or labels.get(locale.split("-")[0]) or labels["en"]

    def typo_targets(self) -> frozenset[str]:
        """The words a typo may be corrected into."""
        return self._typos.vocabulary

    def correct_typo(self, token: str) -> str | None:
        if token in self._real_words:
            return None
        return self._typos.correct(token)

    def knows(self, token: str, language: Language) -> bool:
        """Whether a token means something to the lexicon as it is (no typo correction needed)."""
        return (
            token in self.stopwords[language]
            or (True, token) in self._known_elements[language]
            or (False, stem(token, language)) in self._known_elements[language]
            or stem(token, language) in self.generic_stems[language]
        )

    # -- compilation ----------------------------------------------------------------------------

    def _new_group(self) -> int:
        self.group_count += 1
        return self.group_count - 1

    def _single_tokens(self, words: Iterable[str]) -> list[str]:
        return [t for w in words for t in self.normaliser.tokens(w)]

    def _entry_tokens(self, entry: str) -> tuple[str, ...]:
        # The same entries come back in both languages and in several sections: normalising
        # each once halves the lexicon's compile time.
        tokens = self._token_cache.get(entry)
        if tokens is None:
            tokens = self._token_cache[entry] = tuple(self.normaliser.tokens(entry.lstrip("=")))
        return tokens

    def _elements(self, entry: str, lang: Language) -> tuple[Element, ...]:
        exact = entry.startswith("=")
        tokens = [t for t in self._entry_tokens(entry) if t not in self.stopwords[lang]]
        return tuple((True, t) if exact else (False, stem(t, lang)) for t in tokens)

    def _add(self, lang: Language, entry: str, payload: object) -> tuple[Element, ...]:
        elements = self._elements(entry, lang)
        self._surfaces.update(t for t in self._entry_tokens(entry) if len(t) > 1)
        if elements:
            self.patterns[lang].add(elements, payload)
        return elements

    def _group_ids(self, items: Any) -> frozenset[int]:
        """Group ids for a list of "@group" names and literal words (literals: both languages).

        A dict {"fr": [...], "en": [...]} keeps literals to their own language.
        """
        per_language: dict[Language, list[str]] = (
            {lang: list(items.get(lang, ())) for lang in LANGUAGES}
            if isinstance(items, Mapping)
            else {lang: list(items) for lang in LANGUAGES}
        )
        ids: set[int] = set()
        literal_gid: int | None = None
        for lang, entries in per_language.items():
            for entry in entries:
                if entry.startswith("@"):
                    if entry[1:] not in self._named_groups:
                        raise ValueError(f"unknown group {entry}")
                    ids.add(self._named_groups[entry[1:]])
                    continue
                if literal_gid is None:
                    literal_gid = self._new_group()
                    ids.add(literal_gid)
                self._add(lang, entry, literal_gid)
        return frozenset(ids)

    def _compile_concept(self, raw: Mapping[str, Any]) -> None:
        key = raw["key"]
        if key in self.concepts:
            raise ValueError(f"duplicate concept {key}")
        vocabulary: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
        for section, strength in (("terms", FIRM), ("weak", WEAK)):
            for lang in LANGUAGES:
                for entry in raw.get(section, {}).get(lang, ()):
                    self._add(lang, entry, TermMeaning(key, strength))
                    vocabulary[lang].append(entry)
        objects_fire = bool(raw.get("objects_fire", True))
        for obj, words in raw.get("objects", {}).items():
            for lang in LANGUAGES:
                for entry in words.get(lang, ()):
                    self._add(lang, entry, TermMeaning(key, FIRM if objects_fire else 0.0, obj))
                    vocabulary[lang].append(entry)
        for combo in raw.get("combos", ()):
            parts = tuple(self._group_ids(part) for part in combo["all"])
            vetoes = self._group_ids(combo.get("unless", ()))
            strength = WEAK if combo.get("weak") else FIRM
            self.combos.append(Combo(key, parts, vetoes, strength))
        labels = raw["labels"]
        if not labels.get("fr") or not labels.get("en"):
            raise ValueError(f"concept {key} needs fr and en labels")
        self.concepts[key] = ConceptInfo(
            key=key,
            labels=labels,
            weight=float(raw.get("weight", 1.0)),
            related=tuple(raw.get("related", ())),
            vetoes=self._group_ids(raw.get("unless", ())),
            objects_fire=objects_fire,
            has_objects=bool(raw.get("objects")),
            vocabulary={lang: tuple(v) for lang, v in vocabulary.items()},
        )

    def _build_typo_corrector(self, guard: set[str]) -> None:
        self._known_elements: dict[str, set[Element]] = {
            lang: {e for elements in self.patterns[lang].all() for e in elements}
            for lang in LANGUAGES
        }
        # Correction targets are single lexicon words. A word is left out when another known word
        # is one edit away with another meaning: "garde" must never become "garer".
        others = self._surfaces | set().union(*self.stopwords.values())
        neighbours = TypoCorrector(others, first_letter=False)
        targets = {
            w
            for w in self._surfaces - guard
            if all(self._same_meaning(o, w) for o in neighbours.neighbours(w) if o != w)
        }
        self._typos = TypoCorrector(targets)

    def _same_meaning(self, a: str, b: str) -> bool:
        # "plombier" and "plombiere" stem apart but mean the same: a typo may land on either.
        if stem(a, "fr") == stem(b, "fr"):
            return True
        meaning_a, meaning_b = self._word_meaning(a), self._word_meaning(b)
        return bool(meaning_a) and meaning_a == meaning_b

    def _word_meaning(self, word: str) -> frozenset[object]:
        """What a word means on its own: the concepts of its one-word patterns, else its groups."""
        concepts: set[object] = set()
        groups: set[object] = set()
        for lang in LANGUAGES:
            for element in ((True, word), (False, stem(word, lang))):
                for rest, payloads in self.patterns[lang].by_first.get(element, ()):
                    if not rest:
                        for p in payloads:
                            if isinstance(p, TermMeaning):
                                concepts.add(p.concept)
                            else:
                                groups.add(p)
        return frozenset(concepts or groups)


_compiled: list[Lexicon] = []
# The bot compiles the lexicon in a thread at start-up; a post arriving meanwhile waits for
# that compilation instead of starting a second one.
_compile_lock = threading.Lock()


def default_lexicon() -> Lexicon:
    """The lexicon shipped with VoisinBot, compiled once per process (thread-safe)."""
    if not _compiled:
        with _compile_lock:
            if not _compiled:
                guard = load_json_resource(TYPO_GUARD_FILE)
                _compiled.append(
                    Lexicon(
                        load_concept_data(),
                        typo_guard=guard.get("words", ()),
                        real_words=guard.get("real_words", ()),
                    )
                )
    return _compiled[0]


def _inverse(pairs: Iterable[tuple[str, frozenset[int]]]) -> dict[int, frozenset[str]]:
    keys_by_group: dict[int, set[str]] = defaultdict(set)
    for key, groups in pairs:
        for gid in groups:
            keys_by_group[gid].add(key)
    return {gid: frozenset(keys) for gid, keys in keys_by_group.items()}
