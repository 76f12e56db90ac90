"""/stats: what a group did in a period, next to the period before."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from voisinbot.domain.stats import (
    Figures,
    Period,
    Report,
    kinds_count,
    median_duration,
    parse_period,
    turnout,
)
from voisinbot.storage import Store


async def group_zone(store: Store, chat_id: int, default: str) -> ZoneInfo:
    group = await store.community.get_group(chat_id)
    return ZoneInfo(group.timezone if group is not None else default)


async def figures(store: Store, chat_id: int, period: Period) -> Figures:
    counts = await store.reports.counts(chat_id, period.start, period.end)
    closed = await store.reports.decisions_closed(chat_id, period.start, period.end)
    members = await store.decisions.count_members(chat_id)
    return Figures(
        needs_posted=counts.needs_posted,
        needs_done=counts.needs_done,
        offers_posted=counts.offers_posted,
        offers_done=counts.offers_done,
        helpers=counts.helpers,
        helped=counts.helped,
        thanks=counts.thanks,
        decisions=len(closed),
        median_help=median_duration(counts.help_seconds),
        turnout=turnout([d.voters for d in closed], members),
        decisions_by_kind=kinds_count([d.kind for d in closed]),
    )


async def report(store: Store, chat_id: int, period: Period) -> Report:
    """The period's figures and those of the period of the same length just before."""
    return Report(
        period=period,
        current=await figures(store, chat_id, period),
        previous=await figures(store, chat_id, period.previous()),
    )


def period_from_words(words: str, now: datetime, tz: ZoneInfo) -> Period | None:
    return parse_period(words, now, tz)
