"""Flood limits with an injected clock: 30/s overall, 20/min per group, 1/s per private chat."""

from __future__ import annotations

import datetime as dt

import pytest
from telegram import Bot
from telegram.error import RetryAfter

from voisinbot.fakeapi import FakeRequest, FakeTelegram, World


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def engine(clock: FakeClock) -> FakeTelegram:
    return FakeTelegram(enforce_limits=True, clock=clock)


async def send(engine: FakeTelegram, chat_id: int, text: str = "x") -> tuple[int, dict]:
    return await engine.handle("sendMessage", {"chat_id": chat_id, "text": text})


async def test_group_budget_is_20_per_minute(
    engine: FakeTelegram, world: World, clock: FakeClock
) -> None:
    group = world.group("G")
    for i in range(20):
        assert (await send(engine, group["id"], str(i)))[0] == 200
        clock.advance(1)
    status, body = await send(engine, group["id"])
    assert status == 429
    # The first send (t=1000) leaves the window at t=1060; now is t=1020.
    assert body["parameters"] == {"retry_after": 40}
    assert body["description"] == "Too Many Requests: retry after 40"
    clock.advance(40)
    assert (await send(engine, group["id"]))[0] == 200
    assert engine.retry_after_count == 1
    assert engine.too_many_requests_sent == 1
    assert len(engine.sent_texts(group["id"])) == 21


async def test_private_chat_budget_is_1_per_second(
    engine: FakeTelegram, world: World, clock: FakeClock
) -> None:
    alice = world.user("Alice")
    engine.start_private(alice)
    assert (await send(engine, alice["id"]))[0] == 200
    clock.advance(0.4)
    status, body = await send(engine, alice["id"])
    assert (status, body["parameters"]["retry_after"]) == (429, 1)
    clock.advance(0.6)
    assert (await send(engine, alice["id"]))[0] == 200


async def test_overall_budget_is_30_per_second(
    engine: FakeTelegram, world: World, clock: FakeClock
) -> None:
    users = [world.user(f"U{i}") for i in range(31)]
    for user in users:
        engine.start_private(user)
    for user in users[:30]:
        assert (await send(engine, user["id"]))[0] == 200
    assert (await send(engine, users[30]["id"]))[0] == 429
    clock.advance(1)
    assert (await send(engine, users[30]["id"]))[0] == 200


async def test_edits_count_in_groups_only(
    engine: FakeTelegram, world: World, clock: FakeClock
) -> None:
    group = world.group("G")
    _, body = await send(engine, group["id"], "v0")
    message_id = body["result"]["message_id"]
    for i in range(19):
        status, _ = await engine.handle(
            "editMessageText",
            {"chat_id": group["id"], "message_id": message_id, "text": f"v{i + 1}"},
        )
        assert status == 200
    status, _ = await engine.handle(
        "editMessageText", {"chat_id": group["id"], "message_id": message_id, "text": "trop"}
    )
    assert status == 429


async def test_ptb_sees_retry_after(
    engine: FakeTelegram, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    alice = world.user("Alice")
    engine.start_private(alice)
    async with Bot("123:ABC", request=FakeRequest(engine)) as bot:
        await bot.send_message(alice["id"], "un")
        with pytest.raises(RetryAfter) as info:
            await bot.send_message(alice["id"], "deux")
    assert info.value.retry_after == dt.timedelta(seconds=1)
    assert engine.sent_texts(alice["id"]) == ["un"]


async def test_limits_are_off_by_default() -> None:
    engine = FakeTelegram()
    group = World(engine).group("G")
    for _ in range(50):
        assert (await send(engine, group["id"]))[0] == 200
