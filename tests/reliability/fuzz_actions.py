"""What residents (and others) throw at the bot, as Hypothesis strategies, and a player that
turns each drawn action into a Telegram-shaped update on the fake Bot API.

Actions are plain tuples, drawn without knowing the state; the player resolves indexes
against what exists when it plays them (the bot's messages, residents' earlier messages),
so every batch builds on the ones before it.
"""

from __future__ import annotations

import contextlib
import random
import re
from typing import Any

from hypothesis import strategies as st
from telegram.ext import CallbackQueryHandler, CommandHandler

from tests.harness import Neighbourhood
from voisinbot.bot.handlers import handlers
from voisinbot.bot.handlers.welcome import DEEP_LINKS
from voisinbot.fakeapi import Fault

# --- vocabulary taken from the application itself, so new features are fuzzed too ---------

_registered = [handler for _, handler in handlers()]
COMMANDS = sorted(
    {c for h in _registered if isinstance(h, CommandHandler) for c in h.commands}
    | {"unknown", "BESOIN", "start", "setcommands"}
)
_KIND = re.compile(r"\\\|([^\\|]+)\\\|")
CALLBACK_KINDS = sorted(
    {
        found.group(1)
        for h in _registered
        if isinstance(h, CallbackQueryHandler) and isinstance(h.pattern, re.Pattern)
        for found in [_KIND.search(h.pattern.pattern)]
        if found
    }
    | {"x"}
)

DEEP_LINK_PREFIXES = [*sorted(DEEP_LINKS), "nope", ""]  # filled by handlers() above

# Group decisions, with arguments shaped like their syntax (title | option | ... | options).
DECISIONS = ["sondage", "poll", "dates", "inscriptions", "budget", "participer"]

# --- texts -----------------------------------------------------------------------------------

FRAGMENTS = [
    "<b>", "</b>", "<i>x</i>", '<a href="tg://user?id=1">moi</a>', "<script>", "&amp;", "&",
    "<", ">", '"', "'", "&lt;", "\u202e", "\u200b", "\u200d", "\u2060", "\ufeff", "\u00ad",
    "👨‍👩‍👧‍👦", "🇫🇷", "❤️‍🔥", "👍🏽", "שלום שכנים", "مرحبا بالجيران", "\n", "\n\n", "  ",
    "/besoin", "@voisinbot_bot", "@other_bot", "#entraide", "https://example.org/?a=1&b=<2>",
    "samedi 14h", "demain", "une échelle", "n°1", "|", "1|lst|need|0", "\\", "%s", "{name}",
    "?", " / ", ";", "1.", "- ", "12", "0", "-1", "99999999999999999999", "²", "١٢", "½", "#3",
]  # fmt: skip
# Texts are built from one drawn seed: drawing thousands of long texts character by character
# would cost more than the bot's work on them.
_RANGES = [(0x20, 0x7E), (0xA0, 0x24F), (0x590, 0x6FF), (0x200B, 0x206F), (0x1F300, 0x1FAFF),
           (0x4E00, 0x4E80), (0xFE00, 0xFE0F), (0x1, 0x1F)]  # fmt: skip
_REPEATS = [1, 1, 1, 1, 1, 2, 3, 80, 700]


def _text(seed: int) -> str:
    rng = random.Random(seed)
    parts = []
    for _ in range(rng.randint(0, 6)):
        if rng.random() < 0.5:
            parts.append(rng.choice(FRAGMENTS))
        else:
            low, high = rng.choice(_RANGES)
            parts.append("".join(chr(rng.randint(low, high)) for _ in range(rng.randint(1, 10))))
    return ("".join(parts) * rng.choice(_REPEATS))[:6000]


def _forged(seed: int) -> str:
    rng = random.Random(seed)
    if rng.random() < 0.4:
        data = _text(seed)[: rng.randint(1, 64)]
    else:
        ids = [rng.choice([rng.randint(-3, 40), rng.randint(-(2**63), 2**63 - 1)])
               for _ in range(rng.randint(0, 4))]  # fmt: skip
        action = rng.choice(["need", "offer", "help", "close", "page", "x", _text(seed)[:5]])
        data = "|".join(["1", rng.choice(CALLBACK_KINDS), action, *map(str, ids)])
    while len(data.encode()) > 64:
        data = data[:-1]
    return data or "1"


TEXT = st.builds(_text, st.integers(0, 2**32))
FORGED_DATA = st.builds(_forged, st.integers(0, 2**32))

CHAT = st.integers(0, 6)  # 0-2: groups, 3-6: private chats of the four residents
USER = st.integers(0, 3)
PICK = st.integers(0, 10_000)


def _command() -> st.SearchStrategy[tuple[Any, ...]]:
    suffix = st.sampled_from(["", "", "@voisinbot_bot", "@other_bot"])
    return st.tuples(st.just("command"), CHAT, USER, st.sampled_from(COMMANDS), suffix, TEXT)


