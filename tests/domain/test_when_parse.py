"""Poll slot labels (parse_when) and poll deadlines (parse_deadline, split_deadline)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from voisinbot.domain.when import (
    DEFAULT_DEADLINE_TIME,
    parse_deadline,
    parse_when,
    split_deadline,
)

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)  # a Thursday


def at(month: int, day: int, hour: int = 0, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("label", "expected", "has_time"),
    [
        ("sam 14/12 10h", at(12, 14, 10), True),
        ("dim 15/12 15h", at(12, 15, 15), True),
        ("lundi 18h30", at(11, 30, 18, 30), True),
        ("Mon 16/12 6pm", at(12, 16, 18), True),
        ("Sat 12/12 10:00", at(12, 12, 10), True),
        ("samedi", at(11, 28), False),
        ("sam", at(11, 28), False),  # alone, the whole label is known to be a date
        ("sam.", at(11, 28), False),
        ("Sam 28", at(11, 28), False),
        ("mer", at(12, 2), False),
        ("jeu 18h", at(11, 26, 18), True),
        ("vendredi soir", at(11, 27, 19), True),
        ("samedi matin", at(11, 28, 9), True),
        ("dimanche aprem", at(11, 29, 14), True),
        ("12/12", at(12, 12), False),
        ("1/2", at(2, 1, year=2027), False),
        ("le 12 décembre à 14h", at(12, 12, 14), True),
        ("demain 14h", at(11, 27, 14), True),
        ("ce soir", at(11, 26, 19), True),
        ("à 18h", at(11, 26, 18), True),
        ("à partir de 14h", at(11, 26, 14), True),
        ("Saturday at 10", at(11, 28, 10), True),
        ("18h", at(11, 26, 18), True),
        ("2h", at(11, 27, 2), True),
        ("midi", at(11, 26, 12), True),
        ("14:30", at(11, 26, 14, 30), True),
        ("  🗓 sam. 14/12 — 10h !  ", at(12, 14, 10), True),
        ("(samedi 10h)", at(11, 28, 10), True),
        ("SAMEDI 10H", at(11, 28, 10), True),
        ("2026-12-12 14:00", at(12, 12, 14), True),
    ],
)
def test_slot_labels(label: str, expected: datetime, has_time: bool) -> None:
    when = parse_when(label, NOW)
    assert when is not None, label
    assert (when.at, when.has_time) == (expected, has_time)


def test_slot_label_span_covers_the_label_without_decoration() -> None:
    label = "  🗓 sam. 14/12 — 10h !  "
    when = parse_when(label, NOW)
    assert when is not None
    assert label[when.span[0] : when.span[1]] == "sam. 14/12 — 10h"


@pytest.mark.parametrize(
    "label",
    [
        "",
        "  ",
        "🎉",
        "samedi ou dimanche",
        "samedi blabla",
        "blabla samedi",
        "samedi dimanche",
        "sam 14",  # the 14th is not a Saturday
        "soir",
        "matin",
        "14",
        "jeu de société",
        "la mer",
        "31/02",
        "25h",
        "demain 14h 15h",
        "samedi " * 50,
    ],
)
def test_not_a_slot_label(label: str) -> None:
    assert parse_when(label, NOW) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("48h", NOW + timedelta(hours=48)),
        ("2h", NOW + timedelta(hours=2)),
        ("18h", NOW + timedelta(hours=18)),  # a bare "Nh" is a duration
        ("30min", NOW + timedelta(minutes=30)),
        ("90 min", NOW + timedelta(minutes=90)),
        ("2j", at(11, 28, 10)),
        ("3 jours", at(11, 29, 10)),
        ("1 semaine", at(12, 3, 10)),
        ("2 sem", at(12, 10, 10)),
        ("dans 3 jours", at(11, 29, 10)),
        ("in 3 days", at(11, 29, 10)),
        ("2 weeks", at(12, 10, 10)),
        ("1 week", at(12, 3, 10)),
        ("a week", at(12, 3, 10)),
        ("une semaine", at(12, 3, 10)),
        ("1 mois", at(12, 26, 10)),
        ("dans 1h30", NOW + timedelta(minutes=90)),
        ("1h 30min", NOW + timedelta(minutes=90)),
        ("1 jour et 2h", at(11, 27, 12)),
        ("sous 48h", NOW + timedelta(hours=48)),
        ("une demi-heure", NOW + timedelta(minutes=30)),
        ("dans quinze jours", at(12, 10, 10)),
        # Dates and times.
        ("vendredi 18h", at(11, 27, 18)),
        ("15/12 20:00", at(12, 15, 20)),
        ("à 18h", at(11, 26, 18)),
        ("18h30", at(11, 26, 18, 30)),  # with minutes: a time of day
        ("18:00", at(11, 26, 18)),
        ("ce soir", at(11, 26, 19)),
        ("demain midi", at(11, 27, 12)),
        # A day without a time closes at 20:00.
        ("samedi", at(11, 28, 20)),
        ("demain", at(11, 27, 20)),
        ("aujourd'hui", at(11, 26, 20)),
        ("15/12", at(12, 15, 20)),
        ("le 18", at(12, 18, 20)),
    ],
)
def test_deadlines(text: str, expected: datetime) -> None:
    assert parse_deadline(text, NOW) == expected


def test_default_deadline_time_can_be_changed() -> None:
    assert time(20, 0) == DEFAULT_DEADLINE_TIME
    assert parse_deadline("samedi", NOW, default_time=time(23, 59)) == at(11, 28, 23, 59)


@pytest.mark.parametrize(
    "text",
    ["", "bientôt", "0h", "0 min", "ce matin", "hier", "12/12/2025", "samedi dimanche"],
)
def test_no_deadline(text: str) -> None:
    assert parse_deadline(text, NOW) is None


def test_deadline_in_the_past_is_none() -> None:
    evening = datetime(2026, 11, 26, 21, 0, tzinfo=PARIS)
    assert parse_deadline("aujourd'hui", evening) is None  # 20:00 has passed
    assert parse_deadline("ce soir", evening) is None
    assert parse_deadline("à 20h", evening) == at(11, 27, 20)  # a lone time rolls over


def test_huge_durations_are_refused_not_overflowed() -> None:
    assert parse_deadline("99999 semaines", NOW) is None
    assert parse_deadline("99999 mois", NOW) is None
    assert parse_deadline("dans 99999 jours", NOW) is None
    assert parse_deadline("3650 jours", NOW) is not None


def test_durations_across_daylight_saving() -> None:
    saturday = datetime(2027, 3, 27, 10, 0, tzinfo=PARIS)  # clocks go forward on Sunday
    elapsed = parse_deadline("48h", saturday)
    assert elapsed is not None
    assert elapsed.astimezone(UTC) - saturday.astimezone(UTC) == timedelta(hours=48)
    assert elapsed.hour == 11  # 48 real hours later the wall clock reads 11:00
    wall = parse_deadline("2j", saturday)
    assert wall == datetime(2027, 3, 29, 10, 0, tzinfo=PARIS)  # days keep the wall clock
    assert wall.astimezone(UTC) - saturday.astimezone(UTC) == timedelta(hours=47)


@pytest.mark.parametrize(
    ("text", "head", "expected"),
    [
        ("dimanche 48h", "dimanche", NOW + timedelta(hours=48)),
        ("dimanche in 3 days", "dimanche", at(11, 29, 10)),
        ("dimanche vendredi 18h", "dimanche", at(11, 27, 18)),
        ("Quel jour pour la fête ? 15/12 20:00", "Quel jour pour la fête ?", at(12, 15, 20)),
        ("dimanche dans 3 jours", "dimanche", at(11, 29, 10)),
    ],
)
def test_split_deadline(text: str, head: str, expected: datetime) -> None:
    assert split_deadline(text, NOW) == (head, expected)


@pytest.mark.parametrize("text", ["dimanche", "48h", "", "porter 2 cartons", "il reste ? places"])
def test_split_deadline_without_one(text: str) -> None:
    assert split_deadline(text, NOW) == (text, None)
