"""Tallies, the best date, sign-up rules, the budget allocation and reminder times."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from voisinbot.domain.polls.budget import (
    Outcome,
    allocate,
    count_votes,
    fits,
    parse_amount,
    split_project,
)
from voisinbot.domain.polls.model import Answer, Option
from voisinbot.domain.polls.tally import (
    SignupMove,
    best_slot,
    counts_from_choices,
    score_slots,
    signup_move,
    tally_poll,
)
from voisinbot.domain.polls.timing import reminder_times, slot_reminder_at

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)


def test_poll_winner_shares_and_turnout() -> None:
    result = tally_poll(["Pizza", "Crêpes"], [3, 1], voters=4, known_members=10)
    assert result.winners == (0,) and not result.tie
    assert [o.share for o in result.options] == [0.75, 0.25]
    assert result.turnout == 0.4


def test_poll_tie_and_no_votes() -> None:
    assert tally_poll(["A", "B", "C"], [2, 2, 1], 5, 5).winners == (0, 1)
    empty = tally_poll(["A", "B"], [0, 0], 0, 0)
    assert empty.winners == () and empty.turnout == 0.0


def test_turnout_never_counts_fewer_members_than_voters() -> None:
    assert tally_poll(["A", "B"], [3, 0], voters=3, known_members=1).members == 3


def test_counts_from_named_choices_ignore_unknown_options() -> None:
    assert counts_from_choices(2, {1: [0, 1], 2: [1, 1], 3: [5]}) == [1, 2]


def _slots(*dates: datetime | None) -> list[Option]:
    return [Option(i, f"slot {i}", at) for i, at in enumerate(dates)]


def test_best_slot_by_score_then_yes_then_earlier() -> None:
    day = datetime(2026, 12, 12, 10, 0, tzinfo=PARIS)
    options = _slots(day + timedelta(days=1), day, None)
    y, m, n = Answer.YES, Answer.MAYBE, Answer.NO
    # slot 0: 1 yes 2 maybe = 2; slot 1: 2 yes = 2 (more yes wins); slot 2: 1 yes.
    answers = {1: {0: y, 1: y, 2: y}, 2: {0: m, 1: y, 2: n}, 3: {0: m, 1: n}}
    scores = score_slots(options, answers)
    assert [(s.yes, s.maybe, s.no) for s in scores] == [(1, 2, 0), (2, 0, 1), (1, 0, 1)]
    assert best_slot(options, scores) == 1
    # Same yes and maybe: the earlier date wins, whatever the order given.
    tied = {1: {0: y, 1: y}}
    assert best_slot(options, score_slots(options, tied)) == 1


def test_no_best_slot_when_nobody_said_yes_or_maybe() -> None:
    options = _slots(None, None)
    assert best_slot(options, score_slots(options, {1: {0: Answer.NO}})) is None


def test_signup_moves() -> None:
    assert signup_move(2, 1, already_in=False) is SignupMove.TAKE
    assert signup_move(2, 2, already_in=False) is SignupMove.FULL
    assert signup_move(2, 2, already_in=True) is SignupMove.LEAVE
    assert signup_move(None, 99, already_in=False) is SignupMove.TAKE


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("5000", 500_000),
        ("5 000 €", 500_000),
        ("1.200", 120_000),
        ("12,50", 1_250),
        ("€1200", 120_000),
        ("800 EUR", 80_000),
        ("0", None),
        ("douze", None),
    ],
)
def test_amounts(text: str, cents: int | None) -> None:
    assert parse_amount(text) == cents


def test_projects_need_a_name_and_a_trailing_cost() -> None:
    assert split_project("Bancs publics 1 200 €") == ("Bancs publics", 120_000)
    assert split_project("15/01") is None
    assert split_project("Bancs") is None


def test_ballot_within_budget() -> None:
    assert fits(1000, [600, 400, 100], {0, 1})
    assert not fits(1000, [600, 400, 100], {0, 1, 2})


def test_allocation_funds_by_votes_and_skips_what_no_longer_fits() -> None:
    costs = [3000, 2500, 1500, 500, 800]
    votes = [9, 7, 5, 5, 0]
    result = allocate(5000, costs, votes)
    ranked = [(a.position, a.outcome) for a in result.ranked]
    assert ranked == [
        (0, Outcome.FUNDED),  # 3000, 2000 left
        (1, Outcome.DOES_NOT_FIT),  # 2500 > 2000: skipped...
        (2, Outcome.FUNDED),  # ...but the next one still fits: 500 left
        (3, Outcome.FUNDED),  # a tie in votes keeps the listed order; 0 left
        (4, Outcome.NO_VOTES),
    ]
    assert (result.spent, result.left) == (5000, 0)


def test_projects_without_votes_are_not_funded_even_with_money_left() -> None:
    result = allocate(10_000, [100, 200], [0, 0])
    assert result.spent == 0
    assert {a.outcome for a in result.ranked} == {Outcome.NO_VOTES}


def test_votes_from_ballots() -> None:
    assert count_votes(3, [(0, 1), (1,), (1, 2, 7), ()]) == [1, 3, 1]


def test_reminders_only_in_the_future_and_not_right_after_the_launch() -> None:
    assert [h for h, _ in reminder_times(NOW + timedelta(hours=48), NOW)] == [24, 2]
    assert [h for h, _ in reminder_times(NOW + timedelta(hours=5), NOW)] == [2]
    assert reminder_times(NOW + timedelta(hours=2, minutes=10), NOW) == []


def test_slot_reminders() -> None:
    at = datetime(2026, 12, 12, 10, 0, tzinfo=PARIS)
    assert slot_reminder_at(at, True, PARIS) == datetime(2026, 12, 12, 8, 0, tzinfo=PARIS)
    assert slot_reminder_at(at, False, PARIS) == datetime(2026, 12, 11, 18, 0, tzinfo=PARIS)
