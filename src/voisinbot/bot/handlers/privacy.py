"""/mesdonnees: a resident's copy of everything held about them (a JSON file, privately);
/oublier: their erasure, after a confirmation with buttons; the daily retention purge."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from telegram import (
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    Update,
    User,
)
from telegram.error import BadRequest, Forbidden, TelegramError

from voisinbot.bot import callbacks
from voisinbot.bot.commands import forget_member_commands
from voisinbot.bot.context import BotContext
from voisinbot.bot.delivery import start_button
from voisinbot.bot.handlers.decisions import UI
from voisinbot.bot.post_card import refresh_card
from voisinbot.bot.replies import edit_in_place, reply
from voisinbot.bot.scheduler import ScheduleKind
from voisinbot.domain.polls.model import DecisionKind
from voisinbot.domain.posts import Post, PostKind
from voisinbot.domain.schedules import Schedule
from voisinbot.i18n import Html, Translator, escape, pick_locale, translator
from voisinbot.services import privacy
from voisinbot.services.post_rules import group_rules
from voisinbot.services.privacy import PostsChoice

if TYPE_CHECKING:
    from voisinbot.bot.app import VoisinApp

log = logging.getLogger(__name__)

FORGET_KIND = "fg"
DATA_LINK = "mydata"
FORGET_LINK = "forget"
# The erasure buttons work for a short while only: an old message scrolled up to must not
# erase anyone by mistake.
BUTTON_LIFETIME = timedelta(hours=1)
_CHOICES = {"rm": PostsChoice.REMOVE, "an": PostsChoice.ANONYMISE}


def _private_t(context: BotContext, user: User) -> Translator:
    return translator(pick_locale(user.language_code, context.settings.default_locale))


# --- /mesdonnees --------------------------------------------------------------------------


async def _send_data(context: BotContext, user: User) -> bool:
    """The JSON file, privately; False when Telegram refuses (never started, or blocked)."""
    t = _private_t(context, user)
    now = context.now()
    data = await privacy.personal_data(context.store, user.id, now)
    name = f"voisinbot-{now.date().isoformat()}.json"
    try:
        await context.bot.send_document(
            user.id,
            InputFile(privacy.to_json(data), filename=name),
            caption=t.gettext(
                "📦 Everything VoisinBot holds about you, in one file (JSON). /forgetme erases it."
            ),
        )
    except Forbidden:
        await context.store.community.set_reachable(user.id, False)
        return False
    return True


async def my_data(update: Update, context: BotContext) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    if message.chat.type == Chat.PRIVATE:
        await _send_data(context, user)
        return
    if await _send_data(context, user):
        await reply(message, context.t.gettext("I sent you your data privately."))
    else:
        await reply(
            message,
            context.t.gettext(
                "Start me privately first: I will send your data there, not in the group."
            ),
            reply_markup=start_button(context.t, context.runtime.bot_username, DATA_LINK),
        )


async def data_from_link(update: Update, context: BotContext, payload: str) -> None:
    """/start mydata: the resident came from the group's link."""
    await my_data(update, context)


# --- /oublier -------------------------------------------------------------------------------


def _button(label: str, action: str, issued: int) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(label, callback_data=callbacks.pack(FORGET_KIND, action, issued))]


def _choice_screen(t: Translator, issued: int) -> tuple[Html, InlineKeyboardMarkup]:
    text = t.gettext(
        "🧹 <b>Forget me</b>\n"
        "I will erase everything I hold about you: your name, your groups, your answers, "
        "thanks, alerts and reminders. Your votes still count, without your name.\n\n"
        "What about your posts?"
    )
    return text, InlineKeyboardMarkup(
        [
            _button(t.gettext("🗑 Remove my posts"), "rm", issued),
            _button(t.gettext("👤 Keep them, anonymised"), "an", issued),
            _button(t.gettext("✖ Cancel"), "no", issued),
        ]
    )


def _confirm_screen(
    t: Translator, choice: PostsChoice, issued: int
) -> tuple[Html, InlineKeyboardMarkup]:
    what = (
        t.gettext("Your posts will be removed, and their messages in the groups say so.")
        if choice is PostsChoice.REMOVE
        else t.gettext(
            "Your posts stay in the groups without your name, closed: their words remain."
        )
    )
    text = Html(
        t.gettext("⚠ <b>Last check</b>: this cannot be undone.") + "\n" + what + "\n\n"
        + t.gettext("Erase everything now?")
    )  # fmt: skip
    action = "yes-" + ("rm" if choice is PostsChoice.REMOVE else "an")
    return text, InlineKeyboardMarkup(
        [
            _button(t.gettext("✅ Yes, erase everything"), action, issued),
            _button(t.gettext("↩ Back"), "back", issued),
        ]
    )


async def forget_me(update: Update, context: BotContext) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    if message.chat.type != Chat.PRIVATE:
        await reply(
            message,
            context.t.gettext("This happens privately: tap below, then confirm there."),
            reply_markup=start_button(context.t, context.runtime.bot_username, FORGET_LINK),
        )
        return
    text, keyboard = _choice_screen(context.t, int(context.now().timestamp()))
    await reply(message, text, reply_markup=keyboard)


