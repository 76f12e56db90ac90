"""Chaos driver: residents post while the bot process is killed (SIGKILL) at random instants.

The bot runs as an operator runs it (``python -m voisinbot run``, real HTTP) against the fake
Bot API on loopback. Residents post ``/besoin`` with distinct texts at random intervals; the
bot is killed whenever it has answered a chosen number of them (plus a random few
milliseconds, so kills land anywhere in the handling of an update), then restarted, until
every update was consumed. The report says what residents saw and what the database holds.

The pytest test (test_chaos.py) runs a small seeded scenario; for a longer soak:
``python -m tests.reliability.chaos --seed 7 --posts 300 --kills 30``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from voisinbot.domain.posts import MAX_POSTS_PER_HOUR
from voisinbot.fakeapi import FakeTelegram, FakeTelegramServer, World
from voisinbot.services.post_rules import EXPIRE

TOKEN = "123456:CHAOS-TEST"
ANSWER_WITHIN = 20.0  # seconds a restarted bot gets to make progress before the run fails


@dataclass
class ChaosReport:
    posts: list[tuple[int, str]]  # (source message id, text) of every post sent
    kills: int
    starts: int
    confirmations: Counter[int] = field(default_factory=Counter)  # source id -> cards seen
    stored: list[tuple[int, str, int]] = field(default_factory=list)  # source, text, author
    unplanned: list[int] = field(default_factory=list)  # source ids of posts with no expiry
    failed_calls: int = 0
    seconds: float = 0.0

    @property
    def duplicate_confirmations(self) -> int:
        return sum(n - 1 for n in self.confirmations.values() if n > 1)

    def summary(self) -> str:
        return (
            f"{len(self.posts)} posts, {self.kills} kills, {self.starts} starts, "
            f"{len(self.stored)} stored, {sum(self.confirmations.values())} cards "
            f"({self.duplicate_confirmations} repeated), {self.seconds:.1f}s"
        )


class BotProcess:
    """``python -m voisinbot run`` against the server, logs in a file."""

    def __init__(self, server: FakeTelegramServer, database: Path, log: Path) -> None:
        self.server, self.database, self.log = server, database, log
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "VOISINBOT_BOT_TOKEN": TOKEN,
            "VOISINBOT_API_BASE_URL": self.server.base_url,
            "VOISINBOT_API_BASE_FILE_URL": self.server.base_url.replace("/bot", "/file/bot"),
            "VOISINBOT_DATABASE": str(self.database),
            "VOISINBOT_POLL_TIMEOUT": "1",
            "VOISINBOT_LOG_LEVEL": "INFO",
        }
        if "PYTHONPATH" in os.environ:  # run the code under test, wherever it lives
            env["PYTHONPATH"] = os.environ["PYTHONPATH"]
        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "voisinbot", "run",
                env=env, cwd=self.database.parent,
                stdout=asyncio.subprocess.DEVNULL, stderr=log,
            )  # fmt: skip

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.process.wait(), timeout=20)


async def run_chaos(workdir: Path, *, seed: int, posts: int = 60, kills: int = 5) -> ChaosReport:
    """Run one seeded scenario in ``workdir``; raises if the bot stops making progress."""
    rng = random.Random(seed)
    # Enough residents that none reaches the hourly quota (a refusal is not a card).
    residents = max(6, -(-posts // (MAX_POSTS_PER_HOUR - 1)))
    started = time.monotonic()
    engine = FakeTelegram(username="voisinbot_bot")
    world = World(engine)
    group = world.supergroup("Résidence des Tilleuls")
    people = [world.user(f"Voisin{i}", language_code="fr") for i in range(residents)]
    sent: list[tuple[int, str]] = []
    report = ChaosReport(posts=sent, kills=0, starts=0)

    async def feed() -> None:
        for n in range(posts):
            # Round-robin authors keep everyone under the hourly quota of 10 posts.
            author = people[n % residents]
            text = f"besoin numéro {n} : {rng.choice(WHAT)} pour {rng.choice(WHEN)}"
            update = world.command(group, author, f"/besoin {text}")
            sent.append((update["message"]["message_id"], text))
            engine.push_update(update)
            await asyncio.sleep(rng.uniform(0.005, 0.04))

    async with FakeTelegramServer(engine, token=TOKEN) as server:
        bot = BotProcess(server, workdir / "voisinbot.sqlite3", workdir / "bot.log")
        await bot.start()
        report.starts += 1
        feeder = asyncio.create_task(feed())
        try:
            for k in range(kills):
                # Kill once the bot has answered about k+1 shares of the posts, a few ms late.
                target = (k + 1) * posts // (kills + 1) + rng.randint(-2, 2)
                if not await engine.wait_for_calls("sendMessage", target, within=ANSWER_WITHIN):
                    raise AssertionError(f"no progress before kill {k + 1}; see {bot.log}")
                await asyncio.sleep(rng.uniform(0, 0.015))
                await bot.kill()
                report.kills += 1
                await bot.start()
                report.starts += 1
            await feeder
            deadline = time.monotonic() + ANSWER_WITHIN
            # Consumed = confirmed by a getUpdates with a higher offset, i.e. handled and saved.
            while engine.pending_updates():
                if time.monotonic() > deadline:
                    raise AssertionError(f"updates left unconsumed; see {bot.log}")
                await asyncio.sleep(0.05)
        finally:
            feeder.cancel()
            code = await bot.stop()
        if code != 0:
            raise AssertionError(f"the bot did not stop cleanly ({code}); see {bot.log}")

    texts = dict(sent)
    for call in engine.calls_to("sendMessage"):
        if not call.ok:
            report.failed_calls += 1
            continue
        replied = (call.params.get("reply_parameters") or {}).get("message_id")
        if call.params["chat_id"] != group["id"] or replied is None:
            continue
        # A card shows the post's words; any other answer (a refusal) is not a confirmation.
        if texts.get(int(replied), "\0") in str(call.params.get("text")):
            report.confirmations[int(replied)] += 1
    report.stored, report.unplanned = _stored(workdir / "voisinbot.sqlite3", group["id"])
    report.seconds = time.monotonic() - started
    return report


def _stored(database: Path, chat_id: int) -> tuple[list[tuple[int, str, int]], list[int]]:
    """The group's posts, and those whose expiry was never planned (read-only)."""
    conn = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT source_message_id, text, author_id FROM posts WHERE chat_id = ?", (chat_id,)
        ).fetchall()
        unplanned = conn.execute(
            "SELECT source_message_id FROM posts p WHERE chat_id = ? AND NOT EXISTS"
            " (SELECT 1 FROM schedules s WHERE s.kind = ? AND s.ref_id = p.id"
            " AND s.state = 'pending')",
            (chat_id, EXPIRE),
        ).fetchall()
    finally:
        conn.close()
    return [(int(r[0]), str(r[1]), int(r[2])) for r in rows], [int(r[0]) for r in unplanned]


