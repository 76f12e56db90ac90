"""Weekly schedules and local days across daylight-saving changes (Europe/Paris)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from voisinbot.domain.when import local_datetime, local_day_bounds, next_weekly

PARIS = ZoneInfo("Europe/Paris")
MONDAY = 0
SUNDAY = 6
CET = timedelta(hours=1)
CEST = timedelta(hours=2)


def mondays_from(start: datetime, count: int) -> list[datetime]:
    out, after = [], start
    for _ in range(count):
        after = next_weekly(after, MONDAY, time(9, 0), PARIS)
        out.append(after)
    return out


@pytest.mark.parametrize(
    ("start", "offsets"),
    [
        # Clocks go forward on Sunday 2026-03-29 and 2027-03-28...
        (datetime(2026, 3, 9, 12, tzinfo=PARIS), [CET, CET, CEST, CEST]),
        (datetime(2027, 3, 8, 12, tzinfo=PARIS), [CET, CET, CEST, CEST]),
        # ... and back on Sunday 2026-10-25 and 2027-10-31.
        (datetime(2026, 10, 5, 12, tzinfo=PARIS), [CEST, CEST, CET, CET]),
        (datetime(2027, 10, 11, 12, tzinfo=PARIS), [CEST, CEST, CET, CET]),
    ],
)
def test_monday_nine_stays_nine_across_clock_changes(
    start: datetime, offsets: list[timedelta]
) -> None:
    runs = mondays_from(start, 4)
    assert [r.weekday() for r in runs] == [MONDAY] * 4
    assert [(r.hour, r.minute) for r in runs] == [(9, 0)] * 4
    assert [r.utcoffset() for r in runs] == offsets
    gaps = {b.astimezone(UTC) - a.astimezone(UTC) for a, b in itertools.pairwise(runs)}
    assert gaps == {timedelta(days=7)} | {timedelta(days=7) + (offsets[0] - offsets[-1])}


def test_next_weekly_is_strictly_after() -> None:
    monday_nine = datetime(2026, 11, 30, 9, 0, tzinfo=PARIS)
    assert next_weekly(monday_nine, MONDAY, time(9, 0), PARIS) == monday_nine + timedelta(days=7)
    just_before = monday_nine - timedelta(microseconds=1)
    assert next_weekly(just_before, MONDAY, time(9, 0), PARIS) == monday_nine
    # Later the same day, and the days before.
    assert next_weekly(
        datetime(2026, 11, 30, 9, 1, tzinfo=PARIS), MONDAY, time(9, 0), PARIS
    ) == datetime(2026, 12, 7, 9, 0, tzinfo=PARIS)
    assert next_weekly(
        datetime(2026, 11, 26, 10, tzinfo=PARIS), MONDAY, time(9, 0), PARIS
    ) == datetime(2026, 11, 30, 9, 0, tzinfo=PARIS)


def test_next_weekly_accepts_after_in_another_timezone() -> None:
    # Monday 07:30 UTC is 08:30 in Paris in winter: 09:00 is still ahead that day.
    after = datetime(2026, 11, 30, 7, 30, tzinfo=UTC)
    result = next_weekly(after, MONDAY, time(9, 0), PARIS)
    assert result == datetime(2026, 11, 30, 9, 0, tzinfo=PARIS)
    assert result.tzinfo is PARIS
    # Sunday 23:30 UTC is already Monday 00:30 in Paris.
    after = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)
    assert next_weekly(after, MONDAY, time(0, 15), PARIS) == datetime(
        2026, 12, 7, 0, 15, tzinfo=PARIS
    )


def test_spring_forward_gap_moves_forward() -> None:
    # 02:30 does not exist on Sunday 2026-03-29 in Paris: it becomes 03:30 summer time.
    result = next_weekly(datetime(2026, 3, 27, tzinfo=PARIS), SUNDAY, time(2, 30), PARIS)
    assert (result.date(), result.hour, result.minute) == (date(2026, 3, 29), 3, 30)
    assert result.utcoffset() == CEST
    assert result.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    # The week after, 02:30 exists again.
    following = next_weekly(result, SUNDAY, time(2, 30), PARIS)
    assert (following.date(), following.hour, following.minute) == (date(2026, 4, 5), 2, 30)
    # Asked at 03:10 that morning (after the gap), 03:30 is still ahead.
    after = datetime(2026, 3, 29, 3, 10, tzinfo=PARIS)
    assert next_weekly(after, SUNDAY, time(2, 30), PARIS) == result


def test_autumn_ambiguous_hour_takes_the_first() -> None:
    # 02:30 happens twice on Sunday 2026-10-25: first in summer time (00:30 UTC).
    result = next_weekly(datetime(2026, 10, 23, tzinfo=PARIS), SUNDAY, time(2, 30), PARIS)
    assert result.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert result.utcoffset() == CEST
    # After the first 02:30, the second one does not count: next week.
    following = next_weekly(result, SUNDAY, time(2, 30), PARIS)
    assert following.date() == date(2026, 11, 1)
    # Even asked during the second 02:10 (01:10 UTC), 02:30 was the first: next week.
    second = datetime(2026, 10, 25, 1, 10, tzinfo=UTC)
    assert next_weekly(second, SUNDAY, time(2, 30), PARIS).date() == date(2026, 11, 1)
    # The same in 2027 (clocks go back on 2027-10-31).
    result = next_weekly(datetime(2027, 10, 29, tzinfo=PARIS), SUNDAY, time(2, 30), PARIS)
    assert result.astimezone(UTC) == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_next_weekly_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_weekly(datetime(2026, 11, 26), MONDAY, time(9), PARIS)
    with pytest.raises(ValueError, match="weekday"):
        next_weekly(datetime(2026, 11, 26, tzinfo=PARIS), 7, time(9), PARIS)


def test_local_datetime_ignores_the_tzinfo_and_fold_of_the_time() -> None:
    result = local_datetime(date(2026, 10, 25), time(2, 30, fold=1, tzinfo=UTC), PARIS)
    assert result.utcoffset() == CEST
    assert (result.hour, result.minute) == (2, 30)


def test_local_datetime_with_a_fixed_offset() -> None:
    tz = timezone(timedelta(hours=-3))
    assert local_datetime(date(2026, 3, 29), time(2, 30), tz) == datetime(
        2026, 3, 29, 2, 30, tzinfo=tz
    )


@pytest.mark.parametrize(
    ("day", "hours"),
    [(date(2026, 3, 29), 23), (date(2026, 10, 25), 25), (date(2026, 11, 26), 24)],
)
def test_local_day_bounds(day: date, hours: int) -> None:
    start, end = local_day_bounds(day, PARIS)
    assert (start.date(), start.hour, end.date(), end.hour) == (day, 0, day + timedelta(1), 0)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=hours)


def test_a_day_whose_midnight_does_not_exist_starts_at_one() -> None:
    # Chile moves its clocks forward at midnight: 2026-09-06 starts at 01:00.
    santiago = ZoneInfo("America/Santiago")
    start, end = local_day_bounds(date(2026, 9, 6), santiago)
    assert (start.hour, end.hour) == (1, 0)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=23)
