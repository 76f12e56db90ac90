"""The one SQLite connection: pragmas, write transactions, numbered migrations."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

log = logging.getLogger(__name__)

AUTOCHECKPOINT_PAGES = 4000
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class Database:
    """Owns the connection. All writes go through :meth:`write`, one at a time."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._conn: aiosqlite.Connection | None = None
        # One writer at a time: concurrent coroutines (handlers and jobs) share the connection,
        # and BEGIN IMMEDIATE inside an open transaction would fail.
        self._write_lock = asyncio.Lock()
        self.statements = 0  # counted for benchmarks (SQL statements per update)

    async def open(self) -> None:
        if self._conn is not None:
            return
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN IMMEDIATE ourselves, so the lock is taken up
        # front and a write never fails half-way with "database is locked".
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        for pragma in (
            "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = NORMAL",
            "PRAGMA foreign_keys = ON",
            "PRAGMA busy_timeout = 5000",
            # The bot checkpoints in the background (checkpoint()); committing connections
            # only checkpoint as a safety net when the log grows past ~16 MB.
            f"PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT_PAGES}",
        ):
            await conn.execute(pragma)
        self._conn = conn

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("the database is not open")
        return self._conn

    @asynccontextmanager
    async def write(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction: committed when the block ends, rolled back on any error."""
        async with self._write_lock:
            conn = self.conn
            await conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
            await conn.execute("COMMIT")

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[aiosqlite.Row]:
        self.statements += 1
        async with self.conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> aiosqlite.Row | None:
        self.statements += 1
        async with self.conn.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetch_value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = await self.fetch_one(sql, params)
        return None if row is None else row[0]

    async def execute(
        self, conn: aiosqlite.Connection, sql: str, params: Sequence[Any] = ()
    ) -> aiosqlite.Cursor:
        """Run one statement inside a transaction opened with :meth:`write`."""
        self.statements += 1
        return await conn.execute(sql, params)

    async def execute_many(
        self, conn: aiosqlite.Connection, sql: str, rows: Iterable[Sequence[Any]]
    ) -> None:
        self.statements += 1
        await conn.executemany(sql, rows)

    async def checkpoint(self) -> None:
        """Copy the write-ahead log into the database file from another connection, in a
        thread: residents' writes never wait for it (PASSIVE gives way to them)."""
        if self._conn is None or str(self.path) == ":memory:":
            return
        await asyncio.to_thread(_passive_checkpoint, self.path)

    async def vacuum(self) -> None:
        """Rewrite the file so deleted rows leave no bytes behind (after an erasure), then
        fold the WAL into it and truncate the WAL to zero. VACUUM cannot run inside a
        transaction, so it takes the writer's lock instead of :meth:`write`."""
        async with self._write_lock:
            self.statements += 2
            await self.conn.execute("VACUUM")
            await self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    async def schema_version(self) -> int:
        return int(await self.fetch_value("PRAGMA user_version") or 0)

    async def migrate(self) -> list[int]:
        """Apply every migration newer than the schema version, each in its own transaction.

        Idempotent: returns the versions applied (empty when up to date).
        """
        current = await self.schema_version()
        applied = []
        for version, sql in available_migrations():
            if version <= current:
                continue
            async with self.write() as conn:
                # executescript would COMMIT our transaction; run statements one by one instead.
                for statement in _split_statements(sql):
                    await conn.execute(statement)
                await conn.execute(f"PRAGMA user_version = {version:d}")
            applied.append(version)
            log.info("applied migration %04d", version)
        return applied


def _passive_checkpoint(path: Path) -> None:
    conn = sqlite3.connect(path, timeout=1.0)
    try:
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    finally:
        conn.close()


def available_migrations() -> list[tuple[int, str]]:
    """The numbered ``NNNN_name.sql`` files shipped in ``voisinbot/storage/migrations``."""
    folder = resources.files("voisinbot.storage") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.read_text(encoding="utf-8")))
    return sorted(found)


def _split_statements(script: str) -> list[str]:
    # sqlite3.complete_statement knows where a statement ends, triggers' BEGIN…END included.
    statements, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip():
                statements.append(pending.strip())
            pending = ""
    if pending.strip() and not all(
        ln.strip().startswith("--") or not ln.strip() for ln in pending.splitlines()
    ):
        raise ValueError("a migration ends with an incomplete statement")
    return statements
