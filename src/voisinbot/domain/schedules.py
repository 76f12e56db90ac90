"""What a schedule is, and what happens to one that came due while the bot was down."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any


class ScheduleState(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    MISSED = "missed"
    CANCELLED = "cancelled"
    FAILED = "failed"


# How late a job may still run after a restart, by kind (issue: 6 h for a digest, 1 h for a
# reminder). Anything not listed gets the reminder grace.
DEFAULT_GRACE = timedelta(hours=1)
GRACE_BY_KIND: dict[str, timedelta] = {"digest": timedelta(hours=6)}


def grace_for(kind: str) -> timedelta:
    return GRACE_BY_KIND.get(kind, DEFAULT_GRACE)


@dataclass(frozen=True, slots=True)
class Schedule:
    id: int
    kind: str
    chat_id: int | None
    ref_id: int | None
    due_at: datetime
    grace: timedelta
    state: ScheduleState
    payload: dict[str, Any] = field(default_factory=dict)


class Overdue(enum.Enum):
    ON_TIME = "on_time"  # not yet due: schedule it
    RUN_NOW = "run_now"  # due while we were down, within its grace: run once now
    MISSED = "missed"  # too late to be useful: record and skip


def overdue(schedule: Schedule, now: datetime) -> Overdue:
    if schedule.due_at > now:
        return Overdue.ON_TIME
    if now - schedule.due_at <= schedule.grace:
        return Overdue.RUN_NOW
    return Overdue.MISSED
