"""Pieces shared by every decision message: amounts, dates, deadlines, the facilitators' row,
and the explanations when a command line cannot be launched."""

from __future__ import annotations

from datetime import datetime, tzinfo
from decimal import Decimal

from babel import Locale
from babel.dates import format_skeleton
from babel.numbers import format_currency, format_percent
from telegram import InlineKeyboardButton

from voisinbot.bot import callbacks
from voisinbot.domain.polls.model import Decision, DecisionKind, DecisionState
from voisinbot.domain.polls.specs import Problem, ProblemCode
from voisinbot.i18n import Html, Translator

CONTROL_KIND = "dc"  # close / extend / cancel, for facilitators
CURRENCY = "EUR"
QUOTE_LENGTH = 40
MAX_PROBLEMS = 8  # characters of a resident's text quoted back in an explanation


def clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def money(t: Translator, cents: int) -> str:
    """An amount in the group's locale, without cents when it is whole: "1 200 €", "€1,200"."""
    value = Decimal(cents) / 100
    if cents % 100:
        return format_currency(value, CURRENCY, locale=t.locale)
    pattern = Locale.parse(t.locale).currency_formats["standard"].pattern.split(";")[0]
    return format_currency(
        value, CURRENCY, format=pattern.replace(".00", ""), locale=t.locale, currency_digits=False
    )


def share(t: Translator, value: float) -> str:
    return format_percent(value, locale=t.locale)


def known_neighbours(t: Translator, members: int) -> Html:
    """The turnout's denominator, agreeing with its own number (French: "1 voisin·e")."""
    return t.ngettext("{n} neighbour known to the bot", "{n} neighbours known to the bot", members)


def when_text(t: Translator, at: datetime, tz: tzinfo, *, has_time: bool = True) -> str:
    """ "sam. 14 déc. à 10:00" / "Sat, Dec 14 at 10:00 AM"; the day alone without a time."""
    local = at.astimezone(tz)
    day = format_skeleton("MMMEd", local, locale=t.locale)
    if not has_time:
        return day
    return t.gettext("{date} at {time}", date=day, time=t.time(local, tz))


def deadline_line(t: Translator, decision: Decision, tz: tzinfo) -> Html:
    match decision.state:
        case DecisionState.CANCELLED:
            return t.gettext("🗑 Cancelled by a facilitator.")
        case DecisionState.CLOSED:
            return t.gettext("🔒 Closed.")
    if decision.closes_at is None:
        return t.gettext("⏳ Open until a facilitator closes it.")
    return t.gettext("⏳ Closes {when}.", when=when_text(t, decision.closes_at, tz))


def control_row(t: Translator, decision: Decision) -> list[InlineKeyboardButton]:
    """The facilitators' buttons (everyone sees them; the server checks who presses)."""
    row = [
        InlineKeyboardButton(
            t.gettext("🔒 Close now"),
            callback_data=callbacks.pack(CONTROL_KIND, "close", decision.id),
        )
    ]
    if decision.closes_at is not None:
        row.append(
            InlineKeyboardButton(
                t.gettext("⏳ +24 h"),
                callback_data=callbacks.pack(CONTROL_KIND, "ext", decision.id),
            )
        )
    row.append(
        InlineKeyboardButton(
            t.gettext("🗑 Cancel"), callback_data=callbacks.pack(CONTROL_KIND, "del", decision.id)
        )
    )
    return row


def confirm_row(t: Translator, decision: Decision) -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(
            t.gettext("🗑 Yes, cancel it"),
            callback_data=callbacks.pack(CONTROL_KIND, "delok", decision.id),
        ),
        InlineKeyboardButton(
            t.gettext("↩ No, keep it"),
            callback_data=callbacks.pack(CONTROL_KIND, "back", decision.id),
        ),
    ]


