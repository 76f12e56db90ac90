"""/stats and /export: a group's social usefulness in figures, for its facilitators (sent
privately: long, and not for everyone), with a chart when matplotlib is installed."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from telegram import Chat, InputFile, Message, Update, User
from telegram.error import Forbidden

from voisinbot.bot.chart import chart_available
from voisinbot.bot.context import BotContext
from voisinbot.bot.delivery import send_private, start_button
from voisinbot.bot.people import PROXY_USER_IDS
from voisinbot.bot.replies import command_argument, reply
from voisinbot.bot.roles import is_facilitator
from voisinbot.domain.stats import Period, Report, signed
from voisinbot.i18n import Html, Translator, pick_locale, translator
from voisinbot.services import export as export_service
from voisinbot.services import stats as stats_service

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Asked:
    message: Message
    user: User
    period: Period
    tz: ZoneInfo
    title: str
    t: Translator  # the facilitator's language, for what is sent privately


async def _asked(update: Update, context: BotContext, command: str) -> Asked | None:
    """A facilitator's /stats or /export in a group, with a period it understands; says why
    not otherwise."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return None
    t = context.t
    if message.chat.type == Chat.PRIVATE:
        await reply(message, t.gettext("Use {command} in your group.", command=command))
        return None
    if not await is_facilitator(context, message.chat, user, message):
        await reply(message, t.gettext("Only the group's facilitators can do that."))
        return None
    if user.id in PROXY_USER_IDS:
        await reply(
            message, t.gettext("Write as yourself, not anonymously: I send this privately.")
        )
        return None
    tz = await stats_service.group_zone(context.store, message.chat.id, context.settings.timezone)
    period = stats_service.period_from_words(command_argument(message), context.now(), tz)
    if period is None:
        await reply(
            message,
            t.gettext(
                "Which period? {command} alone: the last 30 days; {command} 90: the last 90 days; "
                "{command} month or {command} year: since the 1st of the month or of January; "
                "{command} 2026-01-01 2026-03-31: between two dates.",
                command=command,
            ),
        )
        return None
    private_t = translator(pick_locale(user.language_code, context.settings.default_locale))
    return Asked(message, user, period, tz, message.chat.title or "", private_t)


async def _tell_group(context: BotContext, asked: Asked, sent: bool) -> None:
    t = context.t
    if sent:
        await reply(asked.message, t.gettext("I sent it to you privately."))
    else:
        await reply(
            asked.message,
            t.gettext("Start me privately, then ask again: I will send it there."),
            reply_markup=start_button(t, context.runtime.bot_username),
        )


def _span(t: Translator, period: Period, tz: ZoneInfo) -> Html:
    return t.gettext(
        "{start} – {end}",
        start=t.date(period.start.astimezone(tz).date(), "d MMM y"),
        end=t.date(period.last_day(tz), "d MMM y"),
    )


# --- /stats ---------------------------------------------------------------------------------


def duration(t: Translator, value: timedelta) -> str:
    hours = abs(value.total_seconds()) / 3600
    if hours < 1:
        minutes = round(hours * 60)
        return t.ngettext("{n} minute", "{n} minutes", minutes)
    if hours < 48:
        return t.ngettext("{n} hour", "{n} hours", round(hours))
    return t.ngettext("{n} day", "{n} days", round(hours / 24))


def _kinds(t: Translator, report: Report) -> str:
    names = {
        "poll": lambda n: t.ngettext("{n} poll", "{n} polls", n),
        "dates": lambda n: t.ngettext("{n} date finding", "{n} date findings", n),
        "signup": lambda n: t.ngettext("{n} sign-up sheet", "{n} sign-up sheets", n),
        "budget": lambda n: t.ngettext("{n} citizen budget", "{n} citizen budgets", n),
    }
    return ", ".join(names[k](n) for k, n in report.current.decisions_by_kind if k in names)


