"""Every handler, registered in one ordered list.

Group -1 runs first for every update (who, where, which language); group 0 holds the
features, first match wins.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    PollAnswerHandler,
    PollHandler,
    TypeHandler,
    filters,
)

from voisinbot.bot import notify, post_card, render
from voisinbot.bot.callbacks import pattern
from voisinbot.bot.digest import digest_schedule_kinds
from voisinbot.bot.handlers import (
    budget,
    common,
    dates,
    decision_jobs,
    decisions,
    declare_private,
    deep_links,
    digest_cmd,
    facilitators,
    matching,
    my_posts,
    polls,
    post_actions,
    post_lists,
    posts,
    privacy,
    reminders,
    roster,
    settings,
    slots,
    stats,
    welcome,
)
from voisinbot.bot.match_view import MATCH_KIND
from voisinbot.bot.post_jobs import post_schedule_kinds
from voisinbot.bot.render_polls import boards as decision_boards
from voisinbot.bot.render_polls import budget as decision_budget
from voisinbot.bot.render_polls import common as decision_common
from voisinbot.bot.render_polls import messages as decision_messages
from voisinbot.bot.scheduler import ScheduleKind
from voisinbot.bot.settings_view import SETTINGS_KIND
from voisinbot.services.decisions import CLOSE_KIND, REMIND_KIND, SLOT_REMIND_KIND

# Commands are answered for new messages only: an edited "/need …" must not post twice.
NEW = filters.UpdateType.MESSAGE


def schedule_kinds() -> dict[str, ScheduleKind]:
    """What runs when a schedule of each kind comes due (see bot/scheduler.py)."""
    return {
        **post_schedule_kinds(),
        **digest_schedule_kinds(),
        **reminders.reminder_schedule_kinds(),
        # Collective decisions: a close runs even very late, so the result always comes back.
        CLOSE_KIND: ScheduleKind(run=decision_jobs.run_close, on_missed=decision_jobs.run_close),
        REMIND_KIND: ScheduleKind(run=decision_jobs.run_reminder),
        SLOT_REMIND_KIND: ScheduleKind(run=slots.run_slot_reminder),
        **privacy.retention_schedule_kinds(),
    }


def handlers() -> list[tuple[int, BaseHandler[Update, Any, Any]]]:
    """(group, handler) pairs in the order they are registered."""
    deep_links.register()
    welcome.DEEP_LINKS[settings.DEEP_LINK_PREFIX] = settings.open_from_link
    welcome.DEEP_LINKS.update(privacy.DEEP_LINKS)
    return [
        (-1, TypeHandler(Update, common.load_context)),
        # Arrival and departure of the bot.
        (0, ChatMemberHandler(welcome.bot_membership, ChatMemberHandler.MY_CHAT_MEMBER)),
        # Welcome and help.
        (0, CommandHandler("start", welcome.start, filters=NEW)),
        (0, CommandHandler(["aide", "help"], welcome.help_command, filters=NEW)),
        # Needs and offers.
        (0, CommandHandler(["besoin", "need"], posts.declare_need, filters=NEW)),
        (0, CommandHandler(["offre", "offer"], posts.declare_offer, filters=NEW)),
        (0, CommandHandler(["besoins", "needs"], post_lists.list_needs, filters=NEW)),
        (0, CommandHandler(["offres", "offers"], post_lists.list_offers, filters=NEW)),
        (0, CommandHandler(["cherche", "search"], post_lists.search, filters=NEW)),
        (0, CommandHandler(["mes", "mine"], my_posts.my_posts, filters=NEW)),
        (0, CommandHandler(["modifier", "edit"], my_posts.edit_post, filters=NEW)),
        # Reminders posted in the group at a set time.
        (0, CommandHandler(["rappel", "remind"], reminders.remind_command, filters=NEW)),
        (0, CommandHandler(["rappels", "reminders"], reminders.list_command, filters=NEW)),
        (
            0,
            CallbackQueryHandler(
                reminders.on_reminder_button, pattern=pattern(reminders.REMINDER_KIND)
            ),
        ),
        # Weekly digest.
        (0, CommandHandler(["digest", "resume"], digest_cmd.digest_command, filters=NEW)),
        # Residents' data (a copy, erasure) and the group's figures for its facilitators.
        (0, CommandHandler(["mesdonnees", "mydata"], privacy.my_data, filters=NEW)),
        (0, CommandHandler(["oublier", "forgetme"], privacy.forget_me, filters=NEW)),
        (0, CallbackQueryHandler(privacy.on_forget_button, pattern=pattern(privacy.FORGET_KIND))),
        (0, CommandHandler("stats", stats.stats_command, filters=NEW)),
        (0, CommandHandler("export", stats.export_command, filters=NEW)),
        # Setting the group up: settings, facilitators, who is an admin now.
        (0, CommandHandler(["reglages", "settings"], settings.settings_command, filters=NEW)),
        (0, CallbackQueryHandler(settings.on_button, pattern=pattern(SETTINGS_KIND))),
        (
            0,
            CommandHandler(
                ["animateur", "facilitator"], facilitators.facilitator_command, filters=NEW
            ),
        ),
        (
            0,
            CommandHandler(["animateurs", "facilitators"], facilitators.list_command, filters=NEW),
        ),
        (0, ChatMemberHandler(facilitators.member_changed, ChatMemberHandler.CHAT_MEMBER)),
        # Matches between needs and offers.
        (0, CommandHandler(["alertes", "alerts"], matching.alerts_command, filters=NEW)),
        (0, CallbackQueryHandler(matching.on_match_button, pattern=pattern(MATCH_KIND))),
        (0, CallbackQueryHandler(post_lists.turn_list_page, pattern=pattern(render.LIST_KIND))),
        (
            0,
            CallbackQueryHandler(post_actions.on_post_button, pattern=pattern(post_card.POST_KIND)),
        ),
        (
            0,
            CallbackQueryHandler(
                post_actions.on_response_button, pattern=pattern(notify.RESPONSE_KIND)
            ),
        ),
        (
            0,
            CallbackQueryHandler(
                post_actions.on_thanks_button, pattern=pattern(notify.THANKS_KIND)
            ),
        ),
        (
            0,
            CallbackQueryHandler(
                my_posts.show_for_management, pattern=pattern(my_posts.MANAGE_KIND)
            ),
        ),
        (
            0,
            CallbackQueryHandler(
                declare_private.on_draft_button, pattern=pattern(declare_private.DRAFT_KIND)
            ),
        ),
        # Collective decisions: polls, dates, sign-ups, citizen budget, reminder list.
        (0, CommandHandler(["sondage", "poll"], decisions.launch_poll, filters=NEW)),
        (0, CommandHandler(["dates", "when"], decisions.launch_dates, filters=NEW)),
        (0, CommandHandler(["inscriptions", "signup"], decisions.launch_signup, filters=NEW)),
        (0, CommandHandler("budget", decisions.launch_budget, filters=NEW)),
        (0, CommandHandler(["participer", "participate"], roster.join, filters=NEW)),
        (0, PollAnswerHandler(polls.on_poll_answer)),
        (0, PollHandler(polls.on_poll_update)),
        (
            0,
            CallbackQueryHandler(
                decisions.on_control, pattern=pattern(decision_common.CONTROL_KIND)
            ),
        ),
        (0, CallbackQueryHandler(dates.on_answer, pattern=pattern(decision_boards.DATES_KIND))),
        (0, CallbackQueryHandler(slots.on_toggle, pattern=pattern(decision_boards.SIGNUP_KIND))),
        (0, CallbackQueryHandler(budget.on_ballot, pattern=pattern(decision_budget.BUDGET_KIND))),
        (
            0,
            CallbackQueryHandler(roster.on_leave, pattern=pattern(decision_messages.ROSTER_KIND)),
        ),
        # Answers to the bot's questions (ForceReply), last among messages.
        (0, MessageHandler(NEW & filters.REPLY & ~filters.COMMAND, posts.answer_prompt)),
        # The guided launch of a decision: in its own group, since the line above takes
        # every reply in group 0 (it ignores the questions that are not its own).
        (1, MessageHandler(NEW & filters.REPLY & ~filters.COMMAND, decisions.answer_prompt)),
        # Text in private: the next step of a private declaration.
        (
            0,
            MessageHandler(
                NEW & filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND,
                declare_private.on_private_text,
            ),
        ),
    ]