async def forget_from_link(update: Update, context: BotContext, payload: str) -> None:
    await forget_me(update, context)


async def on_forget_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    t = context.t
    data = callbacks.unpack(query.data, kind=FORGET_KIND, arity=1)
    message = query.message
    # Only in the resident's own private chat, and only for a short while.
    fresh = data is not None and context.now().timestamp() - data.ids[0] <= (
        BUTTON_LIFETIME.total_seconds()
    )
    if (
        data is None
        or not isinstance(message, Message)
        or message.chat.id != query.from_user.id
        or not fresh
    ):
        await query.answer(t.gettext("This button is no longer valid."))
        return
    issued = data.ids[0]
    await query.answer()
    if data.action in _CHOICES:
        await edit_in_place(message, *_confirm_screen(t, _CHOICES[data.action], issued))
    elif data.action == "back":
        await edit_in_place(message, *_choice_screen(t, issued))
    elif data.action == "no":
        await edit_in_place(message, t.gettext("Nothing was erased."))
    elif data.action.startswith("yes-") and data.action[4:] in _CHOICES:
        await _forget(context, query.from_user, _CHOICES[data.action[4:]])
        await edit_in_place(
            message,
            t.gettext(
                "✅ Done: I hold nothing about you any more. If you write to me again, "
                "I will only know what you write from then on."
            ),
        )


async def _forget(context: BotContext, user: User, choice: PostsChoice) -> None:
    forgotten = await privacy.forget(context.store, user.id, choice, context.now())
    runtime = context.runtime
    # The next message from them is a new resident's: nothing cached may skip that.
    runtime.known_members.pop(user.id, None)
    runtime.seen_in_groups.difference_update(
        {pair for pair in runtime.seen_in_groups if pair[1] == user.id}
    )
    log.info("a resident asked to be forgotten: %d rows erased", forgotten.rows)
    for chat_id in forgotten.facilitated:
        await forget_member_commands(context.bot, chat_id, user.id)
    for post in forgotten.posts:
        await _show_erased(context, post, forgotten.choice)
    for post_id in forgotten.named_in:
        other = await context.store.posts.get(post_id)
        if other is not None:
            rules = await group_rules(context.store, other.chat_id)
            t = translator(rules.locale)
            await refresh_card(context.bot, context.store, t, other, rules.tz)
    for decision_id in forgotten.decisions:
        decision = await context.store.decisions.get(decision_id)
        # Date and sign-up boards list names; polls and budgets do not.
        if decision is not None and decision.kind in (DecisionKind.DATES, DecisionKind.SIGNUP):
            try:
                await UI[decision.kind].redraw(context, decision)
            except TelegramError as exc:
                log.info("board of decision %d not redrawn: %s", decision_id, exc)


async def _show_erased(context: BotContext, post: Post, choice: PostsChoice) -> None:
    """The post's group message no longer shows its author (or the post)."""
    if post.message_id is None:
        return
    rules = await group_rules(context.store, post.chat_id)
    t = translator(rules.locale)
    if choice is PostsChoice.REMOVE:
        text = t.gettext("🗑 Post #{number} was removed at its author's request.", number=post.id)
    else:
        title = (
            t.gettext("🆘 <b>Need #{number}</b>", number=post.id)
            if post.kind is PostKind.NEED
            else t.gettext("🤝 <b>Offer #{number}</b>", number=post.id)
        )
        text = Html(
            "\n".join(
                [title, escape(post.text), t.gettext("👤 Anonymised at its author's request.")]
            )
        )
    try:
        await context.bot.edit_message_text(
            text, chat_id=post.chat_id, message_id=post.message_id, reply_markup=None
        )
    except (BadRequest, Forbidden) as exc:
        log.info("message of post %d not updated after an erasure: %s", post.id, exc.message)


# --- retention ------------------------------------------------------------------------------


async def run_retention(app: VoisinApp, schedule: Schedule) -> None:
    """Purge what is older than the retention period, then plan the next night's purge."""
    runtime = app.runtime
    try:
        purged = await privacy.purge(
            runtime.store, runtime.clock(), runtime.settings.retention_days
        )
        if purged.anything:
            log.info(
                "retention: %d post(s), %d group(s), %d resident(s) purged",
                purged.posts,
                purged.groups,
                purged.members,
            )
    finally:
        await plan_retention(app)


async def plan_retention(app: VoisinApp) -> None:
    """At start-up and after each purge: one purge pending."""
    runtime = app.runtime
    await privacy.plan_retention(runtime.store, runtime.clock(), runtime.settings.tz)


def retention_schedule_kinds() -> dict[str, ScheduleKind]:
    # A purge missed while the bot was down runs late: late is better than never.
    return {privacy.RETENTION_KIND: ScheduleKind(run=run_retention, on_missed=run_retention)}


DEEP_LINKS = {DATA_LINK: data_from_link, FORGET_LINK: forget_from_link}
