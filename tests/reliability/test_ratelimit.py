"""The outgoing rate limiter (bot/ratelimit.py) in virtual time: pacing, 429s, 5xx, timeouts,
migrations, bounded memory; then against the fake Bot API enforcing Telegram's limits."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ExtBot

from tests.reliability.virtual_time import VirtualTime
from voisinbot.bot.ratelimit import TelegramLimits, failed_chat_id
from voisinbot.fakeapi import FakeRequest, FakeTelegram, Fault, World

GROUP, OTHER_GROUP, PRIVATE = -1001, -1002, 42


@pytest.fixture
def vt() -> VirtualTime:
    return VirtualTime()


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    # PTB warns when a RetryAfter carries an int; the warning is an error in this suite.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


class Recorder:
    """A stand-in for the HTTP call: records when each request went out."""

    def __init__(self, vt: VirtualTime, failures: Iterator[Exception] | None = None) -> None:
        self.vt = vt
        self.sent: list[tuple[float, str, Any]] = []
        self.failures = failures

    async def __call__(self, endpoint: str, data: dict[str, Any]) -> Any:
        self.sent.append((self.vt.now, endpoint, data.get("chat_id")))
        failure = next(self.failures, None) if self.failures is not None else None
        if failure is not None:
            raise failure
        return True

    def times(self, chat_id: Any = None) -> list[float]:
        return [t for t, _, c in self.sent if chat_id is None or c == chat_id]


async def request(
    limiter: TelegramLimits, recorder: Recorder, method: str, chat_id: Any = None
) -> Any:
    data = {} if chat_id is None else {"chat_id": chat_id}
    return await limiter.process_request(recorder, (method, data), {}, method, data, None)


def most_in_window(times: list[float], period: float) -> int:
    """The largest number of events in any window (t - period, t]."""
    ordered = sorted(times)
    return max(
        (sum(1 for s in ordered if t - period < s <= t) for t in ordered),
        default=0,
    )


def limiter(vt: VirtualTime, **kwargs: Any) -> TelegramLimits:
    return TelegramLimits(clock=vt, sleep=vt.sleep, margin=0.0, **kwargs)


async def test_group_gets_20_messages_per_minute_in_any_minute(vt: VirtualTime) -> None:
    limits, recorder = limiter(vt), Recorder(vt)
    await vt.run(*(request(limits, recorder, "sendMessage", GROUP) for _ in range(45)))
    times = recorder.times(GROUP)
    assert len(times) == 45
    assert most_in_window(times, 60.0) == 20
    # A sliding window, not a leaky bucket: after a burst of 20 the 21st waits a whole minute.
    assert times[19] - times[0] < 1 and times[20] - times[0] >= 60


async def test_private_chat_gets_one_message_per_second_in_call_order(vt: VirtualTime) -> None:
    limits, recorder = limiter(vt), Recorder(vt)

    async def send(i: int) -> None:
        await limits.process_request(
            recorder, ("sendMessage", {"chat_id": PRIVATE, "n": i}), {}, "sendMessage",
            {"chat_id": PRIVATE}, None,
        )  # fmt: skip

    await vt.run(*(send(i) for i in range(6)))
    times = recorder.times(PRIVATE)
    assert all(b - a >= 1.0 for a, b in itertools.pairwise(times))


async def test_overall_budget_is_30_per_second_across_chats(vt: VirtualTime) -> None:
    limits, recorder = limiter(vt), Recorder(vt)
    await vt.run(*(request(limits, recorder, "sendMessage", 1000 + i) for i in range(100)))
    assert len(recorder.sent) == 100
    assert most_in_window(recorder.times(), 1.0) == 30


async def test_a_busy_group_does_not_hold_up_other_chats(vt: VirtualTime) -> None:
    limits, recorder = limiter(vt), Recorder(vt)
    start = vt.now
    await vt.run(
        *(request(limits, recorder, "sendMessage", GROUP) for _ in range(21)),
        request(limits, recorder, "sendMessage", OTHER_GROUP),
        request(limits, recorder, "sendMessage", PRIVATE),
        request(limits, recorder, "getChat", GROUP),  # not a message: never paced
    )
    assert recorder.times(OTHER_GROUP)[0] - start < 1
    assert recorder.times(PRIVATE)[0] - start < 1
    assert max(recorder.times(GROUP)) - start >= 60


async def test_edits_count_in_groups_only_and_not_overall(vt: VirtualTime) -> None:
    limits, recorder = limiter(vt), Recorder(vt)
    await vt.run(
        *(request(limits, recorder, "editMessageText", GROUP) for _ in range(21)),
        *(request(limits, recorder, "editMessageText", PRIVATE) for _ in range(5)),
    )
    assert most_in_window(recorder.times(GROUP), 60.0) == 20
    assert max(recorder.times(PRIVATE)) == 1000.0  # private edits are not charged


async def test_pacing_off_sends_at_once(vt: VirtualTime) -> None:
    limits = limiter(vt, overall_max_rate=0, group_max_rate=0, private_max_rate=0)
    recorder = Recorder(vt)
    await vt.run(*(request(limits, recorder, "sendMessage", GROUP) for _ in range(100)))
    assert set(recorder.times()) == {1000.0}


async def test_memory_stays_flat_with_thousands_of_residents(vt: VirtualTime) -> None:
    limits, recorder = limiter(vt, chats_kept=100), Recorder(vt)
    for batch in range(20):
        ids = range(10_000 + batch * 250, 10_000 + (batch + 1) * 250)
        await vt.run(*(request(limits, recorder, "sendMessage", i) for i in ids))
    assert len(recorder.sent) == 5000
    # Bounded by what the overall budget can keep open at once (30/s × 60 s), not by 5000.
    assert limits.chats_tracked <= 30 * 60 + 1


async def test_429_is_waited_out_and_sent_again(vt: VirtualTime) -> None:
    failures = iter([RetryAfter(7)])
    limits, recorder = limiter(vt), Recorder(vt, failures)
    await vt.run(request(limits, recorder, "sendMessage", GROUP))
    first, second = recorder.times()
    assert second - first == 7


async def test_429_pauses_every_request_and_gives_up_after_max_retries(vt: VirtualTime) -> None:
    failures = iter([RetryAfter(5), RetryAfter(5), RetryAfter(5)])
    limits, recorder = limiter(vt, max_retries=2), Recorder(vt, failures)
    outcome = await vt.run(_outcome(request(limits, recorder, "sendMessage", GROUP)))
    assert isinstance(outcome[0], RetryAfter)
    assert failed_chat_id(outcome[0]) == GROUP
    assert len(recorder.sent) == 3  # the first try and two retries

    # While a 429 is being waited out, other chats wait too (Telegram's flood wait is global).
    failures = iter([RetryAfter(5)])
    limits, recorder = limiter(vt), Recorder(vt, failures)
    start = vt.now
    await vt.run(request(limits, recorder, "sendMessage", GROUP), _later(vt, limits, recorder))
    assert recorder.times(PRIVATE)[0] - start >= 5


async def _later(vt: VirtualTime, limits: TelegramLimits, recorder: Recorder) -> None:
    await vt.sleep(0.5)
    await request(limits, recorder, "sendMessage", PRIVATE)


async def _outcome(work: Any) -> Any:
    try:
        return await work
    except Exception as exc:
        return exc


@pytest.mark.parametrize(
    "method", ["getChat", "answerCallbackQuery", "editMessageText", "deleteMessage"]
)
async def test_5xx_is_retried_with_backoff_where_a_duplicate_is_harmless(
    vt: VirtualTime, method: str
) -> None:
    failures = iter([NetworkError("Bad Gateway"), NetworkError("Bad Gateway")])
    limits, recorder = limiter(vt, backoff=0.5), Recorder(vt, failures)
    assert await vt.run(request(limits, recorder, method, PRIVATE)) == [True]
    assert [
        round(b - a, 3) for a, b in zip(recorder.times(), recorder.times()[1:], strict=False)
    ] == [
        0.5,
        1.0,
    ]


@pytest.mark.parametrize("method", ["sendMessage", "sendPoll", "sendDocument", "sendPhoto"])
async def test_a_send_is_never_repeated_after_a_5xx(vt: VirtualTime, method: str) -> None:
    limits, recorder = limiter(vt), Recorder(vt, iter([NetworkError("Internal Server Error")]))
    (outcome,) = await vt.run(_outcome(request(limits, recorder, method, GROUP)))
    assert isinstance(outcome, NetworkError)
    assert len(recorder.sent) == 1


@pytest.mark.parametrize(
    "error", [TimedOut("read timeout"), BadRequest("Bad Request: chat not found")]
)
async def test_timeouts_and_bad_requests_are_not_retried(vt: VirtualTime, error: Exception) -> None:
    limits, recorder = limiter(vt), Recorder(vt, iter([error]))
    (outcome,) = await vt.run(_outcome(request(limits, recorder, "getChat", GROUP)))
    assert outcome is error
    assert len(recorder.sent) == 1
    assert failed_chat_id(outcome) == GROUP


async def test_a_retry_that_finds_the_work_done_succeeds(vt: VirtualTime) -> None:
    # The first deleteMessage landed but its answer was a 502: the retry finds nothing to do.
    failures = iter([NetworkError("Bad Gateway"), BadRequest("Message to delete not found")])
    limits, recorder = limiter(vt), Recorder(vt, failures)
    assert await vt.run(request(limits, recorder, "deleteMessage", GROUP)) == [True]
    # Without a 5xx before, the same answer is a real error.
    limits, recorder = limiter(vt), Recorder(vt, iter([BadRequest("message to delete not found")]))
    (outcome,) = await vt.run(_outcome(request(limits, recorder, "deleteMessage", GROUP)))
    assert isinstance(outcome, BadRequest)


async def test_a_migrated_group_is_followed_and_the_message_sent_there(vt: VirtualTime) -> None:
    moved: list[tuple[int, int]] = []

    async def hook(old: int, new: int) -> None:
        moved.append((old, new))

    limits, recorder = limiter(vt), Recorder(vt, iter([ChatMigrated(-100777)]))
    limits.on_chat_migrated = hook
    assert await vt.run(request(limits, recorder, "sendMessage", -777)) == [True]
    assert moved == [(-777, -100777)]
    assert [chat for _, _, chat in recorder.sent] == [-777, -100777]
    # An edit is not re-sent (message ids belong to the old chat), but the rows still move.
    limits, recorder = limiter(vt), Recorder(vt, iter([ChatMigrated(-100888)]))
    limits.on_chat_migrated = hook
    (outcome,) = await vt.run(_outcome(request(limits, recorder, "editMessageText", -888)))
    assert isinstance(outcome, ChatMigrated) and moved[-1] == (-888, -100888)


# --- against the fake Bot API, which answers 429 like Telegram ------------------------------


@pytest.fixture
def engine(vt: VirtualTime) -> FakeTelegram:
    return FakeTelegram(enforce_limits=True, clock=vt)


async def _bot(engine: FakeTelegram, limits: TelegramLimits) -> ExtBot[Any]:
    bot: ExtBot[Any] = ExtBot(
        "123:ABC",
        request=FakeRequest(engine),
        get_updates_request=FakeRequest(engine),
        rate_limiter=limits,
    )
    await bot.initialize()
    return bot


async def test_a_burst_to_groups_and_residents_never_meets_a_429(
    vt: VirtualTime, engine: FakeTelegram
) -> None:
    world = World(engine)
    groups = [world.supergroup(f"G{i}") for i in range(3)]
    residents = [engine.start_private(world.user(f"R{i}")) for i in range(40)]
    bot = await _bot(engine, TelegramLimits(clock=vt, sleep=vt.sleep))
    work = [bot.send_message(g["id"], f"{g['id']} {n}") for g in groups for n in range(25)]
    work += [bot.send_message(r["id"], f"{r['id']} {n}") for r in residents for n in range(3)]
    await vt.run(*work)
    assert engine.too_many_requests_sent == 0
    assert all(len(engine.sent_texts(g["id"])) == 25 for g in groups)
    assert all(len(engine.sent_texts(r["id"])) == 3 for r in residents)


async def test_fake_api_faults_through_the_bot(vt: VirtualTime, engine: FakeTelegram) -> None:
    world = World(engine)
    group = world.supergroup("G")
    resident = engine.start_private(world.user("R"))
    bot = await _bot(engine, TelegramLimits(clock=vt, sleep=vt.sleep))

    engine.fail_next("sendMessage", Fault.retry_after(3))
    await vt.run(bot.send_message(group["id"], "after a flood wait"))
    assert engine.sent_texts(group["id"]) == ["after a flood wait"]
    assert [c.status for c in engine.calls_to("sendMessage")] == [429, 200]

    engine.fail_next("sendMessage", Fault.server_error(502))
    (outcome,) = await vt.run(_outcome(bot.send_message(group["id"], "maybe delivered")))
    assert isinstance(outcome, NetworkError)
    assert len(engine.calls_to("sendMessage")) == 3  # not repeated

    engine.fail_next("getChat", Fault.server_error(503), times=2)
    chat = (await vt.run(bot.get_chat(group["id"])))[0]
    assert chat.id == group["id"]

    engine.block(resident["id"])
    (outcome,) = await vt.run(_outcome(bot.send_message(resident["id"], "hello")))
    assert isinstance(outcome, Forbidden)
    assert failed_chat_id(outcome) == resident["id"]
