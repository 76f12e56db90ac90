"""Reminders a facilitator schedules for the group: "/rappel vendredi 18h | Apportez vos graines"."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from voisinbot.domain.posts import MAX_TEXT_LENGTH, clean_text
from voisinbot.domain.schedules import Schedule, grace_for
from voisinbot.domain.when import parse_deadline
from voisinbot.storage import Store

REMINDER = "reminder"
DEFAULT_TIME = time(9, 0)  # "/rappel samedi | …": in the morning of that day
MAX_AHEAD = timedelta(days=366)
MAX_PENDING = 50  # per group: reminders are for the group's life, not a notification service


class ReminderProblem(enum.Enum):
    NO_TEXT = "no_text"
    BAD_WHEN = "bad_when"
    TOO_FAR = "too_far"
    TOO_MANY = "too_many"


@dataclass(frozen=True, slots=True)
class Reminder:
    id: int
    due_at: datetime
    text: str


def _reminder(schedule: Schedule) -> Reminder:
    return Reminder(schedule.id, schedule.due_at, str(schedule.payload.get("text", "")))


async def schedule_reminder(
    store: Store,
    *,
    chat_id: int,
    by_user: int,
    when_text: str,
    raw_text: str,
    tz: ZoneInfo,
    now: datetime,
) -> Reminder | ReminderProblem:
    """Read the time in the group's timezone and store the reminder (in the database: it
    survives restarts and is sent once)."""
    text = clean_text(raw_text)[:MAX_TEXT_LENGTH]
    if len(text) < 3:
        return ReminderProblem.NO_TEXT
    due = parse_deadline(when_text, now.astimezone(tz), default_time=DEFAULT_TIME)
    if due is None:
        return ReminderProblem.BAD_WHEN
    if due - now > MAX_AHEAD:
        return ReminderProblem.TOO_FAR
    if len(await store.schedules.pending_for(REMINDER, chat_id, None)) >= MAX_PENDING:
        return ReminderProblem.TOO_MANY
    schedule = await store.schedules.add(
        REMINDER,
        due,
        grace_for(REMINDER),
        now,
        chat_id=chat_id,
        payload={"text": text, "by": by_user},
    )
    return _reminder(schedule)


async def upcoming(store: Store, chat_id: int) -> list[Reminder]:
    return [_reminder(s) for s in await store.schedules.pending_for(REMINDER, chat_id, None)]


async def cancel_reminder(store: Store, *, chat_id: int, reminder_id: int, now: datetime) -> bool:
    """Cancel one pending reminder of this group; False if it is not (or no longer) pending."""
    return await store.schedules.cancel_one(reminder_id, kind=REMINDER, chat_id=chat_id, now=now)
