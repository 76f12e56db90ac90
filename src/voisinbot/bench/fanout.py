"""``voisinbot bench fanout``: the weekly digest to many groups and private reminders to many
residents, through the real sending path, at Telegram's limits.

The groups, residents and posts are loaded in bulk (every group has open needs and new
offers, so its digest is not empty; every post's author started the bot). Each post has a
``post_expiry_warning`` schedule for the digest's instant; the digests themselves are
planned by the bot at start-up, as always (default: Monday 09:00, Paris). The bot's clock is
set a few seconds before that instant, then nothing is driven by hand: PTB's JobQueue wakes
the scheduler, which runs the due schedules (digest job or warning → ``announce_once`` →
the bot's ``TelegramLimits`` with its real pacing → the fake Bot API enforcing Telegram's
flood limits and answering 429 when Telegram would). Real time: about one message per 33 ms.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from telegram.constants import FloodLimit

from voisinbot.bench.botrig import (
    BOT_USERNAME,
    Answered,
    RecordingRequest,
    bot_app,
    quiet_logs,
    running_bot,
)
from voisinbot.bench.machine import machine_line, peak_rss_mb
from voisinbot.bench.updates import NEEDS, OFFERS
from voisinbot.bot.ratelimit import TelegramLimits
from voisinbot.bot.runtime import system_clock
from voisinbot.domain.classify import categorise
from voisinbot.domain.digest import DigestSettings, next_digest_at
from voisinbot.domain.matching import Features, analyse
from voisinbot.domain.schedules import grace_for
from voisinbot.fakeapi import FakeTelegram, World
from voisinbot.services import community
from voisinbot.services.post_rules import EXPIRY_WARNING
from voisinbot.storage import Store
from voisinbot.storage.bulk import BulkPost, BulkSchedule

TIMEZONE = "Europe/Paris"
# The bot starts this long before everything comes due: its start-up (planning each group's
# digest) must be over by then, or the digests would be planned for the week after.
LEAD_BASE, LEAD_PER_GROUP = 1.5, 0.004  # seconds
SEND_METHODS = frozenset({"sendMessage", "sendPhoto"})
STALL_SECONDS = 20.0  # nothing sent for this long while messages are missing: give up


@dataclass
class OffsetClock:
    """The real time moved by a fixed offset: the JobQueue's waits stay real."""

    offset: timedelta = timedelta(0)

    def __call__(self) -> datetime:
        return system_clock() + self.offset


@cache
def _features(text: str) -> Features:
    return analyse(text)


async def _populate(
    database: Path, world: World, groups: int, reminders: int, due: datetime
) -> tuple[list[int], list[int]]:
    """Groups, residents who started the bot, one post and its warning per resident; returns
    the chats expecting a message: the groups, the residents."""
    engine = world.engine
    chats = [world.supergroup(f"Quartier {n}")["id"] for n in range(1, groups + 1)]
    authors = []
    for n in range(reminders):
        user = world.user(f"Voisin{n}")
        engine.start_private(user)
        authors.append(user["id"])
    store = await Store.connect(database)
    try:
        week_ago = due - timedelta(days=8)
        for chat_id in chats:
            await community.group_joined(
                store, chat_id=chat_id, title=f"Quartier {chat_id}", chat_type="supergroup",
                default_locale="fr", default_timezone=TIMEZONE, now=week_ago,
            )  # fmt: skip
        await store.bulk.add_members(authors, week_ago)
        posts = []
        for n, author in enumerate(authors):
            kind, texts = ("need", NEEDS) if n % 2 == 0 else ("offer", OFFERS)
            text = texts[n % len(texts)]
            features = _features(text)
            posts.append(
                BulkPost(chats[n % groups], author, kind, text, categorise(text).value,
                         features.to_json(), sorted(features.index_terms()))
            )  # fmt: skip
        # A fresh database: the posts get ids 1..n in this order.
        await store.bulk.load_posts(posts, due - timedelta(days=1), due + timedelta(days=2))
        warnings = [
            BulkSchedule(EXPIRY_WARNING, due, grace_for(EXPIRY_WARNING), post.chat_id, post_id)
            for post_id, post in enumerate(posts, start=1)
        ]
        await store.bulk.load_schedules(warnings, week_ago)
    finally:
        await store.close()
    return chats, authors


async def _wait_for(request: RecordingRequest, expected: int, started: float) -> None:
    """Until every message went out, or nothing moved for a while (bounded in time)."""
    deadline = started + expected / 25 + 60
    last_count, last_move = 0, time.monotonic()
    while time.monotonic() < deadline:
        await asyncio.sleep(0.25)
        sent = [a for a in request.answered if a.method in SEND_METHODS and a.status == 200]
        if len(sent) >= expected:
            return
        if len(request.answered) != last_count:
            last_count, last_move = len(request.answered), time.monotonic()
        elif sent and time.monotonic() - last_move > STALL_SECONDS:
            return


