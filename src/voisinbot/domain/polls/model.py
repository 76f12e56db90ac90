"""What a decision is once stored: its kind, its state and its options."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class DecisionKind(enum.StrEnum):
    POLL = "poll"  # a native Telegram poll
    DATES = "dates"  # yes / maybe / no per date slot
    SIGNUP = "signup"  # slots with a capacity, one tap to take or leave
    BUDGET = "budget"  # projects chosen within a total, by private ballot


class DecisionState(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class Answer(enum.IntEnum):
    """A resident's answer to one date slot; the value is stored."""

    NO = 0
    MAYBE = 1
    YES = 2


@dataclass(frozen=True, slots=True)
class Option:
    """A poll option, a date slot, a sign-up slot or a budget project (by ``position``)."""

    position: int
    label: str
    at: datetime | None = None  # when the label reads as a date (slots)
    has_time: bool = False
    capacity: int | None = None  # sign-up places; None is unlimited
    cost: int | None = None  # budget projects, in cents
    votes: int = 0  # anonymous polls: Telegram's count


@dataclass(frozen=True, slots=True)
class Decision:
    id: int
    chat_id: int
    kind: DecisionKind
    title: str
    created_by: int | None
    created_at: datetime
    closes_at: datetime | None
    state: DecisionState
    anonymous: bool = False
    multiple: bool = False
    hidden: bool = False
    total: int | None = None  # budget, in cents
    message_id: int | None = None  # the poll, board or budget message in the group
    control_message_id: int | None = None  # quick polls: the small message with the buttons
    poll_id: str | None = None
    voter_count: int = 0  # anonymous polls: Telegram's total
    refreshed_at: datetime | None = None  # last edit of the board message
    rendered: str | None = None  # digest of the board as shown (see bot/handlers/decision_base)

    @property
    def is_open(self) -> bool:
        return self.state is DecisionState.OPEN

    @property
    def names_voters(self) -> bool:
        """Whether the bot knows who answered (everything except anonymous polls)."""
        return not (self.kind is DecisionKind.POLL and self.anonymous)
