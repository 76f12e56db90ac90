"""Declaring and listing needs and offers."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from voisinbot.domain.posts import (
    Post,
    PostKind,
    TextProblem,
    check_text,
    clean_text,
    lifetime,
    over_hourly_quota,
)
from voisinbot.storage import Store

PAGE_SIZE = 10


class Refusal(enum.Enum):
    TOO_MANY = "too_many"


@dataclass(frozen=True, slots=True)
class Declared:
    post: Post
    created: bool  # False when a re-delivered message found its earlier post


@dataclass(frozen=True, slots=True)
class Rejected:
    reason: TextProblem | Refusal


async def declare_post(
    store: Store,
    *,
    chat_id: int,
    author_id: int,
    kind: PostKind,
    raw_text: str,
    source_message_id: int | None,
    now: datetime,
) -> Declared | Rejected:
    """Store a need or an offer after checking its text and the author's hourly quota."""
    text = clean_text(raw_text)
    problem = check_text(text)
    if problem is not None:
        return Rejected(problem)
    if source_message_id is not None:
        # A re-delivered update must find its post, not bump into the quota it helped fill.
        earlier = await store.posts.by_source(chat_id, source_message_id)
        if earlier is not None:
            return Declared(earlier, created=False)
    recent = await store.posts.count_by_author_since(author_id, now - timedelta(hours=1))
    if over_hourly_quota(recent):
        return Rejected(Refusal.TOO_MANY)
    post, created = await store.posts.create(
        chat_id=chat_id,
        author_id=author_id,
        kind=kind,
        text=text,
        now=now,
        expires_at=now + lifetime(kind),
        source_message_id=source_message_id,
    )
    return Declared(post, created)


@dataclass(frozen=True, slots=True)
class PostPage:
    posts: list[Post]
    total: int
    page: int
    pages: int


async def open_posts(
    store: Store, *, chat_id: int, kind: PostKind, now: datetime, page: int = 0
) -> PostPage:
    """One page of a group's active posts of one kind, newest first."""
    total = await store.posts.count_active(chat_id, kind, now)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    posts = await store.posts.active(chat_id, kind, now, limit=PAGE_SIZE, offset=page * PAGE_SIZE)
    return PostPage(list(posts), total, page, pages)


async def attach_message(store: Store, post: Post, message_id: int) -> None:
    """Remember which bot message shows the post, so it can be edited as the post moves."""
    await store.posts.set_message(post.id, message_id)
