"""Is the bot running? The running bot writes a heartbeat to its database every minute;
`voisinbot health` (and ``GET /healthz`` in webhook mode) reads it back.

Healthy means: the last heartbeat is fresher than ``STALE_AFTER`` and the bot has not stopped
since it last started. A bot whose event loop is stuck stops beating, so it is unhealthy too.
Reading needs no token and never changes the database (a read-only connection), so it is
safe from a Docker HEALTHCHECK, a cron job or an administrator's shell.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voisinbot.storage.state import HEARTBEAT_AT, STOPPED_AT, HealthFacts, read_health_facts

if TYPE_CHECKING:
    from telegram.ext import CallbackContext

    from voisinbot.bot.app import VoisinApp

log = logging.getLogger(__name__)

HEARTBEAT_EVERY = timedelta(minutes=1)
STALE_AFTER = timedelta(minutes=3)
HEARTBEAT_JOB = "heartbeat"


@dataclass(frozen=True)
class Health:
    healthy: bool
    status: str  # running | stale | stopped | never-started | no-database | unreadable
    summary: str
    checked_at: datetime
    facts: HealthFacts

    def as_json(self, database: Path | None = None) -> dict[str, Any]:
        facts = self.facts
        heartbeat_age = _age(self.checked_at, facts.heartbeat_at)
        out: dict[str, Any] = {
            "healthy": self.healthy,
            "status": self.status,
            "summary": self.summary,
            "checked_at": _iso(self.checked_at),
            "run_mode": facts.run_mode,
            "started_at": _iso(facts.started_at),
            "stopped_at": _iso(facts.stopped_at),
            "heartbeat_at": _iso(facts.heartbeat_at),
            "heartbeat_age_seconds": None if heartbeat_age is None else int(heartbeat_age),
            "last_update_at": _iso(facts.last_update_at),
            "last_scheduled_send_at": _iso(facts.last_scheduled_send_at),
            "stale_after_seconds": int(STALE_AFTER.total_seconds()),
        }
        if database is not None:
            out["database"] = str(database)
        return out

    def as_text(self, tz: tzinfo, database: Path | None = None) -> str:
        facts = self.facts
        mode = facts.run_mode or "-"
        rows = [
            ("database", str(database) if database is not None else "-"),
            ("mode", mode),
            ("started", self._when(facts.started_at, tz)),
            ("stopped", self._when(facts.stopped_at, tz)),
            ("last heartbeat", self._when(facts.heartbeat_at, tz)),
            ("last update handled", self._when(facts.last_update_at, tz)),
            ("last scheduled message", self._when(facts.last_scheduled_send_at, tz)),
        ]
        verdict = "healthy" if self.healthy else "NOT HEALTHY"
        lines = [f"VoisinBot: {verdict} - {self.summary}"]
        if self.status in ("no-database", "unreadable"):
            rows = rows[:1]  # nothing else is known
        lines += [f"  {label:<24}{value}" for label, value in rows]
        return "\n".join(lines)

    def _when(self, moment: datetime | None, tz: tzinfo) -> str:
        if moment is None:
            return "never"
        local = moment.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S %Z")
        return f"{local} ({ago(self.checked_at, moment)})"


def evaluate(facts: HealthFacts, now: datetime) -> Health:
    """The verdict from what the bot wrote; ``now`` is aware."""
    started, stopped, beat = facts.started_at, facts.stopped_at, facts.heartbeat_at
    if beat is None:
        return Health(False, "never-started", "the bot never ran with this database", now, facts)
    if stopped is not None and (started is None or stopped >= started):
        summary = f"stopped {ago(now, stopped)}"
        return Health(False, "stopped", summary, now, facts)
    age = now - beat
    if age > STALE_AFTER:
        summary = f"no heartbeat for {_span(age)}: the bot crashed, was killed or is stuck"
        return Health(False, "stale", summary, now, facts)
    return Health(True, "running", f"running, last heartbeat {ago(now, beat)}", now, facts)


def check(database: Path, now: datetime) -> Health:
    """Read the database at ``database`` (read-only) and judge."""
    empty = HealthFacts()
    if not database.is_file():
        summary = f"no database at {database} (is VOISINBOT_DATABASE right?)"
        return Health(False, "no-database", summary, now, empty)
    try:
        facts = read_health_facts(database)
    except sqlite3.Error as exc:
        return Health(False, "unreadable", f"cannot read {database}: {exc}", now, empty)
    return evaluate(facts, now)


@asynccontextmanager
async def beating(app: VoisinApp, mode: str) -> AsyncIterator[None]:
    """Record the start, beat every minute while the block runs, record the stop."""
    runtime = app.runtime
    await runtime.store.state.record_start(runtime.clock(), mode)
    job = None
    if app.job_queue is not None:
        job = app.job_queue.run_repeating(
            _beat, interval=HEARTBEAT_EVERY, first=HEARTBEAT_EVERY, name=HEARTBEAT_JOB
        )
    try:
        yield
    finally:
        if job is not None:
            job.schedule_removal()
        # A failing write must not hide why we are stopping; health then says "stale".
        with suppress(Exception):
            await runtime.store.state.record_instant(STOPPED_AT, runtime.clock())


async def _beat(context: CallbackContext[Any, Any, Any, Any]) -> None:
    app: VoisinApp = context.application  # type: ignore[assignment]
    await app.runtime.store.state.record_instant(HEARTBEAT_AT, app.runtime.clock())


def ago(now: datetime, moment: datetime) -> str:
    age = now - moment
    if age < timedelta(0):
        return "just now"
    return f"{_span(age)} ago"


def _span(age: timedelta) -> str:
    seconds = int(age.total_seconds())
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min"
    return f"{hours // 24} days"


def _age(now: datetime, moment: datetime | None) -> float | None:
    return None if moment is None else max((now - moment).total_seconds(), 0.0)


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")
