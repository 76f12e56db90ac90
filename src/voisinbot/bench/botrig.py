"""The real application on the fake Bot API, as the bot benchmarks run it.

Everything above the request layer is the bot itself: ``build_application`` (handlers,
defaults, rate limiter), ``running`` (lifecycle, scheduler armed), a real SQLite file in WAL.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from telegram.ext import BaseRateLimiter

from voisinbot.bot.app import VoisinApp, build_application, running
from voisinbot.bot.ratelimit import TelegramLimits
from voisinbot.bot.runtime import Clock, system_clock
from voisinbot.config import Settings
from voisinbot.fakeapi import FakeRequest, FakeTelegram

BENCH_TOKEN = "123456:BENCH-TOKEN"  # never leaves the process: the fake answers everything
BOT_USERNAME = "voisinbot_bot"


def bench_settings(database: Path) -> Settings:
    return Settings(
        bot_token=SecretStr(BENCH_TOKEN),
        database=database,
        _env_file=None,  # type: ignore[call-arg]
    )


def unpaced_limiter() -> TelegramLimits:
    """The bot's limiter with pacing off (0 disables a limit), as tests/harness.py uses it:
    429, 5xx and migration handling stay on, but nothing waits for Telegram's budgets."""
    return TelegramLimits(overall_max_rate=0, group_max_rate=0, private_max_rate=0)


def bot_app(
    engine: FakeTelegram,
    database: Path,
    *,
    rate_limiter: BaseRateLimiter[Any] | None = None,
    clock: Clock = system_clock,
) -> VoisinApp:
    return build_application(
        bench_settings(database),
        request=FakeRequest(engine),
        updates_request=FakeRequest(engine),
        rate_limiter=rate_limiter,
        clock=clock,
    )


@contextlib.asynccontextmanager
async def running_bot(app: VoisinApp, *, warm: bool = True) -> AsyncIterator[VoisinApp]:
    """``running(app)``, then (with ``warm``) wait for the matching lexicon, so the figures
    are about handling updates, not about compiling it once."""
    async with running(app) as live:
        if warm and live.runtime.warm_up is not None:
            await live.runtime.warm_up
        yield live


def quiet_logs() -> None:
    """Benchmarks print figures; the bot's info lines (one per schedule, per flood wait…)
    would drown them. Warnings still show."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("voisinbot").setLevel(logging.WARNING)
    logging.getLogger("telegram").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
