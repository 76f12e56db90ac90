"""Boards edited in place: date finding (yes / maybe / no) and sign-up sheets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit

from voisinbot.bot import callbacks
from voisinbot.bot.render_polls.common import clip, control_row, deadline_line, when_text
from voisinbot.domain.polls.model import Answer, Decision, Option
from voisinbot.i18n import Html, Translator, escape
from voisinbot.services.dates import DatesBoard
from voisinbot.services.signup import SignupBoard

DATES_KIND = "dt"
SIGNUP_KIND = "su"
ANSWER_ACTIONS = {Answer.YES: "y", Answer.MAYBE: "m", Answer.NO: "n"}
ANSWER_MARKS = {Answer.YES: "✅", Answer.MAYBE: "❔", Answer.NO: "❌"}
NAMES_SHOWN = 12  # per line; more are counted ("+5"), so a busy board stays readable
BUTTON_LABEL = 24


def slot_label(t: Translator, option: Option, tz: tzinfo) -> str:
    """A slot that reads as a date is shown formatted in the group's language."""
    if option.at is None:
        return option.label
    return when_text(t, option.at, tz, has_time=option.has_time)


def _names(names: list[str]) -> str:
    shown = ", ".join(clip(n, 32) for n in names[:NAMES_SHOWN])
    return shown + (f" +{len(names) - NAMES_SHOWN}" if len(names) > NAMES_SHOWN else "")


def _fit(build: Callable[[bool], Html]) -> Html:
    """The board with names if it fits in one message, else counts only."""
    text = build(True)
    if len(text) > MessageLimit.MAX_TEXT_LENGTH:
        text = build(False)
    return text


# --- date finding ----------------------------------------------------------------------------


def dates_text(t: Translator, board: DatesBoard, tz: tzinfo) -> Html:
    decision = board.decision

    def build(with_names: bool) -> Html:
        lines = [
            t.gettext("📅 <b>{title}</b>", title=decision.title),
            deadline_line(t, decision, tz),
        ]
        if decision.is_open:
            lines.append(t.gettext("For each date, tap ✅ yes, ❔ maybe or ❌ no."))
        for number, slot in enumerate(board.slots, start=1):
            s = slot.score
            star = " ⭐" if slot.option.position == board.best else ""
            lines.append(Html(""))
            lines.append(
                Html(
                    f"<b>{number}. {escape(slot_label(t, slot.option, tz))}</b>{star}"
                    f" — ✅ {s.yes} · ❔ {s.maybe} · ❌ {s.no}"
                )
            )
            if with_names:
                parts = [
                    f"{ANSWER_MARKS[a]} {escape(_names(slot.names[a]))}"
                    for a in (Answer.YES, Answer.MAYBE, Answer.NO)
                    if slot.names[a]
                ]
                if parts:
                    lines.append(Html(" · ".join(parts)))
        lines.append(Html(""))
        lines.append(
            t.ngettext("{n} neighbour answered.", "{n} neighbours answered.", board.respondents)
        )
        return Html("\n".join(lines))

    return _fit(build)


def dates_keyboard(t: Translator, board: DatesBoard) -> InlineKeyboardMarkup | None:
    decision = board.decision
    if not decision.is_open:
        return None
    rows = [
        [
            InlineKeyboardButton(
                f"{number} {ANSWER_MARKS[answer]}",
                callback_data=callbacks.pack(
                    DATES_KIND, ANSWER_ACTIONS[answer], decision.id, slot.option.position
                ),
            )
            for answer in (Answer.YES, Answer.MAYBE, Answer.NO)
        ]
        for number, slot in enumerate(board.slots, start=1)
    ]
    rows.append(control_row(t, decision))
    return InlineKeyboardMarkup(rows)


def dates_result(t: Translator, board: DatesBoard, tz: tzinfo) -> Html:
    title = t.gettext("🏁 <b>{title}</b>", title=board.decision.title)
    best = next((s for s in board.slots if s.option.position == board.best), None)
    if best is None:
        return Html(title + "\n" + t.gettext("Nobody said yes or maybe to any date."))
    chosen = t.gettext(
        "The best date is <b>{slot}</b>: {yes} yes, {maybe} maybe, {no} no.",
        slot=slot_label(t, best.option, tz),
        yes=best.score.yes,
        maybe=best.score.maybe,
        no=best.score.no,
    )
    lines = [title, chosen]
    if best.names[Answer.YES]:
        lines.append(t.gettext("✅ {names}", names=_names(best.names[Answer.YES])))
    return Html("\n".join(lines))


# --- sign-up sheets --------------------------------------------------------------------------


def _places(taken: int, capacity: int | None) -> str:
    return str(taken) if capacity is None else f"{taken}/{capacity}"


def signup_text(t: Translator, board: SignupBoard, tz: tzinfo) -> Html:
    decision = board.decision

    def build(with_names: bool) -> Html:
        lines = [
            t.gettext("📝 <b>{title}</b>", title=decision.title),
            deadline_line(t, decision, tz),
        ]
        if decision.is_open:
            lines.append(t.gettext("Tap a slot to sign up, tap it again to leave."))
        lines.append(Html(""))
        for number, slot in enumerate(board.slots, start=1):
            head = Html(
                f"<b>{number}. {escape(slot_label(t, slot.option, tz))}</b>"
                f" ({_places(len(slot.people), slot.option.capacity)})"
            )
            if slot.full:
                head = Html(head + " " + t.gettext("· full"))
            if with_names and slot.people:
                head = Html(head + " — " + escape(_names([p.name for p in slot.people])))
            lines.append(head)
        return Html("\n".join(lines))

    return _fit(build)


def signup_keyboard(t: Translator, board: SignupBoard, tz: tzinfo) -> InlineKeyboardMarkup | None:
    decision = board.decision
    if not decision.is_open:
        return None
    rows = []
    for number, slot in enumerate(board.slots, start=1):
        places = _places(len(slot.people), slot.option.capacity)
        label = clip(slot_label(t, slot.option, tz), BUTTON_LABEL)
        rows.append(
            [
                InlineKeyboardButton(
                    f"{number}. {label} · {'🔒 ' if slot.full else ''}{places}",
                    callback_data=callbacks.pack(
                        SIGNUP_KIND, "t", decision.id, slot.option.position
                    ),
                )
            ]
        )
    rows.append(control_row(t, decision))
    return InlineKeyboardMarkup(rows)


def closed_summary(t: Translator, decision: Decision) -> Html:
    return t.gettext("🔒 Sign-ups for <b>{title}</b> are closed.", title=decision.title)
