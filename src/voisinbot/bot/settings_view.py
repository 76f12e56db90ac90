"""The settings panel: one message per view, edited in place as a facilitator taps.

Callback data is ``set|<action>|<chat id>|<value>``: the group travels with every button
(the same panel works in the group and in private), and the value is an index into the
choices below, so the server checks it against what it offered.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, time, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from voisinbot.bot import callbacks
from voisinbot.bot.post_card import category_label
from voisinbot.domain import group_settings as gs
from voisinbot.domain.digest import DigestSettings
from voisinbot.i18n import LOCALES, Html, Translator
from voisinbot.services.settings import GroupConfig

SETTINGS_KIND = "set"
DIGEST_TIMES = (time(8, 0), time(9, 0), time(12, 0), time(18, 0), time(20, 0))


class View(enum.IntEnum):
    MAIN = 0
    LANGUAGE = 1
    TIMEZONE = 2
    DIGEST = 3
    POLLS = 4
    LIFETIMES = 5
    ALERTS = 6
    CATEGORIES = 7
    OTHER_ZONE = 8


class Act(enum.StrEnum):
    """What a button does; each takes one integer value."""

    VIEW = "v"
    CLOSE = "close"
    LANGUAGE = "lang"
    TIMEZONE = "tz"
    DAY = "day"
    TIME = "time"
    DIGEST_ON = "dig"
    CHART = "chart"
    POLLS = "polls"
    NEED_DAYS = "need"
    OFFER_DAYS = "offer"
    ALERTS = "alerts"
    CATEGORY = "cat"


def _button(label: str, act: Act, chat_id: int, value: int = 0) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        label, callback_data=callbacks.pack(SETTINGS_KIND, act.value, chat_id, value)
    )


def _mark(label: str, chosen: bool) -> str:
    return ("✓ " if chosen else "") + label


def _back(t: Translator, chat_id: int) -> list[InlineKeyboardButton]:
    return [_button(t.gettext("↩ Back"), Act.VIEW, chat_id, View.MAIN)]


def language_name(t: Translator, locale: str) -> str:
    # Each language is named in itself, so anyone finds theirs.
    return {"fr": t.gettext("🇫🇷 Français"), "en": t.gettext("🇬🇧 English")}[locale]


def zone_name(t: Translator, zone: str) -> str:
    cities = {
        "Europe/Paris": t.gettext("Paris"),
        "Europe/Brussels": t.gettext("Brussels"),
        "Europe/Zurich": t.gettext("Zurich"),
        "Europe/Luxembourg": t.gettext("Luxembourg"),
        "America/Montreal": t.gettext("Montreal"),
        "Africa/Dakar": t.gettext("Dakar"),
        "Indian/Reunion": t.gettext("Réunion"),
        "America/Guadeloupe": t.gettext("Guadeloupe"),
        "Pacific/Noumea": t.gettext("Nouméa"),
        "Europe/London": t.gettext("London"),
    }
    return cities.get(zone, zone)


def weekday_name(t: Translator, weekday: int, fmt: str = "EEEE") -> str:
    # 2024-01-01 was a Monday: any date of the right weekday gives Babel the day's name.
    return t.date(date(2024, 1, 1) + timedelta(days=weekday), fmt)


def time_label(t: Translator, at: time) -> str:
    return t.time(datetime.combine(date(2024, 1, 1), at, UTC), UTC)


def digest_summary(t: Translator, digest: DigestSettings) -> Html:
    if not digest.enabled:
        return t.gettext("not sent (turned off)")
    if digest.chart:
        return t.gettext(
            "every {day} at {time}, with a chart",
            day=weekday_name(t, digest.weekday),
            time=time_label(t, digest.at),
        )
    return t.gettext(
        "every {day} at {time}",
        day=weekday_name(t, digest.weekday),
        time=time_label(t, digest.at),
    )


def _days(t: Translator, n: int) -> Html:
    return t.ngettext("{n} day", "{n} days", n)


def _polls_who(t: Translator, open_to_all: bool) -> Html:
    if open_to_all:
        return t.gettext("🗳 Quick polls launched by: everyone")
    return t.gettext("🗳 Quick polls launched by: facilitators only")


def main_text(t: Translator, config: GroupConfig) -> Html:
    s = config.settings
    if len(s.categories) == len(gs.ALL_CATEGORIES):
        categories = t.gettext("🏷 Categories in use: all")
    else:
        categories = t.gettext(
            "🏷 Categories in use: {used} of {total}",
            used=t.number(len(s.categories)),
            total=t.number(len(gs.ALL_CATEGORIES)),
        )
    alerts = (
        t.gettext("🔔 Matching alerts: on")
        if s.match_alerts
        else t.gettext("🔔 Matching alerts: off")
    )
    lines = [
        t.gettext("⚙️ <b>Settings of “{group}”</b>", group=config.title),
        "",
        t.gettext("🗣 Language: {language}", language=language_name(t, config.locale)),
        t.gettext("🕰 Time zone: {zone}", zone=config.timezone),
        t.gettext("📰 Weekly digest: {digest}", digest=digest_summary(t, s.digest)),
        _polls_who(t, s.polls_open_to_all),
        t.gettext(
            "⏳ Needs stay open {need}, offers {offer}",
            need=_days(t, s.need_days),
            offer=_days(t, s.offer_days),
        ),
        alerts,
        categories,
        "",
        t.gettext("Tap a setting to change it. Every change is saved at once."),
    ]
    return Html("\n".join(lines))


def main_keyboard(t: Translator, chat_id: int) -> InlineKeyboardMarkup:
    def view(label: str, target: View) -> InlineKeyboardButton:
        return _button(label, Act.VIEW, chat_id, target)

    return InlineKeyboardMarkup(
        [
            [view(t.gettext("🗣 Language"), View.LANGUAGE), view(t.gettext("🕰 Time zone"), View.TIMEZONE)],
            [view(t.gettext("📰 Digest"), View.DIGEST), view(t.gettext("🗳 Polls"), View.POLLS)],
            [view(t.gettext("⏳ Lifetimes"), View.LIFETIMES), view(t.gettext("🔔 Alerts"), View.ALERTS)],
            [view(t.gettext("🏷 Categories"), View.CATEGORIES)],
            [_button(t.gettext("✔ Close"), Act.CLOSE, chat_id)],
        ]
    )  # fmt: skip


def render(t: Translator, config: GroupConfig, view: View) -> tuple[Html, InlineKeyboardMarkup]:
    """The text and buttons of one view of the panel."""
    chat_id, s = config.chat_id, config.settings
    rows: list[list[InlineKeyboardButton]] = []
    match view:
        case View.MAIN:
            return main_text(t, config), main_keyboard(t, chat_id)
        case View.LANGUAGE:
            text = t.gettext(
                "🗣 <b>Language of the group</b>\nI speak it in the group: post cards, lists, the digest. In private, everyone keeps their own language."
            )
            rows.append(
                [
                    _button(_mark(language_name(t, loc), loc == config.locale), Act.LANGUAGE, chat_id, i)
                    for i, loc in enumerate(LOCALES)
                ]
            )  # fmt: skip
        case View.TIMEZONE:
            text = t.gettext(
                "🕰 <b>Time zone</b>: {zone}\nDates and times of posts, reminders and the digest follow it.",
                zone=config.timezone,
            )
            zones = [
                _button(_mark(zone_name(t, z), z == config.timezone), Act.TIMEZONE, chat_id, i)
                for i, z in enumerate(gs.TIMEZONE_CHOICES)
            ]
            rows.extend(zones[i : i + 2] for i in range(0, len(zones), 2))
            rows.append(
                [_button(t.gettext("🌐 Another time zone"), Act.VIEW, chat_id, View.OTHER_ZONE)]
            )
        case View.OTHER_ZONE:
            text = t.gettext(
                "🌐 To choose another time zone, write in the group /settings timezone followed by its name, for example <code>/settings timezone America/Toronto</code>."
            )
            rows.append([_button(t.gettext("↩ Back"), Act.VIEW, chat_id, View.TIMEZONE)])
            return text, InlineKeyboardMarkup(rows)
        case View.DIGEST:
            text = t.gettext(
                "📰 <b>Weekly digest</b>: {digest}\nChoose the day and the time. /digest in the group shows a preview.",
                digest=digest_summary(t, s.digest),
            )
            rows.extend(_digest_rows(t, chat_id, s.digest))
        case View.POLLS:
            text = t.gettext(
                "🗳 <b>Who may launch quick polls</b>\nFacilitators can always launch polls, date polls, sign-up sheets and budgets. Quick polls can also be opened to every resident."
            )
            rows.append(
                [
                    _button(_mark(t.gettext("Facilitators only"), not s.polls_open_to_all), Act.POLLS, chat_id, 0),
                    _button(_mark(t.gettext("Everyone"), s.polls_open_to_all), Act.POLLS, chat_id, 1),
                ]
            )  # fmt: skip
        case View.LIFETIMES:
            text = t.gettext(
                "⏳ <b>How long posts stay open</b>\nA need closes after {need} and an offer after {offer}, unless renewed; authors are warned two days before.",
                need=_days(t, s.need_days),
                offer=_days(t, s.offer_days),
            )
            rows.append(
                [
                    _button(_mark(t.ngettext("🆘 {n} day", "🆘 {n} days", n), n == s.need_days), Act.NEED_DAYS, chat_id, i)
                    for i, n in enumerate(gs.NEED_DAYS_CHOICES)
                ]
            )  # fmt: skip
            rows.append(
                [
                    _button(_mark(t.ngettext("🤝 {n} day", "🤝 {n} days", n), n == s.offer_days), Act.OFFER_DAYS, chat_id, i)
                    for i, n in enumerate(gs.OFFER_DAYS_CHOICES)
                ]
            )  # fmt: skip
        case View.ALERTS:
            text = t.gettext(
                "🔔 <b>Matching alerts</b>\nWhen a new post matches an open one (a need and an offer about the same thing), I tell the residents concerned privately."
            )
            rows.append(
                [
                    _button(_mark(t.gettext("On"), s.match_alerts), Act.ALERTS, chat_id, 1),
                    _button(_mark(t.gettext("Off"), not s.match_alerts), Act.ALERTS, chat_id, 0),
                ]
            )
        case View.CATEGORIES:
            text = t.gettext(
                "🏷 <b>Categories in use</b>\nPosts are filed under these; the category picker under a post offers only them. “Other” always stays."
            )
            buttons = [
                _button(
                    ("✅ " if s.uses(c) else "⬜ ") + category_label(t, c),
                    Act.CATEGORY,
                    chat_id,
                    # The value says what the tap does (index, then 1 = use, 0 = stop using).
                    i * 2 + int(not s.uses(c)),
                )
                for i, c in enumerate(gs.ALL_CATEGORIES)
            ]
            rows.extend(buttons[i : i + 2] for i in range(0, len(buttons), 2))
    rows.append(_back(t, chat_id))
    return text, InlineKeyboardMarkup(rows)


def _digest_rows(
    t: Translator, chat_id: int, digest: DigestSettings
) -> list[list[InlineKeyboardButton]]:
    on = digest.enabled
    days = [
        _button(_mark(weekday_name(t, d, "EEE"), on and d == digest.weekday), Act.DAY, chat_id, d)
        for d in range(7)
    ]
    times = [
        _button(_mark(time_label(t, at), on and at == digest.at), Act.TIME, chat_id, i)
        for i, at in enumerate(DIGEST_TIMES)
    ]
    switches = [
        _button(_mark(t.gettext("📊 With a chart"), digest.chart), Act.CHART, chat_id, int(not digest.chart)),
        _button(t.gettext("⏸ Turn off") if on else t.gettext("▶ Turn on"), Act.DIGEST_ON, chat_id, int(not on)),
    ]  # fmt: skip
    return [days[:4], days[4:], times, switches]


def closed_text(t: Translator) -> Html:
    return t.gettext(
        "✔ Settings closed. Every change is already saved; /settings opens them again."
    )
