"""What every handler and job can reach: the store, the settings and the clock."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from voisinbot.config import Settings
from voisinbot.storage import Store

if TYPE_CHECKING:
    from voisinbot.bot.scheduler import Scheduler

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Runtime:
    """Resources shared by handlers and jobs; ``application.runtime`` (see bot/app.py)."""

    settings: Settings
    store: Store
    clock: Clock = system_clock
    bot_username: str = ""
    # Residents already saved with this (name, language): saves a write on most updates.
    known_members: dict[int, tuple[str, str | None, bool]] = field(default_factory=dict)
    seen_in_groups: set[tuple[int, int]] = field(default_factory=set)
    last_update_at: datetime | None = None
    # chat id -> (when read, admin user ids): Telegram's admin list, refreshed every few minutes.
    admin_cache: dict[int, tuple[datetime, frozenset[int]]] = field(default_factory=dict)
    warm_up: asyncio.Future[Any] | None = None
    # Active posts analysed again when the lexicon changed since they were stored.
    reindex: asyncio.Future[int] | None = None
    # Set by build_application once the application exists.
    scheduler: Scheduler = field(init=False)
