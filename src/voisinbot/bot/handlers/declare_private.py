"""Declaring in private, step by step (kind, text, date, category), then posted in the group.

The step lives in the ``drafts`` table, so a restart in the middle loses nothing.
"""

from __future__ import annotations

from telegram import ChatMember, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError

from voisinbot.bot import callbacks, render
from voisinbot.bot.context import BotContext
from voisinbot.bot.handlers.posts import show_new_post
from voisinbot.bot.post_card import category_label, offer_type_label
from voisinbot.bot.replies import reply
from voisinbot.domain.categories import Category, OfferType, guess_offer_type
from voisinbot.domain.classify import categorise
from voisinbot.domain.posts import PostKind, check_text, clean_text
from voisinbot.domain.when import When, find_when, parse_when
from voisinbot.i18n import Html, Translator
from voisinbot.services import posts
from voisinbot.services.post_rules import group_rules
from voisinbot.storage.drafts import Draft

DRAFT_KIND = "dr"
_MEMBER_STATUSES = {
    ChatMember.MEMBER,
    ChatMember.ADMINISTRATOR,
    ChatMember.OWNER,
    ChatMember.RESTRICTED,
}


def _button(label: str, action: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callbacks.pack(DRAFT_KIND, action))


def _cancel_row(t: Translator) -> list[InlineKeyboardButton]:
    return [_button(t.gettext("✖ Cancel"), "cancel")]


async def start_declaration(update: Update, context: BotContext, payload: str) -> None:
    """/start declare_<chat id>: begin a private declaration for that group."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    t = context.t
    chat_id = callbacks.parse_id(payload) or 0
    group = await context.store.community.get_group(chat_id) if chat_id else None
    if group is None or not group.active or not await _is_member(context, chat_id, user.id):
        await reply(
            message,
            t.gettext(
                "This link is for a group I don't know you in. Use the button in your group."
            ),
        )
        return
    draft = Draft(user_id=user.id, chat_id=chat_id, step="kind")
    await context.store.drafts.save(draft, context.now())
    await reply(
        message,
        t.gettext("✍ New post in “{group}”. Is it a need or an offer?", group=group.title),
        reply_markup=InlineKeyboardMarkup(
            [
                [
                    _button(t.gettext("🆘 A need"), "need"),
                    _button(t.gettext("🤝 An offer"), "offer"),
                ],
                _cancel_row(t),
            ]
        ),
    )


async def _is_member(context: BotContext, chat_id: int, user_id: int) -> bool:
    if await context.store.community.is_member_of(chat_id, user_id):
        return True
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except TelegramError:
        return False
    return member.status in _MEMBER_STATUSES


async def on_draft_button(update: Update, context: BotContext) -> None:
    """A choice in the private declaration: kind, offer type, no date, category, cancel."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return
    t = context.t
    data = callbacks.unpack(query.data, kind=DRAFT_KIND, arity=0)
    draft = await context.store.drafts.get(query.from_user.id)
    if data is None or draft is None:
        await query.answer(t.gettext("This button is no longer valid."))
        return
    await query.answer()
    action, now = data.action, context.now()
    if action == "cancel":
        await context.store.drafts.delete(draft.user_id)
        await query.message.edit_text(t.gettext("Cancelled. Nothing was posted."))
        return
    if draft.step == "kind" and action in ("need", "offer"):
        if action == "need":
            await _ask_text(
                query.message, context, draft.with_(kind=PostKind.NEED.value, step="text")
            )
            return
        await context.store.drafts.save(
            draft.with_(kind=PostKind.OFFER.value, step="offer_type"), now
        )
        await query.message.edit_text(
            t.gettext("What kind of offer?"),
            reply_markup=InlineKeyboardMarkup(
                [
                    [_button(offer_type_label(t, kind), kind.value) for kind in OfferType],
                    _cancel_row(t),
                ]
            ),
        )
        return
    if draft.step == "offer_type" and OfferType.parse(action) is not None:
        await _ask_text(query.message, context, draft.with_(offer_type=action, step="text"))
        return
    if draft.step == "date" and action == "nodate":
        await _ask_category(query.message, context, draft.with_(step="category"), edit=True)
        return
    if draft.step == "category" and (category := Category.parse(action)) is not None:
        await _publish(query.message, context, draft.with_(category=category.value))
        return
    await query.message.reply_text(t.gettext("This button is no longer valid."))


