"""SQLite storage: the only place that speaks SQL."""

from voisinbot.storage.store import Store

__all__ = ["Store"]
