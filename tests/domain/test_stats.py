"""Periods asked for in /stats and /export, medians, turnout and comparisons."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from voisinbot.domain.stats import (
    Figures,
    Period,
    Report,
    days_period,
    kinds_count,
    median_duration,
    parse_day,
    parse_period,
    signed,
    turnout,
)

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 3, 15, 17, 30, tzinfo=UTC)  # 18:30 in Paris


def test_without_words_the_last_thirty_days() -> None:
    assert parse_period("", NOW, PARIS) == Period(NOW - timedelta(days=30), NOW)


@pytest.mark.parametrize("words", ["90", "90j", "90 jours", "90 days", "90d"])
def test_a_number_of_days(words: str) -> None:
    assert parse_period(words, NOW, PARIS) == Period(NOW - timedelta(days=90), NOW)


@pytest.mark.parametrize("words", ["0", "99999", "hier", "2026-01-01", "mois dernier"])
def test_words_that_are_no_period(words: str) -> None:
    assert parse_period(words, NOW, PARIS) is None


def test_this_month_and_this_year_start_at_local_midnight() -> None:
    month = parse_period("mois", NOW, PARIS)
    assert month is not None and month.end == NOW
    assert month.start == datetime(2026, 3, 1, tzinfo=PARIS)
    assert parse_period("Month", NOW, PARIS) == month
    year = parse_period("année", NOW, PARIS)
    assert year is not None and year.start == datetime(2026, 1, 1, tzinfo=PARIS)
    assert parse_period("year", NOW, PARIS) == year


def test_two_dates_include_both_days() -> None:
    period = parse_period("2026-01-01 31/03/2026", NOW, PARIS)
    assert period == Period(datetime(2026, 1, 1, tzinfo=PARIS), datetime(2026, 4, 1, tzinfo=PARIS))
    assert period.last_day(PARIS) == date(2026, 3, 31)
    # The previous period has the same length (90 days, across the change to summer time).
    previous = period.previous()
    assert previous.end == period.start and previous.length == period.length
    assert parse_period("2026-03-31 2026-01-01", NOW, PARIS) is None
    assert parse_period("2026-02-30 2026-03-01", NOW, PARIS) is None


def test_days_and_day_periods() -> None:
    assert parse_day("2026-1-5") == date(2026, 1, 5)
    assert parse_day("05/01/2026") == date(2026, 1, 5)
    assert parse_day("5 janvier") is None
    assert days_period(date(2026, 1, 5), date(2026, 1, 5), PARIS) == Period(
        datetime(2026, 1, 5, tzinfo=PARIS), datetime(2026, 1, 6, tzinfo=PARIS)
    )
    assert days_period(date(2000, 1, 1), date(2026, 1, 1), PARIS) is None


def test_median_and_turnout() -> None:
    assert median_duration([]) is None
    assert median_duration([3600, 7200, 36000]) == timedelta(hours=2)
    assert median_duration([3600, 7200]) == timedelta(hours=1, minutes=30)
    assert turnout([], 10) is None
    assert turnout([5, 10], 20) == pytest.approx(0.375)
    # Someone may vote without the bot knowing them: never more than everyone.
    assert turnout([4], 2) == 1.0
    assert turnout([0], 0) == 0.0


def test_comparison_with_the_period_before() -> None:
    period = Period(NOW - timedelta(days=30), NOW)
    report = Report(
        period,
        Figures(needs_done=5, median_help=timedelta(hours=5), turnout=0.5),
        Figures(needs_done=7, median_help=timedelta(hours=8), turnout=0.25),
    )
    assert report.change("needs_done") == -2
    assert report.median_change() == timedelta(hours=-3)
    assert report.turnout_change() == pytest.approx(0.25)
    assert Report(period, Figures(), Figures()).median_change() is None
    assert (signed(3), signed(0), signed(-2)) == ("+3", "±0", "−2")
    assert Figures().is_empty() and not Figures(thanks=1).is_empty()


def test_decisions_are_counted_by_kind_polls_first() -> None:
    assert kinds_count(["dates", "poll", "budget", "poll"]) == (
        ("poll", 2),
        ("dates", 1),
        ("budget", 1),
    )
