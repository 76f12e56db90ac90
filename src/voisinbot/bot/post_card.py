"""The one group message that stands for a post, kept up to date as the post lives."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden

from voisinbot.bot import callbacks
from voisinbot.bot.match_view import match_buttons, match_lines
from voisinbot.bot.people import mention
from voisinbot.domain.categories import EMOJI, Category, OfferType
from voisinbot.domain.lifecycle import Action
from voisinbot.domain.posts import Post, PostKind, PostStatus
from voisinbot.i18n import Html, Translator, escape
from voisinbot.services.matching import Match, stored_matches
from voisinbot.storage import Store
from voisinbot.storage.responses import Response

log = logging.getLogger(__name__)

POST_KIND = "p"  # callback kind for the buttons under a post


def category_label(t: Translator, category: Category) -> str:
    labels = {
        Category.DIY: t.gettext("DIY & repairs"),
        Category.GARDEN: t.gettext("Gardening"),
        Category.MOVING: t.gettext("Moving & carrying"),
        Category.CHILDREN: t.gettext("Children"),
        Category.PETS: t.gettext("Pets"),
        Category.LESSONS: t.gettext("Lessons & tutoring"),
        Category.DIGITAL: t.gettext("Computers & phones"),
        Category.PAPERWORK: t.gettext("Paperwork"),
        Category.FOOD: t.gettext("Food & cooking"),
        Category.TRANSPORT: t.gettext("Rides & errands"),
        Category.CARE: t.gettext("Company & care"),
        Category.THINGS: t.gettext("Things to lend or give"),
        Category.OTHER: t.gettext("Other"),
    }
    return f"{EMOJI[category]} {labels[category]}"


def offer_type_label(t: Translator, offer_type: OfferType) -> str:
    return {
        OfferType.SKILL: t.gettext("🛠 I know how"),
        OfferType.LEND: t.gettext("🔁 I lend"),
        OfferType.GIVE: t.gettext("🎁 I give"),
    }[offer_type]


def post_title(t: Translator, post: Post) -> Html:
    author = mention(post.author_id, post.author_name) if post.author_id else escape("?")
    if post.kind is PostKind.NEED:
        return t.gettext("🆘 <b>Need #{number}</b> from {author}", number=post.id, author=author)
    return t.gettext("🤝 <b>Offer #{number}</b> from {author}", number=post.id, author=author)


def when_label(t: Translator, post: Post, tz: ZoneInfo) -> str | None:
    if post.due_at is None:
        return None
    fmt = "EEE d MMM, HH:mm" if post.due_has_time else "EEE d MMM"
    return t.datetime(post.due_at, tz, fmt)


def card_text(
    t: Translator,
    post: Post,
    responses: Sequence[Response],
    tz: ZoneInfo,
    matches: Sequence[Match] = (),
) -> Html:
    lines = [post_title(t, post), escape(post.text)]
    facts = []
    when = when_label(t, post, tz)
    if when:
        facts.append("📅 " + when)
    offer_type = OfferType.parse(post.offer_type)
    if post.kind is PostKind.OFFER and offer_type is not None:
        facts.append(offer_type_label(t, offer_type))
    facts.append(category_label(t, Category.parse(post.category) or Category.OTHER))
    lines.append(escape(" · ".join(facts)))
    status = status_line(t, post, responses)
    if status:
        lines.append(status)
    if post.status.is_active:
        lines += match_lines(t, post, matches)
    return Html("\n".join(lines))


def status_line(t: Translator, post: Post, responses: Sequence[Response]) -> Html | None:
    accepted = [r for r in responses if r.state == "accepted"]
    offered = [r for r in responses if r.state == "offered"]
    names = Html(", ".join(escape(r.name) for r in accepted))
    match post.status:
        case PostStatus.DONE:
            return (
                t.gettext("✅ <b>Done!</b> Thanks to {names}", names=names)
                if accepted
                else t.gettext("✅ <b>Done!</b>")
            )
        case PostStatus.CANCELLED:
            return t.gettext("✖ <b>Cancelled</b>")
        case PostStatus.EXPIRED:
            return t.gettext("⌛ <b>Expired</b>")
        case PostStatus.AGREED:
            return t.gettext("🤝 In touch with {names}", names=names)
        case _ if offered:
            if post.kind is PostKind.NEED:
                return t.ngettext(
                    "🙋 {n} neighbour offers to help",
                    "🙋 {n} neighbours offer to help",
                    len(offered),
                )
            return t.ngettext(
                "🙋 {n} neighbour is interested", "🙋 {n} neighbours are interested", len(offered)
            )
    return None


def card_keyboard(
    t: Translator, post: Post, matches: Sequence[Match] = ()
) -> InlineKeyboardMarkup | None:
    def button(label: str, action: Action | str) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            label, callback_data=callbacks.pack(POST_KIND, str(action), post.id)
        )

    if post.status is PostStatus.EXPIRED:
        return InlineKeyboardMarkup([[button(t.gettext("🔁 Prolong"), Action.PROLONG)]])
    if not post.status.is_active:
        return None
    respond = (
        t.gettext("🙋 I can help") if post.kind is PostKind.NEED else t.gettext("🙋 I'm interested")
    )
    return InlineKeyboardMarkup(
        [
            [button(respond, Action.RESPOND)],
            [
                button(t.gettext("✅ Done"), Action.DONE),
                button(t.gettext("🔁 Prolong"), Action.PROLONG),
                button(t.gettext("✖ Cancel"), Action.CANCEL),
            ],
            [button(t.gettext("🏷 Category"), "pick")],
            *match_buttons(t, post, matches),
        ]
    )


def category_picker(
    t: Translator, post: Post, categories: Sequence[Category] = tuple(Category)
) -> InlineKeyboardMarkup:
    """The keyboard that replaces the card's buttons while its author picks a category:
    the group's ``categories`` (its settings), and the post's own even if no longer used."""
    rows: list[list[InlineKeyboardButton]] = []
    if post.kind is PostKind.OFFER:
        rows.append(
            [
                InlineKeyboardButton(
                    ("✓ " if post.offer_type == kind.value else "") + offer_type_label(t, kind),
                    callback_data=callbacks.pack(POST_KIND, "type-" + kind.value, post.id),
                )
                for kind in OfferType
            ]
        )
    row: list[InlineKeyboardButton] = []
    for category in Category:
        if category not in categories and post.category != category.value:
            continue
        mark = "✓ " if post.category == category.value else ""
        row.append(
            InlineKeyboardButton(
                mark + category_label(t, category),
                callback_data=callbacks.pack(POST_KIND, "cat-" + category.value, post.id),
            )
        )
        if len(row) == 2:
            rows.append(row)
            row = []
    if row:
        rows.append(row)
    rows.append(
        [
            InlineKeyboardButton(
                t.gettext("↩ Back"), callback_data=callbacks.pack(POST_KIND, "back", post.id)
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


async def refresh_card(bot: Bot, store: Store, t: Translator, post: Post, tz: ZoneInfo) -> None:
    """Edit the group message of ``post`` to show its current state (idempotent)."""
    if post.message_id is None:
        return
    responses = await store.responses.for_post(post.id)
    matches = await stored_matches(store, post.id)
    try:
        await bot.edit_message_text(
            card_text(t, post, responses, tz, matches),
            chat_id=post.chat_id,
            message_id=post.message_id,
            reply_markup=card_keyboard(t, post, matches),
        )
    except BadRequest as exc:
        # Unchanged, or the message was deleted by an admin: the post itself is what counts.
        if "not modified" not in exc.message:
            log.info("could not refresh the card of post %d: %s", post.id, exc.message)
    except Forbidden:
        log.info("could not refresh the card of post %d: the bot left the group", post.id)
