"""Nothing lost, nothing doubled: the bot process is SIGKILLed at random instants while
residents post (see chaos.py and the guarantees in bot/polling.py)."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.chaos import check, run_chaos

POSTS, KILLS = 60, 5


async def test_sigkill_while_residents_post_loses_and_doubles_nothing(tmp_path: Path) -> None:
    report = await run_chaos(tmp_path, seed=20261126, posts=POSTS, kills=KILLS)
    assert report.kills == KILLS and report.starts == KILLS + 1
    assert len(report.posts) == POSTS
    # Every post sent is stored once with its text; every one was confirmed in the group; a
    # card is repeated only when a kill fell between its send and its record (one per kill).
    assert check(report) == [], report.summary()
    assert len(report.stored) == POSTS
