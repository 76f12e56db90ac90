"""The Store: one object that owns the database and exposes one small repository per topic."""

from __future__ import annotations

from pathlib import Path

from voisinbot.storage.community import CommunityRepo
from voisinbot.storage.db import Database
from voisinbot.storage.posts import PostsRepo
from voisinbot.storage.schedules import OutboxRepo, SchedulesRepo
from voisinbot.storage.state import StateRepo


class Store:
    """Open with :meth:`open` (applies migrations), close with :meth:`close`."""

    def __init__(self, path: Path | str) -> None:
        self.db = Database(path)
        self.community = CommunityRepo(self.db)
        self.posts = PostsRepo(self.db)
        self.state = StateRepo(self.db)
        self.schedules = SchedulesRepo(self.db)
        self.outbox = OutboxRepo(self.db)

    @classmethod
    async def connect(cls, path: Path | str) -> Store:
        store = cls(path)
        await store.open()
        return store

    async def open(self) -> None:
        await self.db.open()
        await self.db.migrate()

    async def close(self) -> None:
        await self.db.close()
