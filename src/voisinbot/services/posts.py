"""Declaring and listing needs and offers."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from voisinbot.domain.categories import Category, OfferType, guess_offer_type
from voisinbot.domain.classify import category_of
from voisinbot.domain.lifecycle import expires_at
from voisinbot.domain.matching import analyse
from voisinbot.domain.posts import (
    Post,
    PostKind,
    TextProblem,
    check_text,
    clean_text,
    over_hourly_quota,
)
from voisinbot.domain.when import When, find_when
from voisinbot.services.matching import match_new_post
from voisinbot.services.post_rules import GroupRules, group_rules, plan_post_schedules
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
    offer_type: OfferType | None = None,
    category: Category | None = None,
    due: When | None = None,
) -> Declared | Rejected:
    """Store a need or an offer after checking its text and the author's hourly quota.

    What the author did not choose is read from the text: the date ("samedi 14h"), the
    category (from the matcher's concepts) and, for an offer, whether it is a skill, a loan
    or a gift. The expiry, its warning and the follow-up are scheduled."""
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
    rules = await group_rules(store, chat_id)
    features = analyse(text)  # once: for the category and for matching
    if due is None:
        due = find_when(text, now.astimezone(rules.tz))
    due_at = due.at if due is not None else None
    expiry = expires_at(
        kind, now, due_at, rules.tz, need_days=rules.need_days, offer_days=rules.offer_days
    )
    offer_kind = (offer_type or guess_offer_type(text)).value if kind is PostKind.OFFER else None
    # The post, its schedules and its matches are one transaction: a crash leaves all or
    # none of them, so a post found again by a re-delivered update is complete.
    async with store.transaction():
        post, created = await store.posts.create(
            chat_id=chat_id,
            author_id=author_id,
            kind=kind,
            text=text,
            now=now,
            expires_at=expiry,
            source_message_id=source_message_id,
            category=_in_use(category or category_of(features.concepts), rules).value,
            offer_type=offer_kind,
            due_at=due_at,
            due_has_time=bool(due and due.has_time),
            features_json=features.to_json(),
            terms=sorted(features.index_terms()),
        )
        if created:
            await plan_post_schedules(
                store,
                chat_id,
                post.id,
                created=now,
                expiry=expiry,
                due=due_at,
                now=now,
                rules=rules,
            )
            await match_new_post(store, post, now, features=features)
    return Declared(post, created)


@dataclass(frozen=True, slots=True)
class PostPage:
    posts: list[Post]
    total: int
    page: int
    pages: int
    category: Category | None = None


async def open_posts(
    store: Store,
    *,
    chat_id: int,
    kind: PostKind,
    now: datetime,
    page: int = 0,
    category: Category | None = None,
) -> PostPage:
    """One page of a group's active posts of one kind (and category), newest first."""
    cat = category.value if category else None
    total = await store.posts.count_active(chat_id, kind, now, category=cat)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    posts = await store.posts.active(
        chat_id, kind, now, limit=PAGE_SIZE, offset=page * PAGE_SIZE, category=cat
    )
    return PostPage(list(posts), total, page, pages, category)


async def search_posts(store: Store, *, chat_id: int, query: str, now: datetime) -> list[Post]:
    """/cherche: the group's active posts containing every word of the query."""
    words = [w for w in clean_text(query).split() if len(w) >= 2][:6]
    if not words:
        return []
    return list(await store.posts.search(chat_id, words, now, limit=PAGE_SIZE))


async def my_posts(store: Store, *, author_id: int, now: datetime) -> list[Post]:
    """The author's active posts in every group (for /mes)."""
    # One message lists them: 10 lines of list excerpts stay under Telegram's 4096.
    return list(await store.posts.by_author(author_id, now, limit=PAGE_SIZE))


async def attach_message(store: Store, post: Post, message_id: int) -> None:
    """Remember which bot message shows the post, so it can be edited as the post moves."""
    await store.posts.set_message(post.id, message_id)


def _in_use(category: Category, rules: GroupRules) -> Category:
    """A category the group stopped using falls back to "other"."""
    if rules.categories is not None and category.value not in rules.categories:
        return Category.OTHER
    return category
