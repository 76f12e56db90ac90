"""``voisinbot bench updates``: updates per second through the real bot, against the ceiling
of a bare PTB application fed the same updates.

A synthetic neighbourhood (groups, residents, a facilitator per group, posts and a poll in
every group) is set up through the bot itself. Then a realistic mix of updates, built with
the fake's ``World`` factories (commands with their entities, presses on the buttons of the
bot's real messages, votes on the bot's real polls), is handled one at a time through
``handle_updates`` — the polling loop's own path: ``process_update``, then the offset saved
in SQLite. The rate limiter is the bot's, with pacing off (as in the tests): the fake Bot
API answers at once and nothing waits for Telegram's budgets, so the figures are the bot's
own cost. Each batch is then handled again by a bare PTB application with one handler that
replies (same fake, same updates): the ceiling the bot's figures are compared with.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import tempfile
import time
import warnings
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes, TypeHandler
from telegram.warnings import PTBUserWarning

from voisinbot.bench.botrig import (
    BENCH_TOKEN,
    BOT_USERNAME,
    Answered,
    RecordingRequest,
    bot_app,
    quiet_logs,
    running_bot,
    unpaced_limiter,
)
from voisinbot.bench.machine import machine_line, peak_rss_mb, percentile
from voisinbot.bot import callbacks
from voisinbot.bot.app import VoisinApp
from voisinbot.bot.echo_free import ECHOING_METHODS
from voisinbot.bot.polling import handle_updates
from voisinbot.bot.post_card import POST_KIND
from voisinbot.domain.lifecycle import Action
from voisinbot.fakeapi import FakeTelegram, World, as_update

Chat = dict[str, Any]
User = dict[str, Any]
UpdateDict = dict[str, Any]

BATCH = 100  # updates built, then handled: one getUpdates answer
POSTS_PER_GROUP = 4
# (kind, weight): what residents of a mutual-aid group do most.
MIX = (
    ("declare", 18),  # /besoin or /offre with a few words (analysis, matching, card)
    ("help_tap", 20),  # "🙋 I can help" on a post card
    ("list", 14),  # /besoins, /offres
    ("vote", 10),  # an answer to the group's poll
    ("start", 10),  # /start in private (welcome, owed introductions)
    ("help", 10),  # /aide in the group or in private
    ("search", 6),  # /cherche WORD
    ("mine", 6),  # /mes in private
    ("settings", 6),  # /reglages in the group, or the panel through /start settings_<id>
)
NEEDS = (
    "besoin d'un coup de main pour porter un canapé samedi",
    "quelqu'un pour arroser mes plantes pendant les vacances ?",
    "je cherche une perceuse pour ce week-end",
    "qqn pour garder mon chat du 3 au 10 ?",
    "help to fix a bike puncture please",
    "aide pour remplir un dossier de la CAF",
    "besoin d'une échelle pour nettoyer la gouttière",
    "someone to walk my dog on Tuesday mornings",
)
OFFERS = (
    "je prête ma perceuse et une scie sauteuse",
    "cours de maths pour collégiens le mercredi",
    "je peux réparer les vélos, crevaisons et freins",
    "happy to help with computer problems",
    "je donne des plants de tomates",
    "je peux garder des enfants le samedi après-midi",
    "lending my ladder and garden tools",
    "covoiturage vers le marché le dimanche matin",
)
SEARCHES = ("perceuse", "vélo", "chat", "maths", "échelle", "plants", "drill")


@dataclass
class Town:
    """The synthetic neighbourhood, as the residents see it (ids of the bot's messages)."""

    world: World
    groups: list[Chat]
    admins: dict[int, User]
    members: dict[int, list[User]]
    cards: dict[int, list[int]] = field(default_factory=dict)  # chat id -> card message ids
    polls: dict[int, str] = field(default_factory=dict)  # chat id -> poll id


def _build_town(engine: FakeTelegram, groups: int, residents: int, rng: random.Random) -> Town:
    world = World(engine)
    chats = [world.supergroup(f"Quartier {n}") for n in range(1, groups + 1)]
    town = Town(world, chats, {}, {c["id"]: [] for c in chats})
    for n in range(residents):
        chat = chats[n % groups]
        language = "en" if rng.random() < 0.15 else "fr"
        town.members[chat["id"]].append(world.user(f"Voisin{n}", language_code=language))
    for chat in chats:
        admin = town.members[chat["id"]][0]
        town.admins[chat["id"]] = admin
        engine.set_admins(chat["id"], [admin])
    return town


def _setup_updates(town: Town, rng: random.Random) -> list[list[UpdateDict]]:
    """Admins start the bot and add it; posts go up; a facilitator launches a poll."""
    w = town.world
    starts = [w.command(w.private(a), a, "/start") for a in town.admins.values()]
    added = [w.bot_added(c, town.admins[c["id"]]) for c in town.groups]
    posts = []
    for chat in town.groups:
        for n in range(POSTS_PER_GROUP):
            author = rng.choice(town.members[chat["id"]])
            line = f"/besoin {rng.choice(NEEDS)}" if n % 2 == 0 else f"/offre {rng.choice(OFFERS)}"
            posts.append(w.command(chat, author, line))
    polls = [
        w.command(c, town.admins[c["id"]], "/sondage Fête des voisins en juin ? | Oui | Non | 7j")
        for c in town.groups
    ]
    return [starts, added, posts, polls]


def _learn(town: Town, engine: FakeTelegram, chat_ids: set[int]) -> None:
    """Which of the bot's messages are live post cards and polls (to press and vote on)."""
    for chat_id in chat_ids:
        cards = []
        for message in engine.messages(chat_id):
            if "poll" in message:
                town.polls[chat_id] = message["poll"]["id"]
            rows = engine.buttons(message)
            data = callbacks.unpack(rows[0][0][1], kind=POST_KIND, arity=1) if rows else None
            if data is not None and data.action == Action.RESPOND.value:
                cards.append(message["message_id"])
        town.cards[chat_id] = cards


def _next_update(kind: str, town: Town, rng: random.Random) -> UpdateDict:
    w = town.world
    chat = rng.choice(town.groups)
    chat_id = chat["id"]
    resident = rng.choice(town.members[chat_id])
    private = w.private(resident)
    bot = f"@{BOT_USERNAME}" if rng.random() < 0.3 else ""
    match kind:
        case "declare":
            line = rng.choice(
                (f"/besoin{bot} {rng.choice(NEEDS)}", f"/offre{bot} {rng.choice(OFFERS)}")
            )
            return w.command(chat, resident, line)
        case "help_tap" if town.cards.get(chat_id):
            card = w.engine.message(chat_id, rng.choice(town.cards[chat_id]))
            assert card is not None
            return w.callback(resident, card, w.engine.buttons(card)[0][0][1] or "")
        case "list":
            return w.command(chat, resident, rng.choice(("/besoins", "/offres")) + bot)
        case "vote" if chat_id in town.polls:
            return w.poll_answer(town.polls[chat_id], resident, [rng.randrange(2)])
        case "start":
            return w.command(private, resident, "/start")
        case "help":
            return w.command(
                *((chat, resident) if rng.random() < 0.5 else (private, resident)), "/aide"
            )
        case "search":
            return w.command(chat, resident, f"/cherche {rng.choice(SEARCHES)}")
        case "mine":
            return w.command(private, resident, "/mes")
        case "settings":
            admin = town.admins[chat_id]
            if rng.random() < 0.5:
                return w.command(chat, admin, "/reglages")
            return w.command(w.private(admin), admin, f"/start settings_{chat_id}")
    return w.command(chat, resident, "/aide")  # no card or poll yet in that group


@dataclass
class Figures:
    latencies: list[float] = field(default_factory=list)  # ms, one per update
    seconds: float = 0.0
    calls: int = 0  # Bot API requests made while handling them
    by_kind: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        return (
            f"{self.rate:,.0f} updates/s  p50 {percentile(self.latencies, 0.5):.2f} ms"
            f"  p99 {percentile(self.latencies, 0.99):.2f} ms"
            f"  {self.calls / max(len(self.latencies), 1):.2f} Bot API calls/update"
        )


async def _timed(handle: Callable[[Update], Any], updates: list[Update], kinds: list[str],
                 figures: Figures, request: RecordingRequest) -> list[list[Answered]]:  # fmt: skip
    """Handle the updates one at a time; returns the Bot API calls each one made."""
    clock = time.perf_counter
    answered = request.answered
    calls = len(answered)
    marks = [calls]
    started = clock()
    for update, kind in zip(updates, kinds, strict=True):
        begin = clock()
        await handle(update)
        elapsed = (clock() - begin) * 1000
        marks.append(len(answered))
        figures.latencies.append(elapsed)
        figures.by_kind[kind].append(elapsed)
    figures.seconds += clock() - started
    figures.calls += len(answered) - calls
    return [answered[a:b] for a, b in itertools.pairwise(marks)]


def _plain_app(
    request: RecordingRequest,
    handler: Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]],
) -> Application[Any, Any, Any, Any, Any, Any]:
    """PTB's defaults, one handler for every update."""
    app = (
        Application.builder()
        .token(BENCH_TOKEN)
        .request(request)
        .get_updates_request(RecordingRequest(request.engine))
        .updater(None)
        .build()
    )
    app.add_handler(TypeHandler(Update, handler))
    return app


