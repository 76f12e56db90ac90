"""Bad input and forged buttons, fuzzed: thousands of generated updates through the real
application and the fake Bot API (see fuzz_actions.py for what is thrown).

Promises checked after every batch:
- no unhandled exception (nothing logged at ERROR, by us or by PTB);
- every request the bot made was accepted by the fake, which checks Telegram's limits
  (text length, HTML, callback data, keyboards, polls), except the faults the fuzzer
  injected and Telegram's "start me first" refusals of private messages;
- every button press got an answer, and a forged one the "no longer valid" answer.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.harness import Neighbourhood
from tests.reliability.fuzz_actions import ACTION, Player
from voisinbot.i18n import LOCALES, translator

EXAMPLES = 250
BATCH = st.lists(ACTION, min_size=50, max_size=90)
MIN_UPDATES = 10_000
STALE = {str(translator(locale).gettext("This button is no longer valid.")) for locale in LOCALES}
# Telegram's answers to a private message the resident never allowed (or blocked): expected,
# handled by bot/delivery.py, not a malformed request.
REFUSED_PRIVATELY = (
    "Forbidden: bot can't initiate conversation with a user",
    "Forbidden: bot was blocked by the user",
)
# Telegram's idempotent answer to an edit that changes nothing (a button pressed twice);
# bot/replies.edit_in_place expects it. Any other 400 is a malformed request.
UNCHANGED = "Bad Request: message is not modified"
# What the fuzzer's "fault" action arms (the fake enforces no flood limit of its own here).
INJECTED = {(429, "Too Many Requests: retry after 1"), (502, "Bad Gateway")}


class Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _refused(call: Any) -> str | None:
    """Why a failed call is a bug, or None when it is an expected refusal."""
    if (call.status, call.description) in INJECTED:
        return None
    if call.status == 403 and call.description in REFUSED_PRIVATELY:
        return None
    if call.status == 400 and (call.description or "").startswith(UNCHANGED):
        return None
    return f"{call.method} {call.status} {call.description} {str(call.params)[:300]}"


# A failing batch is reported by the assertions below; its repr is too large to be useful.
@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")
def test_fuzzed_updates_never_crash_and_every_request_is_valid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # RetryAfter with an int warns otherwise
    loop = asyncio.new_event_loop()
    hood = Neighbourhood(tmp_path)
    loop.run_until_complete(hood.start())
    errors = Errors()
    logging.getLogger().addHandler(errors)
    player = Player(hood)
    seen_calls, seen_queries = 0, 0

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        # Batches build on the state the earlier ones left: a failure cannot be replayed
        # alone, so shrinking would only mislead. The failing batch is printed as drawn.
        phases=[Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(batch=BATCH)
    def play(batch: list[tuple[Any, ...]]) -> None:
        nonlocal seen_calls, seen_queries
        for action in batch:
            loop.run_until_complete(player.play(action))
        loop.run_until_complete(hood.send())
        assert [r.getMessage() for r in errors.records] == []
        calls = hood.engine.calls[seen_calls:]
        seen_calls += len(calls)
        assert [why for call in calls if not call.ok and (why := _refused(call))] == []
        queries = player.queries[seen_queries:]
        seen_queries += len(queries)
        for query_id, forged in queries:
            answer = hood.engine.callback_answer(query_id)
            assert answer is not None, f"query {query_id} never answered"
            if forged:
                assert answer.get("text") in STALE

    try:
        play()
    finally:
        logging.getLogger().removeHandler(errors)
        hood.engine.clear_faults()
        loop.run_until_complete(hood.stop())
        loop.close()
    assert player.delivered >= MIN_UPDATES, player.delivered
