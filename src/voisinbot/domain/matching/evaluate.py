"""Measuring the matcher on a labelled set of needs and offers.

A dataset is `{"offers": [{"id", "text"}], "needs": [{"id", "text", "relevant": [offer ids]}]}`;
`suggest(need_text)` returns offer ids, best first. Any suggestion function can be measured: the
in-memory one below (analyse + rank), the bot's real SQLite path, or the BM25 baseline.

Metrics (needs "with offers" have at least one relevant offer, the others have none):
- P@1: share of needs with offers whose first suggestion is relevant.
- recall@3: |relevant ∩ first three| / min(|relevant|, 3), averaged over needs with offers, so a
  need with five good offers is fully served by three of them.
- MRR: mean over needs with offers of 1 / rank of the first relevant suggestion (0 if none).
- false_alarms: share of needs without offers that still get at least one suggestion.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from voisinbot.domain.matching.analysis import Features, analyse
from voisinbot.domain.matching.lexicon import Lexicon, default_lexicon
from voisinbot.domain.matching.scoring import DEFAULT_LIMIT, query_terms, rank
from voisinbot.domain.matching.stemming import stem
from voisinbot.domain.matching.text import BREAK

Suggest = Callable[[str], Sequence[int]]


@dataclass(frozen=True)
class Metrics:
    p_at_1: float
    recall_at_3: float
    mrr: float
    false_alarms: float
    needs_with_offers: int
    needs_without_offers: int


def evaluate(dataset: Mapping[str, Any], suggest: Suggest) -> Metrics:
    """Metrics of `suggest` on `dataset` (see the module docstring for their definitions)."""
    hits_at_1 = recall = reciprocal = 0.0
    with_offers = without_offers = alarms = 0
    for need in dataset["needs"]:
        relevant = set(need.get("relevant", ()))
        suggested = list(suggest(need["text"]))
        if not relevant:
            without_offers += 1
            alarms += bool(suggested)
            continue
        with_offers += 1
        hits_at_1 += bool(suggested) and suggested[0] in relevant
        recall += len(relevant & set(suggested[:3])) / min(len(relevant), 3)
        first = next((i for i, offer in enumerate(suggested) if offer in relevant), None)
        reciprocal += 0.0 if first is None else 1.0 / (first + 1)
    return Metrics(
        p_at_1=_share(hits_at_1, with_offers),
        recall_at_3=_share(recall, with_offers),
        mrr=_share(reciprocal, with_offers),
        false_alarms=_share(alarms, without_offers),
        needs_with_offers=with_offers,
        needs_without_offers=without_offers,
    )


def format_metrics(metrics: Metrics) -> str:
    return (
        f"P@1 {metrics.p_at_1:.2f} recall@3 {metrics.recall_at_3:.2f} "
        f"MRR {metrics.mrr:.2f} false_alarms {metrics.false_alarms:.2f}"
    )


def matcher_suggest(
    offers: Iterable[Mapping[str, Any]],
    *,
    limit: int = DEFAULT_LIMIT,
    lexicon: Lexicon | None = None,
) -> Suggest:
    """The matcher over in-memory offers, looked up like the bot's inverted index does."""
    lex = lexicon or default_lexicon()
    analysed = [(int(o["id"]), analyse(o["text"], lex)) for o in offers]
    postings: dict[str, list[tuple[int, Features]]] = {}
    doc_freq: Counter[str] = Counter()
    for offer_id, features in analysed:
        for term in features.index_terms():
            doc_freq[term] += 1
            postings.setdefault(term, []).append((offer_id, features))

    def suggest(text: str) -> list[int]:
        query = analyse(text, lex)
        candidates = {
            offer_id: features
            for term in query_terms(query, lex)
            for offer_id, features in postings.get(term, ())
        }
        found = rank(
            query,
            candidates.items(),
            limit=limit,
            doc_freq=doc_freq,
            total_docs=len(analysed),
            lexicon=lex,
        )
        return [s.post_id for s in found]

    return suggest


def bm25_suggest(
    offers: Iterable[Mapping[str, Any]],
    *,
    limit: int = DEFAULT_LIMIT,
    k1: float = 1.2,
    b: float = 0.75,
) -> Suggest:
    """Baseline for comparison: Okapi BM25 over folded, French-stemmed words, no lexicon."""
    docs = [(int(o["id"]), _bm25_tokens(o["text"])) for o in offers]
    average = sum(len(tokens) for _, tokens in docs) / max(1, len(docs))
    doc_freq: Counter[str] = Counter(t for _, tokens in docs for t in set(tokens))
    total = len(docs)

    def suggest(text: str) -> list[int]:
        query = set(_bm25_tokens(text))
        scored: list[tuple[float, int]] = []
        for offer_id, tokens in docs:
            counts = Counter(tokens)
            score = 0.0
            for term in query & counts.keys():
                idf = math.log(1 + (total - doc_freq[term] + 0.5) / (doc_freq[term] + 0.5))
                tf = counts[term]
                score += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(tokens) / average))
            if score > 0:
                scored.append((score, offer_id))
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        return [offer_id for _, offer_id in scored[:limit]]

    return suggest


def _bm25_tokens(text: str) -> list[str]:
    lex = default_lexicon()
    stop = lex.stopwords["fr"] | lex.stopwords["en"] | {BREAK}
    return [stem(t, "fr") for t in lex.normaliser.tokens(text) if t not in stop]


def _share(value: float, count: int) -> float:
    return value / count if count else 0.0
