"""Turning service results into what residents read: text and buttons, never over the limits."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit

from voisinbot.bot import callbacks
from voisinbot.bot.people import mention
from voisinbot.domain.posts import Post, PostKind, TextProblem
from voisinbot.i18n import Html, Translator, escape
from voisinbot.services.posts import PostPage, Refusal

LIST_KIND = "lst"
LIST_EXCERPT = 180  # characters of each post shown in a list, so a page stays well under 4096


def post_message(t: Translator, post: Post) -> Html:
    """The group message that stands for a post."""
    author = mention(post.author_id, post.author_name) if post.author_id else escape("?")
    if post.kind is PostKind.NEED:
        title = t.gettext("🆘 <b>Need #{number}</b> from {author}", number=post.id, author=author)
    else:
        title = t.gettext("🤝 <b>Offer #{number}</b> from {author}", number=post.id, author=author)
    return Html(f"{title}\n{escape(post.text)}")


def rejection(t: Translator, reason: TextProblem | Refusal) -> Html:
    match reason:
        case TextProblem.EMPTY:
            return t.gettext("Please write a few words about it.")
        case TextProblem.TOO_SHORT:
            return t.gettext(
                "That is a bit short: please say a little more (3 characters at least)."
            )
        case TextProblem.TOO_LONG:
            return t.gettext(
                "That is too long: please keep it under 1,000 characters, the details can come later."
            )
        case Refusal.TOO_MANY:
            return t.gettext(
                "You have posted a lot in the last hour. Please wait a little before posting again."
            )


def post_list(
    t: Translator, kind: PostKind, page: PostPage
) -> tuple[Html, InlineKeyboardMarkup | None]:
    """One page of a group's open posts, with previous/next buttons when there are several."""
    if page.total == 0:
        empty = (
            t.gettext("No open needs right now. Post one with /need followed by a few words.")
            if kind is PostKind.NEED
            else t.gettext(
                "No open offers right now. Post one with /offer followed by a few words."
            )
        )
        return empty, None
    if kind is PostKind.NEED:
        header = t.ngettext("<b>{n} open need</b>", "<b>{n} open needs</b>", page.total)
    else:
        header = t.ngettext("<b>{n} open offer</b>", "<b>{n} open offers</b>", page.total)
    lines = [header]
    if page.pages > 1:
        lines.append(t.gettext("Page {page} of {pages}", page=page.page + 1, pages=page.pages))
    lines.append(Html(""))
    for post in page.posts:
        excerpt = (
            post.text if len(post.text) <= LIST_EXCERPT else post.text[: LIST_EXCERPT - 1] + "…"
        )
        lines.append(
            t.gettext(
                "• #{number} {text} — {author}",
                number=post.id,
                text=excerpt.replace("\n", " "),
                author=post.author_name or "?",
            )
        )
    text = Html("\n".join(lines))
    assert len(text) <= MessageLimit.MAX_TEXT_LENGTH
    return text, _pager(t, kind, page)


def _pager(t: Translator, kind: PostKind, page: PostPage) -> InlineKeyboardMarkup | None:
    if page.pages <= 1:
        return None
    buttons = []
    if page.page > 0:
        buttons.append(
            InlineKeyboardButton(
                t.gettext("◀ Previous"),
                callback_data=callbacks.pack(LIST_KIND, kind.value, page.page - 1),
            )
        )
    if page.page < page.pages - 1:
        buttons.append(
            InlineKeyboardButton(
                t.gettext("Next ▶"),
                callback_data=callbacks.pack(LIST_KIND, kind.value, page.page + 1),
            )
        )
    return InlineKeyboardMarkup([buttons])
