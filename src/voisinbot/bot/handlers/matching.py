"""Matches between needs and offers, with consent: a new need's author asks an offerer, an
offer's author offers help to a need, and neighbours who opted in get a private alert."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from voisinbot.bot import callbacks
from voisinbot.bot.context import BotContext
from voisinbot.bot.delivery import send_private
from voisinbot.bot.match_view import MATCH_KIND, reason
from voisinbot.bot.notify import excerpt, tell_author, translator_for
from voisinbot.bot.people import PROXY_USER_IDS, mention
from voisinbot.bot.post_card import POST_KIND, category_label, refresh_card
from voisinbot.bot.replies import reply
from voisinbot.bot.roles import facilitates
from voisinbot.domain.categories import Category
from voisinbot.domain.lifecycle import Action
from voisinbot.domain.matching import ALERT_MIN_SCORE
from voisinbot.domain.posts import Post, PostKind
from voisinbot.i18n import Html, Translator, translator
from voisinbot.services import post_life
from voisinbot.services.matching import Match
from voisinbot.services.post_rules import group_rules

ALL = "*"
CATEGORIES = list(Category)


def _help_button(t: Translator, need: Post) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        t.gettext("🙋 I can help"),
        callback_data=callbacks.pack(POST_KIND, Action.RESPOND.value, need.id),
    )


def _mute_button(t: Translator, chat_id: int, category: Category) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        t.gettext("🔕 No more “{category}” alerts", category=category_label(t, category))[:64],
        callback_data=callbacks.pack(MATCH_KIND, "mute", chat_id, CATEGORIES.index(category)),
    )


async def _alerts_allowed(context: BotContext, user_id: int, chat_id: int, category: str) -> bool:
    group = await context.store.community.get_group(chat_id)
    if group is None or not group.settings.get("match_alerts", True):
        return False
    member = await context.store.community.get_member(user_id)
    if member is None or not member.started_private or not member.reachable:
        return False
    muted = await context.store.matching.muted(user_id, chat_id)
    return ALL not in muted and category not in muted


async def announce_matches(context: BotContext, post: Post, matches: Sequence[Match]) -> None:
    """A new need: alert the matched offerers who want alerts. A new offer: tell its author
    which open needs it may answer."""
    if not matches or post.author_id is None:
        return
    default = context.settings.default_locale
    if post.kind is PostKind.NEED:
        for match in matches:
            offerer = match.post.author_id
            if match.score < ALERT_MIN_SCORE:
                continue  # shown under the need, not worth writing to its author privately
            if offerer is None or not await _alerts_allowed(
                context, offerer, post.chat_id, post.category
            ):
                continue
            t = await translator_for(context.store, offerer, default)
            category = Category.parse(post.category) or Category.OTHER
            await send_private(
                context,
                offerer,
                t.gettext(
                    "💡 A new need may suit your offer #{offer} ({reason}): “{text}” — {author}",
                    offer=match.post.id,
                    reason=reason(t, match),
                    text=excerpt(post),
                    author=post.author_name,
                ),
                reply_markup=InlineKeyboardMarkup(
                    [[_help_button(t, post)], [_mute_button(t, post.chat_id, category)]]
                ),
            )
        return
    t = await translator_for(context.store, post.author_id, default)
    lines = [t.gettext("💡 Your offer #{number} may answer these needs:", number=post.id)]
    lines += [
        t.gettext(
            "• #{number} “{text}” — {author} ({reason})",
            number=m.post.id,
            text=excerpt(m.post),
            author=m.post.author_name,
            reason=reason(t, m),
        )
        for m in matches
    ]
    await send_private(
        context,
        post.author_id,
        Html("\n".join(lines)),
        reply_markup=InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        t.gettext("🙋 Help #{number}", number=m.post.id),
                        callback_data=callbacks.pack(POST_KIND, Action.RESPOND.value, m.post.id),
                    )
                ]
                for m in matches
            ]
        ),
    )


async def on_match_button(update: Update, context: BotContext) -> None:
    """ "Ask Bob" under a need, "Help Alice" under an offer, "no more alerts" in private."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return
    t = context.t
    data = callbacks.unpack(query.data, kind=MATCH_KIND, arity=2)
    if data is None:
        await query.answer(t.gettext("This button is no longer valid."))
        return
    if data.action == "mute":
        chat_id, index = data.ids
        if not 0 <= index < len(CATEGORIES):
            await query.answer(t.gettext("This button is no longer valid."))
            return
        await context.store.matching.mute(query.from_user.id, chat_id, CATEGORIES[index].value)
        await query.answer(
            t.gettext("Done: no more alerts of this kind. /alerts to change it."), show_alert=True
        )
        return
    first, second = data.ids
    post = await context.store.posts.get(first)
    other = await context.store.posts.get(second)
    if (
        post is None
        or other is None
        or post.chat_id != other.chat_id
        or query.message.chat.id != post.chat_id
        or not post.status.is_active
        or not other.status.is_active
    ):
        await query.answer(t.gettext("This button is no longer valid."))
        return
    user = query.from_user
    if post.author_id != user.id and not await facilitates(context, post.chat_id, user.id):
        await query.answer(
            t.gettext("Only the author of the post or a facilitator can do that."), show_alert=True
        )
        return
    if data.action == "ask" and post.kind is PostKind.NEED:
        await _ask_offerer(context, need=post, offer=other)
        await query.answer(t.gettext("Asked. You will be told when they answer."))
    elif data.action == "help" and post.kind is PostKind.OFFER:
        outcome = await post_life.respond(
            context.store, post_id=other.id, user_id=user.id, now=context.now()
        )
        if not outcome.ok or outcome.post is None:
            await query.answer(t.gettext("Already done 👍"))
            return
        await query.answer(t.gettext("Thank you! The author has been told."))
        response = await context.store.responses.get(other.id, user.id)
        if response is not None:
            await tell_author(context, outcome.post, response)
        rules = await group_rules(context.store, other.chat_id)
        await refresh_card(
            context.bot, context.store, translator(rules.locale), outcome.post, rules.tz
        )
    else:
        await query.answer(t.gettext("This button is no longer valid."))


