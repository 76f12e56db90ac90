"""The real application on the fake Bot API, as the bot benchmarks run it.

Everything above the request layer is the bot itself: ``build_application`` (handlers,
defaults, rate limiter), ``running`` (lifecycle, scheduler armed), a real SQLite file in WAL.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from telegram.ext import BaseRateLimiter
from telegram.request import BaseRequest, RequestData

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


@dataclass(frozen=True, slots=True)
class Answered:
    """One request as the fake Bot API answered it."""

    at: float  # time.monotonic(), the clock the fake's flood limits use
    method: str
    chat_id: int | None
    status: int
    # What was sent, as PTB serialised it (JSON-ready): ``bench updates`` replays the bot's
    # calls through a bare application to measure what they cost alone.
    parameters: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


class RecordingRequest(FakeRequest):
    """``FakeRequest`` noting when each call was answered and how (the engine's own call log
    has no times, and is off in benchmarks)."""

    __slots__ = ("answered", "keep_parameters")

    def __init__(self, engine: FakeTelegram, *, keep_parameters: bool = False) -> None:
        super().__init__(engine)
        self.answered: list[Answered] = []
        self.keep_parameters = keep_parameters

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        status, body = await super().do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )
        parameters = request_data.parameters if request_data else {}
        chat = parameters.get("chat_id")
        api_method = url.rstrip("/").rsplit("/", 1)[-1]
        chat_id = (
            int(chat) if isinstance(chat, int | str) and str(chat).lstrip("-").isdigit() else None
        )
        self.answered.append(
            Answered(time.monotonic(), api_method, chat_id, status,
                     parameters if self.keep_parameters else {})
        )  # fmt: skip
        return status, body


def bot_app(
    engine: FakeTelegram,
    database: Path,
    *,
    rate_limiter: BaseRateLimiter[Any] | None = None,
    clock: Clock = system_clock,
    request: FakeRequest | None = None,
) -> VoisinApp:
    return build_application(
        bench_settings(database),
        request=request or FakeRequest(engine),
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


@contextlib.contextmanager
def quiet_logs() -> Iterator[None]:
    """Benchmarks print figures; the bot's info lines (one per schedule, per flood wait…)
    would drown them. Warnings still show. The levels are put back afterwards (the smoke
    tests run the benchmarks inside pytest)."""
    loggers = [logging.getLogger(name) for name in ("voisinbot", "telegram", "apscheduler")]
    before = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, before, strict=True):
            logger.setLevel(level)