def _press() -> st.SearchStrategy[tuple[Any, ...]]:
    return st.tuples(st.just("press"), USER, PICK, PICK)


# one_of draws its branches evenly (the same object twice counts once): commands and
# buttons, where the work is, get several branches.
ACTION = st.one_of(
    _command(), _command(), _command(), _command(), _press(), _press(), _press(),
    st.tuples(st.just("text"), CHAT, USER, TEXT),
    st.tuples(st.just("deep_link"), USER, st.sampled_from(DEEP_LINK_PREFIXES), PICK, TEXT),
    st.tuples(st.just("decision"), CHAT, USER, st.sampled_from(DECISIONS), st.lists(TEXT, max_size=13)),
    st.tuples(st.just("reply"), CHAT, USER, PICK, TEXT),
    st.tuples(st.just("reply"), CHAT, USER, PICK, TEXT),
    st.tuples(st.just("edit"), PICK, TEXT),
    st.tuples(st.just("sticker"), CHAT, USER),
    st.tuples(st.just("forged"), USER, PICK, FORGED_DATA),
    st.tuples(st.just("forged"), USER, PICK, FORGED_DATA),
    st.tuples(st.just("channel"), TEXT),
    st.tuples(st.just("anonymous"), CHAT, TEXT),
    st.tuples(st.just("other_bot"), CHAT, TEXT),
    st.tuples(st.just("poll_answer"), USER, st.one_of(st.text(max_size=12), PICK),
              st.lists(st.integers(0, 11), max_size=3)),
    st.tuples(st.just("membership"), CHAT, USER, st.booleans()),
    st.tuples(st.just("fault"), st.sampled_from(["sendMessage", "editMessageText",
              "answerCallbackQuery"]), st.sampled_from([429, 502])),
    st.tuples(st.just("tick"), st.integers(1, 600)),
)  # fmt: skip


