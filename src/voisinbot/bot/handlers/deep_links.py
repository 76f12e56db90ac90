"""Routes for /start PAYLOAD: where the one-tap links of the group lead in private."""

from __future__ import annotations

from telegram import Update

from voisinbot.bot.callbacks import parse_id
from voisinbot.bot.context import BotContext
from voisinbot.bot.handlers import declare_private, my_posts
from voisinbot.bot.handlers.welcome import DEEP_LINKS, private_welcome
from voisinbot.bot.notify import response_buttons, response_text
from voisinbot.bot.people import display_name
from voisinbot.bot.replies import reply


async def post_responses(update: Update, context: BotContext, payload: str) -> None:
    """/start post_<id>: the author sees the answers waiting for their decision."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    post_id = parse_id(payload)
    post = await context.store.posts.get(post_id) if post_id is not None else None
    if post is None or post.author_id != user.id:
        await reply(message, private_welcome(context.t, display_name(user)))
        return
    waiting = [r for r in await context.store.responses.for_post(post.id) if r.state == "offered"]
    if not waiting:
        await reply(
            message,
            context.t.gettext(
                "No answer is waiting for your decision on post #{number}.", number=post.id
            ),
        )
    for response in waiting[:10]:
        await reply(
            message,
            response_text(context.t, post, response),
            reply_markup=response_buttons(context.t, post, response),
        )


async def introductions(update: Update, context: BotContext, payload: str) -> None:
    """/start intro: owed contacts are delivered by /start itself; just say hello."""
    message, user = update.effective_message, update.effective_user
    if message is not None and user is not None:
        await reply(message, context.t.gettext("👋 Here you are! Your contacts follow."))


async def mine(update: Update, context: BotContext, payload: str) -> None:
    await my_posts.my_posts(update, context)


def register() -> None:
    DEEP_LINKS.update(
        {
            "declare": declare_private.start_declaration,
            "post": post_responses,
            "intro": introductions,
            "mine": mine,
        }
    )
