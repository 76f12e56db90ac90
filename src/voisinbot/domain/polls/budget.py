"""Citizen budget: amounts, ballots within the budget, and which projects get funded.

Amounts are whole cents (ints): no float ever decides whether a project fits.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

# "5000", "5 000", "5.000", "1 200,50 €", "€1200", "800 EUR", "1200 euros". A dot or comma
# followed by exactly three digits groups thousands; by one or two digits, it is the cents.
_AMOUNT = re.compile(
    r"^(?:€\s*)?"
    r"(?P<units>\d{1,3}(?:[ \u00a0\u202f.,']\d{3})+|\d+)"
    r"(?:[.,](?P<cents>\d{1,2}))?"
    r"\s*(?:€|eur|euros?)?$",
    re.IGNORECASE,
)
# A project: a name, then its cost at the end ("Bancs 1200", "Bancs : 1 200 €", "Bancs (1200)").
_PROJECT = re.compile(
    r"^(?P<name>.*?\S)[\s:=–—-]*\(?(?P<cost>(?:€\s*)?\d[\d \u00a0\u202f.,']*(?:\s*(?:€|eur|euros?))?)\)?$",
    re.IGNORECASE,
)
_LETTER = re.compile(r"[^\W\d_]")  # a project has a name, not just a date like "15/01"
MAX_AMOUNT = 100_000_000_00  # a neighbourhood budget, not a state's: 100 million


def parse_amount(text: str) -> int | None:
    """An amount in cents, or None when ``text`` is not just an amount (or is zero)."""
    match = _AMOUNT.match(text.strip())
    if match is None:
        return None
    units = int(re.sub(r"\D", "", match["units"]))
    cents = int((match["cents"] or "0").ljust(2, "0"))
    value = units * 100 + cents
    return value if 0 < value <= MAX_AMOUNT else None


def split_project(segment: str) -> tuple[str, int] | None:
    """``("Bancs", 120000)`` for "Bancs 1 200 €"; None without a trailing cost."""
    match = _PROJECT.match(segment.strip())
    if match is None:
        return None
    cost = parse_amount(match["cost"].strip())
    name = match["name"].strip(" :=–—-(")
    if cost is None or _LETTER.search(name) is None:
        return None
    return name, cost


def selection_cost(costs: Sequence[int], selected: Collection[int]) -> int:
    return sum(costs[i] for i in selected)


def fits(total: int, costs: Sequence[int], selected: Collection[int]) -> bool:
    """Whether a ballot choosing ``selected`` (positions) stays within ``total``."""
    return selection_cost(costs, selected) <= total


class Outcome(enum.Enum):
    FUNDED = "funded"
    DOES_NOT_FIT = "does_not_fit"  # ranked high enough, but the rest of the money is too little
    NO_VOTES = "no_votes"


@dataclass(frozen=True, slots=True)
class Allocation:
    position: int
    votes: int
    cost: int
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class BudgetResult:
    ranked: tuple[Allocation, ...]
    total: int
    spent: int

    @property
    def left(self) -> int:
        return self.total - self.spent


def allocate(total: int, costs: Sequence[int], votes: Sequence[int]) -> BudgetResult:
    """Rank projects by votes (ties: the order the facilitator listed them) and fund them in
    that order while the money lasts; a project that no longer fits is skipped and the next
    ones still get their chance. Projects nobody voted for are never funded."""
    order = sorted(range(len(costs)), key=lambda i: (-votes[i], i))
    left = total
    ranked = []
    for position in order:
        cost = costs[position]
        if votes[position] == 0:
            outcome = Outcome.NO_VOTES
        elif cost <= left:
            outcome = Outcome.FUNDED
            left -= cost
        else:
            outcome = Outcome.DOES_NOT_FIT
        ranked.append(Allocation(position, votes[position], cost, outcome))
    return BudgetResult(tuple(ranked), total, total - left)


def count_votes(projects: int, ballots: Sequence[Collection[int]]) -> list[int]:
    """Votes per project position from the submitted ballots (unknown positions ignored)."""
    counts = [0] * projects
    for ballot in ballots:
        for position in set(ballot):
            if 0 <= position < projects:
                counts[position] += 1
    return counts
