"""What a post means to the matcher: `analyse(text) -> Features`.

Steps: normalise -> guess the language -> drop stopwords -> correct typos -> find lexicon patterns
(words and expressions) -> apply combinations ("garder" + animal) and exclusions -> keep the
concepts, their objects and the content stems. A word inside a longer expression belongs to it:
"robot pâtissier" is a kitchen appliance, not baking; the "lit" of "punaises de lit" is no bed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from voisinbot.domain.matching.lexicon import (
    FIRM,
    Combo,
    Element,
    Lexicon,
    TermMeaning,
    default_lexicon,
)
from voisinbot.domain.matching.stemming import LANGUAGES, Language, stem
from voisinbot.domain.matching.text import BREAK, has_french_marks

# Words of an expression may be separated by this many other words: "porter le vieux canapé".
MAX_GAP = 2
# Parts of a combination must fall within this many tokens: "garder" ... "chat".
COMBO_WINDOW = 8
# A negation turns round an exclusion word at most this many tokens after it.
NEGATION_REACH = 3
# Long posts are cut: meaning is in the first lines, and analysis must stay fast.
MAX_TOKENS = 300


@dataclass(frozen=True)
class Features:
    """What a text means to the matcher; small, immutable and serialisable.

    concepts: concept keys found with confidence; hints: concept keys only hinted at (a weak word);
    objects: "concept/object" pairs for concepts where the object matters (a drill is not a ladder);
    stems: content stems (stopwords, generic chat words and role words removed).
    """

    concepts: frozenset[str] = frozenset()
    hints: frozenset[str] = frozenset()
    objects: frozenset[str] = frozenset()
    stems: frozenset[str] = frozenset()

    def index_terms(self) -> frozenset[str]:
        """Terms for an inverted index: "c:<concept>" (concepts and hints) and "s:<stem>"."""
        return frozenset(
            {f"c:{key}" for key in self.concepts | self.hints} | {f"s:{s}" for s in self.stems}
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "c": sorted(self.concepts),
                "h": sorted(self.hints),
                "o": sorted(self.objects),
                "s": sorted(self.stems),
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, raw: str) -> Features:
        data = json.loads(raw)
        return cls(
            concepts=frozenset(data.get("c", ())),
            hints=frozenset(data.get("h", ())),
            objects=frozenset(data.get("o", ())),
            stems=frozenset(data.get("s", ())),
        )


def analyse(text: str, lexicon: Lexicon | None = None) -> Features:
    """Features of a chat text; uses the default lexicon unless one is given."""
    return _analyse(lexicon or default_lexicon(), text)


def detect_languages(lexicon: Lexicon, text: str, tokens: Sequence[str]) -> tuple[Language, ...]:
    """French, English or both (when unsure), from stopwords only one language uses."""
    fr = sum(t in lexicon.cues["fr"] for t in tokens) + (2 if has_french_marks(text) else 0)
    en = sum(t in lexicon.cues["en"] for t in tokens)
    if fr > en:
        return ("fr",)
    if en > fr:
        return ("en",)
    return LANGUAGES


def _analyse(lexicon: Lexicon, text: str) -> Features:
    raw_tokens = lexicon.normaliser.tokens(text[: MAX_TOKENS * 12])[:MAX_TOKENS]
    languages = detect_languages(lexicon, text[:2000], raw_tokens)
    stop = frozenset().union(*(lexicon.stopwords[lang] for lang in languages))
    tokens = [_corrected(lexicon, t, languages) for t in raw_tokens if t not in stop]
    strengths: dict[str, float] = defaultdict(float)
    objects: set[str] = set()
    for language in languages:
        _match_language(lexicon, tokens, language, strengths, objects)
    firm = frozenset(k for k, s in strengths.items() if s >= FIRM)
    hints = frozenset(k for k, s in strengths.items() if 0 < s < FIRM)
    fired = firm | hints
    return Features(
        concepts=firm,
        hints=hints,
        objects=frozenset(o for o in objects if o.split("/", 1)[0] in fired),
        stems=_content_stems(lexicon, tokens, languages),
    )


def _corrected(lexicon: Lexicon, token: str, languages: Sequence[Language]) -> str:
    if any(lexicon.knows(token, lang) for lang in languages):
        return token
    return lexicon.correct_typo(token) or token


def _content_stems(
    lexicon: Lexicon, tokens: Sequence[str], languages: Sequence[Language]
) -> frozenset[str]:
    stems: set[str] = set()
    for token in tokens:
        if len(token) < 3 or token.isdigit():
            continue
        for lang in languages:
            s = stem(token, lang)
            if s not in lexicon.generic_stems[lang] and s not in lexicon.role_stems[lang]:
                stems.add(s)
    return frozenset(stems)


def _match_language(
    lexicon: Lexicon,
    tokens: Sequence[str],
    language: Language,
    strengths: dict[str, float],
    objects: set[str],
) -> None:
    stems = [stem(t, language) for t in tokens]
    hits = _find_patterns(lexicon, tokens, stems, language)
    vetoed: set[str] = set().union(
        *(lexicon.vetoed_by.get(g, ()) for g in _vetoing_groups(lexicon, hits))
    )
    group_positions: dict[int, list[int]] = defaultdict(list)
    term_hits: list[tuple[frozenset[int], TermMeaning]] = []
    # A word inside a longer expression that means something is part of that thing: the "lit" of
    # "punaises de lit" is no bed, the "vélo" of "vélo d'appartement" needs no bike mechanic.
    meanings = [
        positions
        for positions, payloads in hits
        if any(
            isinstance(p, TermMeaning) and p.strength > 0 and p.concept not in vetoed
            for p in payloads
        )
    ]
    for positions, payloads in hits:
        in_expression = _inside_longer(positions, meanings)
        for payload in payloads:
            if isinstance(payload, TermMeaning):
                term_hits.append((positions, payload))
            elif isinstance(payload, int) and not in_expression:
                group_positions[payload].append(min(positions))
    found: dict[str, float] = defaultdict(float)
    for positions, meaning in term_hits:
        if meaning.concept in vetoed or _swallowed(
            positions, meaning.concept, meaning.strength, hits
        ):
            continue
        found[meaning.concept] = max(found[meaning.concept], meaning.strength)
        if meaning.obj is not None:
            objects.add(f"{meaning.concept}/{meaning.obj}")
    candidates = {c for g in group_positions for c in lexicon.combos_by_group.get(g, ())}
    for combo in candidates:
        if combo.concept not in vetoed and _combo_fires(combo, group_positions):
            found[combo.concept] = max(found[combo.concept], combo.strength)
    for key, value in found.items():
        strengths[key] = max(strengths[key], value)


def _vetoing_groups(
    lexicon: Lexicon, hits: Sequence[tuple[frozenset[int], list[object]]]
) -> set[int]:
    """The groups found, except those just after a negation: a resident who "can't buy a new
    one" or "n'a pas les moyens d'en racheter un" asks for help, not for a shop."""
    negation = lexicon.negation_group
    negations = [min(p) for p, payloads in hits if negation in payloads] if negation else []
    found: set[int] = set()
    for positions, payloads in hits:
        start = min(positions)
        if negations and any(start - NEGATION_REACH <= n < start for n in negations):
            continue
        found.update(p for p in payloads if isinstance(p, int))
    return found


