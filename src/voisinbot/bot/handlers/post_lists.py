"""/besoins, /offres (optionally of one category), their pages, and /cherche."""

from __future__ import annotations

import unicodedata

from telegram import Chat, Message, Update

from voisinbot.bot import callbacks, render
from voisinbot.bot.context import BotContext
from voisinbot.bot.delivery import start_link
from voisinbot.bot.post_card import category_label
from voisinbot.bot.replies import command_argument, edit_in_place, reply
from voisinbot.domain.categories import Category
from voisinbot.domain.posts import PostKind
from voisinbot.i18n import LOCALES, translator
from voisinbot.services import posts


async def list_needs(update: Update, context: BotContext) -> None:
    """/besoins [category]: the open needs of this group."""
    await _list(update, context, PostKind.NEED)


async def list_offers(update: Update, context: BotContext) -> None:
    """/offres [category]: the open offers of this group."""
    await _list(update, context, PostKind.OFFER)


def declare_url(context: BotContext, chat_id: int) -> str:
    return start_link(context.runtime.bot_username, f"declare_{chat_id}")


async def _list(update: Update, context: BotContext, kind: PostKind) -> None:
    message = update.effective_message
    if message is None:
        return
    t = context.t
    if message.chat.type == Chat.PRIVATE:
        await reply(
            message,
            t.gettext(
                "Lists are shown in your neighbourhood group: ask there. Your own posts: /mine."
            ),
        )
        return
    wanted = command_argument(message)
    category = find_category(wanted) if wanted else None
    if wanted and category is None:
        known = ", ".join(category_label(t, c) for c in Category)
        await reply(
            message,
            t.gettext(
                "I don't know the category “{name}”. Categories: {known}.",
                # Echo a little of it: the argument can be thousands of characters.
                name=wanted if len(wanted) <= 40 else wanted[:39] + "…",
                known=known,
            ),
        )
        return
    page = await posts.open_posts(
        context.store, chat_id=message.chat.id, kind=kind, now=context.now(), category=category
    )
    text, keyboard = render.post_list(
        t, kind, page, declare_url=declare_url(context, message.chat.id)
    )
    await reply(message, text, reply_markup=keyboard)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() or ch.isspace())


def find_category(words: str) -> Category | None:
    """A category named in French or English, by any word of its label or its key."""
    wanted = _fold(words).strip()
    if len(wanted) < 3:
        return None
    for category in Category:
        names = {category.value} | {
            word
            for locale in LOCALES
            for word in _fold(category_label(translator(locale), category)).split()
        }
        if any(
            name.startswith(wanted) or wanted.startswith(name) for name in names if len(name) >= 3
        ):
            return category
    return None


async def turn_list_page(update: Update, context: BotContext) -> None:
    """Previous/next under a list: show that page in place."""
    query = update.callback_query
    if query is None:
        return
    data = callbacks.unpack(query.data, kind=render.LIST_KIND, arity=2)
    kind = PostKind.parse(data.action) if data else None
    message = query.message
    if (
        data is None
        or kind is None
        or not isinstance(message, Message)
        or message.chat.type == Chat.PRIVATE
    ):
        await query.answer(context.t.gettext("This button is no longer valid."))
        return
    page_number, category_index = data.ids
    page = await posts.open_posts(
        context.store,
        chat_id=message.chat.id,
        kind=kind,
        now=context.now(),
        page=page_number,
        category=render.category_at(category_index),
    )
    text, keyboard = render.post_list(
        context.t, kind, page, declare_url=declare_url(context, message.chat.id)
    )
    await query.answer()
    await edit_in_place(message, text, keyboard)


async def search(update: Update, context: BotContext) -> None:
    """/cherche WORDS: the group's open needs and offers containing them."""
    message = update.effective_message
    if message is None:
        return
    t = context.t
    if message.chat.type == Chat.PRIVATE:
        await reply(
            message, t.gettext("Search in your neighbourhood group: /search and a few words there.")
        )
        return
    query = command_argument(message)
    if not query:
        await reply(message, t.gettext("What are you looking for? For example: /search drill"))
        return
    found = await posts.search_posts(
        context.store, chat_id=message.chat.id, query=query, now=context.now()
    )
    await reply(message, render.search_results(t, query[:100], found))
