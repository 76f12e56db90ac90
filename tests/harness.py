"""A neighbourhood for end-to-end tests: the real application, a real SQLite file, the fake
Bot API, a fake clock, and helpers to read what residents see."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from telegram.ext import BaseRateLimiter

from voisinbot.bot.app import VoisinApp, build_application, running
from voisinbot.bot.polling import poll_once
from voisinbot.bot.ratelimit import TelegramLimits
from voisinbot.config import Settings
from voisinbot.fakeapi import FakeRequest, FakeTelegram, World

START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # a Thursday
BOT_USERNAME = "voisinbot_bot"


@dataclass
class FakeClock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@dataclass
class Neighbourhood:
    """One bot, its database and the residents around it."""

    tmp_path: Path
    settings_overrides: dict[str, Any] = field(default_factory=dict)
    # The bot's limiter with its pacing off (0 disables a limit) but 429, 5xx and migration
    # handling on: tests post dozens of messages into one group in well under a second. Its
    # waits (retry_after, backoff) are recorded in ``waits`` instead of slept.
    rate_limiter: BaseRateLimiter[Any] | None = None
    clock: FakeClock = field(default_factory=FakeClock)
    waits: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.rate_limiter is None:
            self.rate_limiter = TelegramLimits(
                overall_max_rate=0,
                group_max_rate=0,
                private_max_rate=0,
                max_retries=3,
                sleep=self._record_wait,
            )
        self.engine = FakeTelegram(username=BOT_USERNAME)
        self.world = World(self.engine, clock=lambda: self.clock().timestamp())
        self.database = self.tmp_path / "voisinbot.sqlite3"
        self.app: VoisinApp | None = None
        self._lifecycle: Any = None

    async def _record_wait(self, seconds: float) -> None:
        self.waits.append(seconds)
        await asyncio.sleep(0)

    def settings(self) -> Settings:
        values: dict[str, Any] = {
            "bot_token": "123456:TEST-TOKEN",
            "database": self.database,
            "_env_file": None,
        }
        values.update(self.settings_overrides)
        return Settings(**values)

    async def start(self) -> VoisinApp:
        app = build_application(
            self.settings(),
            request=FakeRequest(self.engine),
            updates_request=FakeRequest(self.engine),
            rate_limiter=self.rate_limiter,
            clock=self.clock,
        )
        self._lifecycle = running(app)
        self.app = await self._lifecycle.__aenter__()
        return app

    async def stop(self) -> None:
        if self._lifecycle is not None:
            await self._lifecycle.__aexit__(None, None, None)
            self._lifecycle, self.app = None, None

    async def restart(self) -> VoisinApp:
        await self.stop()
        return await self.start()

    @property
    def running_app(self) -> VoisinApp:
        assert self.app is not None, "start() the neighbourhood first"
        return self.app

    async def send(self, *updates: dict[str, Any]) -> list[int | None]:
        """Deliver updates as Telegram would (privacy mode applies) through the real
        getUpdates path; returns the update ids, None for those Telegram would not deliver."""
        ids = [self.engine.push_update(update) for update in updates]
        while await poll_once(self.running_app):
            pass
        return ids

    async def run_due(self) -> int:
        return await self.running_app.runtime.scheduler.run_due()

    # --- what residents see ----------------------------------------------------------------

    def said(self, chat: dict[str, Any]) -> list[str]:
        """The plain text of the bot's messages in a chat, oldest first."""
        # Like Telegram, the fake returns messages as read: markup parsed into entities.
        return [m.get("text") or m.get("caption") or "" for m in self.engine.messages(chat["id"])]

    def last(self, chat: dict[str, Any]) -> dict[str, Any]:
        message = self.engine.last_message(chat["id"])
        assert message is not None, f"the bot said nothing in {chat.get('title') or chat['id']}"
        return message

    def last_text(self, chat: dict[str, Any]) -> str:
        return str(self.last(chat)["text"])

    def buttons(self, message: dict[str, Any]) -> list[str]:
        return [label for row in self.engine.buttons(message) for label, _ in row]
