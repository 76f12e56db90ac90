"""``voisinbot bench startup``: from process start to ready, on a large database.

The database (groups, residents, 100,000 posts, 10,000 schedules) is built in bulk first.
Each measured start is a fresh ``python`` process, so interpreter start-up and imports
count: it imports the bot, calls ``build_application`` (against the in-process fake Bot
API) and enters ``running(app)``: migrations checked, schedules recovered and due ones run,
digests planned, the scheduler armed. That is "ready": updates can be handled. The matching
lexicon keeps compiling in the background after that; its own ready time is printed too.

This module is also the child's entry point (``python -m voisinbot.bench.startup --child
DB``): only the standard library is imported at the top, so the child's clock starts before
anything of the bot is loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

KINDS = ("post_expiry_warning", "post_expire", "post_follow_up")


def _child(database: str) -> None:
    """Start the bot on ``database`` and report the instants (Unix seconds) and memory."""
    entered = time.time()
    import asyncio
    from pathlib import Path

    from voisinbot.bot.app import running

    imported = time.time()
    # The benchmark's stand-in for Telegram: not part of the bot's start-up.
    from voisinbot.bench.botrig import bot_app, quiet_logs
    from voisinbot.bench.machine import peak_rss_mb as rss_mb
    from voisinbot.fakeapi import FakeTelegram

    fake_imported = time.time()

    async def start() -> dict[str, float]:
        app = bot_app(FakeTelegram(record_calls=False), Path(database))
        async with running(app) as live:
            ready, ready_rss = time.time(), rss_mb()
            if live.runtime.warm_up is not None:
                await live.runtime.warm_up
            lexicon = time.time()
        return {"ready": ready, "ready_rss": ready_rss, "lexicon": lexicon}

    with quiet_logs():
        found = asyncio.run(start())
    fake = fake_imported - imported  # taken out of the start-up figures
    found = {k: (v - fake if k in ("ready", "lexicon") else v) for k, v in found.items()}
    print(json.dumps({"entered": entered, "imported": imported, **found, "peak_rss": rss_mb()}))


async def _build(database: str, groups: int, posts: int, schedules: int) -> str:
    from datetime import timedelta

    from voisinbot.bench.updates import NEEDS, OFFERS
    from voisinbot.bot.runtime import system_clock
    from voisinbot.domain.classify import categorise
    from voisinbot.domain.matching import analyse
    from voisinbot.domain.schedules import grace_for
    from voisinbot.services import community
    from voisinbot.services.digest import plan_all_digests
    from voisinbot.services.matching import mark_index_current
    from voisinbot.storage import Store
    from voisinbot.storage.bulk import BulkPost, BulkSchedule

    now = system_clock()
    residents = max(1, posts // 20)
    # A few texts, analysed once: the figures are about the rows, not about the analysis.
    analysed = {
        text: (categorise(text).value, (f := analyse(text)).to_json(), sorted(f.index_terms()))
        for text in (*NEEDS, *OFFERS)
    }
    store = await Store.connect(database)
    try:
        chats = [-(1_001_000_000_000 + n) for n in range(1, groups + 1)]
        for chat_id in chats:
            await community.group_joined(
                store, chat_id=chat_id, title=f"Quartier {chat_id}", chat_type="supergroup",
                default_locale="fr", default_timezone="Europe/Paris", now=now,
            )  # fmt: skip
        authors = range(100_000_001, 100_000_001 + residents)
        await store.bulk.add_members(authors, now)
        rows = []
        for n in range(posts):
            kind, texts = ("need", NEEDS) if n % 2 == 0 else ("offer", OFFERS)
            text = texts[n % len(texts)]
            rows.append(BulkPost(chats[n % groups], authors[n % residents], kind, text,
                                 *analysed[text]))  # fmt: skip
        await store.bulk.load_posts(rows, now, now + timedelta(days=30))
        await mark_index_current(store)  # analysed with this very lexicon
        # The digests the bot plans itself count among the schedules.
        planned = [
            BulkSchedule(
                kind := KINDS[n % len(KINDS)],
                now + timedelta(days=1 + n % 29, minutes=n % 600),
                grace_for(kind),
                rows[n // len(KINDS)].chat_id,
                n // len(KINDS) + 1,  # a fresh database: posts have ids 1..n
            )
            for n in range(max(0, schedules - groups))
        ]
        await store.bulk.load_schedules(planned, now)
        await plan_all_digests(store, now)
    finally:
        await store.close()
    return f"{groups:,} groups, {residents:,} residents, {posts:,} posts, {schedules:,} schedules"


def _start_once(database: str, pycache: str) -> dict[str, float]:
    # Bytecode as an installed bot has it: compiled once (by the unmeasured first start) into
    # a cache of the benchmark's own, even where PYTHONDONTWRITEBYTECODE is set.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = pycache
    spawned = time.time()
    out = subprocess.run(
        [sys.executable, "-m", "voisinbot.bench.startup", "--child", database],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env=env,
    )
    found: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return {**found, "spawned": spawned}


def run(groups: int = 200, posts: int = 100_000, schedules: int = 10_000, runs: int = 3) -> int:
    import asyncio
    import statistics
    import tempfile

    from voisinbot.bench.machine import machine_line

    with tempfile.TemporaryDirectory(prefix="voisinbot-bench-") as tmp:
        database = os.path.join(tmp, "bench.sqlite3")
        began = time.perf_counter()
        described = asyncio.run(_build(database, groups, posts, schedules))
        built = time.perf_counter() - began
        described += f" ({os.path.getsize(database) / 1e6:.0f} MB file)"
        pycache = os.path.join(tmp, "pycache")
        _start_once(database, pycache)  # compiles the bytecode, fills the OS file cache
        starts = [_start_once(database, pycache) for _ in range(max(1, runs))]

    def ms(key: str, since: str) -> list[float]:
        return [(s[key] - s[since]) * 1000 for s in starts]

    def show(values: list[float]) -> str:
        each = ", ".join(f"{v:.0f}" for v in values)
        return f"{statistics.median(values):.0f} ms (runs: {each})"

    ready = ms("ready", "spawned")
    print(machine_line())
    print(f"database: {described}, built in bulk in {built:.1f} s")
    print(f"fresh process to ready: {show(ready)}  (target <= 1000 ms)")
    print(f"  interpreter start: {show(ms('entered', 'spawned'))}")
    print(f"  imports: {show(ms('imported', 'entered'))}")
    print(f"  build_application + running(app) entered: {show(ms('ready', 'imported'))}")
    print(f"matching lexicon ready (in the background): {show(ms('lexicon', 'spawned'))}")
    rss_ready = statistics.median(s["ready_rss"] for s in starts)
    rss_peak = statistics.median(s["peak_rss"] for s in starts)
    print(
        f"peak RSS: {rss_ready:.0f} MB at ready, {rss_peak:.0f} MB with the lexicon"
        " (target <= 150 MB)"
    )
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        _child(sys.argv[2])
    else:
        sys.exit(run())
