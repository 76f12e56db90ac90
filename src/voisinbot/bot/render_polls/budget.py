"""Citizen budget: the group announcement, the private ballot, the result."""

from __future__ import annotations

from datetime import tzinfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from voisinbot.bot import callbacks
from voisinbot.bot.delivery import start_link
from voisinbot.bot.render_polls.common import (
    clip,
    control_row,
    deadline_line,
    known_neighbours,
    money,
    share,
    when_text,
)
from voisinbot.domain.polls.budget import Outcome
from voisinbot.domain.polls.model import Decision, Option
from voisinbot.i18n import Html, Translator
from voisinbot.services.budget import BallotView, BudgetOutcome

BUDGET_KIND = "bd"
DEEP_LINK_PREFIX = "budget"
PROJECT_BUTTON = 40


def ballot_payload(decision: Decision) -> str:
    return f"{DEEP_LINK_PREFIX}_{decision.id}"


def vote_button(t: Translator, decision: Decision, username: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        t.gettext("🗳 Vote privately"), url=start_link(username, ballot_payload(decision))
    )


def announcement(t: Translator, decision: Decision, options: list[Option], tz: tzinfo) -> Html:
    lines = [
        t.gettext("💶 <b>Citizen budget: {title}</b>", title=decision.title),
        t.gettext("Budget: <b>{total}</b>", total=money(t, decision.total or 0)),
        deadline_line(t, decision, tz),
        Html(""),
    ]
    for option in options:
        lines.append(
            t.gettext("• {project} — {cost}", project=option.label, cost=money(t, option.cost or 0))
        )
    if decision.is_open:
        lines.append(Html(""))
        lines.append(
            t.gettext(
                "Choose the projects you want within the budget, privately: your ballot stays "
                "between you and the bot, and you can change it until the close."
            )
        )
    return Html("\n".join(lines))


def announcement_keyboard(
    t: Translator, decision: Decision, username: str
) -> InlineKeyboardMarkup | None:
    if not decision.is_open:
        return None
    return InlineKeyboardMarkup([[vote_button(t, decision, username)], control_row(t, decision)])


def ballot_text(t: Translator, view: BallotView, group_title: str, tz: tzinfo) -> Html:
    decision = view.decision
    lines = [
        t.gettext("🗳 <b>{title}</b> — {group}", title=decision.title, group=group_title),
        t.gettext("Budget: <b>{total}</b>", total=money(t, view.total)),
    ]
    if decision.closes_at is not None:
        lines.append(t.gettext("⏳ Closes {when}.", when=when_text(t, decision.closes_at, tz)))
    lines += [
        Html(""),
        t.gettext("Tap the projects you want funded, then submit your ballot."),
        t.gettext(
            "Selected: <b>{spent}</b> · left: <b>{left}</b>",
            spent=money(t, view.spent),
            left=money(t, view.left),
        ),
    ]
    if view.up_to_date:
        lines.append(t.gettext("✅ Your ballot is recorded. You can change it until the close."))
    elif view.submitted is not None:
        lines.append(t.gettext("✏️ Changed since you submitted: submit again to record it."))
    else:
        lines.append(t.gettext("Not submitted yet."))
    return Html("\n".join(lines))


def ballot_keyboard(t: Translator, view: BallotView) -> InlineKeyboardMarkup:
    decision = view.decision
    rows = []
    for option in view.options:
        mark = "☑" if option.position in view.selected else "☐"
        rows.append(
            [
                InlineKeyboardButton(
                    f"{mark} {clip(option.label, PROJECT_BUTTON)} · {money(t, option.cost or 0)}",
                    callback_data=callbacks.pack(BUDGET_KIND, "t", decision.id, option.position),
                )
            ]
        )
    label = t.gettext("✅ Update my ballot") if view.submitted else t.gettext("✅ Submit my ballot")
    rows.append(
        [InlineKeyboardButton(label, callback_data=callbacks.pack(BUDGET_KIND, "s", decision.id))]
    )
    return InlineKeyboardMarkup(rows)


def result_text(t: Translator, outcome: BudgetOutcome) -> Html:
    decision, result = outcome.decision, outcome.result
    lines = [t.gettext("🏁 <b>Citizen budget: {title}</b>", title=decision.title), Html("")]
    for rank, allocation in enumerate(result.ranked, start=1):
        project = outcome.options[allocation.position].label
        votes = t.ngettext("{n} vote", "{n} votes", allocation.votes)
        cost = money(t, allocation.cost)
        match allocation.outcome:
            case Outcome.FUNDED:
                line = t.gettext(
                    "{rank}. ✅ <b>{project}</b> — {cost} — {votes}: funded",
                    rank=rank,
                    project=project,
                    cost=cost,
                    votes=votes,
                )
            case Outcome.DOES_NOT_FIT:
                line = t.gettext(
                    "{rank}. ✖ {project} — {cost} — {votes}: no longer fits in what is left",
                    rank=rank,
                    project=project,
                    cost=cost,
                    votes=votes,
                )
            case Outcome.NO_VOTES:
                line = t.gettext(
                    "{rank}. ✖ {project} — {cost} — no votes", rank=rank, project=project, cost=cost
                )
        lines.append(line)
    lines.append(Html(""))
    lines.append(
        t.gettext(
            "Funded: <b>{spent}</b> of {total} ({left} left).",
            spent=money(t, result.spent),
            total=money(t, result.total),
            left=money(t, result.left),
        )
    )
    lines.append(
        t.ngettext(
            "Turnout: {n} ballot out of {known} ({share}).",
            "Turnout: {n} ballots out of {known} ({share}).",
            outcome.ballots,
            known=known_neighbours(t, outcome.members),
            share=share(t, outcome.ballots / outcome.members if outcome.members else 0.0),
        )
    )
    return Html("\n".join(lines))
