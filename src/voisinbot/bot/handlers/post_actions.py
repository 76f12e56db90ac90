"""Buttons under a post and in the private messages about it: help, done, prolong, cancel,
category, accept, decline, thanks. Every press is re-checked on the server."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import CallbackQuery, Chat, Message, Update

from voisinbot.bot import callbacks
from voisinbot.bot.context import BotContext
from voisinbot.bot.notify import (
    RESPONSE_KIND,
    THANKS_KIND,
    introduce,
    offer_thanks,
    public_thanks,
    tell_author,
)
from voisinbot.bot.post_card import (
    POST_KIND,
    category_picker,
    refresh_card,
)
from voisinbot.bot.roles import facilitates
from voisinbot.domain.categories import Category, OfferType
from voisinbot.domain.lifecycle import OWNER_ACTIONS, Action
from voisinbot.domain.posts import Post
from voisinbot.i18n import Html, Translator, translator
from voisinbot.services import post_life
from voisinbot.services import settings as settings_service
from voisinbot.services.post_life import Outcome, Problem
from voisinbot.services.post_rules import group_rules


async def _invalid(query: CallbackQuery, t: Translator) -> None:
    await query.answer(t.gettext("This button is no longer valid."))


async def _group_view(context: BotContext, post: Post) -> tuple[Translator, ZoneInfo]:
    """The card speaks the group's language, whoever pressed."""
    rules = await group_rules(context.store, post.chat_id)
    return translator(rules.locale), rules.tz


async def _refresh(context: BotContext, post: Post) -> None:
    t, tz = await _group_view(context, post)
    await refresh_card(context.bot, context.store, t, post, tz)


def _refusal(t: Translator, outcome: Outcome) -> str:
    match outcome.problem:
        case Problem.NOT_ALLOWED:
            return t.gettext("Only the author of the post or a facilitator can do that.")
        case Problem.OWN_POST:
            return t.gettext("This is your own post 🙂")
        case Problem.ALREADY:
            return t.gettext("Already done 👍")
        case Problem.WRONG_STATE:
            return t.gettext("This post is closed: nothing to change.")
        case _:
            return t.gettext("This button is no longer valid.")


async def on_post_button(update: Update, context: BotContext) -> None:
    """A button under a post (in the group) or about a post (in private)."""
    query = update.callback_query
    if query is None or query.from_user is None:
        return
    t = context.t
    data = callbacks.unpack(query.data, kind=POST_KIND, arity=1)
    post = await context.store.posts.get(data.ids[0]) if data else None
    if data is None or post is None or not _pressed_where_it_belongs(query, post):
        await _invalid(query, t)
        return
    user = query.from_user
    facilitator = await _may_run(context, query, post)
    action = data.action
    if action == "pick" or action == "back" or action.startswith(("cat-", "type-")):
        await _category_button(query, context, post, action, facilitator)
        return
    try:
        act = Action(action)
    except ValueError:
        await _invalid(query, t)
        return
    now = context.now()
    if act in OWNER_ACTIONS and post.author_id != user.id and not facilitator:
        await query.answer(_refusal(t, Outcome(post, Problem.NOT_ALLOWED)), show_alert=True)
        return
    match act:
        case Action.RESPOND:
            outcome = await post_life.respond(
                context.store, post_id=post.id, user_id=user.id, now=now
            )
        case Action.DONE | Action.CANCEL:
            outcome = await post_life.close(
                context.store,
                post_id=post.id,
                action=act,
                by_user=user.id,
                is_facilitator=facilitator,
                now=now,
            )
        case Action.PROLONG:
            outcome = await post_life.prolong(
                context.store,
                post_id=post.id,
                by_user=user.id,
                is_facilitator=facilitator,
                now=now,
                request_id=query.id,
            )
            await context.runtime.scheduler.arm()
        case _:
            await _invalid(query, t)
            return
    if not outcome.ok or outcome.post is None:
        await query.answer(_refusal(t, outcome), show_alert=outcome.problem is Problem.NOT_ALLOWED)
        return
    await query.answer(_confirmation(t, act, outcome.post))
    await _refresh(context, outcome.post)
    if isinstance(query.message, Message) and query.message.chat.type == Chat.PRIVATE:
        # Pressed in a reminder: replace its buttons with what happened.
        await query.message.edit_text(
            Html(query.message.text_html + "\n\n" + _confirmation(t, act, outcome.post))
        )
    if act is Action.RESPOND:
        response = await context.store.responses.get(post.id, user.id)
        if response is not None:
            await tell_author(context, outcome.post, response)
    elif act is Action.DONE:
        await offer_thanks(context, outcome.post)


def _pressed_where_it_belongs(query: CallbackQuery, post: Post) -> bool:
    # A post's buttons live in its own group, or in a private chat with the bot; never in
    # another group (forged or forwarded data).
    message = query.message
    if not isinstance(message, Message):
        return False
    return message.chat.id == post.chat_id or message.chat.type == Chat.PRIVATE


async def _may_run(context: BotContext, query: CallbackQuery, post: Post) -> bool:
    return await facilitates(context, post.chat_id, query.from_user.id)