def _find_patterns(
    lexicon: Lexicon, tokens: Sequence[str], stems: Sequence[str], language: Language
) -> list[tuple[frozenset[int], list[object]]]:
    """Every pattern found, as the token positions it matched and the meanings it carries."""
    by_first = lexicon.patterns[language].by_first
    hits: list[tuple[frozenset[int], list[object]]] = []
    for i, (token, token_stem) in enumerate(zip(tokens, stems, strict=True)):
        for first in ((True, token), (False, token_stem)):
            for rest, payloads in by_first.get(first, ()):
                positions = _match_rest(rest, tokens, stems, i)
                if positions is not None:
                    hits.append((positions, payloads))
    return hits


def _match_rest(
    rest: Sequence[Element], tokens: Sequence[str], stems: Sequence[str], first: int
) -> frozenset[int] | None:
    positions = [first]
    for exact, value in rest:
        start = positions[-1] + 1
        for j in range(start, min(len(tokens), start + MAX_GAP + 1)):
            if (tokens[j] if exact else stems[j]) == value:
                positions.append(j)
                break
            if tokens[j] == BREAK:
                return None
        else:
            return None
    return frozenset(positions)


def _swallowed(
    positions: frozenset[int],
    concept: str,
    strength: float,
    hits: Sequence[tuple[frozenset[int], list[object]]],
) -> bool:
    # Inside a longer expression of its own concept a word still names an object: the "car" of
    # "lend my car"; inside any other longer expression it means nothing by itself, unless that
    # expression is only a weaker hint ("garden tools" must not hide "gardening").
    return any(
        positions < other and _stronger_elsewhere(payloads, concept, strength)
        for other, payloads in hits
    )


def _stronger_elsewhere(payloads: Sequence[object], concept: str, strength: float) -> bool:
    meanings = [p for p in payloads if isinstance(p, TermMeaning)]
    if any(m.concept == concept for m in meanings):
        return False
    return not meanings or max(m.strength for m in meanings) >= strength


def _inside_longer(positions: frozenset[int], others: Sequence[frozenset[int]]) -> bool:
    # Only the words an expression matched belong to it: the words skipped between them
    # ("porter le vieux canapé") keep their own meaning.
    return any(positions < other for other in others)


def _combo_fires(combo: Combo, group_positions: dict[int, list[int]]) -> bool:
    if combo.vetoes & group_positions.keys():
        return False
    part_positions: list[list[int]] = []
    for part in combo.parts:
        positions = [p for gid in part for p in group_positions.get(gid, ())]
        if not positions:
            return False
        part_positions.append(positions)
    # Some window [anchor, anchor + COMBO_WINDOW] must hold a hit of every part.
    anchors = {p for positions in part_positions for p in positions}
    return any(
        all(any(a <= p <= a + COMBO_WINDOW for p in positions) for positions in part_positions)
        for a in anchors
    )
