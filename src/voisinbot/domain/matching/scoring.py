"""Scoring a post against candidate posts: shared concepts dominate, rare shared words break ties.

score = Σ over the query's concepts of the best match in the candidate
          (same concept: 1 × strengths × concept weight × object agreement,
           related concept: RELATED_FACTOR × the same; objects compared by name)
        + a small bonus for rare content stems both texts share,
divided by a small penalty for each candidate concept the query did not ask for (a specialist
beats a jack-of-all-trades). A candidate is suggested only if its concept part alone reaches
MIN_CONCEPT_SCORE and the whole score MIN_SCORE: shared words alone never make a suggestion,
because a wrong suggestion disturbs a neighbour for nothing. And nothing is suggested at all
unless the best candidate offers the same thing (MIN_FIRST_SCORE): weaker candidates (a related
trade, a weak hint) only come after one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from voisinbot.domain.matching.analysis import Features
from voisinbot.domain.matching.lexicon import WEAK, Lexicon, default_lexicon

# A related concept (plumbing need, handyman offer) is worth this share of an exact one.
RELATED_FACTOR = 0.6
# Further query concepts met by the same candidate concept add this share of their value.
SHARED_REASON_FACTOR = 0.25
# Same concept but different objects (a drill is offered, a ladder wanted).
OBJECT_MISMATCH_FACTOR = 0.25
# The query names an object, the candidate names none ("perceuse" asked, "mes outils" offered).
UNNAMED_OBJECT_FACTOR = 0.8
# Each rare shared stem adds up to this much, and all of them together at most STEM_BONUS_CAP.
STEM_BONUS = 0.1
STEM_BONUS_CAP = 0.3
# Penalty per candidate concept that matched nothing in the query.
UNMATCHED_PENALTY = 0.05
MIN_CONCEPT_SCORE = 0.5
MIN_SCORE = 0.6
# The best candidate must reach this, or nothing is suggested: it has to offer the same thing
# (the same concept, its objects not contradicting the need's: "cours de maths" for a maths
# pupil in 4e scores 0.8, the level being named by the need only). A related trade (0.6) or
# a weak hint only ever comes second, behind such a match. Measured on nine sets (the
# development sets and seven written independently): candidates scoring 0.6-0.8 were right 14
# times in 135, and 4 times in 10 as the best candidate; a need whose best candidate was that
# weak was most often one that nothing answers (docs/benchmarks.md, "Matching quality").
MIN_FIRST_SCORE = 0.8
DEFAULT_LIMIT = 3
# Writing to an offerer privately disturbs more than a suggestion under the post: only a direct
# match does it (the same concept on both sides, objects agreeing; a related trade scores 0.6,
# an unnamed object 0.8). On two sets nobody tuned to, the share of alerts sent to a neighbour
# who can help rose from 0.59 and 0.54 to 0.65 and 0.67 (docs/benchmarks.md).
ALERT_MIN_SCORE = 0.9


@dataclass(frozen=True)
class Suggestion:
    post_id: int
    score: float
    reasons: tuple[str, ...]  # concept keys, best first; show with Lexicon.label(key, locale)


def query_terms(query: Features, lexicon: Lexicon | None = None) -> frozenset[str]:
    """Index terms worth looking up to find every candidate `rank` could suggest.

    Only concept terms: a candidate sharing no concept (exact or related) can never pass the
    thresholds, so stem posting lists (long and slow) need not be read. Document frequencies of
    the query's "s:" terms are still useful to `rank`.
    """
    lex = lexicon or default_lexicon()
    keys = query.concepts | query.hints
    related = {r for key in keys for r in lex.related.get(key, ())}
    return frozenset(f"c:{key}" for key in keys | related)


def rank(
    query: Features,
    candidates: Iterable[tuple[int, Features]],
    *,
    limit: int = DEFAULT_LIMIT,
    doc_freq: Mapping[str, int] | None = None,
    total_docs: int | None = None,
    lexicon: Lexicon | None = None,
) -> list[Suggestion]:
    """The best `limit` candidates for `query`, best first; may be empty.

    doc_freq maps index terms ("s:evi") to how many posts hold them, out of total_docs; without
    them every shared stem counts as rare. Ties go to the smaller post id, so results are stable.
    """
    lex = lexicon or default_lexicon()
    if not (query.concepts or query.hints):
        return []
    stem_weights = _stem_weights(query, doc_freq, total_docs)
    scored: list[Suggestion] = []
    for post_id, features in candidates:
        suggestion = score_pair(query, features, lex, stem_weights, post_id)
        if suggestion is not None:
            scored.append(suggestion)
    scored.sort(key=lambda s: (-s.score, s.post_id))
    if not scored or scored[0].score < MIN_FIRST_SCORE:
        return []
    return scored[:limit]


def score_pair(
    query: Features,
    candidate: Features,
    lexicon: Lexicon,
    stem_weights: Mapping[str, float],
    post_id: int = 0,
) -> Suggestion | None:
    """The suggestion `candidate` would make for `query`, or None below the thresholds."""
    values: dict[str, list[float]] = {}
    for key in sorted(query.concepts | query.hints):
        best_value, best_reason = 0.0, ""
        for other in (key, *sorted(lexicon.related.get(key, ()))):
            value = _concept_value(query, candidate, key, other, lexicon)
            if value > best_value:
                best_value, best_reason = value, other
        if best_value > 0:
            values.setdefault(best_reason, []).append(best_value)
    # A candidate concept met by several query concepts counts once, plus a little: a handyman
    # related to both "painting" and "ladder" must not beat the painter and the ladder's owner.
    contributions = {
        reason: max(vs) + SHARED_REASON_FACTOR * (sum(vs) - max(vs))
        for reason, vs in values.items()
    }
    matched = set(contributions)
    concept_score = sum(contributions.values())
    if concept_score < MIN_CONCEPT_SCORE:
        return None
    shared = query.stems & candidate.stems
    bonus = min(STEM_BONUS_CAP, sum(stem_weights.get(s, STEM_BONUS) for s in shared))
    unmatched = len((candidate.concepts | candidate.hints) - matched)
    score = (concept_score + bonus) / (1 + UNMATCHED_PENALTY * unmatched)
    if score < MIN_SCORE:
        return None
    reasons = tuple(sorted(contributions, key=lambda k: (-contributions[k], k)))
    return Suggestion(post_id=post_id, score=round(score, 4), reasons=reasons)


def _strength(features: Features, key: str) -> float:
    if key in features.concepts:
        return 1.0
    return WEAK if key in features.hints else 0.0


def _concept_value(
    query: Features, candidate: Features, key: str, other: str, lex: Lexicon
) -> float:
    strength = _strength(query, key) * _strength(candidate, other)
    if strength == 0:
        return 0.0
    value = strength * lex.concepts[other].weight
    if key != other:
        value *= RELATED_FACTOR
    return value * _object_agreement(query, candidate, key, other)


def _object_agreement(query: Features, candidate: Features, key: str, other: str) -> float:
    # Objects are compared by name, so related concepts that name the same things agree too:
    # a translator from German is no conversation partner in Japanese. A name "dimension:value"
    # is compared within its dimension only: tutoring in maths (subject) for a prépa student
    # (level) needs both to agree, and a maths tutor for collège does not.
    agreement = 1.0
    offered_all = _object_names(candidate, other)
    for dimension, wanted in _by_dimension(_object_names(query, key)).items():
        offered = _by_dimension(offered_all).get(dimension, set())
        # Nothing named by the query ("des outils", "du sport") means any object will do; one
        # named only by the query is probably, not surely, among what the candidate means.
        if wanted & offered:
            continue
        agreement *= UNNAMED_OBJECT_FACTOR if not offered else OBJECT_MISMATCH_FACTOR
    return agreement


def _by_dimension(names: set[str]) -> dict[str, set[str]]:
    grouped: dict[str, set[str]] = {}
    for name in names:
        dimension, _, value = name.rpartition(":")
        grouped.setdefault(dimension, set()).add(value)
    return grouped


def _object_names(features: Features, key: str) -> set[str]:
    prefix = key + "/"
    return {o[len(prefix) :] for o in features.objects if o.startswith(prefix)}


def _stem_weights(
    query: Features, doc_freq: Mapping[str, int] | None, total_docs: int | None
) -> dict[str, float]:
    if not doc_freq or not total_docs:
        return {}
    weights: dict[str, float] = {}
    for s in query.stems:
        df = doc_freq.get(f"s:{s}", 0)
        # Normalised IDF in (0, 1]: a stem in every post is worth ~0, a unique one the full bonus.
        idf = math.log((total_docs + 1) / (df + 1)) / math.log(total_docs + 1)
        weights[s] = STEM_BONUS * max(0.0, min(1.0, idf * 2))
    return weights
