"""Short texts around decisions: pointers, refusals, guided questions, reminders, the roster."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from voisinbot.bot import callbacks
from voisinbot.bot.delivery import start_link
from voisinbot.domain.polls.model import Decision, DecisionKind
from voisinbot.i18n import Html, Translator
from voisinbot.services.decisions import Refusal

ROSTER_KIND = "rst"


def private_pointer(t: Translator, kind: DecisionKind) -> Html:
    match kind:
        case DecisionKind.POLL:
            return t.gettext("Polls are launched in your neighbourhood group: write /poll there.")
        case DecisionKind.DATES:
            return t.gettext(
                "Finding a date happens in your neighbourhood group: write /dates there."
            )
        case DecisionKind.SIGNUP:
            return t.gettext(
                "Sign-up sheets are launched in your neighbourhood group: write /signup there."
            )
        case DecisionKind.BUDGET:
            return t.gettext(
                "A citizen budget is launched in your neighbourhood group: write /budget there."
            )


def not_facilitator(t: Translator) -> Html:
    return t.gettext("Only the group's facilitators can launch this here.")


def title_prompt(t: Translator, kind: DecisionKind) -> tuple[Html, Html]:
    """The first guided question, and the example shown in the input field."""
    match kind:
        case DecisionKind.POLL:
            return (
                t.gettext("What is the question? Answer this message."),
                t.gettext("Pizza or crêpes on Friday?"),
            )
        case DecisionKind.DATES:
            return (
                t.gettext("What are we finding a date for? Answer this message."),
                t.gettext("Garden meeting"),
            )
        case DecisionKind.SIGNUP:
            return (
                t.gettext("What are the sign-ups for? Answer this message."),
                t.gettext("Watering the garden"),
            )
        case DecisionKind.BUDGET:
            return (
                t.gettext("What is the budget called? Answer this message."),
                t.gettext("Budget 2027"),
            )


def options_prompt(t: Translator, kind: DecisionKind) -> tuple[Html, Html]:
    match kind:
        case DecisionKind.POLL:
            return (
                t.gettext(
                    "Now the choices, one per line (2 to 12). A last line may add the deadline "
                    "and how people vote: 48h, anonymous, multiple, secret."
                ),
                t.gettext("Pizza"),
            )
        case DecisionKind.DATES:
            return (
                t.gettext(
                    "Now the dates, one per line (sat 14/12 10am). A last line may add the "
                    "deadline: until friday 6pm."
                ),
                t.gettext("sat 14/12 10am"),
            )
        case DecisionKind.SIGNUP:
            return (
                t.gettext(
                    "Now the slots, one per line, with the number of places in brackets: "
                    "sat 10am (3)."
                ),
                t.gettext("sat 10am (3)"),
            )
        case DecisionKind.BUDGET:
            return (
                t.gettext(
                    "Now the total on the first line (5000 €), then one project per line with "
                    "its cost (Benches 1200), and the deadline on the last line if you wish."
                ),
                t.gettext("5000 €"),
            )


def answer_with_text(t: Translator) -> Html:
    return t.gettext("Please answer with a few words of text.")


# --- reminders -------------------------------------------------------------------------------


def reminder_group(t: Translator, decision: Decision, hours: int) -> Html:
    """In the group: names nobody, whatever the kind of decision."""
    head = t.ngettext(
        "⏰ {n} hour left to answer: <b>{title}</b>",
        "⏰ {n} hours left to answer: <b>{title}</b>",
        hours,
        title=decision.title,
    )
    hint = t.gettext("A private reminder next time? Send /participate in the group.")
    return Html(f"{head}\n{hint}")


def reminder_private(t: Translator, decision: Decision, hours: int, group_title: str) -> Html:
    return t.ngettext(
        "⏰ {group} is deciding: <b>{title}</b>\nIt closes in {n} hour and you have not answered yet.",
        "⏰ {group} is deciding: <b>{title}</b>\nIt closes in {n} hours and you have not answered yet.",
        hours,
        group=group_title,
        title=decision.title,
    )


def reminder_keyboard(
    t: Translator, chat_id: int, open_button: InlineKeyboardButton | None
) -> InlineKeyboardMarkup:
    rows = [[open_button]] if open_button is not None else []
    rows.append([leave_roster_button(t, chat_id, t.gettext("🔕 Stop these reminders"))])
    return InlineKeyboardMarkup(rows)


def open_button(t: Translator, url: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(t.gettext("Open it in the group"), url=url)


def slot_reminder_private(t: Translator, decision: Decision, slot: str, group_title: str) -> Html:
    return t.gettext(
        "⏰ Reminder from {group}: you signed up for <b>{title}</b> — {slot}. Thank you!",
        group=group_title,
        title=decision.title,
        slot=slot,
    )


def slot_reminder_group(t: Translator, decision: Decision, slot: str, mentions: Html) -> Html:
    return t.gettext(
        "⏰ Reminder: <b>{title}</b> — {slot}: {people}, you signed up. Thank you!",
        title=decision.title,
        slot=slot,
        people=mentions,
    )


# --- the roster ------------------------------------------------------------------------------


def leave_roster_button(t: Translator, chat_id: int, label: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callbacks.pack(ROSTER_KIND, "leave", chat_id))


def roster_joined(t: Translator, name: str, *, already: bool, reachable: bool) -> Html:
    if already:
        text = t.gettext("{name}, you are already on the reminder list of this group.", name=name)
    else:
        text = t.gettext(
            "✅ {name}, you are on the reminder list of this group: before a decision closes, "
            "I will write to you privately if you have not answered yet.",
            name=name,
        )
    if not reachable:
        text = Html(
            text
            + "\n"
            + t.gettext("Start me privately first (button below), so I may write to you.")
        )
    return text


def roster_keyboard(
    t: Translator, chat_id: int, username: str, *, reachable: bool
) -> InlineKeyboardMarkup:
    rows = []
    if not reachable:
        rows.append(
            [
                InlineKeyboardButton(
                    t.gettext("💬 Start the bot privately"), url=start_link(username)
                )
            ]
        )
    rows.append([leave_roster_button(t, chat_id, t.gettext("Leave the reminder list"))])
    return InlineKeyboardMarkup(rows)


def roster_private_pointer(t: Translator) -> Html:
    return t.gettext(
        "The reminder list belongs to a group: send /participate in your neighbourhood group."
    )


def budget_refusal(t: Translator, refusal: Refusal, group_title: str) -> Html:
    """Why a ballot cannot be opened or changed."""
    match refusal:
        case Refusal.NOT_OPEN:
            return t.gettext("This budget vote is closed.")
        case Refusal.NOT_MEMBER:
            return t.gettext(
                "This ballot is for the residents of {group}, and I have not seen you there "
                "yet: send a command in the group (for example /help), then tap the button again.",
                group=group_title,
            )
        case Refusal.EMPTY_BALLOT:
            return t.gettext("Select at least one project first.")
        case Refusal.OVER_BUDGET:
            return t.gettext("This selection goes over the budget: unselect a project first.")
        case _:
            return t.gettext("I cannot find this budget vote.")


def over_budget(t: Translator, excess: str) -> Html:
    return t.gettext(
        "That would go {excess} over the budget: unselect a project first.", excess=excess
    )
