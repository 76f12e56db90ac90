"""Counting: quick poll results, the best date, the sign-up rules."""

from __future__ import annotations

import enum
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from voisinbot.domain.polls.model import Answer, Option

# --- quick polls ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OptionResult:
    position: int
    label: str
    votes: int
    share: float  # of the voters (several answers may add up to more than 1)


@dataclass(frozen=True, slots=True)
class PollResult:
    options: tuple[OptionResult, ...]
    voters: int
    members: int  # the turnout's denominator: residents known to the bot in the group
    winners: tuple[int, ...]  # positions with the most votes; none without any vote

    @property
    def tie(self) -> bool:
        return len(self.winners) > 1

    @property
    def turnout(self) -> float:
        return self.voters / self.members if self.members else 0.0


def tally_poll(
    labels: Sequence[str], counts: Sequence[int], voters: int, known_members: int
) -> PollResult:
    """Counts per option, shares of the voters, the winner(s) and the turnout.

    The turnout is voters out of the residents the bot knows in the group, never below the
    number of voters (someone may vote without ever having written to the bot).
    """
    voters = max(voters, 0)
    options = tuple(
        OptionResult(i, label, count, count / voters if voters else 0.0)
        for i, (label, count) in enumerate(zip(labels, counts, strict=True))
    )
    best = max(counts, default=0)
    winners = tuple(i for i, count in enumerate(counts) if count == best) if best > 0 else ()
    return PollResult(options, voters, max(known_members, voters), winners)


def counts_from_choices(options: int, choices: Mapping[int, Collection[int]]) -> list[int]:
    """Votes per option from each voter's chosen positions (a named poll)."""
    counts = [0] * options
    for chosen in choices.values():
        for position in set(chosen):
            if 0 <= position < options:
                counts[position] += 1
    return counts


# --- date finding --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SlotScore:
    position: int
    yes: int
    maybe: int
    no: int

    @property
    def score(self) -> float:
        return self.yes + 0.5 * self.maybe


def score_slots(
    options: Sequence[Option], answers: Mapping[int, Mapping[int, Answer]]
) -> list[SlotScore]:
    """Yes / maybe / no per slot from each resident's answers (user -> position -> answer)."""
    tallies = {o.position: [0, 0, 0] for o in options}
    for per_slot in answers.values():
        for position, answer in per_slot.items():
            if position in tallies:
                tallies[position][int(answer)] += 1
    return [
        SlotScore(position, yes=t[Answer.YES], maybe=t[Answer.MAYBE], no=t[Answer.NO])
        for position, t in tallies.items()
    ]


def best_slot(options: Sequence[Option], scores: Sequence[SlotScore]) -> int | None:
    """The slot to pick: highest score (yes = 1, maybe = 0.5), then more yes, then the earlier
    slot (dated slots before undated ones, then the order given). None if nobody said yes or
    maybe anywhere."""
    when: dict[int, datetime | None] = {o.position: o.at for o in options}

    def key(s: SlotScore) -> tuple[float, int, int, float, int]:
        at = when.get(s.position)
        return (-s.score, -s.yes, at is None, at.timestamp() if at else 0.0, s.position)

    ranked = sorted(scores, key=key)
    if not ranked or ranked[0].score == 0:
        return None
    return ranked[0].position


# --- sign-up sheets ------------------------------------------------------------------------


class SignupMove(enum.Enum):
    TAKE = "take"
    LEAVE = "leave"
    FULL = "full"


def signup_move(capacity: int | None, taken: int, already_in: bool) -> SignupMove:
    """One tap on a slot: leave it if you are in, take it if there is room, else it is full."""
    if already_in:
        return SignupMove.LEAVE
    if capacity is not None and taken >= capacity:
        return SignupMove.FULL
    return SignupMove.TAKE
