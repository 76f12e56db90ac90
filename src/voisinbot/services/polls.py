"""Quick polls: the votes Telegram reports, and the result."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from voisinbot.domain.polls.model import Decision
from voisinbot.domain.polls.tally import PollResult, counts_from_choices, tally_poll
from voisinbot.storage import Store
from voisinbot.storage.store import atomic


@atomic
async def record_vote(
    store: Store,
    *,
    poll_id: str,
    user_id: int,
    display_name: str,
    language_code: str | None,
    option_ids: Sequence[int],
    now: datetime,
    remember_member: bool = True,
) -> Decision | None:
    """A resident's vote on a named poll (empty: retracted); None when it is not one of our
    open named polls. A voter is a resident of the group, even if they never wrote to the bot."""
    decision = await store.decisions.by_poll_id(poll_id)
    if decision is None or decision.anonymous or not decision.is_open:
        return None
    options = len(await store.decisions.options(decision.id))
    chosen = [i for i in option_ids if 0 <= i < options]
    await store.answers.set_choices(decision.id, user_id, chosen, now)
    if remember_member and not await store.community.is_member_of(decision.chat_id, user_id):
        await store.community.save_member(
            user_id, display_name, language_code, now, chat_id=decision.chat_id
        )
    return decision


async def record_totals(
    store: Store, *, poll_id: str, counts: Sequence[int], voter_count: int
) -> Decision | None:
    """Telegram's counts for one of our polls: the only source for anonymous ones."""
    decision = await store.decisions.by_poll_id(poll_id)
    if decision is None:
        return None
    await store.decisions.set_poll_totals(decision.id, counts, voter_count)
    return decision


async def result(store: Store, decision: Decision) -> PollResult:
    """Counts, winner(s) and turnout: from each voter's answers for a named poll, from
    Telegram's totals for an anonymous one."""
    options = await store.decisions.options(decision.id)
    labels = [o.label for o in options]
    if decision.anonymous:
        counts = [o.votes for o in options]
        voters = decision.voter_count
    else:
        choices: dict[int, list[int]] = {}
        for answer in await store.answers.answers(decision.id):
            choices.setdefault(answer.user_id, []).append(answer.position)
        counts = counts_from_choices(len(options), choices)
        voters = len(choices)
    members = await store.decisions.count_members(decision.chat_id)
    return tally_poll(labels, counts, voters, members)
