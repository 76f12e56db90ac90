"""The life of a collective decision: launch, timers, close, extend, cancel; the roster."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta, tzinfo

from voisinbot.domain.polls.model import Decision, DecisionKind, DecisionState
from voisinbot.domain.polls.specs import Spec
from voisinbot.domain.polls.timing import (
    CLOSE_GRACE,
    EXTENSION,
    REMINDER_GRACE,
    reminder_times,
    slot_reminder_at,
)
from voisinbot.storage import Store
from voisinbot.storage.polls import Draft, NewDecision, RosterMember
from voisinbot.storage.store import atomic

CLOSE_KIND = "decision_close"
REMIND_KIND = "decision_remind"
SLOT_REMIND_KIND = "signup_remind"


class Refusal(enum.Enum):
    NOT_FOUND = "not_found"
    NOT_OPEN = "not_open"
    NO_DEADLINE = "no_deadline"
    BAD_OPTION = "bad_option"
    NOT_MEMBER = "not_member"
    OVER_BUDGET = "over_budget"
    EMPTY_BALLOT = "empty_ballot"
    FULL = "full"


@atomic
async def launch(
    store: Store,
    spec: Spec,
    *,
    chat_id: int,
    created_by: int | None,
    source_message_id: int | None,
    now: datetime,
    tz: tzinfo,
) -> tuple[Decision, bool]:
    """Store a decision with its timers (the close, the reminders), in one transaction; the
    same command delivered twice finds the first (created False)."""
    new = NewDecision(
        chat_id=chat_id,
        kind=spec.kind,
        title=spec.title,
        created_by=created_by,
        closes_at=spec.closes_at,
        options=spec.options,
        anonymous=spec.anonymous,
        multiple=spec.multiple,
        hidden=spec.hidden,
        total=spec.total,
        source_message_id=source_message_id,
    )
    decision, created = await store.decisions.create(new, now)
    if created:
        await plan_timers(store, decision, now, tz)
    return decision, created


async def attach(
    store: Store,
    decision_id: int,
    *,
    now: datetime,
    message_id: int | None = None,
    control_message_id: int | None = None,
    poll_id: str | None = None,
    rendered: str | None = None,
) -> Decision:
    """Remember the group messages of the decision (and the digest of what its board shows);
    returns it as stored."""
    await store.decisions.attach(
        decision_id,
        message_id=message_id,
        control_message_id=control_message_id,
        poll_id=poll_id,
        now=now,
        rendered=rendered,
    )
    decision = await store.decisions.get(decision_id)
    assert decision is not None
    return decision


@atomic
async def plan_timers(store: Store, decision: Decision, now: datetime, tz: tzinfo) -> None:
    """Schedule the close and the reminders before it (replacing earlier ones), and for a
    sign-up sheet the reminder before each dated slot."""
    chat_id, ref = decision.chat_id, decision.id
    await store.schedules.cancel(REMIND_KIND, chat_id, ref, now)
    if decision.closes_at is not None:
        await store.schedules.add(
            CLOSE_KIND,
            decision.closes_at,
            CLOSE_GRACE,
            now,
            chat_id=chat_id,
            ref_id=ref,
            replace=True,
        )
        for hours, at in reminder_times(decision.closes_at, now):
            await store.schedules.add(
                REMIND_KIND,
                at,
                REMINDER_GRACE,
                now,
                chat_id=chat_id,
                ref_id=ref,
                payload={"hours": hours},
            )
    if decision.kind is DecisionKind.SIGNUP:
        await store.schedules.cancel(SLOT_REMIND_KIND, chat_id, ref, now)
        for option in await store.decisions.options(ref):
            if option.at is None:
                continue
            at = slot_reminder_at(option.at, option.has_time, tz)
            if at > now:
                await store.schedules.add(
                    SLOT_REMIND_KIND,
                    at,
                    REMINDER_GRACE,
                    now,
                    chat_id=chat_id,
                    ref_id=ref,
                    payload={"position": option.position},
                )


async def get(store: Store, decision_id: int) -> Decision | None:
    return await store.decisions.get(decision_id)


@atomic
async def close(store: Store, decision_id: int, now: datetime) -> tuple[Decision | None, bool]:
    """Close an open decision. Returns it (also when it was already closed, so a close
    interrupted by a restart can finish its announcement) and whether this call closed it;
    None for an unknown or cancelled decision."""
    closed_now = await store.decisions.finish(decision_id, DecisionState.CLOSED, now)
    decision = await store.decisions.get(decision_id)
    if decision is None or decision.state is not DecisionState.CLOSED:
        return None, False
    if closed_now:
        for kind in (CLOSE_KIND, REMIND_KIND):
            await store.schedules.cancel(kind, decision.chat_id, decision.id, now)
    return decision, closed_now


@atomic
async def cancel(store: Store, decision_id: int, now: datetime) -> Decision | None:
    """Cancel an open decision (no result); None when it was not open."""
    if not await store.decisions.finish(decision_id, DecisionState.CANCELLED, now):
        return None
    decision = await store.decisions.get(decision_id)
    assert decision is not None
    for kind in (CLOSE_KIND, REMIND_KIND, SLOT_REMIND_KIND):
        await store.schedules.cancel(kind, decision.chat_id, decision.id, now)
    return decision


@atomic
async def extend(
    store: Store,
    decision_id: int,
    now: datetime,
    tz: tzinfo,
    by: timedelta = EXTENSION,
    *,
    request_id: str | None = None,
) -> Decision | Refusal:
    """Move the deadline ``by`` later (from now, if it is already behind us) and re-plan.

    ``request_id`` (the button press) makes it once per press: the same press delivered again
    after a crash must not move the deadline a second time."""
    decision = await store.decisions.get(decision_id)
    if decision is None:
        return Refusal.NOT_FOUND
    if not decision.is_open:
        return Refusal.NOT_OPEN
    if decision.closes_at is None:
        return Refusal.NO_DEADLINE
    once = "once:decision-extend"
    if request_id is not None and not await store.state.first_time(once, request_id):
        return decision
    if not await store.decisions.move_deadline(decision_id, max(decision.closes_at, now) + by):
        return Refusal.NOT_OPEN
    moved = await store.decisions.get(decision_id)
    assert moved is not None
    await plan_timers(store, moved, now, tz)
    return moved


# --- the roster ------------------------------------------------------------------------------


async def join_roster(store: Store, chat_id: int, user_id: int, now: datetime) -> bool:
    """Ask for private reminders in this group; False when already on the roster."""
    return await store.decisions.join_roster(chat_id, user_id, now)


async def leave_roster(store: Store, chat_id: int, user_id: int) -> bool:
    return await store.decisions.leave_roster(chat_id, user_id)


async def still_to_answer(store: Store, decision: Decision) -> list[RosterMember]:
    """Roster members the bot can write to who have not answered yet. Nobody for anonymous
    polls (the bot does not know who voted, and must not guess) nor for sign-up sheets."""
    if not decision.names_voters or decision.kind is DecisionKind.SIGNUP:
        return []  # signing up is a free offer of time: nobody is chased for not doing it
    answered = await store.answers.responders(decision.id)
    return [
        member
        for member in await store.decisions.roster(decision.chat_id)
        if member.user_id not in answered and member.started_private and member.reachable
    ]


# --- the guided launch -------------------------------------------------------------------------


async def start_draft(
    store: Store, *, chat_id: int, user_id: int, kind: DecisionKind, title: str, now: datetime
) -> int:
    return await store.decisions.add_draft(chat_id, user_id, kind, title, now)


async def get_draft(store: Store, draft_id: int) -> Draft | None:
    return await store.decisions.draft(draft_id)


async def drop_draft(store: Store, draft_id: int) -> None:
    await store.decisions.drop_draft(draft_id)
