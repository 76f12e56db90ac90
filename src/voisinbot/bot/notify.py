"""Telling people privately what happened to a post, with a group fallback when the bot may
not write to them: responses to the author, introductions, thanks."""

from __future__ import annotations

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from voisinbot.bot import callbacks
from voisinbot.bot.context import BotContext
from voisinbot.bot.delivery import send_private, start_button
from voisinbot.bot.people import mention
from voisinbot.domain.posts import Post, PostKind
from voisinbot.i18n import Html, Translator, pick_locale, translator
from voisinbot.storage import Store
from voisinbot.storage.responses import Response

RESPONSE_KIND = "r"  # accept / decline a resident's answer
THANKS_KIND = "th"
EXCERPT = 80


async def translator_for(store: Store, user_id: int, default: str) -> Translator:
    """The resident's own language for private messages."""
    member = await store.community.get_member(user_id)
    return translator(pick_locale(member.language_code if member else None, default))


def excerpt(post: Post) -> str:
    return post.text if len(post.text) <= EXCERPT else post.text[: EXCERPT - 1] + "…"


def response_buttons(t: Translator, post: Post, response: Response) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t.gettext("✅ Accept {name}", name=response.name)[:64],
                    callback_data=callbacks.pack(
                        RESPONSE_KIND, "accept", post.id, response.user_id
                    ),
                ),
                InlineKeyboardButton(
                    t.gettext("No, thanks"),
                    callback_data=callbacks.pack(
                        RESPONSE_KIND, "decline", post.id, response.user_id
                    ),
                ),
            ]
        ]
    )


def response_text(t: Translator, post: Post, response: Response) -> Html:
    who = mention(response.user_id, response.name)
    if post.kind is PostKind.NEED:
        return t.gettext(
            "🙋 {who} offers to help with your need #{number}: “{text}”. Accept to exchange contacts.",
            who=who,
            number=post.id,
            text=excerpt(post),
        )
    return t.gettext(
        "🙋 {who} is interested in your offer #{number}: “{text}”. Accept to exchange contacts.",
        who=who,
        number=post.id,
        text=excerpt(post),
    )


async def tell_author(context: BotContext, post: Post, response: Response) -> bool:
    """Ask the author privately whether to accept; in the group if they cannot be reached.
    The response is stored either way, so nothing is lost."""
    store, default = context.store, context.settings.default_locale
    assert post.author_id is not None
    t = await translator_for(store, post.author_id, default)
    sent = await send_private(
        context,
        post.author_id,
        response_text(t, post, response),
        reply_markup=response_buttons(t, post, response),
    )
    if sent is not None:
        return True
    await context.bot.send_message(
        post.chat_id,
        context.t.gettext(
            "{author}, {who} answered your post #{number}. Start me privately to reply.",
            author=mention(post.author_id, post.author_name),
            who=response.name,
            number=post.id,
        ),
        reply_markup=start_button(context.t, context.runtime.bot_username, f"post_{post.id}"),
    )
    return False


async def introduce(context: BotContext, post: Post, helper: Response) -> None:
    """Give each side the other's contact, privately. Whoever cannot be reached now gets it
    when they start the bot (owed introductions); the group is told how."""
    assert post.author_id is not None
    store, default = context.store, context.settings.default_locale
    author = mention(post.author_id, post.author_name)
    helper_link = mention(helper.user_id, helper.name)
    t_author = await translator_for(store, post.author_id, default)
    if await send_private(
        context,
        post.author_id,
        t_author.gettext(
            "🤝 You are in touch with {helper} about post #{number} (“{text}”). Write to them directly: {helper}.",
            helper=helper_link,
            number=post.id,
            text=excerpt(post),
        ),
    ):
        await store.responses.mark_introduced(post.id, helper.user_id, side="author")
    t_helper = await translator_for(store, helper.user_id, default)
    if await send_private(
        context,
        helper.user_id,
        t_helper.gettext(
            "🤝 {author} accepted you for post #{number} (“{text}”). Write to them directly: {author}.",
            author=author,
            number=post.id,
            text=excerpt(post),
        ),
    ):
        await store.responses.mark_introduced(post.id, helper.user_id, side="helper")
        return
    await context.bot.send_message(
        post.chat_id,
        context.t.gettext(
            "{helper}, {author} accepted your answer to post #{number}! Start me privately to get their contact.",
            helper=helper_link,
            author=post.author_name,
            number=post.id,
        ),
        reply_markup=start_button(context.t, context.runtime.bot_username, "intro"),
    )


async def deliver_owed_introductions(context: BotContext, user_id: int) -> int:
    """On /start: the contacts this resident was promised while the bot could not write."""
    store = context.store
    delivered = 0
    for post_id, helper_id, side in await store.responses.owed_introductions(user_id):
        post = await store.posts.get(post_id)
        response = await store.responses.get(post_id, helper_id)
        if post is None or response is None or post.author_id is None:
            continue
        other = (
            mention(helper_id, response.name)
            if side == "author"
            else mention(post.author_id, post.author_name)
        )
        if await send_private(
            context,
            user_id,
            context.t.gettext(
                "🤝 For post #{number} (“{text}”), here is your contact: {other}.",
                number=post.id,
                text=excerpt(post),
                other=other,
            ),
        ):
            await store.responses.mark_introduced(post_id, helper_id, side=side)
            delivered += 1
    return delivered


async def offer_thanks(context: BotContext, post: Post) -> None:
    """Once done, offer the author one tap to thank each helper publicly."""
    assert post.author_id is not None
    helpers = [
        r
        for r in await context.store.responses.for_post(post.id)
        if r.state in ("accepted", "offered")
    ]
    helpers.sort(key=lambda r: r.state != "accepted")
    if not helpers:
        return
    t = await translator_for(context.store, post.author_id, context.settings.default_locale)
    rows = [
        [
            InlineKeyboardButton(
                t.gettext("🙏 Thank {name}", name=r.name)[:64],
                callback_data=callbacks.pack(THANKS_KIND, "public", post.id, r.user_id),
            )
        ]
        for r in helpers[:5]
    ]
    await send_private(
        context,
        post.author_id,
        t.gettext("🎉 Well done! Would you like to thank them in the group? One tap is enough."),
        reply_markup=InlineKeyboardMarkup(rows),
    )


async def public_thanks(bot: Bot, t: Translator, post: Post, helper: Response) -> None:
    assert post.author_id is not None
    await bot.send_message(
        post.chat_id,
        t.gettext(
            "🙏 {author} thanks {helper} for their help (post #{number}: “{text}”).",
            author=mention(post.author_id, post.author_name),
            helper=mention(helper.user_id, helper.name),
            number=post.id,
            text=excerpt(post),
        ),
    )
