"""Everything that happens to a post after it is declared: help offered, accepted, done,
thanked, cancelled, prolonged, expired, edited."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from voisinbot.domain.categories import Category, OfferType
from voisinbot.domain.lifecycle import Action, allowed, follow_up_at, prolonged_expiry, status_after
from voisinbot.domain.posts import (
    ACTIVE_STATUSES,
    Post,
    PostKind,
    PostStatus,
    check_text,
    clean_text,
)
from voisinbot.domain.schedules import grace_for
from voisinbot.services.matching import index_post, unindex_post
from voisinbot.services.post_rules import (
    EXPIRE,
    EXPIRY_WARNING,
    FOLLOW_UP,
    group_rules,
    plan_post_schedules,
)
from voisinbot.storage import Store
from voisinbot.storage.store import atomic


class Problem(enum.Enum):
    NOT_FOUND = "not_found"
    NOT_ALLOWED = "not_allowed"  # not the author nor a facilitator
    OWN_POST = "own_post"  # answering one's own post
    WRONG_STATE = "wrong_state"  # already done, cancelled, expired...
    ALREADY = "already"  # the same thing twice: nothing to do
    BAD_TEXT = "bad_text"


@dataclass(frozen=True, slots=True)
class Outcome:
    post: Post | None
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


async def _load(store: Store, post_id: int) -> Post | None:
    return await store.posts.get(post_id)


async def _checked(
    store: Store, post_id: int, *, by_user: int, action: Action, is_facilitator: bool = False
) -> Post | Outcome:
    """The post, if ``by_user`` (its author, or a facilitator when that is enough) may take
    ``action`` in its current state; otherwise the refusal to return."""
    post = await _load(store, post_id)
    if post is None:
        return Outcome(None, Problem.NOT_FOUND)
    if post.author_id != by_user and not is_facilitator:
        return Outcome(post, Problem.NOT_ALLOWED)
    if not allowed(action, post.status):
        return Outcome(post, Problem.WRONG_STATE)
    return post


@atomic
async def respond(store: Store, *, post_id: int, user_id: int, now: datetime) -> Outcome:
    """A resident taps "I can help" / "I'm interested"."""
    post = await _load(store, post_id)
    if post is None:
        return Outcome(None, Problem.NOT_FOUND)
    if post.author_id == user_id:
        return Outcome(post, Problem.OWN_POST)
    if not allowed(Action.RESPOND, post.status):
        return Outcome(post, Problem.WRONG_STATE)
    if not await store.responses.add(post_id, user_id, now):
        return Outcome(post, Problem.ALREADY)
    if post.status is PostStatus.OPEN:
        await store.posts.move(
            post_id, from_statuses=[PostStatus.OPEN], to_status=PostStatus.OFFERED, now=now
        )
    return Outcome(await _load(store, post_id))


@atomic
async def accept(
    store: Store, *, post_id: int, helper_id: int, by_user: int, now: datetime
) -> Outcome:
    """The author accepts a resident's help: the post is agreed and both are to be introduced."""
    post = await _checked(store, post_id, by_user=by_user, action=Action.ACCEPT)
    if isinstance(post, Outcome):
        return post
    response = await store.responses.get(post_id, helper_id)
    if response is None or response.state not in ("offered", "declined"):
        return Outcome(
            post,
            Problem.ALREADY if response and response.state == "accepted" else Problem.NOT_FOUND,
        )
    await store.responses.set_state(post_id, helper_id, "accepted", now)
    await store.posts.move(
        post_id,
        from_statuses=list(ACTIVE_STATUSES),
        to_status=status_after(Action.ACCEPT, post.status),
        now=now,
    )
    if post.due_at is None:
        rules = await group_rules(store, post.chat_id)
        when = follow_up_at(None, now, rules.tz)
        if when is not None:
            await store.schedules.add(
                FOLLOW_UP,
                when,
                grace_for(FOLLOW_UP),
                now,
                chat_id=post.chat_id,
                ref_id=post_id,
                replace=True,
            )
    return Outcome(await _load(store, post_id))


async def decline(
    store: Store, *, post_id: int, helper_id: int, by_user: int, now: datetime
) -> Outcome:
    post = await _checked(store, post_id, by_user=by_user, action=Action.DECLINE)
    if isinstance(post, Outcome):
        return post
    if not await store.responses.set_state(
        post_id, helper_id, "declined", now, only_from="offered"
    ):
        return Outcome(post, Problem.ALREADY)
    return Outcome(post)


