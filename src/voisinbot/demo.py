"""``voisinbot demo``: the real bot in a simulated neighbourhood, with no token and no network.

The application, its handlers and a real SQLite file run against the in-project fake Bot API
(``voisinbot.fakeapi``). A person plays the residents of a group from the terminal, or a
script plays them (``--script FILE``) and the transcript is printed.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from pydantic import SecretStr

from voisinbot.bot.app import VoisinApp, build_application, running
from voisinbot.bot.polling import poll_once
from voisinbot.bot.ratelimit import TelegramLimits
from voisinbot.bot.runtime import system_clock
from voisinbot.config import Settings
from voisinbot.fakeapi import FakeRequest, FakeTelegram, World

DEMO_TOKEN = "0:DEMO"  # never leaves the process: the fake API answers every request
SHOWN_METHODS = {
    "sendMessage",
    "editMessageText",
    "sendPoll",
    "stopPoll",
    "sendDocument",
    "sendPhoto",
}

DEMO_HELP = """\
Demo commands (everything else is sent to the bot as the current resident):
  :as NAME       speak as another resident (alice, bob, carol speaks English, dina is admin)
  :private       write to the bot privately     :group   back to the group
  :press N       press button N shown above     :reply TEXT   answer the bot's last question
  :restart       stop and start the bot again (the database is kept)
  :advance 2h    move the clock on (runs what became due: reminders, deadlines)
  :help          this list                      :quit    leave"""


@dataclass
class MovableClock:
    """The real time, plus however far the person moved it on with :advance."""

    offset: timedelta = timedelta(0)

    def __call__(self) -> datetime:
        return system_clock() + self.offset


@dataclass
class Resident:
    name: str
    user: dict[str, Any]


@dataclass
class DemoSession:
    """The simulated neighbourhood and the bot running in it."""

    database: Path
    out: TextIO
    engine: FakeTelegram = field(default_factory=FakeTelegram)
    app: VoisinApp | None = None
    residents: dict[str, Resident] = field(default_factory=dict)
    current: str = "alice"
    in_private: bool = False
    buttons: list[tuple[dict[str, Any], str]] = field(default_factory=list)
    clock: MovableClock = field(default_factory=MovableClock)
    _lifecycle: Any = None
    _seen_calls: int = 0

    def __post_init__(self) -> None:
        self.world = World(self.engine)
        self.group = self.world.supergroup("Jardin partagé des Lilas")
        for name, first, language in (
            ("alice", "Alice", "fr"),
            ("bob", "Bob", "fr"),
            ("carol", "Carol", "en"),
            ("dina", "Dina", "fr"),
        ):
            self.residents[name] = Resident(first, self.world.user(first, language_code=language))
        self.engine.set_admins(self.group["id"], [self.residents["dina"].user])

    # --- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        settings = Settings(
            bot_token=SecretStr(DEMO_TOKEN),
            database=self.database,
            _env_file=None,  # type: ignore[call-arg]
        )
        # The fake enforces no flood limits: pacing would only make the demo wait (a group
        # gets 20 messages a minute), while 429 and migration handling stay on.
        unpaced = TelegramLimits(overall_max_rate=0, group_max_rate=0, private_max_rate=0)
        app = build_application(
            settings, request=FakeRequest(self.engine), clock=self.clock, rate_limiter=unpaced
        )
        self._lifecycle = running(app)
        self.app = await self._lifecycle.__aenter__()
        self._seen_calls = len(self.engine.calls)  # start-up chatter (menus) is not shown

    async def stop(self) -> None:
        if self._lifecycle is not None:
            await self._lifecycle.__aexit__(None, None, None)
            self._lifecycle, self.app = None, None

    async def welcome(self) -> None:
        self.say("🏡 A supergroup “Jardin partagé des Lilas”, privacy mode on. Dina adds the bot.")
        await self.deliver(self.world.bot_added(self.group, self.residents["dina"].user))

    # --- one line of input ---------------------------------------------------------------------

    async def handle(self, line: str) -> bool:
        """Act on one line; False when the person wants to leave."""
        line = line.strip()
        if not line:
            return True
        if line.startswith(":"):
            return await self._demo_command(line)
        await self.deliver(self.world.message(self._chat(), self._user(), line))
        return True

    async def _demo_command(self, line: str) -> bool:
        verb, _, rest = line[1:].partition(" ")
        rest = rest.strip()
        match verb:
            case "quit" | "q" | "exit":
                return False
            case "help":
                self.say(DEMO_HELP)
            case "as":
                self._switch(rest.lower())
            case "private":
                self.in_private = True
                self.say(
                    f"(now in {self.residents[self.current].name}'s private chat with the bot)"
                )
            case "group":
                self.in_private = False
                self.say("(back in the group)")
            case "press":
                await self._press(rest)
            case "reply":
                await self._reply(rest)
            case "restart":
                await self.stop()
                await self.start()
                self.say("(bot restarted; same database)")
            case "advance":
                await self._advance(rest)
            case _:
                self.say(f"(unknown demo command :{verb}; :help lists them)")
        return True

    def _switch(self, name: str) -> None:
        if not name:
            self.say("(who? :as alice)")
            return
        if name not in self.residents:
            self.residents[name] = Resident(name.title(), self.world.user(name.title()))
        self.current = name
        self.say(f"(you are now {self.residents[name].name})")

    async def _press(self, number: str) -> None:
        if not number.isdigit() or not 1 <= int(number) <= len(self.buttons):
            self.say("(no such button; press one of the numbers shown in [brackets])")
            return
        message, data = self.buttons[int(number) - 1]
        try:
            update = self.world.callback(self._user(), message, data)
        except ValueError:
            self.say("(that button is gone)")
            return
        await self.deliver(update)

    async def _reply(self, text: str) -> None:
        last = self.engine.last_message(self._chat()["id"])
        if last is None or not text:
            self.say("(nothing to reply to, or nothing to say)")
            return
        await self.deliver(self.world.reply(self._chat(), self._user(), text, to=last))

    async def _advance(self, amount: str) -> None:
        units = {"m": 60, "h": 3600, "d": 86400}
        if len(amount) < 2 or amount[-1] not in units or not amount[:-1].isdigit():
            self.say("(say how long: :advance 30m, :advance 2h, :advance 1d)")
            return
        assert self.app is not None
        self.clock.offset += timedelta(seconds=int(amount[:-1]) * units[amount[-1]])
        self.say(f"(the clock moves on by {amount})")
        await self.app.runtime.scheduler.run_due()
        self.show_new_activity()

    # --- talking to the bot ----------------------------------------------------------------

    def _user(self) -> dict[str, Any]:
        return self.residents[self.current].user

    def _chat(self) -> dict[str, Any]:
        return self.world.private(self._user()) if self.in_private else self.group

    async def deliver(self, update: dict[str, Any]) -> None:
        assert self.app is not None
        if self.engine.push_update(update) is None:
            self.say("   (Telegram does not deliver this to the bot: privacy mode is on in groups)")
            return
        while await poll_once(self.app):
            pass
        self.show_new_activity()

    def show_new_activity(self) -> None:
        calls = self.engine.calls[self._seen_calls :]
        self._seen_calls = len(self.engine.calls)
        shown_buttons: list[tuple[dict[str, Any], str]] = []
        for call in calls:
            if call.method == "answerCallbackQuery" and call.params.get("text"):
                self.say(f"   💬 {call.params['text']}")
            if call.method not in SHOWN_METHODS:
                continue
            if not call.ok:
                self.say(f"   ⚠ Telegram refused {call.method}: {call.description}")
                continue
            message = call.result if isinstance(call.result, dict) else None
            if message is None:
                continue
            self._print_message(call.method, message, shown_buttons)
        if shown_buttons:
            self.buttons = shown_buttons

    def _print_message(
        self, method: str, message: dict[str, Any], shown: list[tuple[dict[str, Any], str]]
    ) -> None:
        chat = message["chat"]
        where = chat.get("title") or f"private chat with {chat.get('first_name', '?')}"
        verb = "edits its message in" if method.startswith("edit") else "→"
        self.say(f"🤖 {verb} {where}:")
        body = message.get("text") or message.get("caption") or ""
        if "poll" in message:
            poll = message["poll"]
            body = poll["question"] + "".join(f"\n  ○ {o['text']}" for o in poll["options"])
        for line in body.splitlines() or [""]:
            self.say(f"   {line}")
        for row in self.engine.buttons(message):
            labels = []
            for label, data in row:
                if data is not None and not data.startswith(("http", "tg:")):
                    shown.append((message, data))
                    labels.append(f"[{len(shown)}] {label}")
                else:
                    labels.append(f"[link] {label}")
            self.say("   " + "   ".join(labels))

    def prompt(self) -> str:
        place = "private" if self.in_private else "group"
        return f"{self.current}@{place} › "

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)


async def _play(session: DemoSession, lines: list[str] | None) -> None:
    await session.start()
    try:
        await session.welcome()
        if lines is None:
            session.say(DEMO_HELP)
            while True:
                try:
                    line = await asyncio.to_thread(input, session.prompt())
                except EOFError:
                    break
                if not await session.handle(line):
                    break
        else:
            for line in lines:
                if line.strip().startswith("#"):
                    continue
                session.say(session.prompt() + line.rstrip())
                if not await session.handle(line):
                    break
    finally:
        await session.stop()


def run_demo(
    *, database: Path | None = None, script: Path | None = None, out: TextIO | None = None
) -> int:
    """Run the demo; with ``script``, play its lines and print the transcript."""
    lines = script.read_text(encoding="utf-8").splitlines() if script else None
    with tempfile.TemporaryDirectory(prefix="voisinbot-demo-") as tmp:
        session = DemoSession(database or Path(tmp) / "demo.sqlite3", out or sys.stdout)
        asyncio.run(_play(session, lines))
    return 0
