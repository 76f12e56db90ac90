"""Instants are stored as whole UTC seconds: compact, and ordered the way time is."""

from __future__ import annotations

from datetime import UTC, datetime


def to_db(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are ambiguous; pass an aware one")
    return int(moment.timestamp())


def from_db(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
