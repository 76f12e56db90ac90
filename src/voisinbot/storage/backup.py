"""Consistent online copies with SQLite's backup API (safe while the bot writes)."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def backup(source: Path, target: Path) -> int:
    """Copy ``source`` to ``target`` page by page; returns the page count copied."""
    if not source.exists():
        raise FileNotFoundError(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        # Small steps let the bot's writer proceed between them.
        src.backup(dst, pages=256)
        return int(dst.execute("PRAGMA page_count").fetchone()[0])
    finally:
        dst.close()
        src.close()
