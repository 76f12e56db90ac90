"""Finding the neighbour who can help: index each post, match new posts against the group's
active posts of the other kind, keep the matches shown under the post."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from voisinbot.domain.matching import (
    Features,
    analyse,
    default_lexicon,
    lexicon_fingerprint,
    query_terms,
    rank,
)
from voisinbot.domain.posts import Post, PostKind
from voisinbot.storage import Store
from voisinbot.storage.match_index import StoredMatch

MAX_MATCHES = 3
LEXICON_KEY = "lexicon_fingerprint"  # in bot_state: the lexicon the stored analyses come from
# Posts analysed between two yields to the event loop (~0.5 ms each): a resident's update
# waits at most a few tens of milliseconds while an upgrade re-analyses the index.
REINDEX_BATCH = 50


@dataclass(frozen=True, slots=True)
class Match:
    post: Post
    score: float
    reasons: tuple[str, ...]  # concept keys, best first


@lru_cache(maxsize=20_000)
def _features(raw: str) -> Features:
    """Parsed once per distinct stored form: candidates come back again and again."""
    return Features.from_json(raw)


def other_kind(kind: PostKind) -> PostKind:
    return PostKind.OFFER if kind is PostKind.NEED else PostKind.NEED


async def index_post(store: Store, post: Post) -> Features:
    """Analyse the post's text and put it in the group's index. Idempotent."""
    features = analyse(post.text)
    await store.matching.index(
        post.id, post.chat_id, post.kind.value, features.to_json(), features.index_terms()
    )
    return features


async def reindex_if_lexicon_changed(store: Store, now: datetime) -> int:
    """After an upgrade that changed the lexicon, analyse the active posts again, so that
    new posts find old ones with what the lexicon now knows. Returns how many were analysed
    (0 when the index is current). Idempotent: interrupted, it starts again next time."""
    current = lexicon_fingerprint()
    if await store.state.text(LEXICON_KEY) == current:
        return 0
    lexicon = default_lexicon()
    count, after = 0, 0
    while batch := await store.matching.active_texts(after, now, REINDEX_BATCH):
        rows = []
        for post_id, chat_id, kind, text in batch:
            features = analyse(text, lexicon)
            rows.append((post_id, chat_id, kind, features.to_json(), features.index_terms()))
        await store.matching.index_many(rows)
        count, after = count + len(rows), batch[-1][0]
        await asyncio.sleep(0)  # residents' updates between batches
    await mark_index_current(store)
    return count


async def mark_index_current(store: Store) -> None:
    """The stored analyses are the current lexicon's (a fresh database, a bulk load)."""
    await store.state.put_text(LEXICON_KEY, lexicon_fingerprint())


async def unindex_post(store: Store, post_id: int) -> None:
    await store.matching.unindex(post_id)


async def find_matches(
    store: Store,
    *,
    chat_id: int,
    kind: PostKind,
    features: Features,
    now: datetime,
    author_id: int | None = None,
    limit: int = MAX_MATCHES,
) -> list[tuple[int, float, tuple[str, ...]]]:
    """(post id, score, reasons) of the best active posts of the other kind in the group."""
    target = other_kind(kind).value
    terms = sorted(query_terms(features))
    candidates = await store.matching.candidates(
        chat_id, target, terms, now, exclude_author=author_id
    )
    if not candidates:
        return []
    stems = sorted(f"s:{s}" for s in features.stems)
    doc_freq = await store.matching.doc_freq(chat_id, target, stems)
    total = await store.matching.count_indexed(chat_id, target)
    ranked = rank(
        features,
        ((post_id, _features(raw)) for post_id, raw in candidates),
        limit=limit,
        doc_freq=doc_freq,
        total_docs=total,
    )
    return [(s.post_id, s.score, s.reasons) for s in ranked]


async def match_new_post(
    store: Store, post: Post, now: datetime, *, features: Features | None = None
) -> list[Match]:
    """Find a new post's matches and keep them for its card. With ``features`` the post was
    indexed when it was stored; without, it is indexed now."""
    if features is None:
        features = await index_post(store, post)
    found = await find_matches(
        store,
        chat_id=post.chat_id,
        kind=post.kind,
        features=features,
        now=now,
        author_id=post.author_id,
    )
    await store.matching.save_matches(
        post.id,
        [
            StoredMatch(post_id, i, score, reasons)
            for i, (post_id, score, reasons) in enumerate(found)
        ],
    )
    return await stored_matches(store, post.id)


async def stored_matches(store: Store, post_id: int) -> list[Match]:
    """The matches kept for a post, still active."""
    stored = await store.matching.matches(post_id)
    found = await store.posts.get_many([s.matched_id for s in stored])
    return [
        Match(found[s.matched_id], s.score, s.reasons)
        for s in stored
        if s.matched_id in found and found[s.matched_id].status.is_active
    ]


async def suggest_for_text(
    store: Store, *, chat_id: int, kind: PostKind, text: str, now: datetime
) -> list[int]:
    """The ids the bot would suggest for a new post with this text (benchmarks use this)."""
    features = analyse(text)
    return [
        post_id
        for post_id, _, _ in await find_matches(
            store, chat_id=chat_id, kind=kind, features=features, now=now
        )
    ]
