"""Sign-up sheets: slots with a number of places, one tap to take or leave one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from voisinbot.domain.polls.model import Decision, DecisionKind, Option
from voisinbot.domain.polls.tally import SignupMove
from voisinbot.services.decisions import Refusal
from voisinbot.storage import Store


@dataclass(frozen=True, slots=True)
class Person:
    user_id: int
    name: str


@dataclass(frozen=True, slots=True)
class SlotPeople:
    option: Option
    people: list[Person]

    @property
    def full(self) -> bool:
        return self.option.capacity is not None and len(self.people) >= self.option.capacity


@dataclass(frozen=True, slots=True)
class SignupBoard:
    decision: Decision
    slots: list[SlotPeople]


@dataclass(frozen=True, slots=True)
class Toggled:
    decision: Decision
    option: Option
    move: SignupMove


async def toggle(
    store: Store,
    *,
    decision_id: int,
    user_id: int,
    position: int,
    now: datetime,
    request_id: str | None = None,
) -> Toggled | Refusal:
    """Take the slot if there is room, leave it if you were in (once per ``request_id``)."""
    decision = await store.decisions.get(decision_id)
    if decision is None or decision.kind is not DecisionKind.SIGNUP:
        return Refusal.NOT_FOUND
    if not decision.is_open:
        return Refusal.NOT_OPEN
    option = next(
        (o for o in await store.decisions.options(decision_id) if o.position == position), None
    )
    if option is None:
        return Refusal.BAD_OPTION
    move = await store.answers.toggle_slot(
        decision_id, user_id, position, option.capacity, now, request_id
    )
    return Toggled(decision, option, move)


async def board(store: Store, decision: Decision) -> SignupBoard:
    options = await store.decisions.options(decision.id)
    people: dict[int, list[Person]] = {o.position: [] for o in options}
    for row in await store.answers.answers(decision.id):
        if row.position in people:
            people[row.position].append(Person(row.user_id, row.display_name))
    return SignupBoard(decision, [SlotPeople(o, people[o.position]) for o in options])


async def slot_people(store: Store, decision: Decision, position: int) -> SlotPeople | None:
    """Who signed up for one slot (for its reminder)."""
    for slot in (await board(store, decision)).slots:
        if slot.option.position == position:
            return slot
    return None
