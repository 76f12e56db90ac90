"""Properties of the date reader: it never raises, and what it reads is where it should be."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import example, given
from hypothesis import strategies as st

from voisinbot.domain.when import (
    find_when,
    local_datetime,
    next_weekly,
    parse_deadline,
    parse_when,
    split_deadline,
)

PARIS = ZoneInfo("Europe/Paris")
ZONES = [PARIS, ZoneInfo("America/New_York"), ZoneInfo("Australia/Sydney"), ZoneInfo("UTC")]

nows = st.datetimes(
    min_value=datetime(2001, 1, 1),
    max_value=datetime(2090, 12, 31),
    timezones=st.sampled_from(ZONES),
    allow_imaginary=False,
)
paris_nows = st.datetimes(
    min_value=datetime(2001, 1, 1),
    max_value=datetime(2090, 12, 31),
    timezones=st.just(PARIS),
    allow_imaginary=False,
)

FRAGMENTS = [
    "samedi", "sam", "sam.", "ce", "le", "prochain", "pro", "next", "this", "on", "demain",
    "après-demain", "aujourd'hui", "ce soir", "matin", "soir", "aprem", "midi", "minuit",
    "14h", "14h30", "14 h 30", "9h", "2h", "48h", "14:30", "6pm", "10 am", "à", "vers", "at",
    "12/12", "1/2", "24/7", "31/02", "12.12", "12-12", "2026-12-12", "12/12/26", "le 18",
    "1er", "mai", "déc", "December", "12th", "of", "dans", "in", "3", "jours", "days", "une",
    "heure", "semaine", "2", "cartons", "€", "ans", "06", "34", "hier", "dernier", "🎉",
    "\u200b", "\u202f", "’", "-", ",", ".", "?", "Monday", "mon", "mar", "mer", "jeu",
    "tomorrow", "tonight", "du", "de", "l'", "week-end", "en huit", "99999", "0", "00",
]  # fmt: skip
chat = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(FRAGMENTS), max_size=12).map(" ".join),
    st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join),
)


@given(chat, nows)
@example("", datetime(2026, 11, 26, 10, tzinfo=PARIS))
@example("x" * 10_000, datetime(2026, 11, 26, 10, tzinfo=PARIS))
@example("samedi 14h " * 1000, datetime(2026, 11, 26, 10, tzinfo=PARIS))
@example("مرحبا غدا \u200f samedi", datetime(2026, 11, 26, 10, tzinfo=PARIS))
@example("demain 14h", datetime(9999, 12, 31, 10, tzinfo=UTC))
@example("dans 99 mois", datetime(9999, 1, 1, tzinfo=UTC))
def test_never_raises_and_results_are_aware(text: str, now: datetime) -> None:
    for when in (find_when(text, now), parse_when(text, now)):
        if when is not None:
            assert when.at.tzinfo is now.tzinfo
            assert 0 <= when.span[0] < when.span[1] <= len(text)
    deadline = parse_deadline(text, now)
    if deadline is not None:
        assert deadline.tzinfo is now.tzinfo
        assert deadline.timestamp() > now.timestamp()
    head, split = split_deadline(text, now)
    assert split is None or (text.startswith(head) and split.timestamp() > now.timestamp())


FUTURE_DAYS = [
    "demain", "après-demain", "tomorrow", "samedi", "lundi prochain", "next friday",
    "dimanche", "12/12", "1er mai", "le 18", "dans 3 jours", "in 2 weeks", "December 12th",
    "ce samedi", "ce week-end", "aujourd'hui", "mercredi en huit", "sam 14/12", "29/02",
]  # fmt: skip
TIMES = ["", " 14h", " à 9h30", " 18:00", " 6pm", " matin", " soir", " midi", " minuit"]


@given(st.sampled_from(FUTURE_DAYS), st.sampled_from(TIMES), nows)
def test_day_expressions_are_today_or_later(day: str, clock: str, now: datetime) -> None:
    when = find_when(day + clock, now)
    assert when is not None
    assert when.at.date() >= now.date()
    assert when.has_time == bool(clock)
    assert parse_when(day + clock, now) == when


@given(st.sampled_from(["à 18h", "à 9h30", "vers 7h", "at 3pm", "23:59", "à minuit"]), nows)
def test_a_time_alone_is_within_the_next_day(text: str, now: datetime) -> None:
    when = find_when(text, now)
    assert when is not None
    assert now.timestamp() < when.at.timestamp() <= (now + timedelta(hours=25)).timestamp()


@given(
    st.sampled_from(["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]),
    st.sampled_from(["9h", "14h30", "20h"]),
    paris_nows,
)
def test_a_weekday_with_a_time_is_within_the_next_week(day: str, clock: str, now: datetime) -> None:
    when = find_when(f"{day} {clock}", now)
    assert when is not None
    assert now.timestamp() < when.at.timestamp() <= (now + timedelta(days=7, hours=1)).timestamp()
    assert when.at.strftime("%A").lower() == {
        "lundi": "monday", "mardi": "tuesday", "mercredi": "wednesday", "jeudi": "thursday",
        "vendredi": "friday", "samedi": "saturday", "dimanche": "sunday",
    }[day]  # fmt: skip


@given(st.sampled_from([*FUTURE_DAYS, "à 18h", "samedi à 10h"]), paris_nows, st.data())
def test_case_accents_and_invisible_characters_do_not_matter(
    text: str, now: datetime, data: st.DataObject
) -> None:
    expected = find_when(text, now)
    assert expected is not None
    assert find_when(text.upper(), now) == expected
    position = data.draw(st.integers(0, len(text)))
    noisy = "bla " + text[:position] + "\u200b" + text[position:] + " !"
    found = find_when(noisy, now)
    assert found is not None
    assert found.at == expected.at
    assert noisy[found.span[0] : found.span[1]].replace("\u200b", "") == text


@given(
    st.datetimes(
        min_value=datetime(2001, 1, 1),
        max_value=datetime(2090, 12, 31),
        timezones=st.sampled_from(ZONES),
    ),
    st.integers(0, 6),
    st.times(),
    st.sampled_from([PARIS, ZoneInfo("America/New_York"), ZoneInfo("Australia/Sydney")]),
)
def test_next_weekly_is_on_the_day_at_the_time_and_increasing(
    after: datetime, weekday: int, at: time, tz: ZoneInfo
) -> None:
    previous = after
    for _ in range(3):
        result = next_weekly(previous, weekday, at, tz)
        assert result.tzinfo is tz
        assert result.timestamp() > previous.timestamp()
        assert result.weekday() == weekday
        wall = local_datetime(result.date(), at, tz)
        assert result == wall
        exists = datetime.combine(result.date(), at.replace(tzinfo=None), tzinfo=tz)
        if exists.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == exists.replace(
            tzinfo=None
        ):
            assert (result.hour, result.minute, result.second) == (at.hour, at.minute, at.second)
        if previous is not after:
            step = result.astimezone(UTC) - previous.astimezone(UTC)
            assert timedelta(days=7, hours=-2) <= step <= timedelta(days=7, hours=2)
        previous = result
