"""``voisinbot bench matching FILE.json``: the matcher's quality through the bot's own path.

Offers are declared in a temporary SQLite group exactly as residents declare them (the
``declare_post`` service: analysis, index, matches); each need is then matched through
``suggest_for_text``, the query the bot runs for a new need. The last line printed is
``P@1 0.xx recall@3 0.xx MRR 0.xx false_alarms 0.xx``.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from voisinbot.bench.machine import machine_line
from voisinbot.domain.matching.evaluate import evaluate, format_metrics
from voisinbot.domain.posts import PostKind
from voisinbot.services import community, posts
from voisinbot.services.matching import suggest_for_text
from voisinbot.storage import Store

CHAT_ID = -1001
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


async def _suggestions(dataset: dict[str, Any], database: Path) -> dict[str, list[Any]]:
    store = await Store.connect(database)
    try:
        await community.group_joined(
            store, chat_id=CHAT_ID, title="bench", chat_type="supergroup",
            default_locale="fr", default_timezone="Europe/Paris", now=NOW,
        )  # fmt: skip
        post_to_offer: dict[int, Any] = {}
        for number, offer in enumerate(dataset["offers"], start=1):
            # One author per offer: the hourly quota is about people, not about the benchmark.
            await community.resident_seen(
                store, community.Resident(number, f"offerer {number}", "fr"), now=NOW
            )
            result = await posts.declare_post(
                store, chat_id=CHAT_ID, author_id=number, kind=PostKind.OFFER,
                raw_text=offer["text"], source_message_id=number, now=NOW,
            )  # fmt: skip
            if isinstance(result, posts.Declared):
                post_to_offer[result.post.id] = offer["id"]
        found = {}
        for need in dataset["needs"]:
            ids = await suggest_for_text(
                store, chat_id=CHAT_ID, kind=PostKind.NEED, text=need["text"], now=NOW
            )
            found[need["text"]] = [post_to_offer[i] for i in ids if i in post_to_offer]
        return found
    finally:
        await store.close()


def run(path: Path) -> int:
    dataset = json.loads(path.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="voisinbot-bench-") as tmp:
        found = asyncio.run(_suggestions(dataset, Path(tmp) / "bench.sqlite3"))
    metrics = evaluate(dataset, lambda text: found.get(text, []))
    print(machine_line())
    print(f"dataset: {path} ({len(dataset['needs'])} needs, {len(dataset['offers'])} offers)")
    print(format_metrics(metrics))
    return 0
