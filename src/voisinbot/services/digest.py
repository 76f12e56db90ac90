"""The weekly digest: gathering what the group did, and keeping one digest planned per group."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from voisinbot.domain.digest import (
    CHART_WEEKS,
    SECTION_LIMIT,
    DigestData,
    DigestSettings,
    Item,
    Numbers,
    Section,
    Week,
    next_digest_at,
)
from voisinbot.domain.posts import Post
from voisinbot.domain.schedules import Schedule, grace_for
from voisinbot.services import polls
from voisinbot.storage import Store
from voisinbot.storage.store import atomic

DIGEST = "digest"
NUDGE = "nudge"


def _item(post: Post, extra: str = "") -> Item:
    return Item(ref=post.id, text=post.text, who=post.author_name, extra=extra)


async def _numbers(store: Store, chat_id: int, week: Week) -> Numbers:
    activity = store.activity
    return Numbers(
        helps=await activity.count_done(chat_id, week.start, week.end),
        thanks=await activity.count_thanks(chat_id, week.start, week.end),
        new_needs=await activity.count_created(chat_id, "need", week.start, week.end),
        new_offers=await activity.count_created(chat_id, "offer", week.start, week.end),
    )


async def gather(store: Store, chat_id: int, sent_at: datetime, tz: ZoneInfo) -> DigestData:
    """Everything the digest of the week ending at ``sent_at`` shows."""
    week = Week.ending_at(sent_at, tz)
    activity = store.activity
    needs, needs_total = await activity.open_needs(chat_id, sent_at, limit=SECTION_LIMIT)
    offers, offers_total = await activity.new_posts(
        chat_id, "offer", week.start, week.end, limit=SECTION_LIMIT, active_only=True
    )
    helps, helps_total = await activity.helps(chat_id, week.start, week.end, limit=SECTION_LIMIT)
    weekly = []
    back = week
    for _ in range(CHART_WEEKS):
        weekly.append(await activity.count_done(chat_id, back.start, back.end))
        back = back.previous(tz)
    taken, taken_total = await activity.decisions_closed(
        chat_id, week.start, week.end, limit=SECTION_LIMIT
    )
    still_open, open_total = await activity.decisions_open(chat_id, limit=SECTION_LIMIT)
    slots, slots_total = await activity.signup_slots(
        chat_id, sent_at, sent_at + timedelta(days=7), limit=SECTION_LIMIT
    )
    return DigestData(
        week=week,
        open_needs=Section(tuple(_item(p) for p in needs), needs_total),
        new_offers=Section(tuple(_item(p) for p in offers), offers_total),
        helps=Section(tuple(_item(p, helpers) for p, helpers in helps), helps_total),
        decisions_taken=Section(
            tuple(
                [
                    Item(ref=i, text=title, extra=await _outcome(store, i, kind))
                    for i, kind, title in taken
                ]
            ),
            taken_total,
        ),
        decisions_open=Section(
            tuple(Item(ref=i, text=title, at=closes) for i, _, title, closes in still_open),
            open_total,
        ),
        upcoming_slots=Section(
            tuple(
                Item(
                    ref=i,
                    text=f"{title} — {label}",
                    extra=f"{count}/{places}" if places else str(count),
                    at=at,
                )
                for i, title, label, at, places, count in slots
            ),
            slots_total,
        ),
        this_week=await _numbers(store, chat_id, week),
        last_week=await _numbers(store, chat_id, week.previous(tz)),
        weekly_helps=tuple(reversed(weekly)),
    )


async def _outcome(store: Store, decision_id: int, kind: str) -> str:
    """The winning choice of a closed quick poll (other decisions show their title only)."""
    if kind != "poll":
        return ""
    decision = await store.decisions.get(decision_id)
    if decision is None:
        return ""
    result = await polls.result(store, decision)
    labels = {option.position: option.label for option in result.options}
    return " / ".join(labels[w] for w in result.winners if w in labels)


async def digest_settings(store: Store, chat_id: int) -> tuple[DigestSettings, ZoneInfo] | None:
    group = await store.community.get_group(chat_id)
    if group is None or not group.active:
        return None
    return DigestSettings.from_group(group.settings), ZoneInfo(group.timezone)


@atomic
async def plan_digest(store: Store, chat_id: int, now: datetime) -> Schedule | None:
    """Make sure the group has exactly one pending digest at its next time (none when off).
    Idempotent: an existing schedule at the right time is kept."""
    found = await digest_settings(store, chat_id)
    if found is None or not found[0].enabled:
        await store.schedules.cancel(DIGEST, chat_id, None, now)
        return None
    settings, tz = found
    due = next_digest_at(now, settings, tz)
    pending = await store.schedules.pending_for(DIGEST, chat_id)
    if len(pending) == 1 and pending[0].due_at == due:
        return pending[0]
    return await store.schedules.add(
        DIGEST, due, grace_for(DIGEST), now, chat_id=chat_id, replace=True
    )


async def plan_all_digests(store: Store, now: datetime) -> int:
    """At start-up: every active group gets its next digest planned."""
    planned = 0
    for chat_id in await store.activity.active_group_ids():
        if await plan_digest(store, chat_id, now) is not None:
            planned += 1
    return planned


async def change_settings(
    store: Store, chat_id: int, settings: DigestSettings, now: datetime
) -> Schedule | None:
    await store.community.set_setting(chat_id, "digest", settings.to_json())
    return await plan_digest(store, chat_id, now)


def nudge_period(sent_at: datetime, tz: ZoneInfo) -> str:
    """At most one "quiet week" nudge a month."""
    local = sent_at.astimezone(tz)
    return f"{local.year}-{local.month:02d}"
