"""How a post lives: who may do what in which state, when it expires, when to follow up."""

from __future__ import annotations

import enum
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from voisinbot.domain.posts import PostKind, PostStatus

EXPIRY_WARNING = timedelta(days=2)
FOLLOW_UP_AFTER_AGREEMENT = timedelta(days=3)
FOLLOW_UP_HOUR = time(10, 0)  # residents are asked "is it done?" mid-morning, local time
PROLONG_BY = timedelta(days=14)


class Action(enum.StrEnum):
    RESPOND = "respond"  # "I can help" / "I'm interested"
    DONE = "done"
    CANCEL = "cancel"
    PROLONG = "prolong"
    EDIT = "edit"
    ACCEPT = "accept"
    DECLINE = "decline"


# Actions only the author (or a facilitator) may take.
OWNER_ACTIONS = frozenset(
    {Action.DONE, Action.CANCEL, Action.PROLONG, Action.EDIT, Action.ACCEPT, Action.DECLINE}
)

_ALLOWED: dict[Action, frozenset[PostStatus]] = {
    Action.RESPOND: frozenset({PostStatus.OPEN, PostStatus.OFFERED, PostStatus.AGREED}),
    Action.DONE: frozenset({PostStatus.OPEN, PostStatus.OFFERED, PostStatus.AGREED}),
    Action.CANCEL: frozenset({PostStatus.OPEN, PostStatus.OFFERED, PostStatus.AGREED}),
    Action.PROLONG: frozenset(
        {PostStatus.OPEN, PostStatus.OFFERED, PostStatus.AGREED, PostStatus.EXPIRED}
    ),
    Action.EDIT: frozenset({PostStatus.OPEN, PostStatus.OFFERED, PostStatus.AGREED}),
    Action.ACCEPT: frozenset({PostStatus.OPEN, PostStatus.OFFERED, PostStatus.AGREED}),
    Action.DECLINE: frozenset({PostStatus.OPEN, PostStatus.OFFERED, PostStatus.AGREED}),
}


def allowed(action: Action, status: PostStatus) -> bool:
    return status in _ALLOWED[action]


def status_after(action: Action, status: PostStatus) -> PostStatus:
    """The status a post moves to; the caller checked ``allowed`` first."""
    match action:
        case Action.RESPOND:
            return PostStatus.OFFERED if status is PostStatus.OPEN else status
        case Action.ACCEPT:
            return PostStatus.AGREED
        case Action.DONE:
            return PostStatus.DONE
        case Action.CANCEL:
            return PostStatus.CANCELLED
        case Action.PROLONG:
            return PostStatus.OPEN if status is PostStatus.EXPIRED else status
        case _:
            return status


def expires_at(
    kind: PostKind,
    created: datetime,
    due: datetime | None,
    tz: ZoneInfo,
    *,
    need_days: int = 14,
    offer_days: int = 90,
) -> datetime:
    """A post with a date lives until the end of the day after that date; without one, a need
    lives ``need_days`` and an offer ``offer_days``."""
    if due is not None:
        day_after = due.astimezone(tz).date() + timedelta(days=1)
        return _local_midnight_after(day_after, tz)
    return created + timedelta(days=need_days if kind is PostKind.NEED else offer_days)


def expiry_warning_at(created: datetime, expiry: datetime) -> datetime | None:
    """Two days before expiry, if the post lives long enough for a warning to make sense."""
    warn = expiry - EXPIRY_WARNING
    return warn if warn > created + timedelta(hours=12) else None


def follow_up_at(due: datetime | None, agreed: datetime | None, tz: ZoneInfo) -> datetime | None:
    """When to ask the author "is it done?": the day after the date, mid-morning; else three
    days after an agreement; else never."""
    if due is not None:
        day_after = due.astimezone(tz).date() + timedelta(days=1)
        return datetime.combine(day_after, FOLLOW_UP_HOUR, tz)
    if agreed is not None:
        return agreed + FOLLOW_UP_AFTER_AGREEMENT
    return None


def prolonged_expiry(current: datetime, now: datetime) -> datetime:
    return max(current, now) + PROLONG_BY


def _local_midnight_after(day: date, tz: ZoneInfo) -> datetime:
    """The first instant after ``day`` ends, in local time."""
    return datetime.combine(day + timedelta(days=1), time(0, 0), tz)