@atomic
async def close(
    store: Store, *, post_id: int, action: Action, by_user: int, is_facilitator: bool, now: datetime
) -> Outcome:
    """Done or cancelled, by the author or a facilitator. Pending reminders are cancelled."""
    assert action in (Action.DONE, Action.CANCEL)
    post = await _checked(
        store, post_id, by_user=by_user, action=action, is_facilitator=is_facilitator
    )
    if isinstance(post, Outcome):
        return post
    moved = await store.posts.move(
        post_id,
        from_statuses=list(ACTIVE_STATUSES),
        to_status=status_after(action, post.status),
        now=now,
    )
    if not moved:
        return Outcome(post, Problem.WRONG_STATE)
    for kind in (EXPIRY_WARNING, EXPIRE, FOLLOW_UP):
        await store.schedules.cancel(kind, post.chat_id, post_id, now)
    await unindex_post(store, post_id)
    return Outcome(await _load(store, post_id))


@atomic
async def prolong(
    store: Store,
    *,
    post_id: int,
    by_user: int,
    is_facilitator: bool,
    now: datetime,
    request_id: str | None = None,
) -> Outcome:
    """Two more weeks (from now or from the current expiry, whichever is later).

    ``request_id`` (the button press) makes it once per press: the same press delivered again
    after a crash must not add two more weeks again."""
    post = await _checked(
        store, post_id, by_user=by_user, action=Action.PROLONG, is_facilitator=is_facilitator
    )
    if isinstance(post, Outcome):
        return post
    if request_id is not None and not await store.state.first_time("once:prolong", request_id):
        return Outcome(post)
    expiry = prolonged_expiry(post.expires_at, now)
    await store.posts.move(
        post_id,
        from_statuses=[post.status],
        to_status=status_after(Action.PROLONG, post.status),
        now=now,
        expires_at=expiry,
    )
    await plan_post_schedules(
        store, post.chat_id, post_id, created=now, expiry=expiry, due=None, now=now
    )
    prolonged = await _load(store, post_id)
    if prolonged is not None and post.status is PostStatus.EXPIRED:
        await index_post(store, prolonged)  # found again by new posts
    return Outcome(prolonged)


@atomic
async def expire(store: Store, *, post_id: int, now: datetime) -> Outcome:
    """The post's time is up (called by its schedule): active posts become expired."""
    post = await _load(store, post_id)
    if post is None:
        return Outcome(None, Problem.NOT_FOUND)
    if not post.status.is_active or post.expires_at > now:
        return Outcome(post, Problem.WRONG_STATE)  # closed, or prolonged since
    await store.posts.move(
        post_id, from_statuses=list(ACTIVE_STATUSES), to_status=PostStatus.EXPIRED, now=now
    )
    await unindex_post(store, post_id)
    return Outcome(await _load(store, post_id))


@atomic
async def edit_text(
    store: Store, *, post_id: int, by_user: int, raw_text: str, now: datetime
) -> Outcome:
    """/modifier N TEXT: the author changes the words of an active post."""
    post = await _checked(store, post_id, by_user=by_user, action=Action.EDIT)
    if isinstance(post, Outcome):
        return post
    text = clean_text(raw_text)
    if check_text(text) is not None:
        return Outcome(post, Problem.BAD_TEXT)
    if text == post.text:
        return Outcome(post, Problem.ALREADY)
    await store.posts.update_fields(post_id, now, text=text)
    edited = await _load(store, post_id)
    if edited is not None:
        await index_post(store, edited)
    return Outcome(edited)


async def set_category(
    store: Store,
    *,
    post_id: int,
    by_user: int,
    is_facilitator: bool,
    category: Category,
    now: datetime,
) -> Outcome:
    post = await _checked(
        store, post_id, by_user=by_user, action=Action.EDIT, is_facilitator=is_facilitator
    )
    if isinstance(post, Outcome):
        return post
    await store.posts.update_fields(post_id, now, category=category.value)
    return Outcome(await _load(store, post_id))


async def set_offer_type(
    store: Store,
    *,
    post_id: int,
    by_user: int,
    is_facilitator: bool,
    offer_type: OfferType,
    now: datetime,
) -> Outcome:
    post = await _checked(
        store, post_id, by_user=by_user, action=Action.EDIT, is_facilitator=is_facilitator
    )
    if isinstance(post, Outcome):
        return post
    if post.kind is not PostKind.OFFER:
        return Outcome(post, Problem.NOT_FOUND)
    await store.posts.update_fields(post_id, now, offer_type=offer_type.value)
    return Outcome(await _load(store, post_id))


async def thank(
    store: Store, *, post_id: int, by_user: int, helper_id: int, public: bool, now: datetime
) -> Outcome:
    """The author thanks a helper once the post is done (once per helper)."""
    post = await _load(store, post_id)
    if post is None:
        return Outcome(None, Problem.NOT_FOUND)
    if post.author_id != by_user:
        return Outcome(post, Problem.NOT_ALLOWED)
    response = await store.responses.get(post_id, helper_id)
    if post.status is not PostStatus.DONE or response is None or response.state == "withdrawn":
        return Outcome(post, Problem.WRONG_STATE)
    if not await store.responses.add_thanks(
        post_id, post.chat_id, by_user, helper_id, now, public=public
    ):
        return Outcome(post, Problem.ALREADY)
    return Outcome(post)