async def _ask_offerer(context: BotContext, *, need: Post, offer: Post) -> None:
    """The need's author asks the offerer; privately if possible, else in the group."""
    if offer.author_id is None or need.author_id is None:
        return
    t = await translator_for(context.store, offer.author_id, context.settings.default_locale)
    match = Match(offer, 0.0, await _reasons(context, need.id, offer.id))
    text = t.gettext(
        "🙋 {author} asks for your help: “{text}” (need #{number}). Your offer #{offer} matches: {reason}.",
        author=mention(need.author_id, need.author_name),
        text=excerpt(need),
        number=need.id,
        offer=offer.id,
        reason=reason(t, match),
    )
    if await send_private(
        context, offer.author_id, text, reply_markup=InlineKeyboardMarkup([[_help_button(t, need)]])
    ):
        return
    group_t = translator((await group_rules(context.store, need.chat_id)).locale)
    await context.bot.send_message(
        need.chat_id,
        group_t.gettext(
            "{offerer}, {author} thinks your offer #{offer} could help with need #{number}.",
            offerer=mention(offer.author_id, offer.author_name),
            author=need.author_name,
            offer=offer.id,
            number=need.id,
        ),
        reply_markup=InlineKeyboardMarkup([[_help_button(group_t, need)]]),
    )


async def _reasons(context: BotContext, need_id: int, offer_id: int) -> tuple[str, ...]:
    for stored in await context.store.matching.matches(need_id):
        if stored.matched_id == offer_id:
            return stored.reasons
    return ()


async def alerts_command(update: Update, context: BotContext) -> None:
    """/alertes: turn match alerts on or off, per group, in one tap."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    t = context.t
    if user.id in PROXY_USER_IDS or message.sender_chat is not None:
        await reply(message, t.gettext("Alerts are personal: please write /alerts as yourself."))
        return
    if message.chat.type != "private":
        store = context.store.matching
        if not await store.toggle_mute(user.id, message.chat.id, ALL, message.message_id):
            await reply(
                message,
                t.gettext(
                    "🔔 Alerts on: I will tell you privately when a need matches your offers."
                ),
            )
        else:
            await reply(
                message,
                t.gettext("🔕 Alerts off for this group. /alerts again to turn them back on."),
            )
        return
    await reply(message, t.gettext("Write /alerts in your group to turn its alerts on or off."))
