"""Citizen budget: private ballots within the budget, and the projects funded at the close."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from voisinbot.domain.polls.budget import BudgetResult, allocate, count_votes, selection_cost
from voisinbot.domain.polls.model import Decision, DecisionKind, Option
from voisinbot.services.decisions import Refusal
from voisinbot.storage import Store
from voisinbot.storage.store import atomic


@dataclass(frozen=True, slots=True)
class BallotView:
    """A resident's ballot as they fill it in privately."""

    decision: Decision
    options: list[Option]
    selected: tuple[int, ...]
    submitted: tuple[int, ...] | None

    @property
    def total(self) -> int:
        return self.decision.total or 0

    @property
    def spent(self) -> int:
        return selection_cost(self.costs, self.selected)

    @property
    def left(self) -> int:
        return self.total - self.spent

    @property
    def costs(self) -> list[int]:
        return [o.cost or 0 for o in self.options]

    @property
    def up_to_date(self) -> bool:
        """The selection on screen is the ballot that counts."""
        return self.submitted is not None and self.submitted == self.selected


@dataclass(frozen=True, slots=True)
class OverBudget:
    view: BallotView
    excess: int  # cents over the budget the refused choice would have cost


@dataclass(frozen=True, slots=True)
class BudgetOutcome:
    decision: Decision
    options: list[Option]
    result: BudgetResult
    ballots: int
    members: int


async def ballot(store: Store, *, decision_id: int, user_id: int) -> BallotView | Refusal:
    """The resident's ballot, if they may vote: an open budget of a group they were seen in."""
    decision = await store.decisions.get(decision_id)
    if decision is None or decision.kind is not DecisionKind.BUDGET:
        return Refusal.NOT_FOUND
    if not decision.is_open:
        return Refusal.NOT_OPEN
    if not await store.community.is_member_of(decision.chat_id, user_id):
        return Refusal.NOT_MEMBER
    options = await store.decisions.options(decision_id)
    found = await store.answers.ballot(decision_id, user_id)
    return BallotView(decision, options, found.draft, found.submitted)


@atomic
async def toggle(
    store: Store, *, decision_id: int, user_id: int, position: int, request_id: str | None = None
) -> BallotView | OverBudget | Refusal:
    """Select or unselect a project; selecting beyond the budget is refused. The same tap
    delivered again after a crash (``request_id``) shows the ballot instead of undoing it."""
    view = await ballot(store, decision_id=decision_id, user_id=user_id)
    if isinstance(view, Refusal):
        return view
    if not 0 <= position < len(view.options):
        return Refusal.BAD_OPTION
    once = "once:budget-toggle"
    if request_id is not None and not await store.state.first_time(once, request_id):
        return view
    selected = set(view.selected)
    if position in selected:
        selected.discard(position)
    else:
        selected.add(position)
        cost = selection_cost(view.costs, selected)
        if cost > view.total:
            return OverBudget(view, cost - view.total)
    await store.answers.save_draft(decision_id, user_id, selected)
    return BallotView(view.decision, view.options, tuple(sorted(selected)), view.submitted)


async def submit(
    store: Store, *, decision_id: int, user_id: int, now: datetime
) -> BallotView | Refusal:
    """Make the current selection the ballot that counts (until the close it may change)."""
    view = await ballot(store, decision_id=decision_id, user_id=user_id)
    if isinstance(view, Refusal):
        return view
    if not view.selected:
        return Refusal.EMPTY_BALLOT
    if view.spent > view.total:  # costs cannot change, but never count an impossible ballot
        return Refusal.OVER_BUDGET
    await store.answers.submit(decision_id, user_id, view.selected, now)
    return BallotView(view.decision, view.options, view.selected, view.selected)


async def outcome(store: Store, decision: Decision) -> BudgetOutcome:
    """Votes per project from the submitted ballots, and what gets funded."""
    options = await store.decisions.options(decision.id)
    ballots = await store.answers.submitted_ballots(decision.id)
    votes = count_votes(len(options), ballots)
    result = allocate(decision.total or 0, [o.cost or 0 for o in options], votes)
    members = await store.decisions.count_members(decision.chat_id)
    return BudgetOutcome(decision, options, result, len(ballots), max(members, len(ballots)))


async def voters(store: Store, decision: Decision) -> int:
    return len(await store.answers.submitted_ballots(decision.id))