class Player:
    """Plays actions on a started ``Neighbourhood`` and keeps the tally."""

    def __init__(self, hood: Neighbourhood) -> None:
        self.hood = hood
        world = hood.world
        self.users = [
            world.user("Amélie", last_name="<b>Dupont</b>", language_code="fr"),
            world.user("Ben & Co", language_code="en"),
            world.user("سارة", language_code="ar"),
            world.user("Zoë\u200d", language_code=None),
        ]
        self.groups = [
            world.supergroup("Jardin <partagé> & Cie"),
            world.supergroup("Résidence 🌳 des Tilleuls"),
            world.group("Rue basse"),
        ]
        self.channel = world.channel("La Gazette")
        for group in self.groups:  # Amélie facilitates: decisions and settings get launched
            hood.engine.set_admins(group["id"], [self.users[0]])
        self.robot = world.user("Robot", username="other_bot", is_bot=True)
        self.resident_messages: list[dict[str, Any]] = []
        self._bot_keys: list[tuple[int, int]] = []
        self.delivered = 0
        self.queries: list[tuple[str, bool]] = []  # (query id, forged)

    def chat(self, index: int) -> dict[str, Any]:
        if index < len(self.groups):
            return self.groups[index]
        return self.hood.world.private(self.users[index - len(self.groups)])

    def sender(self, chat: dict[str, Any], user: int) -> dict[str, Any]:
        """``user``, unless the chat is someone's private chat: then its owner."""
        if chat["type"] == "private":
            return next(u for u in self.users if u["id"] == chat["id"])
        return self.users[user]

    def push(self, update: dict[str, Any], *, force: bool = False) -> None:
        if self.hood.engine.push_update(update, force=force) is not None:
            self.delivered += 1
        message = update.get("message")
        if message and message.get("from", {}).get("is_bot") is False:
            self.resident_messages.append(message)

    def bot_message(self, pick: int) -> dict[str, Any] | None:
        """One of the bot's live messages (any chat), by index."""
        keys = self.hood.engine.state.bot_messages
        if len(keys) != len(self._bot_keys):
            self._bot_keys = sorted(keys)  # sorted: the same draw picks the same message
        if not self._bot_keys:
            return None
        chat_id, message_id = self._bot_keys[pick % len(self._bot_keys)]
        return self.hood.engine.message(chat_id, message_id)  # None once deleted

    async def play(self, action: tuple[Any, ...]) -> None:
        kind, *args = action
        await getattr(self, f"_{kind}")(*args)

    async def _command(self, chat: int, user: int, name: str, suffix: str, text: str) -> None:
        where = self.chat(chat)
        self.push(
            self.hood.world.command(where, self.sender(where, user), f"/{name}{suffix} {text}")
        )

    async def _deep_link(self, user: int, prefix: str, pick: int, text: str) -> None:
        # /start PAYLOAD as a link sends it, or as someone typed it by hand.
        ids = [str(g["id"]) for g in self.groups] + [
            str(pick % 50),
            str(-pick),
            text[:20],
            "²",
            "9" * 25,
        ]
        payload = f"{prefix}_{ids[pick % len(ids)]}" if prefix else text[:64]
        who = self.users[user]
        self.push(self.hood.world.command(self.hood.world.private(who), who, f"/start {payload}"))

    async def _decision(self, chat: int, user: int, name: str, parts: list[str]) -> None:
        # Half plausible pieces, half drawn junk, so that some decisions do get launched.
        plain = ["Le hall ?", "oui", "non", "samedi 14h", "dimanche 10h (2)", "500", "Bancs 200"]
        extras = ["48h", "anonyme", "secret", ""]
        pieces = [
            p[:120] if len(p) % 2 else f"{plain[i % len(plain)]} {extras[i % len(extras)]}"
            for i, p in enumerate(parts)
        ]
        where = self.chat(chat)
        text = f"/{name} " + " | ".join(pieces)
        # Mostly Amélie, who facilitates; sometimes someone who may not launch anything.
        self.push(self.hood.world.command(where, self.sender(where, user % 3 and user), text))

    async def _text(self, chat: int, user: int, text: str) -> None:
        where = self.chat(chat)
        if text:
            self.push(self.hood.world.message(where, self.sender(where, user), text))

    async def _reply(self, chat: int, user: int, pick: int, text: str) -> None:
        target = self.bot_message(pick)
        if target is None or not text:
            return
        where = target["chat"]
        self.push(self.hood.world.reply(where, self.sender(where, user), text, to=target))

    async def _edit(self, pick: int, text: str) -> None:
        if not self.resident_messages or not text:
            return
        original = self.resident_messages[pick % len(self.resident_messages)]
        with contextlib.suppress(ValueError):  # the bot deleted it meanwhile
            self.push(self.hood.world.edited_message(original, text))

    async def _sticker(self, chat: int, user: int) -> None:
        where = self.chat(chat)
        self.push(self.hood.world.sticker(where, self.sender(where, user)))

    async def _press(self, user: int, pick: int, button: int) -> None:
        target = self.bot_message(pick)
        keyboard = ((target or {}).get("reply_markup") or {}).get("inline_keyboard", [])
        offered = [b["callback_data"] for row in keyboard for b in row if "callback_data" in b]
        if target is None or not offered:
            return
        self._query(
            self.hood.world.callback(
                self.sender(target["chat"], user), target, offered[button % len(offered)]
            ),
            False,
        )

    async def _forged(self, user: int, pick: int, data: str) -> None:
        target = self.bot_message(pick)
        if target is not None:
            offered = {d for row in self.hood.engine.buttons(target) for _, d in row}
            update = self.hood.world.callback(
                self.sender(target["chat"], user), target, data, check=False
            )
            self._query(update, data not in offered)

    def _query(self, update: dict[str, Any], forged: bool) -> None:
        self.push(update)
        self.queries.append((update["callback_query"]["id"], forged))

    async def _channel(self, text: str) -> None:
        if text:
            self.push(self.hood.world.channel_post(self.channel, text))

    async def _anonymous(self, chat: int, text: str) -> None:
        group = self.groups[chat % len(self.groups)]
        self.push(self.hood.world.anonymous_admin_message(group, f"/besoin {text}"))

    async def _other_bot(self, chat: int, text: str) -> None:
        group = self.groups[chat % len(self.groups)]
        # Telegram never delivers another bot's messages; a misrouted one must still be ignored.
        self.push(
            self.hood.world.message_from_bot(group, self.robot, f"/besoin {text}"), force=True
        )

    async def _poll_answer(self, user: int, poll: str | int, options: list[int]) -> None:
        known = sorted(self.hood.engine.state.polls)
        poll_id = known[poll % len(known)] if isinstance(poll, int) and known else str(poll)
        # The fake refuses an impossible vote on a real poll, like Telegram.
        with contextlib.suppress(ValueError, IndexError, KeyError):
            self.push(self.hood.world.poll_answer(poll_id, self.users[user], options))

    async def _membership(self, chat: int, user: int, kicked: bool) -> None:
        # Out and back in, so later actions meet a bot that is present, as Telegram would.
        where, world, engine = self.chat(chat), self.hood.world, self.hood.engine
        private = where["type"] == "private"
        who = self.sender(where, user)
        if private:
            engine.block(who["id"])
        self.push(world.bot_removed(where, who, kicked=kicked))
        if private:
            engine.unblock(who["id"])
        self.push(world.bot_added(where, who))

    async def _fault(self, method: str, status: int) -> None:
        engine = self.hood.engine
        if engine.faults.pending():
            return  # one at a time: a pile of 429s would outlast any retry budget
        fault = Fault.retry_after(1) if status == 429 else Fault.server_error(status)
        engine.fail_next(method, fault)

    async def _tick(self, minutes: int) -> None:
        # Faults are for handlers; scheduled jobs log a failed send at ERROR by design.
        self.hood.engine.clear_faults()
        self.hood.clock.advance(minutes=minutes)
        await self.hood.run_due()
