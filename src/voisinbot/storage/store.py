"""The Store: one object that owns the database and exposes one small repository per topic."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from voisinbot.storage.activity import ActivityRepo
from voisinbot.storage.answers import AnswersRepo
from voisinbot.storage.backup import backup_before_migrating
from voisinbot.storage.bulk import BulkRepo
from voisinbot.storage.community import CommunityRepo
from voisinbot.storage.db import Database
from voisinbot.storage.drafts import DraftsRepo
from voisinbot.storage.match_index import MatchIndexRepo
from voisinbot.storage.polls import DecisionsRepo
from voisinbot.storage.posts import PostsRepo
from voisinbot.storage.privacy import PrivacyRepo
from voisinbot.storage.reports import ReportsRepo
from voisinbot.storage.responses import ResponsesRepo
from voisinbot.storage.schedules import OutboxRepo, SchedulesRepo
from voisinbot.storage.state import StateRepo


class Store:
    """Open with :meth:`open` (applies migrations), close with :meth:`close`."""

    def __init__(self, path: Path | str) -> None:
        self.db = Database(path)
        self.community = CommunityRepo(self.db)
        self.posts = PostsRepo(self.db)
        self.responses = ResponsesRepo(self.db)
        self.drafts = DraftsRepo(self.db)
        self.state = StateRepo(self.db)
        self.schedules = SchedulesRepo(self.db)
        self.outbox = OutboxRepo(self.db)
        self.activity = ActivityRepo(self.db)
        self.matching = MatchIndexRepo(self.db)
        self.bulk = BulkRepo(self.db)
        self.decisions = DecisionsRepo(self.db)
        self.answers = AnswersRepo(self.db)
        self.privacy = PrivacyRepo(self.db, self.community)
        self.reports = ReportsRepo(self.db)

    def transaction(self) -> AbstractAsyncContextManager[object]:
        """One transaction around several repositories' writes: all of them are committed
        together or none is (the repositories' own write blocks join it)."""
        return self.db.write()

    @classmethod
    async def connect(cls, path: Path | str) -> Store:
        store = cls(path)
        await store.open()
        return store

    async def open(self) -> list[int]:
        """Open and migrate; returns the migrations applied. An existing database is copied
        first when migrations are pending (``<database>.pre-NNNN.bak``, see backup.py)."""
        await self.db.open()
        await backup_before_migrating(self.db)
        return await self.db.migrate()

    async def close(self) -> None:
        await self.db.close()


P = ParamSpec("P")
R = TypeVar("R")


def atomic(
    operation: Callable[Concatenate[Store, P], Awaitable[R]],
) -> Callable[Concatenate[Store, P], Awaitable[R]]:
    """A service operation whose writes are committed together or not at all: a crash or an
    error half-way leaves nothing half-done (a response accepted on a post still open)."""

    @functools.wraps(operation)
    async def in_one_transaction(store: Store, *args: P.args, **kwargs: P.kwargs) -> R:
        async with store.transaction():
            return await operation(store, *args, **kwargs)

    return in_one_transaction
