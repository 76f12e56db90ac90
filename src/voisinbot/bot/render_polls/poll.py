"""Quick polls: the small message under the native poll, and the result."""

from __future__ import annotations

from datetime import tzinfo

from telegram import InlineKeyboardMarkup

from voisinbot.bot.render_polls.common import (
    clip,
    control_row,
    deadline_line,
    known_neighbours,
    share,
)
from voisinbot.domain.polls.model import Decision
from voisinbot.domain.polls.tally import PollResult
from voisinbot.i18n import Html, Translator


def control_text(t: Translator, decision: Decision, tz: tzinfo) -> Html:
    """What kind of poll this is and when it closes, right under the poll."""
    lines = [deadline_line(t, decision, tz)]
    if decision.anonymous:
        lines.append(t.gettext("🕶 Anonymous: nobody sees who voted, not even the bot."))
    else:
        lines.append(t.gettext("👥 Named: everyone sees who voted for what."))
    if decision.multiple:
        lines.append(t.gettext("☑ Several answers allowed."))
    if decision.hidden:
        lines.append(t.gettext("🙈 Results stay hidden until the close."))
    if decision.is_open:
        lines.append(t.gettext("The result will be posted here at the close."))
    return Html("\n".join(lines))


def control_keyboard(t: Translator, decision: Decision) -> InlineKeyboardMarkup | None:
    return InlineKeyboardMarkup([control_row(t, decision)]) if decision.is_open else None


def result_text(t: Translator, decision: Decision, result: PollResult) -> Html:
    lines = [t.gettext("🏁 <b>Result: {title}</b>", title=clip(decision.title, 300))]
    for option in result.options:
        mark = "🏆 " if option.position in result.winners else "• "
        votes = t.ngettext("{n} vote", "{n} votes", option.votes)
        line = t.gettext(
            "{label} — {votes} ({share})",
            label=option.label,
            votes=votes,
            share=share(t, option.share),
        )
        lines.append(Html(mark + line))
    lines.append(Html(""))
    labels = [result.options[i].label for i in result.winners]
    if not labels:
        lines.append(t.gettext("Nobody voted."))
    elif result.tie:
        lines.append(t.gettext("Tie between {choices}.", choices=" / ".join(labels)))
    else:
        lines.append(t.gettext("Chosen: <b>{choice}</b>.", choice=labels[0]))
    lines.append(turnout_line(t, result.voters, result.members))
    return Html("\n".join(lines))


def turnout_line(t: Translator, voters: int, members: int) -> Html:
    """Voters out of the residents the bot knows in the group (it cannot see the others)."""
    return t.ngettext(
        "Turnout: {n} voter out of {known} ({share}).",
        "Turnout: {n} voters out of {known} ({share}).",
        voters,
        known=known_neighbours(t, members),
        share=share(t, voters / members if members else 0.0),
    )
