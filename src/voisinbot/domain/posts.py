"""Needs and offers: what they are and the rules a new one must follow."""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

MIN_TEXT_LENGTH = 3
MAX_TEXT_LENGTH = 1000
MAX_POSTS_PER_HOUR = 10
NEED_LIFETIME = timedelta(days=14)
OFFER_LIFETIME = timedelta(days=90)


class PostKind(enum.StrEnum):
    NEED = "need"
    OFFER = "offer"

    @classmethod
    def parse(cls, value: str) -> PostKind | None:
        return cls._value2member_map_.get(value)  # type: ignore[return-value]


class PostStatus(enum.StrEnum):
    OPEN = "open"
    OFFERED = "offered"
    AGREED = "agreed"
    DONE = "done"
    CANCELLED = "cancelled"
    EXPIRED = "expired"

    @property
    def is_active(self) -> bool:
        return self in (PostStatus.OPEN, PostStatus.OFFERED, PostStatus.AGREED)


ACTIVE_STATUSES: tuple[PostStatus, ...] = tuple(s for s in PostStatus if s.is_active)


@dataclass(frozen=True, slots=True)
class Post:
    id: int
    chat_id: int
    author_id: int | None
    author_name: str
    kind: PostKind
    text: str
    status: PostStatus
    created_at: datetime
    expires_at: datetime
    message_id: int | None = None
    category: str = "other"
    offer_type: str | None = None
    due_at: datetime | None = None
    due_has_time: bool = False
    closed_at: datetime | None = None


class TextProblem(enum.Enum):
    EMPTY = "empty"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"


# Control, format (bidi overrides, zero-width) and lone surrogate characters; the zero-width
# joiner stays because emoji sequences need it.
_DROP = frozenset({"Cc", "Cf", "Cs"})
_KEEP = frozenset({"\n", "\t", "\u200d"})


def clean_text(raw: str) -> str:
    """Collapse white space and drop invisible control characters a resident did not mean."""
    kept = "".join(ch for ch in raw if ch in _KEEP or unicodedata.category(ch) not in _DROP)
    lines = [" ".join(line.split()) for line in kept.splitlines()]
    return "\n".join(line for line in lines if line).strip()


def check_text(text: str) -> TextProblem | None:
    """Why ``text`` (already cleaned) cannot be a post, or None when it can."""
    if not text:
        return TextProblem.EMPTY
    if len(text) < MIN_TEXT_LENGTH:
        return TextProblem.TOO_SHORT
    if len(text) > MAX_TEXT_LENGTH:
        return TextProblem.TOO_LONG
    return None


def lifetime(kind: PostKind) -> timedelta:
    return NEED_LIFETIME if kind is PostKind.NEED else OFFER_LIFETIME


def over_hourly_quota(posts_in_last_hour: int) -> bool:
    return posts_in_last_hour >= MAX_POSTS_PER_HOUR