WHAT = ["une échelle", "un coup de main", "une perceuse", "garder le chat", "des cartons"]
WHEN = ["samedi", "dimanche matin", "la semaine prochaine", "ce soir", "jeudi"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--posts", type=int, default=60)
    parser.add_argument("--kills", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        report = asyncio.run(
            run_chaos(Path(tmp), seed=args.seed, posts=args.posts, kills=args.kills)
        )
    print(report.summary())
    problems = check(report)
    for problem in problems:
        print("FAIL:", problem)
    return 1 if problems else 0


def check(report: ChaosReport) -> list[str]:
    """Every promise of bot/polling.py, as a list of what was broken (empty: all kept)."""
    problems = []
    sources = Counter(source for source, _, _ in report.stored)
    texts = dict(report.posts)
    doubled = [s for s, n in sources.items() if n > 1]
    if doubled:
        problems.append(f"posts stored twice: {doubled}")
    missing = [s for s in texts if s not in sources]
    if missing:
        problems.append(f"posts sent but not stored: {missing}")
    wrong = [s for s, text, _ in report.stored if texts.get(s) != text]
    if wrong:
        problems.append(f"posts stored with another text: {wrong}")
    unconfirmed = [s for s in texts if report.confirmations[s] == 0]
    if unconfirmed:
        problems.append(f"posts never confirmed: {unconfirmed}")
    ghosts = [s for s in report.confirmations if s not in sources]
    if ghosts:
        problems.append(f"confirmed but not stored: {ghosts}")
    if report.unplanned:
        problems.append(f"posts stored without their expiry planned: {report.unplanned}")
    if report.duplicate_confirmations > report.kills:
        problems.append(f"{report.duplicate_confirmations} repeated cards for {report.kills} kills")
    if report.failed_calls:
        problems.append(f"{report.failed_calls} sendMessage calls refused")
    return problems


if __name__ == "__main__":
    raise SystemExit(main())
