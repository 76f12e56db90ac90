"""Fixtures for the fake Telegram Bot API tests: an engine, a world and a real PTB Bot."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from voisinbot.fakeapi import FakeRequest, FakeTelegram, World


@pytest.fixture
def engine() -> FakeTelegram:
    return FakeTelegram()


@pytest.fixture
def world(engine: FakeTelegram) -> World:
    return World(engine)


@pytest.fixture
async def bot(engine: FakeTelegram) -> AsyncIterator[Bot]:
    # Two request objects, one engine: exactly how PTB's Bot is wired in production.
    async with Bot(
        "123:ABC", request=FakeRequest(engine), get_updates_request=FakeRequest(engine)
    ) as bot:
        yield bot