def syntax_hint(t: Translator, kind: DecisionKind) -> Html:
    match kind:
        case DecisionKind.POLL:
            return t.gettext(
                "Example: <code>/poll Pizza or crêpes on Friday? | Pizza | Crêpes | 48h anonymous</code>\n"
                "After the last |, optional: a deadline (48h, friday 6pm, 15/12 20:00; 48h if none), "
                "<i>anonymous</i> or <i>named</i> (the default), <i>multiple</i> answers, "
                "<i>secret</i> (results hidden until the close)."
            )
        case DecisionKind.DATES:
            return t.gettext(
                "Example: <code>/dates Garden meeting | sat 14/12 10am | sun 15/12 3pm | until friday 6pm</code>\n"
                "One date per |; the deadline is optional (3 days if none)."
            )
        case DecisionKind.SIGNUP:
            return t.gettext(
                "Example: <code>/signup Watering the garden | mon (2) | wed (2) | sat (3)</code>\n"
                "The number of places in brackets (none: unlimited); a deadline is optional."
            )
        case DecisionKind.BUDGET:
            return t.gettext(
                "Example: <code>/budget Budget 2027 | 5000 € | Benches 1200 | Compost bin 800 | 15/01 20:00</code>\n"
                "The total, then each project with its cost, then the deadline (a week if none)."
            )


def problems_text(t: Translator, kind: DecisionKind, problems: tuple[Problem, ...]) -> Html:
    lines = [t.gettext("I cannot launch it yet:")]
    # A few at a time keeps the answer short (and far from 4096 characters).
    lines += [Html("• " + _problem(t, p)) for p in problems[:MAX_PROBLEMS]]
    if len(problems) > MAX_PROBLEMS:
        lines.append(Html("• …"))
    lines += [Html(""), syntax_hint(t, kind)]
    return Html("\n".join(lines))


def _problem(t: Translator, p: Problem) -> Html:
    value = clip(p.value, QUOTE_LENGTH)
    excess = p.length - p.limit
    match p.code:
        case ProblemCode.NO_TITLE:
            return t.gettext("Start with the question or the title.")
        case ProblemCode.TITLE_TOO_LONG:
            return t.gettext(
                "The question is {length} characters long and the limit is {limit}: "
                "please shorten it by {excess}.",
                length=p.length,
                limit=p.limit,
                excess=excess,
            )
        case ProblemCode.TOO_FEW_OPTIONS:
            return t.ngettext(
                "Give at least {n} choice, separated by |.",
                "Give at least {n} choices, separated by |.",
                p.limit,
            )
        case ProblemCode.TOO_MANY_OPTIONS:
            return t.gettext(
                "There are {length} choices and the limit is {limit}: please remove {excess}.",
                length=p.length,
                limit=p.limit,
                excess=excess,
            )
        case ProblemCode.OPTION_TOO_LONG:
            return t.gettext(
                "Choice {index} («{value}») is {length} characters long and the limit is "
                "{limit}: please shorten it by {excess}.",
                index=p.index,
                value=value,
                length=p.length,
                limit=p.limit,
                excess=excess,
            )
        case ProblemCode.DUPLICATE_OPTION:
            return t.gettext(
                "Choice {index} («{value}») is there twice.", index=p.index, value=value
            )
        case ProblemCode.BAD_DEADLINE:
            return t.gettext(
                "I cannot read the deadline «{value}»: try 48h, friday 6pm or 15/12 20:00.",
                value=value,
            )
        case ProblemCode.DEADLINE_TOO_FAR:
            return t.gettext("The deadline is too far away: {limit} days at most.", limit=p.limit)
        case ProblemCode.CONFLICTING_FLAGS:
            return t.gettext("A poll cannot be both anonymous and named: choose one.")
        case ProblemCode.NO_TOTAL:
            return t.gettext("After the title, give the total amount (for example 5000 €).")
        case ProblemCode.BAD_PROJECT:
            return t.gettext(
                "I cannot read the cost of «{value}»: write each project as a name and its "
                "cost (Benches 1200).",
                value=value,
            )
        case ProblemCode.PROJECT_OVER_TOTAL:
            return t.gettext("«{value}» costs more than the whole budget.", value=value)
        case ProblemCode.BAD_CAPACITY:
            return t.gettext(
                "«{value}»: the number of places must be between 1 and {limit}.",
                value=value,
                limit=p.limit,
            )