def render_report(t: Translator, report: Report, title: str, tz: ZoneInfo) -> Html:
    now, days = report.current, round(report.period.length / timedelta(days=1))

    def line(label: Html, name: str) -> Html:
        return t.gettext(
            "{label}: <b>{n}</b> ({change})",
            label=label,
            n=t.number(getattr(now, name)),
            change=signed(report.change(name)),
        )

    lines = [
        t.gettext("📊 <b>{group}</b>, {span}", group=title, span=_span(t, report.period, tz)),
        t.ngettext(
            "Compared with the day before.", "Compared with the {n} days before.", max(days, 1)
        ),
        Html(""),
        line(t.gettext("🆘 Needs posted"), "needs_posted"),
        line(t.gettext("✅ Needs fulfilled"), "needs_done"),
    ]
    if now.median_help is None:
        lines.append(t.gettext("⏱ Median time to help: no need fulfilled"))
    else:
        moved = report.median_change()
        if moved is None:
            lines.append(
                t.gettext(
                    "⏱ Median time to help: <b>{duration}</b>",
                    duration=duration(t, now.median_help),
                )
            )
        else:
            lines.append(
                t.gettext(
                    "⏱ Median time to help: <b>{duration}</b> ({change})",
                    duration=duration(t, now.median_help),
                    change=("−" if moved < timedelta(0) else "+") + duration(t, moved),
                )
            )
    lines += [
        line(t.gettext("🤝 Offers posted"), "offers_posted"),
        line(t.gettext("🎁 Offers taken up"), "offers_done"),
        line(t.gettext("🙋 Residents who helped"), "helpers"),
        line(t.gettext("💛 Residents who were helped"), "helped"),
        line(t.gettext("🙏 Thank-yous"), "thanks"),
        line(t.gettext("🗳 Decisions taken"), "decisions"),
    ]
    if now.decisions_by_kind:
        lines.append(Html("    " + _kinds(t, report)))
    if now.turnout is not None:
        points = report.turnout_change()
        percent = t.number(round(now.turnout * 100))
        lines.append(
            t.gettext("👥 Turnout in decisions: <b>{percent}%</b>", percent=percent)
            if points is None
            else t.gettext(
                "👥 Turnout in decisions: <b>{percent}%</b> ({change} points)",
                percent=percent,
                change=signed(round(points * 100)),
            )
        )
    return Html("\n".join(lines))


def chart(t: Translator, report: Report) -> bytes | None:
    """Bars for this period next to the one before; None without matplotlib."""
    if not chart_available():
        return None
    import matplotlib

    matplotlib.use("Agg")  # no screen on a server
    from matplotlib import pyplot as plt
    from matplotlib.ticker import MaxNLocator

    names = ("needs_posted", "needs_done", "offers_posted", "helpers", "thanks", "decisions")
    labels = [
        t.gettext("Needs"),
        t.gettext("Fulfilled"),
        t.gettext("Offers"),
        t.gettext("Helpers"),
        t.gettext("Thanks"),
        t.gettext("Decisions"),
    ]
    figure, axis = plt.subplots(figsize=(6.4, 3), dpi=100)
    try:
        places = range(len(names))
        axis.bar(
            [p - 0.2 for p in places],
            [getattr(report.previous, n) for n in names],
            width=0.4,
            color="#b8c9bb",
            label=t.gettext("Period before"),
        )
        axis.bar(
            [p + 0.2 for p in places],
            [getattr(report.current, n) for n in names],
            width=0.4,
            color="#4c9a5b",
            label=t.gettext("This period"),
        )
        axis.set_xticks(list(places), labels)
        axis.yaxis.set_major_locator(MaxNLocator(integer=True))
        axis.spines[["top", "right"]].set_visible(False)
        axis.legend(frameon=False, fontsize=8)
        axis.tick_params(axis="x", labelsize=8)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(figure)


async def stats_command(update: Update, context: BotContext) -> None:
    """/stats [period]: the figures privately, a short answer in the group."""
    asked = await _asked(update, context, "/stats")
    if asked is None:
        return
    report = await stats_service.report(context.store, asked.message.chat.id, asked.period)
    text = render_report(asked.t, report, asked.title, asked.tz)
    sent = await send_private(context, asked.user.id, text)
    if sent is not None:
        image = chart(asked.t, report)
        if image is not None:
            await context.bot.send_photo(
                asked.user.id,
                image,
                caption=asked.t.gettext("This period next to the one before"),
            )
    await _tell_group(context, asked, sent is not None)


# --- /export --------------------------------------------------------------------------------


async def export_command(update: Update, context: BotContext) -> None:
    """/export [period]: the CSV files (posts, helps, thanks, decisions) in a zip, privately."""
    asked = await _asked(update, context, "/export")
    if asked is None:
        return
    chat_id = asked.message.chat.id
    files = await export_service.export_csv(context.store, chat_id, asked.period, asked.tz)
    start = asked.period.start.astimezone(asked.tz).date().isoformat()
    end = asked.period.last_day(asked.tz).isoformat()
    folder = f"voisinbot-{start}-{end}"
    t = asked.t
    try:
        await context.bot.send_document(
            asked.user.id,
            InputFile(export_service.zipped(files, folder), filename=folder + ".zip"),
            caption=t.gettext(
                "📁 “{group}”, {span}: posts, helps, thanks and decisions, one CSV file each. "
                "Residents appear as pseudonyms, never by name.",
                group=asked.title,
                span=_span(t, asked.period, asked.tz),
            ),
        )
        sent = True
    except Forbidden:
        await context.store.community.set_reachable(asked.user.id, False)
        sent = False
    await _tell_group(context, asked, sent)
