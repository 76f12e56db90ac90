"""Each ``voisinbot bench`` command runs, at a tiny size, through the command line.

These prove the benchmarks work from a clean checkout; they assert what was printed, never
how fast (figures are for ``docs/benchmarks.md``, measured at full size).
"""

from __future__ import annotations

import re

import pytest

from voisinbot.cli import main


def _figures(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(["bench", *argv]) == 0
    out = capsys.readouterr().out
    assert out.startswith("machine: "), out
    return out


def test_bench_updates_compares_the_bot_with_bare_ptb(capsys: pytest.CaptureFixture[str]) -> None:
    out = _figures(capsys, "updates", "--groups", "3", "--residents", "12", "--updates", "40")
    assert re.search(r"voisinbot: +[\d,]+ updates/s +p50 [\d.]+ ms +p99 [\d.]+ ms", out), out
    assert re.search(r"bare PTB: +[\d,]+ updates/s", out), out
    assert re.search(r"SQL [\d.]+ statements/update", out), out
    assert "pacing OFF" in out
    assert re.search(r"ratio [\d.]+ of bare PTB", out), out
    # The bot's own calls replayed alone: as many calls per update as the bot made.
    bot_calls = re.search(r"voisinbot: .*? ([\d.]+) Bot API calls/update", out)
    alone = re.search(r"requests alone: +[\d,]+ updates/s .*? ([\d.]+) Bot API calls/update", out)
    assert bot_calls and alone and alone.group(1) == bot_calls.group(1), out
    assert re.search(r"the bot's requests alone reach [\d.]+", out), out


def test_bench_fanout_delivers_everything_once_within_the_limits(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = _figures(capsys, "fanout", "--groups", "2", "--reminders", "4")
    assert "delivered 6," in out, out
    # Correctness, not speed: nothing refused, doubled or lost even at this size.
    assert "429 received 0, duplicates 0, lost 0" in out, out
    assert re.search(r"busiest private second 1/1", out), out


def test_bench_startup_measures_a_fresh_process(capsys: pytest.CaptureFixture[str]) -> None:
    out = _figures(capsys, "startup", "--posts", "200", "--schedules", "40", "--runs", "1")
    assert "200 posts, 40 schedules" in out, out
    assert re.search(r"fresh process to ready: \d+ ms", out), out
    assert re.search(r"imports: \d+ ms", out), out
    assert re.search(r"matching lexicon ready \(in the background\): \d+ ms", out), out
    assert re.search(r"peak RSS: \d+ MB at ready", out), out
