"""How residents are named and mentioned in messages."""

from __future__ import annotations

from telegram import User

from voisinbot.i18n import Html, escape

# Telegram's own accounts that speak for someone else: an anonymous admin posts "as the
# group" through GroupAnonymousBot, a linked channel through Channel_Bot.
GROUP_ANONYMOUS_BOT_ID = 1087968824
CHANNEL_BOT_ID = 136817688
TELEGRAM_SERVICE_ID = 777000
PROXY_USER_IDS = frozenset({GROUP_ANONYMOUS_BOT_ID, CHANNEL_BOT_ID, TELEGRAM_SERVICE_ID})


def display_name(user: User) -> str:
    name = user.full_name.strip()
    return name[:64] or (user.username or str(user.id))


def mention(user_id: int, name: str) -> Html:
    """A link that opens the resident's profile; works without a username."""
    return Html(f'<a href="tg://user?id={int(user_id)}">{escape(name)}</a>')
