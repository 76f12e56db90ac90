"""The one SQLite connection: pragmas, write transactions, numbered migrations.

Statements run on the event loop's own thread. aiosqlite would send each one to its worker
thread and back: that round trip cost more than the statements themselves (an indexed
look-up or a WAL commit takes microseconds) and, on a busy machine, each hop waited for the
OS to schedule a thread — `voisinbot bench updates` measured the bot three times slower
with them, with a p99 of 30 ms instead of 4. Nothing waits for long here: WAL readers never
wait for the writer, the bot is the only writer (`backup` and `health` read), checkpoints
run from another connection (:meth:`Database.checkpoint`), and so does VACUUM
(:meth:`Database.vacuum`). The aiosqlite connection wraps the same SQLite connection: its
cursor interface is what repositories were written against, and it closes the connection.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
import time
from collections.abc import Iterable, Sequence
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
        self._sql: sqlite3.Connection | None = None  # the same connection, used directly
        # One writer at a time: concurrent coroutines (handlers and jobs) share the connection,
        # and BEGIN IMMEDIATE inside an open transaction would fail.
        self._write_lock = asyncio.Lock()
        self._writer: asyncio.Task[Any] | None = None  # the task inside the open transaction
        self.statements = 0  # counted for benchmarks (SQL statements per update)

    async def open(self) -> None:
        if self._conn is not None:
            return
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN IMMEDIATE ourselves, so the lock is taken up
        # front and a write never fails half-way with "database is locked".
        # check_same_thread=False: used here and by aiosqlite's thread (closing it); SQLite
        # serialises the two (Python's sqlite3 is built thread-safe, "serialized").
        sql = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        sql.row_factory = sqlite3.Row
        conn = await aiosqlite.Connection(lambda: sql, iter_chunk_size=64)
        for pragma in (
            "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = NORMAL",
            "PRAGMA foreign_keys = ON",
            "PRAGMA busy_timeout = 5000",
            # The bot checkpoints in the background (checkpoint()); committing connections
            # only checkpoint as a safety net when the log grows past ~16 MB.
            f"PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT_PAGES}",
        ):
            sql.execute(pragma)
        self._conn, self._sql = conn, sql

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn, self._sql = None, None

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("the database is not open")
        return self._conn

    @property
    def sql(self) -> sqlite3.Connection:
        if self._sql is None:
            raise RuntimeError("the database is not open")
        return self._sql

    def write(self) -> _Transaction:
        """A write transaction: committed when the block ends, rolled back on any error.

        Blocks nest: inside a transaction the same task already holds (a service doing
        several repositories' writes as one unit, see ``Store.transaction``), a block is a
        savepoint of it, undone alone on error, and only the outermost block commits."""
        return _Transaction(self)

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[aiosqlite.Row]:
        self.statements += 1
        return self.sql.execute(sql, params).fetchall()

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> aiosqlite.Row | None:
        self.statements += 1
        row: aiosqlite.Row | None = self.sql.execute(sql, params).fetchone()
        return row

    async def fetch_value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = await self.fetch_one(sql, params)
        return None if row is None else row[0]

    async def execute(
        self, conn: aiosqlite.Connection, sql: str, params: Sequence[Any] = ()
    ) -> aiosqlite.Cursor:
        """Run one statement inside a transaction opened with :meth:`write`."""
        self.statements += 1
        return _Cursor(conn, self.sql.execute(sql, params))

    async def execute_many(
        self, conn: aiosqlite.Connection, sql: str, rows: Iterable[Sequence[Any]]
    ) -> None:
        self.statements += 1
        self.sql.executemany(sql, rows)

    async def checkpoint(self) -> None:
        """Copy the write-ahead log into the database file from another connection, in a
        thread: residents' writes never wait for it (PASSIVE gives way to them)."""
        if self._conn is None or str(self.path) == ":memory:":
            return
        await asyncio.to_thread(_passive_checkpoint, self.path)

    async def vacuum(self) -> bool:
        """Rewrite the file so deleted rows leave no bytes behind (after an erasure), then
        fold the WAL into it and truncate the WAL to zero; False when a reader (a backup, the
        background checkpoint) kept the WAL from being emptied a few times in a row.

        It runs on a connection of its own, in a thread: VACUUM fails on a connection where
        any statement is in progress, and the bot's connection is used by the event loop all
        the time (a resident's look-up begun just as VACUUM started made a "forget me" fail
        about one time in twenty-five). The writer's lock is held meanwhile, so no write of
        the bot waits on SQLite's own lock; readers go on reading (WAL)."""
        async with self._write_lock:
            self.statements += 1
            if str(self.path) == ":memory:":  # no other connection can see it
                self.sql.execute("VACUUM")
                return True
            emptied = await asyncio.to_thread(_vacuum_file, self.path)
        if not emptied:
            log.warning("after VACUUM, the write-ahead log stayed busy and was not truncated")
        return emptied

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
            async with self.write():
                # executescript would COMMIT our transaction; run statements one by one instead.
                for statement in _split_statements(sql):
                    self.sql.execute(statement)
                self.sql.execute(f"PRAGMA user_version = {version:d}")
            applied.append(version)
            log.info("applied migration %04d", version)
        return applied


class _Transaction:
    """``Database.write()``: a class rather than a generator-based context manager, because
    every update opens at least one (the offset) and this is measurably cheaper."""

    __slots__ = ("_db", "_nested")

    def __init__(self, db: Database) -> None:
        self._db = db
        self._nested = False

    async def __aenter__(self) -> aiosqlite.Connection:
        db = self._db
        task = asyncio.current_task()
        if task is not None and db._writer is task:
            # One name for every level: SQLite's ROLLBACK TO and RELEASE act on the most
            # recent savepoint of that name, the one this block opened.
            self._nested = True
            db.sql.execute("SAVEPOINT nested")
            return db.conn
        await db._write_lock.acquire()
        try:
            db.sql.execute("BEGIN IMMEDIATE")
        except BaseException:
            db._write_lock.release()
            raise
        db._writer = task
        return db.conn

    async def __aexit__(self, kind: type[BaseException] | None, *_: object) -> None:
        db, sql = self._db, self._db.sql
        if self._nested:
            # Some errors (a full disk) make SQLite roll the whole transaction back itself.
            if sql.in_transaction:
                if kind is not None:
                    sql.execute("ROLLBACK TO nested")
                sql.execute("RELEASE nested")
            return
        db._writer = None
        try:
            if kind is None:
                sql.execute("COMMIT")
        finally:
            # After an error, or a COMMIT that failed: nothing of the block stays, and the
            # next transaction can begin.
            if sql.in_transaction:
                sql.execute("ROLLBACK")
            db._write_lock.release()


class _Cursor(aiosqlite.Cursor):
    """A statement run on the loop's thread (see the module docstring): its rows are read
    there too, with aiosqlite's cursor interface."""

    async def fetchone(self) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self._cursor.fetchone()
        return row

    async def fetchmany(self, size: int | None = None) -> Iterable[sqlite3.Row]:
        return self._cursor.fetchmany(self._cursor.arraysize if size is None else size)

    async def fetchall(self) -> Iterable[sqlite3.Row]:
        return self._cursor.fetchall()


def _vacuum_file(path: Path) -> bool:
    # A short busy wait: the bot's writers wait for this (its writer's lock is held), and a
    # reader that keeps the WAL busy is given a few tries below rather than one long wait.
    conn = sqlite3.connect(path, timeout=1.0, isolation_level=None)
    try:
        conn.execute("VACUUM")
        for attempt in range(5):
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if busy is None or not busy[0]:
                return True
            time.sleep(0.05 * (attempt + 1))
        return False
    finally:
        conn.close()


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
