"""What happens when a post's schedules come due: the expiry warning, the expiry, and the
"is it done?" follow-up. Each is sent at most once (outbox) and survives restarts."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import Forbidden

from voisinbot.bot import callbacks
from voisinbot.bot.announce import announce_once
from voisinbot.bot.notify import excerpt, translator_for
from voisinbot.bot.post_card import POST_KIND, refresh_card
from voisinbot.bot.scheduler import ScheduleKind
from voisinbot.domain.lifecycle import Action
from voisinbot.domain.posts import Post, PostKind
from voisinbot.domain.schedules import Schedule
from voisinbot.i18n import Translator, translator
from voisinbot.services import post_life
from voisinbot.services.post_rules import EXPIRE, EXPIRY_WARNING, FOLLOW_UP, group_rules

if TYPE_CHECKING:
    from voisinbot.bot.app import VoisinApp


def _owner_buttons(
    t: Translator, post: Post, *, still_needed: bool = False
) -> InlineKeyboardMarkup:
    def button(label: str, action: Action) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            label, callback_data=callbacks.pack(POST_KIND, action.value, post.id)
        )

    prolong = t.gettext("🔁 Still needed") if still_needed else t.gettext("🔁 Prolong")
    return InlineKeyboardMarkup(
        [
            [button(t.gettext("✅ Yes, done"), Action.DONE), button(prolong, Action.PROLONG)],
            [button(t.gettext("✖ Cancel"), Action.CANCEL)],
        ]
    )


TextFor = Callable[[Translator, Post], tuple[str, InlineKeyboardMarkup]]


async def _send_to_author(
    app: VoisinApp, schedule: Schedule, post: Post, kind: str, text_for: TextFor
) -> None:
    """Write to the author once per (kind, post, schedule); a blocked author is skipped."""
    assert post.author_id is not None
    runtime = app.runtime
    t = await translator_for(runtime.store, post.author_id, runtime.settings.default_locale)
    text, keyboard = text_for(t, post)
    try:
        await announce_once(
            runtime.store,
            runtime.clock,
            kind=kind,
            chat_id=post.author_id,
            period=f"post-{post.id}-{schedule.id}",
            send=lambda: app.bot.send_message(post.author_id, text, reply_markup=keyboard),
        )
    except Forbidden:
        await runtime.store.community.set_reachable(post.author_id, False)


async def _active_post(app: VoisinApp, schedule: Schedule) -> Post | None:
    post = await app.runtime.store.posts.get(schedule.ref_id or 0)
    if post is None or not post.status.is_active or post.author_id is None:
        return None
    return post


async def warn_expiry(app: VoisinApp, schedule: Schedule) -> None:
    post = await _active_post(app, schedule)
    if post is None:
        return

    def text_for(t: Translator, post: Post) -> tuple[str, InlineKeyboardMarkup]:
        if post.kind is PostKind.NEED:
            text = t.gettext(
                "⌛ Your need #{number} (“{text}”) expires in two days. Still needed?",
                number=post.id,
                text=excerpt(post),
            )
        else:
            text = t.gettext(
                "⌛ Your offer #{number} (“{text}”) expires in two days. Keep it?",
                number=post.id,
                text=excerpt(post),
            )
        return text, _owner_buttons(t, post)

    await _send_to_author(app, schedule, post, EXPIRY_WARNING, text_for)


async def expire(app: VoisinApp, schedule: Schedule) -> None:
    runtime = app.runtime
    outcome = await post_life.expire(
        runtime.store, post_id=schedule.ref_id or 0, now=runtime.clock()
    )
    if outcome.ok and outcome.post is not None:
        rules = await group_rules(runtime.store, outcome.post.chat_id)
        await refresh_card(app.bot, runtime.store, translator(rules.locale), outcome.post, rules.tz)


async def follow_up(app: VoisinApp, schedule: Schedule) -> None:
    post = await _active_post(app, schedule)
    if post is None:
        return

    def text_for(t: Translator, post: Post) -> tuple[str, InlineKeyboardMarkup]:
        text = t.gettext(
            "👋 Is it done? Your post #{number}: “{text}”", number=post.id, text=excerpt(post)
        )
        return text, _owner_buttons(t, post, still_needed=True)

    await _send_to_author(app, schedule, post, FOLLOW_UP, text_for)


def post_schedule_kinds() -> dict[str, ScheduleKind]:
    # A missed expiry still expires the post (on_missed): the lists must not show it forever.
    return {
        EXPIRY_WARNING: ScheduleKind(run=warn_expiry),
        EXPIRE: ScheduleKind(run=expire, on_missed=expire),
        FOLLOW_UP: ScheduleKind(run=follow_up),
    }
