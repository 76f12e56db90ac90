"""Reading facilitators' command lines for the four kinds of decision."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voisinbot.domain.polls.model import DecisionKind
from voisinbot.domain.polls.specs import (
    Limits,
    Problem,
    ProblemCode,
    Spec,
    parse_budget,
    parse_dates,
    parse_poll,
    parse_signup,
)
from voisinbot.domain.polls.syntax import Flag, Settings, read_settings, split_segments

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)  # a Thursday
POLL = Limits(max_title=300, max_option=100, max_options=12)


def _spec(parsed: Spec | tuple[Problem, ...]) -> Spec:
    assert isinstance(parsed, Spec), parsed
    return parsed


def _codes(parsed: Spec | tuple[Problem, ...]) -> list[ProblemCode]:
    assert isinstance(parsed, tuple), parsed
    return [p.code for p in parsed]


def test_segments_split_on_bars_and_new_lines() -> None:
    assert split_segments(" Q ?\u200b |  A  ||\nB\n") == ["Q ?", "A", "B"]


def test_a_poll_with_settings_in_the_last_segment() -> None:
    spec = _spec(
        parse_poll("Pizza ou crêpes ? | Pizza | Crêpes | 48h anonyme plusieurs", NOW, POLL)
    )
    assert spec.kind is DecisionKind.POLL
    assert spec.title == "Pizza ou crêpes ?"
    assert [o.label for o in spec.options] == ["Pizza", "Crêpes"]
    assert (spec.anonymous, spec.multiple, spec.hidden) == (True, True, False)
    assert spec.closes_at == NOW + timedelta(hours=48)


def test_english_settings_words_and_a_deadline_marker() -> None:
    spec = _spec(parse_poll("Q | A | B | until friday 6pm HIDDEN", NOW, POLL))
    assert spec.hidden and not spec.anonymous
    assert spec.closes_at == datetime(2026, 11, 27, 18, 0, tzinfo=PARIS)


def test_default_is_named_and_closes_in_48_hours() -> None:
    spec = _spec(parse_poll("Q | A | B", NOW, POLL))
    assert not spec.anonymous and not spec.multiple and not spec.hidden
    assert spec.closes_at == NOW + timedelta(hours=48)


def test_a_bare_date_ends_a_poll_unless_the_options_are_dates() -> None:
    spec = _spec(parse_poll("Q | Pizza | Crêpes | vendredi 18h", NOW, POLL))
    assert len(spec.options) == 2
    assert spec.closes_at == datetime(2026, 11, 27, 18, 0, tzinfo=PARIS)
    dates = _spec(parse_poll("Quand ? | samedi 10h | dimanche 10h", NOW, POLL))
    assert [o.label for o in dates.options] == ["samedi 10h", "dimanche 10h"]


def test_an_option_that_merely_contains_a_settings_word_stays_an_option() -> None:
    spec = _spec(parse_poll("Q | A | B | Plusieurs fois par semaine", NOW, POLL))
    assert spec.options[-1].label == "Plusieurs fois par semaine"
    assert not spec.multiple


def test_durations_in_both_languages() -> None:
    for text, delta in [("in 3 days", timedelta(days=3)), ("dans 2 heures", timedelta(hours=2))]:
        assert _spec(parse_poll(f"Q\nA\nB\n{text}", NOW, POLL)).closes_at == NOW + delta


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("Q | A | B | jusqu'à vendredo", ProblemCode.BAD_DEADLINE),
        ("Q | A | 48h", ProblemCode.TOO_FEW_OPTIONS),
        ("Q | A | B | anonyme nominatif", ProblemCode.CONFLICTING_FLAGS),
        ("Q | A | a", ProblemCode.DUPLICATE_OPTION),
        ("Q | A | B | jusqu'au 31/12/2027", ProblemCode.DEADLINE_TOO_FAR),
        ("", ProblemCode.NO_TITLE),
    ],
)
def test_poll_problems(line: str, code: ProblemCode) -> None:
    assert code in _codes(parse_poll(line, NOW, POLL))


def test_limits_say_what_to_shorten() -> None:
    problems = parse_poll(
        "x" * 301 + " | A | " + "b" * 101 + " | " + " | ".join("c" * 12), NOW, POLL
    )
    assert isinstance(problems, tuple)
    found = {p.code: p for p in problems}
    assert (found[ProblemCode.TITLE_TOO_LONG].length, found[ProblemCode.TITLE_TOO_LONG].limit) == (
        301,
        300,
    )
    assert found[ProblemCode.OPTION_TOO_LONG].index == 2
    assert found[ProblemCode.TOO_MANY_OPTIONS].length == 14


def test_settings_segment_rules() -> None:
    assert read_settings("48h", NOW, bare_date_is_deadline=False) == Settings(
        frozenset(), NOW + timedelta(hours=48)
    )
    assert read_settings("vendredi 18h", NOW, bare_date_is_deadline=False) is None
    found = read_settings("secret", NOW, bare_date_is_deadline=False)
    assert found == Settings(frozenset({Flag.HIDDEN}), None)
    assert read_settings("Pizza", NOW, bare_date_is_deadline=True) is None


def test_dates_are_sorted_and_undated_slots_kept_as_text() -> None:
    spec = _spec(parse_dates("Réunion | dim 13/12 15h | sam 12/12 10h | chez Paul | 48h", NOW))
    assert [o.label for o in spec.options] == ["sam 12/12 10h", "dim 13/12 15h", "chez Paul"]
    assert spec.options[0].at == datetime(2026, 12, 12, 10, 0, tzinfo=PARIS)
    assert spec.options[2].at is None
    assert [o.position for o in spec.options] == [0, 1, 2]
    assert spec.closes_at == NOW + timedelta(hours=48)


def test_a_bare_date_at_the_end_of_dates_is_a_slot() -> None:
    spec = _spec(parse_dates("Réunion | sam 12/12 10h | dim 13/12 15h", NOW))
    assert len(spec.options) == 2
    assert spec.closes_at == NOW + timedelta(hours=72)


def test_signup_places_and_no_default_deadline() -> None:
    spec = _spec(parse_signup("Arrosage | lun (2) | mer [2] | sam (3) | dim", NOW))
    assert [(o.label, o.capacity) for o in spec.options] == [
        ("lun", 2),
        ("mer", 2),
        ("sam", 3),
        ("dim", None),
    ]
    assert spec.options[0].at == datetime(2026, 11, 30, 0, 0, tzinfo=PARIS)
    assert not spec.options[0].has_time
    assert spec.closes_at is None
    assert ProblemCode.BAD_CAPACITY in _codes(parse_signup("A | lun (0)", NOW))


def test_budget_line() -> None:
    spec = _spec(
        parse_budget(
            "Budget 2027 | 5 000 € | Bancs 1200 | Composteur : 800 € | Fresque (3 500) | 15/01 20:00",
            NOW,
        )
    )
    assert spec.total == 500_000
    assert [(o.label, o.cost) for o in spec.options] == [
        ("Bancs", 120_000),
        ("Composteur", 80_000),
        ("Fresque", 350_000),
    ]
    assert spec.closes_at == datetime(2027, 1, 15, 20, 0, tzinfo=PARIS)


def test_budget_problems() -> None:
    assert _codes(parse_budget("Budget | Bancs 1200 | Composteur 800", NOW)) == [
        ProblemCode.NO_TOTAL
    ]
    codes = _codes(parse_budget("Budget | 1000 | Bancs 1200 | Composteur | Jeux 300", NOW))
    assert codes == [ProblemCode.PROJECT_OVER_TOTAL, ProblemCode.BAD_PROJECT]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=120), min_size=0, max_size=15)
)
def test_a_launched_poll_always_fits_telegram(parts: list[str]) -> None:
    parsed = parse_poll(" | ".join(parts), NOW, POLL)
    if isinstance(parsed, tuple):
        assert parsed
        return
    assert 1 <= len(parsed.title.strip()) <= POLL.max_title
    assert 2 <= len(parsed.options) <= POLL.max_options
    for option in parsed.options:
        assert 1 <= len(option.label.strip()) <= POLL.max_option
        assert option.label == option.label.strip()
    assert parsed.closes_at is not None and parsed.closes_at > NOW
