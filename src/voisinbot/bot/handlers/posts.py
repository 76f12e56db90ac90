"""Declaring needs and offers in a group, and listing the open ones."""

from __future__ import annotations

from telegram import Chat, ForceReply, Message, Update
from telegram.constants import ReplyLimit

from voisinbot.bot import render
from voisinbot.bot.context import BotContext
from voisinbot.bot.handlers.matching import announce_matches
from voisinbot.bot.people import PROXY_USER_IDS
from voisinbot.bot.post_card import card_keyboard, card_text
from voisinbot.bot.replies import command_argument, reply
from voisinbot.domain.posts import Post, PostKind, clean_text
from voisinbot.i18n import Html, Translator, translator
from voisinbot.services import posts
from voisinbot.services.matching import stored_matches
from voisinbot.services.post_rules import group_rules

PURPOSE_PREFIX = "declare:"


async def declare_need(update: Update, context: BotContext) -> None:
    """/besoin TEXT: post a need in this group."""
    await _declare(update, context, PostKind.NEED)


async def declare_offer(update: Update, context: BotContext) -> None:
    """/offre TEXT: post an offer in this group."""
    await _declare(update, context, PostKind.OFFER)


async def _declare(update: Update, context: BotContext, kind: PostKind) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    t = context.t
    if message.chat.type == Chat.PRIVATE:
        await reply(message, _private_hint(t, kind))
        return
    if user.id in PROXY_USER_IDS or message.sender_chat is not None:
        await reply(
            message, t.gettext("Please post as yourself, so that neighbours can reach you.")
        )
        return
    text = clean_text(command_argument(message))
    if not text:  # nothing, or only invisible characters: ask for the words
        await _ask_for_text(message, context, kind, user.id)
        return
    await _store_and_show(message, context, kind, user.id, text)


async def _ask_for_text(
    message: Message, context: BotContext, kind: PostKind, user_id: int
) -> None:
    t = context.t
    if kind is PostKind.NEED:
        question = t.gettext("What do you need? Answer this message with a few words.")
        placeholder = t.gettext("A hand to carry a sofa on Saturday")
    else:
        question = t.gettext("What do you offer? Answer this message with a few words.")
        placeholder = t.gettext("I repair bikes")
    prompt = await reply(
        message,
        question,
        reply_markup=ForceReply(
            selective=True,
            input_field_placeholder=placeholder[: ReplyLimit.MAX_INPUT_FIELD_PLACEHOLDER],
        ),
    )
    await context.store.state.expect_input(
        message.chat.id, prompt.message_id, user_id, PURPOSE_PREFIX + kind.value, context.now()
    )


async def answer_prompt(update: Update, context: BotContext) -> None:
    """A reply to one of the bot's questions: finish what the question was for."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.reply_to_message is None:
        return
    pending = await context.store.state.pending_input(
        message.chat.id, message.reply_to_message.message_id
    )
    # Replies to other messages, or by someone else than the person asked, are conversation.
    if pending is None or pending.user_id != user.id:
        return
    if not pending.purpose.startswith(PURPOSE_PREFIX):
        return
    if not message.text:
        await reply(message, context.t.gettext("Please answer with a few words of text."))
        return
    kind = PostKind(pending.purpose.removeprefix(PURPOSE_PREFIX))
    if await _store_and_show(message, context, kind, user.id, message.text):
        await context.store.state.forget_input(message.chat.id, pending.prompt_message_id)


async def _store_and_show(
    message: Message, context: BotContext, kind: PostKind, user_id: int, text: str
) -> bool:
    """Declare the post and show it in the group; True when stored."""
    result = await posts.declare_post(
        context.store,
        chat_id=message.chat.id,
        author_id=user_id,
        kind=kind,
        raw_text=text,
        source_message_id=message.message_id,
        now=context.now(),
    )
    if isinstance(result, posts.Rejected):
        await reply(message, render.rejection(context.t, result.reason))
        return False
    if not result.created and result.post.message_id is not None:
        return True  # a re-delivered update: the group already saw this post
    await show_new_post(context, result.post, reply_to=message)
    return True


async def show_new_post(
    context: BotContext, post: Post, *, reply_to: Message | None = None
) -> None:
    """Post the card of a new post in its group, arm its schedules, tell matching neighbours."""
    rules = await group_rules(context.store, post.chat_id)
    t = translator(rules.locale)
    matches = await stored_matches(context.store, post.id)
    text = card_text(t, post, [], rules.tz, matches)
    keyboard = card_keyboard(t, post, matches)
    if reply_to is not None:
        shown = await reply(reply_to, text, reply_markup=keyboard)
    else:
        shown = await context.bot.send_message(post.chat_id, text, reply_markup=keyboard)
    await posts.attach_message(context.store, post, shown.message_id)
    await context.runtime.scheduler.arm()
    await announce_matches(context, post, matches)


def _private_hint(t: Translator, kind: PostKind) -> Html:
    if kind is PostKind.NEED:
        return t.gettext(
            "Needs are posted in your neighbourhood group: write /need and a few words there."
        )
    return t.gettext(
        "Offers are posted in your neighbourhood group: write /offer and a few words there."
    )