async def _ask_text(message: Message, context: BotContext, draft: Draft) -> None:
    t = context.t
    await context.store.drafts.save(draft, context.now())
    if draft.kind == PostKind.NEED.value:
        question = t.gettext(
            "Describe your need in a few words (for example: a hand to carry a sofa on Saturday)."
        )
    else:
        question = t.gettext("Describe your offer in a few words (for example: I lend my drill).")
    await message.edit_text(question, reply_markup=InlineKeyboardMarkup([_cancel_row(t)]))


async def on_private_text(update: Update, context: BotContext) -> None:
    """Text written in private: the next step of a declaration, or a short pointer to /help."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not message.text:
        return
    t = context.t
    draft = await context.store.drafts.get(user.id)
    if draft is None or draft.step not in ("text", "date"):
        await reply(message, t.gettext("I did not understand. /help shows what I can do."))
        return
    rules = await group_rules(context.store, draft.chat_id)
    local_now = context.now().astimezone(rules.tz)
    if draft.step == "text":
        text = clean_text(message.text)
        if check_text(text) is not None:
            await reply(message, t.gettext("Please write between 3 and 1,000 characters."))
            return
        draft = draft.with_(text=text)
        found = find_when(text, local_now)
        if found is None:
            await context.store.drafts.save(draft.with_(step="date"), context.now())
            await reply(
                message,
                t.gettext("When? Write a date (for example “Saturday 2pm”) or tap “No date”."),
                reply_markup=InlineKeyboardMarkup(
                    [[_button(t.gettext("No date"), "nodate")], _cancel_row(t)]
                ),
            )
            return
        draft = draft.with_(due_at=found.at, due_has_time=found.has_time)
    else:
        when = parse_when(message.text, local_now) or find_when(message.text, local_now)
        if when is None:
            await reply(
                message,
                t.gettext(
                    "I did not understand this date. Try “Saturday 2pm” or “12/12”, or tap “No date”."
                ),
            )
            return
        draft = draft.with_(due_at=when.at, due_has_time=when.has_time)
    await _ask_category(message, context, draft.with_(step="category"), edit=False)


async def _ask_category(message: Message, context: BotContext, draft: Draft, *, edit: bool) -> None:
    t = context.t
    await context.store.drafts.save(draft, context.now())
    suggested = categorise(draft.text or "")
    ordered = [suggested, *(c for c in Category if c is not suggested)]
    rows = [
        [
            _button(("✓ " if c is suggested else "") + category_label(t, c), c.value)
            for c in ordered[i : i + 2]
        ]
        for i in range(0, len(ordered), 2)
    ]
    rows.append(_cancel_row(t))
    text = t.gettext(
        "Last step: which category? I suggest {category}.", category=category_label(t, suggested)
    )
    if edit:
        await message.edit_text(text, reply_markup=InlineKeyboardMarkup(rows))
    else:
        await reply(message, text, reply_markup=InlineKeyboardMarkup(rows))


async def _publish(message: Message, context: BotContext, draft: Draft) -> None:
    t = context.t
    kind = PostKind.parse(draft.kind or "")
    if kind is None or draft.text is None:
        await message.edit_text(t.gettext("This button is no longer valid."))
        return
    due = When(at=draft.due_at, has_time=draft.due_has_time, span=(0, 0)) if draft.due_at else None
    result = await posts.declare_post(
        context.store,
        chat_id=draft.chat_id,
        author_id=draft.user_id,
        kind=kind,
        raw_text=draft.text,
        source_message_id=None,
        now=context.now(),
        offer_type=OfferType.parse(draft.offer_type)
        or (guess_offer_type(draft.text) if kind is PostKind.OFFER else None),
        category=Category.parse(draft.category),
        due=due,
    )
    if isinstance(result, posts.Rejected):
        await message.edit_text(render.rejection(t, result.reason))
        return
    await context.store.drafts.delete(draft.user_id)
    await show_new_post(context, result.post)
    group = await context.store.community.get_group(draft.chat_id)
    await message.edit_text(
        Html(
            t.gettext(
                "✅ Posted in “{group}” as #{number}. I will tell you here when a neighbour answers.",
                group=group.title if group else "?",
                number=result.post.id,
            )
        )
    )
