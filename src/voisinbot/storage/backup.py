"""Consistent online copies with SQLite's backup API (safe while the bot writes), and the
automatic copy taken before an upgrade migrates the database."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sqlite3
from pathlib import Path

from voisinbot.storage.db import Database, available_migrations

log = logging.getLogger(__name__)

# Pre-migration copies kept next to the database; older ones are deleted.
KEEP_PRE_MIGRATION = 3


def backup(source: Path, target: Path) -> int:
    """Copy ``source`` to ``target`` page by page; returns the page count copied."""
    if not source.exists():
        raise FileNotFoundError(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        # Residents' data: readable by the owner only, whatever the umask of the shell.
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT, 0o600))
    # Read-only, through a URI so unusual characters in the path are escaped.
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        # Small steps let the bot's writer proceed between them.
        src.backup(dst, pages=256)
        return int(dst.execute("PRAGMA page_count").fetchone()[0])
    finally:
        dst.close()
        src.close()


def pre_migration_path(database: Path, version: int) -> Path:
    """``voisinbot.sqlite3.pre-0006.bak``: the database as it was before schema 6."""
    return database.with_name(f"{database.name}.pre-{version:04d}.bak")


def pre_migration_backups(database: Path) -> list[Path]:
    """The automatic pre-migration copies of ``database``, oldest first (by time taken: after
    a rollback, a copy for a lower schema can be the newest)."""
    pattern = re.compile(re.escape(database.name) + r"\.pre-(\d+)\.bak$")
    found = []
    for candidate in database.parent.glob(f"{glob_escape(database.name)}.pre-*.bak"):
        match = pattern.match(candidate.name)
        if match:
            found.append((candidate.stat().st_mtime, int(match.group(1)), candidate))
    return [path for *_, path in sorted(found)]


async def backup_before_migrating(db: Database) -> Path | None:
    """Copy the database before migrations change it; returns the copy, or None.

    Nothing is copied when the schema is up to date or the database is new (version 0).
    Only the last ``KEEP_PRE_MIGRATION`` copies are kept. A failed copy raises, so a
    database is never migrated without its copy.
    """
    current = await db.schema_version()
    pending = [version for version, _ in available_migrations() if version > current]
    if current == 0 or not pending:
        return None
    target = pre_migration_path(db.path, max(pending))
    earlier = _schema_version(target) if target.exists() else None
    if earlier is not None and earlier < current:
        # An upgrade that stopped half-way (one migration per transaction): the copy from
        # before it began is the one to roll back to; keep it.
        log.warning("keeping %s, taken before an interrupted upgrade", target)
        return target
    # The backup API reads through its own connection; run it off the event loop.
    await asyncio.to_thread(backup, db.path, target)
    log.info(
        "schema %d -> %d: database copied to %s before migrating", current, max(pending), target
    )
    for old in pre_migration_backups(db.path)[:-KEEP_PRE_MIGRATION]:
        old.unlink(missing_ok=True)
    return target


def _schema_version(path: Path) -> int | None:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return None  # unreadable: replace it


def glob_escape(name: str) -> str:
    # glob treats [ ] * ? as patterns; a file name may contain them.
    return re.sub(r"([\[\]*?])", r"[\1]", name)
