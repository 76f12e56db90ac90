"""``voisinbot bench matching-speed``: matching a new post among 100,000 active offers and
100,000 open needs in one SQLite database. Prints p50/p95 per new post and peak memory.

The corpus is built from the lexicon's own words in chat-like sentences, loaded in bulk
(analysed with the real ``analyse``); each measured post then goes through the bot's path
``declare_post`` (analysis, index, candidate look-up, ranking, matches kept).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import random
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from voisinbot.bench.machine import machine_line, peak_rss_mb, percentile
from voisinbot.domain.classify import categorise
from voisinbot.domain.matching import Features, analyse, default_lexicon
from voisinbot.domain.posts import PostKind
from voisinbot.services import community, posts
from voisinbot.storage import Store
from voisinbot.storage.bulk import BulkPost

CHAT_ID = -1001
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
NEED_TEMPLATES = (
    "besoin d'aide pour {w} svp",
    "qqn pour {w} ce week-end ?",
    "je cherche {w}",
    "help with {w} please",
)
OFFER_TEMPLATES = (
    "je peux aider pour {w}",
    "dispo pour {w}",
    "je propose {w}",
    "happy to help with {w}",
)


def _vocabulary() -> list[str]:
    lexicon = default_lexicon()
    words = [
        w.lstrip("=")
        for info in lexicon.concepts.values()
        for lang in ("fr", "en")
        for w in info.vocabulary.get(lang, ())
    ]
    return sorted(set(words))


@cache
def _features(text: str) -> Features:
    return analyse(text)


def _texts(
    rng: random.Random, templates: tuple[str, ...], words: list[str], count: int
) -> list[str]:
    return [rng.choice(templates).format(w=rng.choice(words)) for _ in range(count)]


async def _build(store: Store, size: int, rng: random.Random) -> None:
    words = _vocabulary()
    await community.group_joined(
        store, chat_id=CHAT_ID, title="bench", chat_type="supergroup",
        default_locale="fr", default_timezone="Europe/Paris", now=NOW,
    )  # fmt: skip
    await store.bulk.add_members(range(1, size + 1), NOW)
    for kind, templates in (("offer", OFFER_TEMPLATES), ("need", NEED_TEMPLATES)):
        rows = []
        for i, text in enumerate(_texts(rng, templates, words, size), start=1):
            features = _features(text)
            rows.append(
                BulkPost(
                    CHAT_ID,
                    i,
                    kind,
                    text,
                    categorise(text).value,
                    features.to_json(),
                    sorted(features.index_terms()),
                )
            )
        await store.bulk.load_posts(rows, NOW, NOW + timedelta(days=90))


def _build_in_child(database: str, size: int, seed: int) -> float:
    """Build the corpus (in a child process, so its memory is not the measured process's)."""

    async def build() -> float:
        store = await Store.connect(database)
        try:
            started = time.perf_counter()
            await _build(store, size, random.Random(seed))
            await store.db.checkpoint()  # as the running bot does every 30 s
            return time.perf_counter() - started
        finally:
            await store.close()

    return asyncio.run(build())


async def _measure(database: Path, samples: int, size: int, seed: int) -> list[float]:
    rng = random.Random(seed + 1)
    store = await Store.connect(database)
    try:
        words = _vocabulary()
        timings = []
        for i in range(samples):
            kind = PostKind.NEED if i % 2 == 0 else PostKind.OFFER
            templates = NEED_TEMPLATES if kind is PostKind.NEED else OFFER_TEMPLATES
            text = rng.choice(templates).format(w=rng.choice(words))
            author = size + 10 + i
            await community.resident_seen(
                store, community.Resident(author, f"new {i}", "fr"), now=NOW
            )
            begin = time.perf_counter()
            await posts.declare_post(
                store,
                chat_id=CHAT_ID,
                author_id=author,
                kind=kind,
                raw_text=text,
                source_message_id=None,
                now=NOW,
            )
            timings.append((time.perf_counter() - begin) * 1000)
        return timings
    finally:
        await store.close()


def run(size: int = 100_000, samples: int = 400, seed: int = 7) -> int:
    with tempfile.TemporaryDirectory(prefix="voisinbot-bench-") as tmp:
        database = Path(tmp) / "bench.sqlite3"
        with ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("spawn")
        ) as pool:
            build = pool.submit(_build_in_child, str(database), size, seed).result()
        timings = asyncio.run(_measure(database, samples, size, seed))
    print(machine_line())
    print(
        f"corpus: {size:,} active offers and {size:,} open needs in one group (built in {build:.1f} s)"
    )
    print(f"new posts declared and matched: {samples}")
    print(
        f"match a new post: p50 {percentile(timings, 0.5):.2f} ms  p95 {percentile(timings, 0.95):.2f} ms"
        f"  max {max(timings):.2f} ms   peak RSS {peak_rss_mb():.0f} MB"
    )
    return 0
