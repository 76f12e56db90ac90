"""/start, /help, and the bot joining or leaving a group."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Chat, ChatMember, InlineKeyboardButton, InlineKeyboardMarkup, Update, User

from voisinbot.bot.context import BotContext
from voisinbot.bot.delivery import start_link
from voisinbot.bot.handlers import budget as budget_ballot
from voisinbot.bot.handlers.common import GROUP_TYPES
from voisinbot.bot.handlers.settings import send_panel_privately
from voisinbot.bot.notify import deliver_owed_introductions
from voisinbot.bot.people import display_name
from voisinbot.bot.replies import reply
from voisinbot.bot.roles import facilitates, forget_admins
from voisinbot.i18n import Html, Translator, pick_locale, translator
from voisinbot.services import community
from voisinbot.services import settings as settings_service
from voisinbot.services.digest import plan_digest

DeepLink = Callable[[Update, BotContext, str], Awaitable[None]]

# /start PAYLOAD routes: "prefix" -> handler receiving the rest of the payload. Later
# features (private declaration, settings, consent) register their prefixes here.
DEEP_LINKS: dict[str, DeepLink] = {"budget": budget_ballot.open_ballot}


def private_welcome(t: Translator, name: str) -> Html:
    return t.gettext(
        "👋 Hello {name}! I am VoisinBot, the helper of your neighbourhood group.\n\n"
        "In your group:\n"
        "• <b>/need</b> followed by a few words to ask for help "
        "(<i>/need a hand to carry a sofa on Saturday</i>)\n"
        "• <b>/offer</b> followed by a few words to offer a skill or lend something "
        "(<i>/offer I repair bikes</i>)\n"
        "• <b>/needs</b> and <b>/offers</b> to see what is open\n\n"
        "Here, in private, I will tell you when a neighbour can help you. /help at any time.",
        name=name,
    )


def group_welcome(t: Translator) -> Html:
    return t.gettext(
        "👋 Hello, neighbours! I help this group help itself.\n"
        "• <b>/need</b> + a few words: ask for a hand or to borrow something\n"
        "• <b>/offer</b> + a few words: a skill, a loan, a gift\n"
        "• <b>/needs</b>, <b>/offers</b>: what is open right now\n"
        "Start me in private (tap my name, then Start) so I can put you in touch with neighbours."
    )


async def start(update: Update, context: BotContext) -> None:
    """Greet a resident in private, or follow a deep link."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    if message.chat.type != Chat.PRIVATE:
        await reply(message, group_help(context.t))
        return
    payload = context.args[0] if context.args else ""
    prefix, _, rest = payload.partition("_")
    route = DEEP_LINKS.get(prefix)
    if route is not None:
        await route(update, context, rest)
    else:
        await reply(message, private_welcome(context.t, display_name(user)))
    # Contacts promised while the bot could not write to this resident.
    await deliver_owed_introductions(context, user.id)


def group_help(t: Translator) -> Html:
    return t.gettext(
        "<b>How to use VoisinBot here</b>\n"
        "• <b>/need</b> + a few words: ask for help (<i>/need someone to water my plants in August</i>)\n"
        "• <b>/offer</b> + a few words: offer a skill or lend something (<i>/offer I lend my drill</i>)\n"
        "• <b>/needs</b>, <b>/offers</b>: the open posts of this group\n"
        "Without words after the command, I ask you for them."
    )


def private_help(t: Translator) -> Html:
    return t.gettext(
        "<b>VoisinBot, in short</b>\n"
        "I live in your neighbourhood group and help neighbours help each other.\n\n"
        "<b>In the group</b>\n"
        "• <b>/need</b> + a few words: ask for help or to borrow something\n"
        "• <b>/offer</b> + a few words: a skill, a loan or a gift\n"
        "• <b>/needs</b>, <b>/offers</b>: what is open\n\n"
        "<b>Here in private</b>\n"
        "I write to you when a neighbour answers you. Your data stays yours."
    )


async def help_command(update: Update, context: BotContext) -> None:
    """Explain the bot, briefly in a group, more fully in private."""
    message = update.effective_message
    if message is None:
        return
    text = private_help(context.t) if message.chat.type == Chat.PRIVATE else group_help(context.t)
    await reply(message, text)


async def bot_membership(update: Update, context: BotContext) -> None:
    """The bot was added to or removed from a chat."""
    change = update.my_chat_member
    if change is None:
        return
    chat = change.chat
    was_in = change.old_chat_member.status in _PRESENT
    is_in = change.new_chat_member.status in _PRESENT
    if chat.type in GROUP_TYPES:
        forget_admins(context, chat.id)  # the bot's own rights changed: read the admins again
        if is_in and not was_in:
            await community.group_joined(
                context.store,
                chat_id=chat.id,
                title=chat.title or "",
                chat_type=chat.type,
                default_locale=context.settings.default_locale,
                default_timezone=context.settings.timezone,
                now=context.now(),
            )
            await plan_digest(context.store, chat.id, context.now())
            await context.runtime.scheduler.arm()
            await context.bot.send_message(
                chat.id,
                Html(group_welcome(context.t) + "\n\n" + setup_hint(context.t)),
                reply_markup=InlineKeyboardMarkup(
                    [
                        [
                            InlineKeyboardButton(
                                context.t.gettext("✍ Post privately"),
                                url=start_link(context.runtime.bot_username, f"declare_{chat.id}"),
                            )
                        ]
                    ]
                ),
            )
            if change.from_user is not None:
                await _offer_setup(context, chat.id, change.from_user)
        elif was_in and not is_in:
            await community.group_left(context.store, chat_id=chat.id, now=context.now())
            await context.store.schedules.cancel_chat(chat.id, context.now())


def setup_hint(t: Translator) -> Html:
    return t.gettext(
        "Admins: /settings sets me up in a minute (language, time zone, digest, polls)."
    )


async def _offer_setup(context: BotContext, chat_id: int, adder: User) -> None:
    """Whoever added the bot, if they run the group and started the bot, gets the settings
    privately: setting up happens there, not in front of the whole group."""
    if adder.is_bot or not await facilitates(context, chat_id, adder.id):
        return
    member = await context.store.community.get_member(adder.id)
    config = await settings_service.load(context.store, chat_id)
    if member is None or not (member.started_private and member.reachable) or config is None:
        return
    t = translator(pick_locale(adder.language_code, context.settings.default_locale))
    intro = t.gettext(
        "Thank you for adding me to “{group}”! Here is how it is set up: change anything now, or later with /settings in the group.",
        group=config.title,
    )
    await send_panel_privately(context, adder.id, t, config, intro)


_PRESENT = frozenset(
    {ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER, ChatMember.RESTRICTED}
)
