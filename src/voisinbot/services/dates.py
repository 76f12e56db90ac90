"""Date finding: residents answer yes / maybe / no per slot; the best slot wins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from voisinbot.domain.polls.model import Answer, Decision, DecisionKind, Option
from voisinbot.domain.polls.tally import SlotScore, best_slot, score_slots
from voisinbot.services.decisions import Refusal
from voisinbot.storage import Store


@dataclass(frozen=True, slots=True)
class SlotLine:
    option: Option
    score: SlotScore
    names: dict[Answer, list[str]]


@dataclass(frozen=True, slots=True)
class DatesBoard:
    decision: Decision
    slots: list[SlotLine]
    best: int | None  # position of the best slot so far
    respondents: int


async def answer(
    store: Store, *, decision_id: int, user_id: int, position: int, value: Answer, now: datetime
) -> Decision | Refusal:
    """A resident's answer to one slot (a second tap changes it)."""
    decision = await store.decisions.get(decision_id)
    if decision is None or decision.kind is not DecisionKind.DATES:
        return Refusal.NOT_FOUND
    if not decision.is_open:
        return Refusal.NOT_OPEN
    if position not in {o.position for o in await store.decisions.options(decision_id)}:
        return Refusal.BAD_OPTION
    await store.answers.set_answer(decision_id, user_id, position, int(value), now)
    return decision


async def board(store: Store, decision: Decision) -> DatesBoard:
    options = await store.decisions.options(decision.id)
    per_user: dict[int, dict[int, Answer]] = {}
    names: dict[int, dict[Answer, list[str]]] = {
        o.position: {a: [] for a in Answer} for o in options
    }
    for row in await store.answers.answers(decision.id):
        try:
            value = Answer(row.value)
        except ValueError:
            continue
        per_user.setdefault(row.user_id, {})[row.position] = value
        if row.position in names:
            names[row.position][value].append(row.display_name)
    scores = {s.position: s for s in score_slots(options, per_user)}
    slots = [SlotLine(o, scores[o.position], names[o.position]) for o in options]
    return DatesBoard(decision, slots, best_slot(options, list(scores.values())), len(per_user))
