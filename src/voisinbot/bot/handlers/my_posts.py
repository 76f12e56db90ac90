"""/mes: my posts with buttons to manage them (in private); /modifier N TEXT."""

from __future__ import annotations

import re

from telegram import Chat, InlineKeyboardButton, InlineKeyboardMarkup, Update

from voisinbot.bot import callbacks
from voisinbot.bot.context import BotContext
from voisinbot.bot.delivery import send_private, start_button
from voisinbot.bot.post_card import POST_KIND, card_keyboard, card_text, refresh_card
from voisinbot.bot.render import post_line
from voisinbot.bot.replies import command_argument, reply
from voisinbot.i18n import Html, pick_locale, translator
from voisinbot.services import post_life, posts
from voisinbot.services.post_life import Problem
from voisinbot.services.post_rules import group_rules

MANAGE_KIND = "my"
_EDIT_ARGS = re.compile(r"^#?(\d{1,9})\s+(.+)$", re.DOTALL)


async def my_posts(update: Update, context: BotContext) -> None:
    """/mes: the resident's open posts, sent privately (long and personal)."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    # The list goes to the resident privately, in their language (context.t is the group's).
    group_t = context.t
    t = translator(pick_locale(user.language_code, context.settings.default_locale))
    mine = await posts.my_posts(context.store, author_id=user.id, now=context.now())
    if mine:
        text = Html(
            "\n".join([t.gettext("<b>Your open posts</b>"), "", *(post_line(t, p) for p in mine)])
        )
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        t.gettext("Manage #{number}", number=p.id),
                        callback_data=callbacks.pack(MANAGE_KIND, "show", p.id),
                    )
                ]
                for p in mine
            ]
        )
    else:
        text, keyboard = (
            t.gettext("You have no open post. Post one in your group with /need or /offer."),
            None,
        )
    if message.chat.type == Chat.PRIVATE:
        await reply(message, text, reply_markup=keyboard)
        return
    if await send_private(context, user.id, text, reply_markup=keyboard):
        await reply(message, group_t.gettext("I sent you your posts privately."))
    else:
        await reply(
            message,
            group_t.gettext(
                "Start me privately first, then ask again: I will send your posts there."
            ),
            reply_markup=start_button(group_t, context.runtime.bot_username, "mine"),
        )


async def show_for_management(update: Update, context: BotContext) -> None:
    """ "Manage #N" in private: the post's card with its owner buttons."""
    query = update.callback_query
    if query is None:
        return
    data = callbacks.unpack(query.data, kind=MANAGE_KIND, arity=1)
    post = await context.store.posts.get(data.ids[0]) if data else None
    if data is None or post is None or post.author_id != query.from_user.id:
        await query.answer(context.t.gettext("This button is no longer valid."))
        return
    rules = await group_rules(context.store, post.chat_id)
    responses = await context.store.responses.for_post(post.id)
    await query.answer()
    await context.bot.send_message(
        query.from_user.id,
        card_text(context.t, post, responses, rules.tz),
        reply_markup=card_keyboard(context.t, post),
    )


async def edit_post(update: Update, context: BotContext) -> None:
    """/modifier N TEXT: change the words of my post and its group message."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    t = context.t
    match = _EDIT_ARGS.match(command_argument(message))
    if match is None:
        await reply(
            message,
            t.gettext(
                "Write the post number and the new text, for example: /edit 12 a ladder on Sunday"
            ),
        )
        return
    post_id, text = int(match.group(1)), match.group(2)
    outcome = await post_life.edit_text(
        context.store, post_id=post_id, by_user=user.id, raw_text=text, now=context.now()
    )
    if outcome.problem in (Problem.NOT_FOUND, Problem.NOT_ALLOWED) or outcome.post is None:
        await reply(message, t.gettext("You have no post #{number}.", number=post_id))
        return
    if outcome.problem is Problem.BAD_TEXT:
        await reply(message, t.gettext("The new text must be between 3 and 1,000 characters."))
        return
    if outcome.problem is Problem.WRONG_STATE:
        await reply(
            message, t.gettext("Post #{number} is closed: it cannot be changed.", number=post_id)
        )
        return
    rules = await group_rules(context.store, outcome.post.chat_id)
    await refresh_card(context.bot, context.store, translator(rules.locale), outcome.post, rules.tz)
    await reply(message, t.gettext("Post #{number} updated.", number=post_id))


__all__ = ["POST_KIND", "edit_post", "my_posts", "show_for_management"]