def _confirmation(t: Translator, act: Action, post: Post) -> str:
    match act:
        case Action.RESPOND:
            return t.gettext("Thank you! The author has been told.")
        case Action.DONE:
            return t.gettext("Marked as done 🎉")
        case Action.CANCEL:
            return t.gettext("Cancelled.")
        case Action.PROLONG:
            return t.gettext(
                "Prolonged until {date}.", date=t.date(post.expires_at.date(), "d MMM")
            )
    return ""


async def _category_button(
    query: CallbackQuery, context: BotContext, post: Post, action: str, facilitator: bool
) -> None:
    t = context.t
    user = query.from_user
    if post.author_id != user.id and not facilitator:
        await query.answer(_refusal(t, Outcome(post, Problem.NOT_ALLOWED)), show_alert=True)
        return
    if not post.status.is_active:
        await query.answer(_refusal(t, Outcome(post, Problem.WRONG_STATE)))
        return
    group_t, _ = await _group_view(context, post)
    message = query.message
    assert isinstance(message, Message)
    if action == "pick":
        await query.answer()
        in_use = await _categories_in_use(context, post.chat_id)
        await message.edit_reply_markup(category_picker(group_t, post, in_use))
        return
    if action == "back":
        await query.answer()
        await _refresh(context, post)
        return
    now = context.now()
    # A category the group stopped using (stale picker, forged button) is not offered.
    used: set[Category | None] = {*await _categories_in_use(context, post.chat_id)}
    used.add(Category.parse(post.category))
    if action.startswith("cat-") and (category := Category.parse(action[4:])) in used:
        assert category is not None
        outcome = await post_life.set_category(
            context.store,
            post_id=post.id,
            by_user=user.id,
            is_facilitator=facilitator,
            category=category,
            now=now,
        )
    elif action.startswith("type-") and (offer_type := OfferType.parse(action[5:])) is not None:
        outcome = await post_life.set_offer_type(
            context.store,
            post_id=post.id,
            by_user=user.id,
            is_facilitator=facilitator,
            offer_type=offer_type,
            now=now,
        )
    else:
        await _invalid(query, t)
        return
    if not outcome.ok or outcome.post is None:
        await query.answer(_refusal(t, outcome))
        return
    await query.answer(t.gettext("Saved."))
    await _refresh(context, outcome.post)


async def _categories_in_use(context: BotContext, chat_id: int) -> tuple[Category, ...]:
    config = await settings_service.load(context.store, chat_id)
    return config.settings.categories if config is not None else tuple(Category)


async def on_response_button(update: Update, context: BotContext) -> None:
    """The author accepts or declines a resident's answer (private message buttons)."""
    query = update.callback_query
    if query is None:
        return
    t = context.t
    data = callbacks.unpack(query.data, kind=RESPONSE_KIND, arity=2)
    if data is None or data.action not in ("accept", "decline"):
        await _invalid(query, t)
        return
    post_id, helper_id = data.ids
    now = context.now()
    if data.action == "accept":
        outcome = await post_life.accept(
            context.store, post_id=post_id, helper_id=helper_id, by_user=query.from_user.id, now=now
        )
    else:
        outcome = await post_life.decline(
            context.store, post_id=post_id, helper_id=helper_id, by_user=query.from_user.id, now=now
        )
    if not outcome.ok or outcome.post is None:
        await query.answer(_refusal(t, outcome), show_alert=outcome.problem is Problem.NOT_ALLOWED)
        return
    response = await context.store.responses.get(post_id, helper_id)
    assert response is not None
    if data.action == "accept":
        await context.runtime.scheduler.arm()
        await query.answer(t.gettext("Accepted: you both get each other's contact."))
        await _mark_message(query, t.gettext("✅ Accepted."))
        await introduce(context, outcome.post, response)
        await _refresh(context, outcome.post)
    else:
        await query.answer(t.gettext("Declined. Nobody is told."))
        await _mark_message(query, t.gettext("✖ Declined."))


async def on_thanks_button(update: Update, context: BotContext) -> None:
    """One tap: a public thank-you in the group."""
    query = update.callback_query
    if query is None:
        return
    t = context.t
    data = callbacks.unpack(query.data, kind=THANKS_KIND, arity=2)
    if data is None or data.action != "public":
        await _invalid(query, t)
        return
    post_id, helper_id = data.ids
    outcome = await post_life.thank(
        context.store,
        post_id=post_id,
        by_user=query.from_user.id,
        helper_id=helper_id,
        public=True,
        now=context.now(),
    )
    if not outcome.ok or outcome.post is None:
        await query.answer(_refusal(t, outcome))
        return
    helper = await context.store.responses.get(post_id, helper_id)
    assert helper is not None
    group_t, _ = await _group_view(context, outcome.post)
    await public_thanks(context.bot, group_t, outcome.post, helper)
    await query.answer(t.gettext("Thank-you posted in the group 🙏"))


async def _mark_message(query: CallbackQuery, note: str) -> None:
    message = query.message
    if isinstance(message, Message) and message.text_html:
        await message.edit_text(Html(message.text_html + "\n\n" + note))