def _bare_app(request: RecordingRequest) -> Application[Any, Any, Any, Any, Any, Any]:
    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        if chat is not None:
            await context.bot.send_message(chat.id, "ok")

    return _plain_app(request, answer)


class _Replay:
    """The bot's own Bot API calls, update by update, made again by a bare PTB application
    whose one handler does nothing else: no handler logic, no SQL, no rate limiter, no
    ``Defaults``. What that application reaches is the most any code making these same calls
    through PTB could reach, whatever it did around them."""

    def __init__(self, request: RecordingRequest) -> None:
        self.request = request
        self.pending: deque[list[Answered]] = deque()
        self.sent: list[tuple[int, int]] = []  # (chat, message) the replay itself put there
        self.app = _plain_app(request, self._replay)

    async def _replay(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        for call in self.pending.popleft():
            result_type = Message if call.method in ECHOING_METHODS else None
            try:
                result = await context.bot.do_api_request(
                    call.method, api_kwargs=dict(call.parameters), return_type=result_type
                )
            except TelegramError:
                continue  # as the bot's call was refused (a card already up to date, a 403)
            if call.method in ("sendMessage", "sendPoll") and isinstance(result, Message):
                self.sent.append((result.chat_id, result.message_id))

    def forget_sent(self, engine: FakeTelegram) -> None:
        """Take the replay's own messages out of the chats again: residents press and vote on
        the bot's messages only."""
        for chat_id, message_id in self.sent:
            engine.state.delete(chat_id, message_id)
        self.sent.clear()


async def _measure(database: Path, groups: int, residents: int, count: int, seed: int) -> str:
    rng = random.Random(seed)
    engine = FakeTelegram(username=BOT_USERNAME, record_calls=False)
    town = _build_town(engine, groups, residents, rng)
    bare_request, bot_request = (
        RecordingRequest(engine),
        RecordingRequest(engine, keep_parameters=True),
    )
    bare = _bare_app(bare_request)
    replay = _Replay(RecordingRequest(engine))
    app = bot_app(engine, database, rate_limiter=unpaced_limiter(), request=bot_request)
    real, ceiling, alone = Figures(), Figures(), Figures()
    async with running_bot(app), bare, replay.app:
        started = time.perf_counter()
        for stage in _setup_updates(town, rng):
            await handle_updates(app, [as_update(u, app.bot) for u in stage])
        _learn(town, engine, {c["id"] for c in town.groups})
        setup = time.perf_counter() - started
        store = app.runtime.store
        statements, mix = 0, Counter[str]()
        kinds_all, weights = [k for k, _ in MIX], [w for _, w in MIX]
        for first in range(0, count, BATCH):
            kinds = rng.choices(kinds_all, weights, k=min(BATCH, count - first))
            dicts = [_next_update(kind, town, rng) for kind in kinds]
            mix.update(kinds)
            before = store.db.statements
            calls = await _timed(lambda u: _one(app, u), [as_update(d, app.bot) for d in dicts],
                                 kinds, real, bot_request)  # fmt: skip
            statements += store.db.statements - before
            bot_request.answered.clear()  # the replay has its copy; kept, they would pile up
            await _timed(bare.process_update, [as_update(d, bare.bot) for d in dicts], kinds,
                         ceiling, bare_request)  # fmt: skip
            replay.pending.extend(calls)
            await _timed(replay.app.process_update, [as_update(d, replay.app.bot) for d in dicts],
                         kinds, alone, replay.request)  # fmt: skip
            replay.forget_sent(engine)
            _learn(town, engine, {d["message"]["chat"]["id"] for d, k in zip(dicts, kinds, strict=True)
                                  if k == "declare"})  # fmt: skip
    return _report(town, count, setup, real, ceiling, alone, statements, mix)


async def _one(app: VoisinApp, update: Update) -> None:
    await handle_updates(app, [update])


def _report(town: Town, count: int, setup: float, real: Figures, ceiling: Figures,
            alone: Figures, statements: int, mix: Counter[str]) -> str:  # fmt: skip
    members = sum(len(m) for m in town.members.values())
    ratio = real.rate / ceiling.rate if ceiling.rate else 0.0
    reachable = alone.rate / ceiling.rate if ceiling.rate else 0.0
    p99 = percentile(real.latencies, 0.99)
    lines = [
        machine_line(),
        f"neighbourhood: {len(town.groups):,} groups, {members:,} residents, a facilitator,"
        f" {POSTS_PER_GROUP} posts and a poll per group (set up through the bot in {setup:.1f} s)",
        f"updates: {count:,} handled one at a time through handle_updates (process_update +"
        " offset saved), a fake Bot API answering at once, the rate limiter's pacing OFF",
        "mix: " + ", ".join(f"{k} {mix[k] * 100 / max(count, 1):.0f}%" for k, _ in MIX),
        f"voisinbot:  {real.line()}  SQL {statements / max(count, 1):.1f} statements/update",
        f"bare PTB:   {ceiling.line()}  (one handler that replies, same updates)",
        f"requests alone: {alone.line()}  (the bot's own calls, update by update, replayed"
        " by a bare PTB app doing nothing else)",
        f"ratio {ratio:.2f} of bare PTB (target >= 0.6), p99 {p99:.2f} ms (target <= 5 ms);"
        f" the bot's requests alone reach {reachable:.2f}",
        "per kind (voisinbot): "
        + ", ".join(
            f"{k} p50 {percentile(real.by_kind[k], 0.5):.2f}/p99 {percentile(real.by_kind[k], 0.99):.2f} ms"
            for k, _ in MIX
            if real.by_kind[k]
        ),
        f"peak RSS {peak_rss_mb():.0f} MB",
    ]
    return "\n".join(lines)


def run(groups: int = 200, residents: int = 5_000, updates: int = 5_000, seed: int = 11) -> int:
    with (
        quiet_logs(),
        tempfile.TemporaryDirectory(prefix="voisinbot-bench-") as tmp,
        warnings.catch_warnings(),
    ):
        # The replay calls known methods through do_api_request on purpose (see _Replay).
        warnings.filterwarnings("ignore", r"Please use 'Bot\.", PTBUserWarning)
        report = asyncio.run(
            _measure(Path(tmp) / "bench.sqlite3", groups, max(residents, groups), updates, seed)
        )
    print(report)
    return 0
