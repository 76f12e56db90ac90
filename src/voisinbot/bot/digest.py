"""Rendering and sending the weekly digest (exactly once per group and week)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import MessageLimit
from telegram.error import Forbidden

from voisinbot.bot import callbacks
from voisinbot.bot.announce import announce_once
from voisinbot.bot.post_card import POST_KIND
from voisinbot.bot.scheduler import ScheduleKind
from voisinbot.domain.digest import DigestData, Item, Section
from voisinbot.domain.lifecycle import Action
from voisinbot.domain.schedules import Schedule
from voisinbot.i18n import Html, Translator, escape, translator
from voisinbot.services import digest as digest_service

if TYPE_CHECKING:
    from voisinbot.bot.app import VoisinApp

log = logging.getLogger(__name__)
ITEM_CHARS = 90


def _signed(value: int) -> str:
    return f"+{value}" if value > 0 else str(value)


Line = Callable[[Translator, Item, str, ZoneInfo], Html]


def _post_line(t: Translator, item: Item, text: str, tz: ZoneInfo) -> Html:
    if item.extra:
        return t.gettext(
            "• #{number} {text} — thanks to {who}", number=item.ref, text=text, who=item.extra
        )
    return t.gettext("• #{number} {text} — {who}", number=item.ref, text=text, who=item.who or "?")


def _taken_line(t: Translator, item: Item, text: str, tz: ZoneInfo) -> Html:
    if item.extra:
        return t.gettext("• {title} — chosen: {result}", title=text, result=item.extra)
    return t.gettext("• {title}", title=text)


def _open_line(t: Translator, item: Item, text: str, tz: ZoneInfo) -> Html:
    if item.at is not None:
        return t.gettext(
            "• {title} — until {when}", title=text, when=t.datetime(item.at, tz, "EEE d MMM, HH:mm")
        )
    return t.gettext("• {title}", title=text)


def _slot_line(t: Translator, item: Item, text: str, tz: ZoneInfo) -> Html:
    when = t.datetime(item.at, tz, "EEE d MMM, HH:mm") if item.at else ""
    return t.gettext("• {when}: {slot} ({taken} signed up)", when=when, slot=text, taken=item.extra)


def _items(
    t: Translator, section: Section, more_command: str | None, line: Line, tz: ZoneInfo
) -> list[Html]:
    lines = []
    for item in section.items:
        text = item.text if len(item.text) <= ITEM_CHARS else item.text[: ITEM_CHARS - 1] + "…"
        lines.append(line(t, item, text.replace("\n", " "), tz))
    if section.hidden:
        if more_command:
            lines.append(
                t.ngettext(
                    "… and {n} more: {command}",
                    "… and {n} more: {command}",
                    section.hidden,
                    command=more_command,
                )
            )
        else:
            lines.append(t.ngettext("… and {n} more", "… and {n} more", section.hidden))
    return lines


def render_digest(
    t: Translator, data: DigestData, tz: ZoneInfo
) -> tuple[Html, InlineKeyboardMarkup | None]:
    """The digest message: numbers first, then what waits for a hand, then what happened."""
    period = t.gettext(
        "{start} – {end}",
        start=t.date(data.week.start.astimezone(tz).date(), "d MMM"),
        end=t.date(data.week.end.astimezone(tz).date(), "d MMM"),
    )
    lines: list[Html] = [
        t.gettext("📰 <b>The week in the neighbourhood</b> ({period})", period=period)
    ]
    now, before = data.this_week, data.last_week
    lines.append(
        Html(
            " · ".join(
                [
                    t.ngettext("<b>{n} helping hand</b>", "<b>{n} helping hands</b>", now.helps)
                    + escape(f" ({_signed(now.helps - before.helps)})"),
                    t.ngettext("{n} thank-you", "{n} thank-yous", now.thanks),
                    t.ngettext("{n} new need", "{n} new needs", now.new_needs),
                    t.ngettext("{n} new offer", "{n} new offers", now.new_offers),
                ]
            )
        )
    )
    fr = t.locale == "fr"
    sections: list[tuple[Section, Html, str | None, Line]] = [
        (
            data.open_needs,
            t.gettext("🆘 <b>Still waiting for a hand</b>"),
            "/besoins" if fr else "/needs",
            _post_line,
        ),
        (
            data.new_offers,
            t.gettext("🤝 <b>New offers</b>"),
            "/offres" if fr else "/offers",
            _post_line,
        ),
        (data.helps, t.gettext("✅ <b>Helping hands this week</b>"), None, _post_line),
        (data.decisions_taken, t.gettext("🗳 <b>Decisions taken</b>"), None, _taken_line),
        (data.decisions_open, t.gettext("🗳 <b>Open decisions</b>"), None, _open_line),
        (data.upcoming_slots, t.gettext("📋 <b>Coming sign-ups</b>"), None, _slot_line),
    ]
    for section, title, command, line in sections:
        if section.total:
            lines += [Html(""), title, *_items(t, section, command, line, tz)]
    text = Html("\n".join(lines))
    if len(text) > MessageLimit.MAX_TEXT_LENGTH:  # cannot happen with 5 short items a section
        text = Html(text[: MessageLimit.MAX_TEXT_LENGTH - 1] + "…")
    buttons = [
        InlineKeyboardButton(
            t.gettext("🙋 #{number}", number=item.ref),
            callback_data=callbacks.pack(POST_KIND, Action.RESPOND.value, item.ref),
        )
        for item in data.open_needs.items
    ]
    return text, (InlineKeyboardMarkup([buttons]) if buttons else None)


async def send_digest(
    app: VoisinApp, chat_id: int, data: DigestData, tz: ZoneInfo, locale: str, *, chart: bool
) -> Message | None:
    t = translator(locale)
    text, keyboard = render_digest(t, data, tz)
    runtime = app.runtime
    sent = await announce_once(
        runtime.store,
        runtime.clock,
        kind=digest_service.DIGEST,
        chat_id=chat_id,
        period=data.week.key,
        send=lambda: app.bot.send_message(chat_id, text, reply_markup=keyboard),
    )
    if sent is not None and chart:
        from voisinbot.bot.chart import weekly_chart

        image = weekly_chart(t, data, tz)
        if image is None:
            return sent
        await announce_once(
            runtime.store,
            runtime.clock,
            kind="digest_chart",
            chat_id=chat_id,
            period=data.week.key,
            send=lambda: app.bot.send_photo(
                chat_id, image, caption=t.gettext("Helping hands, last 8 weeks")
            ),
        )
    return sent


async def run_digest(app: VoisinApp, schedule: Schedule) -> None:
    """The weekly digest of one group, then the next one planned."""
    runtime = app.runtime
    chat_id = schedule.chat_id
    if chat_id is None:
        return
    found = await digest_service.digest_settings(runtime.store, chat_id)
    group = await runtime.store.community.get_group(chat_id)
    try:
        if found is not None and found[0].enabled and group is not None:
            settings, tz = found
            # The week is the one before the planned time, even when run late after a restart.
            data = await digest_service.gather(runtime.store, chat_id, schedule.due_at, tz)
            if not data.is_empty():
                await send_digest(app, chat_id, data, tz, group.locale, chart=settings.chart)
            else:
                t = translator(group.locale)
                await announce_once(
                    runtime.store,
                    runtime.clock,
                    kind=digest_service.NUDGE,
                    chat_id=chat_id,
                    period=digest_service.nudge_period(schedule.due_at, tz),
                    send=lambda: app.bot.send_message(
                        chat_id,
                        t.gettext(
                            "🌱 A quiet week. Need a hand or have something to share? /need or /offer, a few words are enough."
                        ),
                    ),
                )
    except Forbidden:
        await runtime.store.community.mark_group_left(chat_id, runtime.clock())
        log.info("digest for %d: the bot is no longer in the group", chat_id)
        return
    finally:
        await digest_service.plan_digest(runtime.store, chat_id, runtime.clock())


async def plan_after_miss(app: VoisinApp, schedule: Schedule) -> None:
    if schedule.chat_id is not None:
        await digest_service.plan_digest(app.runtime.store, schedule.chat_id, app.runtime.clock())


def digest_schedule_kinds() -> dict[str, ScheduleKind]:
    return {digest_service.DIGEST: ScheduleKind(run=run_digest, on_missed=plan_after_miss)}
