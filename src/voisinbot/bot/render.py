"""Turning service results into what residents read: text and buttons, never over the limits."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from voisinbot.bot import callbacks
from voisinbot.bot.post_card import category_label
from voisinbot.domain.categories import Category
from voisinbot.domain.posts import Post, PostKind, TextProblem
from voisinbot.i18n import Html, Translator
from voisinbot.services.posts import PostPage, Refusal

LIST_KIND = "lst"
# UTF-16 code units of each post shown in a list (Telegram counts those: an emoji is two), so
# a page of 10 stays well under 4096 whatever the residents wrote.
LIST_EXCERPT = 180
NO_CATEGORY = -1
CATEGORIES = list(Category)


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


def post_line(t: Translator, post: Post) -> Html:
    return t.gettext(
        "• #{number} {text} — {author}",
        number=post.id,
        text=_excerpt(post.text.replace("\n", " "), LIST_EXCERPT),
        author=post.author_name or "?",
    )


def _excerpt(text: str, limit: int) -> str:
    """At most ``limit`` UTF-16 code units, the ellipsis included, never half an emoji."""
    if len(text.encode("utf-16-le")) // 2 <= limit:
        return text
    used, end = 1, 0  # the ellipsis takes one
    for char in text:
        size = 2 if ord(char) > 0xFFFF else 1
        if used + size > limit:
            break
        used, end = used + size, end + 1
    return text[:end] + "…"


def post_list(
    t: Translator, kind: PostKind, page: PostPage, *, declare_url: str | None = None
) -> tuple[Html, InlineKeyboardMarkup | None]:
    """One page of a group's open posts, with previous/next buttons when there are several,
    and a button to declare privately."""
    if page.total == 0:
        if kind is PostKind.NEED:
            text = t.gettext(
                "No open needs right now. Post one with /need followed by a few words."
            )
        else:
            text = t.gettext(
                "No open offers right now. Post one with /offer followed by a few words."
            )
        return text, _keyboard(t, kind, page, declare_url)
    if kind is PostKind.NEED:
        header = t.ngettext("<b>{n} open need</b>", "<b>{n} open needs</b>", page.total)
    else:
        header = t.ngettext("<b>{n} open offer</b>", "<b>{n} open offers</b>", page.total)
    if page.category is not None:
        header = Html(f"{header} · {category_label(t, page.category)}")
    lines = [header]
    if page.pages > 1:
        lines.append(t.gettext("Page {page} of {pages}", page=page.page + 1, pages=page.pages))
    lines.append(Html(""))
    lines.extend(post_line(t, post) for post in page.posts)
    # No length check on the HTML here: escapes (&amp;) lengthen it, but Telegram counts the
    # text as shown, which the excerpts bound.
    return Html("\n".join(lines)), _keyboard(t, kind, page, declare_url)


def search_results(t: Translator, query: str, found: Sequence[Post]) -> Html:
    if not found:
        return t.gettext(
            "Nothing open matches “{query}”. Try other words, or post a need with /need.",
            query=query,
        )
    header = t.ngettext(
        "<b>{n} open post</b> matches “{query}”",
        "<b>{n} open posts</b> match “{query}”",
        len(found),
        query=query,
    )
    return Html("\n".join([header, "", *(post_line(t, post) for post in found)]))


def _keyboard(
    t: Translator, kind: PostKind, page: PostPage, declare_url: str | None
) -> InlineKeyboardMarkup | None:
    rows: list[list[InlineKeyboardButton]] = []
    category = CATEGORIES.index(page.category) if page.category is not None else NO_CATEGORY
    pager = []
    if page.page > 0:
        pager.append(
            InlineKeyboardButton(
                t.gettext("◀ Previous"),
                callback_data=callbacks.pack(LIST_KIND, kind.value, page.page - 1, category),
            )
        )
    if page.page < page.pages - 1:
        pager.append(
            InlineKeyboardButton(
                t.gettext("Next ▶"),
                callback_data=callbacks.pack(LIST_KIND, kind.value, page.page + 1, category),
            )
        )
    if pager:
        rows.append(pager)
    if declare_url:
        rows.append([InlineKeyboardButton(t.gettext("✍ Post privately"), url=declare_url)])
    return InlineKeyboardMarkup(rows) if rows else None


def category_at(index: int) -> Category | None:
    return CATEGORIES[index] if 0 <= index < len(CATEGORIES) else None
