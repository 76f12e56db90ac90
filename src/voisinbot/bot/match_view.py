"""Showing matches: the lines and buttons under a post, and the private alerts to neighbours
whose posts match. Concept labels come from the catalogue (their English label is the msgid)."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton

from voisinbot.bot import callbacks
from voisinbot.domain.matching import default_lexicon
from voisinbot.domain.posts import Post, PostKind
from voisinbot.i18n import Html, Translator
from voisinbot.services.matching import Match

MATCH_KIND = "mt"
LABEL_CHARS = 24


def reason(t: Translator, match: Match) -> str:
    """The concepts two posts share, in the reader's language: "plomberie"."""
    lexicon = default_lexicon()
    labels = [
        t.gettext(lexicon.label(key, "en")) for key in match.reasons[:2] if key in lexicon.concepts
    ]
    return ", ".join(labels)


def match_lines(t: Translator, post: Post, matches: Sequence[Match]) -> list[Html]:
    if not matches:
        return []
    lines = [t.gettext("💡 Maybe:") if post.kind is PostKind.NEED else t.gettext("💡 May answer:")]
    lines += [
        t.gettext(
            "• {name} (#{number}) — because: {reason}",
            name=m.post.author_name,
            number=m.post.id,
            reason=reason(t, m),
        )
        for m in matches
    ]
    return lines


def match_buttons(
    t: Translator, post: Post, matches: Sequence[Match]
) -> list[list[InlineKeyboardButton]]:
    """Need: "Ask Bob — plumbing" (its author asks the offerer). Offer: "Help Alice (#3)"."""
    rows = []
    for m in matches:
        label = reason(t, m)[:LABEL_CHARS]
        if post.kind is PostKind.NEED:
            text = t.gettext("🙋 Ask {name} — {reason}", name=m.post.author_name[:20], reason=label)
            data = callbacks.pack(MATCH_KIND, "ask", post.id, m.post.id)
        else:
            text = t.gettext(
                "🙋 Help {name} (#{number})", name=m.post.author_name[:20], number=m.post.id
            )
            data = callbacks.pack(MATCH_KIND, "help", post.id, m.post.id)
        rows.append([InlineKeyboardButton(text[:64], callback_data=data)])
    return rows