def _busiest(stamps: Sequence[float], window: float) -> int:
    """The most events in any ``window`` seconds (a sliding window, like Telegram's)."""
    best, first = 0, 0
    for last, at in enumerate(stamps):
        while at - stamps[first] >= window:
            first += 1
        best = max(best, last - first + 1)
    return best


@dataclass(frozen=True)
class Outcome:
    delivered: int
    rate: float
    busiest_second: int
    group_minute: int
    private_second: int
    seconds: float


def _outcome(answered: list[Answered]) -> Outcome:
    sent = [a for a in answered if a.method in SEND_METHODS and a.status == 200]
    stamps = [a.at for a in sent]
    by_chat: dict[int, list[float]] = defaultdict(list)
    for a in sent:
        if a.chat_id is not None:
            by_chat[a.chat_id].append(a.at)
    seconds = stamps[-1] - stamps[0] if len(stamps) > 1 else 0.0
    groups = [_busiest(s, 60.0) for c, s in by_chat.items() if c < 0]
    privates = [_busiest(s, 1.0) for c, s in by_chat.items() if c > 0]
    return Outcome(
        delivered=len(sent),
        # At most 30 in any sliding second: n messages need at least n/30 - 1 s from the first
        # to the last, so n / (that + 1 s) is the rate compared with the 30/s limit.
        rate=len(sent) / (seconds + 1.0) if sent else 0.0,
        busiest_second=_busiest(stamps, 1.0),
        group_minute=max(groups, default=0),
        private_second=max(privates, default=0),
        seconds=seconds,
    )


async def _measure(database: Path, groups: int, reminders: int) -> str:
    engine = FakeTelegram(username=BOT_USERNAME, enforce_limits=True, record_calls=False)
    world = World(engine)
    due = next_digest_at(system_clock(), DigestSettings(), ZoneInfo(TIMEZONE))
    chats, authors = await _populate(database, world, groups, reminders, due)
    request = RecordingRequest(engine)
    clock = OffsetClock()
    limiter = TelegramLimits()
    app = bot_app(engine, database, rate_limiter=limiter, clock=clock, request=request)
    expected = groups + reminders
    lead = timedelta(seconds=LEAD_BASE + LEAD_PER_GROUP * groups)
    clock.offset = due - lead - system_clock()
    started = time.monotonic()
    async with running_bot(app, warm=False):
        await _wait_for(request, expected, started + lead.total_seconds())
    total = time.monotonic() - started
    outcome = _outcome(request.answered)
    # Sent twice: the same text twice in one chat (each expected message is unique there).
    duplicates = sum(len(engine.duplicates(chat_id)) for chat_id in (*chats, *authors))
    received = {a.chat_id for a in request.answered if a.status == 200}
    lost = sum(1 for chat_id in (*chats, *authors) if chat_id not in received)
    digests = sum(
        1 for chat_id in chats if any(t.startswith("📰") for t in engine.sent_texts(chat_id))
    )
    limits = (
        f"{FloodLimit.MESSAGES_PER_SECOND}/s overall, {FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP}"
        f"/min per group, {FloodLimit.MESSAGES_PER_SECOND_PER_CHAT}/s per private chat,"
        f" safety margin {limiter.margin * 1000:.0f} ms"
    )
    return "\n".join(
        [
            machine_line(),
            f"fan-out: weekly digest to {groups:,} groups + {reminders:,} private expiry warnings"
            f" = {expected:,} messages, due at once; real pacing ({limits}),"
            " fake Bot API enforcing the flood limits",
            f"delivered {outcome.delivered:,}, first to last in {outcome.seconds:.1f} s"
            f" (whole run {total:.1f} s): {outcome.rate:.1f} messages/s ="
            f" {outcome.rate / 30:.2f} of the 30/s limit (target >= 0.9)",
            f"busiest second {outcome.busiest_second}/30, busiest group minute"
            f" {outcome.group_minute}/20, busiest private second {outcome.private_second}/1",
            f"digests {digests:,} (the rest of the groups, if any, got the quiet-week nudge)",
            f"429 received {engine.too_many_requests_sent}, duplicates {duplicates},"
            f" lost {lost} (targets: 0, 0, 0)",
            f"peak RSS {peak_rss_mb():.0f} MB",
        ]
    )


def run(groups: int = 1_000, reminders: int = 5_000) -> int:
    with quiet_logs(), tempfile.TemporaryDirectory(prefix="voisinbot-bench-") as tmp:
        report = asyncio.run(_measure(Path(tmp) / "bench.sqlite3", groups, reminders))
    print(report)
    return 0
