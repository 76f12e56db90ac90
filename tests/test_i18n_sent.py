"""Every text the bot sends comes from the catalogue, in the language of the chat.

Scenarios are played in a French group, a group switched to English with /settings, and
private chats in both languages (with an English resident in the French group and a French one
in the English group). Then every text the fake Telegram recorded (messages, edits, captions,
callback answers, button labels, input placeholders, command menus) is reduced: residents' own
words (names, titles, what they typed; time zone names) and Babel's day and month names become
a mark, then every catalogue translation of the chat's language is removed, repeatedly (one
may fill another's ``{field}``), a field matching only what has no letter left. Any letter
left is a text that came from nowhere in that language: a hard-coded string, or a message in
the other language. ``test_the_check_catches_…`` shows what it catches.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.pofile import read_po

from tests.harness import Neighbourhood
from voisinbot.domain.group_settings import TIMEZONE_CHOICES
from voisinbot.i18n import po_path

ROOT = Path(__file__).resolve().parents[1]
MARK = "\x00"  # what a removed piece becomes: not a letter, so it may fill a hole
_LETTER = r"[^\W\d_]"
_HOLE = rf"(?:(?!{_LETTER}).)*?"  # a {field}: anything but letters (what is left of a value)
_FIELD = re.compile(r"\{[^{}]*\}")
_TAG = re.compile(r"<[^>]*>")
_LETTERS = re.compile(rf"{_LETTER}+")


def _visible(text: str) -> str:
    """What a person reads of a Telegram HTML text."""
    return html.unescape(_TAG.sub("", text))


def _bounded(body: str, first: str, last: str) -> str:
    # A piece that starts or ends with a letter must not be cut out of a longer word.
    before = f"(?<!{_LETTER})" if re.match(_LETTER, first) else ""
    after = f"(?!{_LETTER})" if re.match(_LETTER, last) else ""
    return before + body + after


@cache
def catalogue(locale: str) -> tuple[tuple[str, ...], ...]:
    """Every translation of ``locale`` in visible text, split at its ``{fields}``."""
    with po_path(locale, ROOT / "locales").open("rb") as fh:
        messages = read_po(fh, locale=locale)
    found: set[tuple[str, ...]] = set()
    for message in messages:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            literals = tuple(_FIELD.split(_visible(string)))
            if string and _LETTERS.search("".join(literals)):
                found.add(literals)
    return tuple(found)


@cache
def babel_words(locale: str) -> tuple[str, ...]:
    """Names of days, months and day periods as Babel writes them in dates."""
    data = Locale.parse(locale)
    words: set[str] = {"à"} if locale == "fr" else {"at"}
    for table in (data.days, data.months):
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                words.update(table.get(context, {}).get(width, {}).values())
    words.update(data.day_periods.get("format", {}).get("abbreviated", {}).values())
    return tuple(words)


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(
        _bounded(re.escape(w), w[0], w[-1]) for w in sorted(set(words), key=len, reverse=True)
    )


class Reducer:
    """Removes from a sent text what may be there, for one language and one scenario.

    Residents' words and dates are replaced by a mark in the sent text and in the catalogue
    alike, so that a resident who typed "/aide" or "coup de main" neither hides nor breaks
    a catalogue text; then catalogue texts are removed, repeatedly (a text may fill another's
    field), their fields matching only what has no letter left.
    """

    def __init__(self, locale: str, own_words: Iterable[str]) -> None:
        self.loose = re.compile(_alternatives([*own_words, *babel_words(locale)]))
        pieces: dict[str, tuple[int, str, re.Pattern[str]]] = {}
        for parts in catalogue(locale):
            parts = tuple(self.loose.sub(MARK, part) for part in parts)
            if not _LETTERS.search("".join(parts)):
                continue  # nothing of the language left to recognise
            body = _HOLE.join(map(re.escape, parts))
            first, last = parts[0][:1] or " ", parts[-1][-1:] or " "
            pattern = re.compile(_bounded(body, first, last), re.DOTALL)
            pieces[pattern.pattern] = (len("".join(parts)), max(parts, key=len), pattern)
        # Longest first: "No, thanks" before the "thanks" of "{n} thanks".
        self.pieces = [(a, p) for _, a, p in sorted(pieces.values(), key=lambda p: -p[0])]

    def reduce(self, text: str) -> str:
        """What is left once residents' words, dates and the catalogue are removed."""
        left = self.loose.sub(MARK, _visible(text))
        for _ in range(10):
            before = left
            for anchor, pattern in self.pieces:
                if anchor in left:
                    left = pattern.sub(MARK, left)
            if left == before:
                break
        return left


def reduce(text: str, locale: str, own_words: Iterable[str] = ()) -> str:
    return Reducer(locale, own_words).reduce(text)


# --- what residents said, and what the bot sent -------------------------------------------


def residents_words(hood: Neighbourhood) -> set[str]:
    """Names, titles and everything residents typed, from the updates the bot received."""
    words: set[str] = set(TIMEZONE_CHOICES) | {"Europe/Brussels", "Mars/Olympus", "voisinbot_bot"}
    for call in hood.engine.calls_to("getUpdates"):
        for update in call.result or []:
            for value in _walk(update):
                if not isinstance(value, dict):
                    continue
                for key in ("first_name", "last_name", "title", "username"):
                    if value.get(key):
                        words.add(str(value[key]))
                        words.add("@" + str(value[key]))
                if value.get("first_name") and value.get("last_name"):
                    words.add(f"{value['first_name']} {value['last_name']}")
                text = value.get("text")
                if isinstance(text, str) and "message_id" in value:
                    words.update(_typed(text))
    return {w for w in words if len(w) >= 2}


def _typed(text: str) -> Iterator[str]:
    yield text.strip()
    argument = text.split(maxsplit=1)[1] if text.startswith("/") and " " in text else text
    yield argument.strip()
    for part in argument.split("|"):
        yield part.strip()


def _walk(value: Any) -> Iterator[Any]:
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


@dataclass(frozen=True)
class Sent:
    index: int  # position in the fake's call log
    method: str
    chat_id: int | None
    text: str


def sent_texts(hood: Neighbourhood) -> Iterator[Sent]:
    queries: dict[str, int] = {}
    for call in hood.engine.calls_to("getUpdates"):
        for update in call.result or []:
            query = update.get("callback_query")
            if query is not None:
                queries[query["id"]] = query["message"]["chat"]["id"]
    for index, call in enumerate(hood.engine.calls):
        if not call.ok:
            continue
        params = call.params
        chat_id = params.get("chat_id")
        chat = (
            int(chat_id)
            if chat_id is not None
            else queries.get(params.get("callback_query_id", ""))
        )
        for field in ("text", "caption"):
            if isinstance(params.get(field), str) and params[field]:
                yield Sent(index, call.method, chat, params[field])
        markup = params.get("reply_markup")
        if isinstance(markup, dict):
            for row in markup.get("inline_keyboard", []):
                yield from (Sent(index, call.method + " button", chat, b["text"]) for b in row)
            if markup.get("input_field_placeholder"):
                yield Sent(
                    index, call.method + " placeholder", chat, markup["input_field_placeholder"]
                )
        if call.method == "setMyCommands":
            # Without a language: the bot's default, or the group's for one member's menu.
            scope = params.get("scope") or {}
            language = params.get("language_code") or ("" if "chat_id" in scope else "fr")
            for command in params["commands"]:
                yield Sent(
                    index, f"setMyCommands {language}", scope.get("chat_id"), command["description"]
                )


# --- the scenarios ----------------------------------------------------------------------


@dataclass
class Chats:
    """Which language each chat must read, possibly changing at a point of the call log."""

    private: dict[int, str]
    groups: dict[int, list[tuple[int, str]]]  # chat id -> [(from call index, locale)]

    def locale(self, sent: Sent) -> str:
        language = sent.method.removeprefix("setMyCommands ")
        if sent.method.startswith("setMyCommands") and language:
            return language
        assert sent.chat_id is not None, sent
        if sent.chat_id in self.private:
            return self.private[sent.chat_id]
        return [loc for start, loc in self.groups[sent.chat_id] if start <= sent.index][-1]


async def _tap(
    hood: Neighbourhood, user: dict[str, Any], chat_id: int, message_id: int, prefix: str
) -> None:
    message = hood.engine.message(chat_id, message_id)
    assert message is not None
    for row in hood.engine.buttons(message):
        for _, data in row:
            if data is not None and data.startswith(prefix):
                await hood.send(hood.world.callback(user, message, data))
                return
    raise AssertionError(f"no button {prefix!r} in {hood.engine.buttons(message)}")


async def _play(
    hood: Neighbourhood,
    chats: Chats,
    title: str,
    lang: str,
    admin: dict[str, Any],
    r1: dict[str, Any],
    r2: dict[str, Any],
) -> None:
    """One group's life, commands in the group's language."""
    fr = lang == "fr"
    world, group = hood.world, hood.world.supergroup(title)
    gid = group["id"]
    chats.groups[gid] = [(0, "fr")]  # every group starts in the bot's default language
    for user in (admin, r1, r2):
        await hood.send(world.command(world.private(user), user, "/start"))
    hood.engine.set_admins(gid, [admin])
    await hood.send(world.bot_added(group, admin))
    panel = hood.last(world.private(admin))
    if not fr:
        await _tap(hood, admin, admin["id"], panel["message_id"], f"1|set|v|{gid}|1")
        chats.groups[gid].append((len(hood.engine.calls), "en"))
        await _tap(hood, admin, admin["id"], panel["message_id"], f"1|set|lang|{gid}|1")

    async def say(user: dict[str, Any], text: str) -> dict[str, Any]:
        await hood.send(world.command(group, user, text))
        return hood.last(group)

    await say(r1, "/aide" if fr else "/help")
    await hood.send(world.command(world.private(r1), r1, "/help"))
    card = await say(
        r1,
        "/besoin un coup de main pour porter un canapé samedi"
        if fr
        else "/need a hand to carry a sofa on Saturday",
    )
    await _tap(hood, r2, gid, card["message_id"], "1|p|respond|")
    ask = hood.last(world.private(r1))
    await _tap(hood, r1, r1["id"], ask["message_id"], "1|r|accept|")
    await _tap(hood, r1, gid, card["message_id"], "1|p|done|")
    thanks = hood.last(world.private(r1))
    await _tap(hood, r1, r1["id"], thanks["message_id"], "1|th|")
    offer = await say(r2, "/offre je prête ma perceuse" if fr else "/offer I lend my drill")
    await _tap(hood, admin, gid, offer["message_id"], "1|p|pick|")
    await _tap(hood, admin, gid, offer["message_id"], "1|p|cat-diy|")
    await say(r1, "/besoins" if fr else "/needs")
    await say(r1, "/offres" if fr else "/offers")
    await say(r1, "/cherche perceuse" if fr else "/search drill")
    await say(r2, "/mes" if fr else "/mine")
    await say(r1, "/besoin" if fr else "/need")  # the bot asks for the words
    # Settings: the short answer, then the panel in the group, every view, some changes.
    await say(admin, "/reglages" if fr else "/settings")
    panel = await say(admin, "/reglages ici" if fr else "/settings here")
    mid = panel["message_id"]
    steps = [
        "v|1", "lang|0", "v|0", "v|2", "tz|1", "v|8", "v|2", "v|0",
        "v|3", "day|4", "time|3", "chart|1", "dig|0", "dig|1", "v|0",
        "v|4", "polls|1", "v|0", "v|5", "need|0", "offer|2", "v|0",
        "v|6", "alerts|0", "v|0", "v|7", "cat|2", "v|0",
    ]  # fmt: skip
    if not fr:  # choosing English again must not switch the group back to French
        steps[1] = "lang|1"
    for step in steps:
        action, value = step.split("|")
        await _tap(hood, admin, gid, mid, f"1|set|{action}|{gid}|{value}")
    await hood.send(world.callback(r2, hood.engine.message(gid, mid) or {}, f"1|set|v|{gid}|1"))
    await _tap(hood, admin, gid, mid, f"1|set|close|{gid}|0")
    await say(
        admin, "/reglages fuseau Europe/Brussels" if fr else "/settings timezone Europe/Brussels"
    )
    await say(admin, "/reglages fuseau Mars/Olympus" if fr else "/settings timezone Mars/Olympus")
    await say(r1, "/reglages" if fr else "/settings")
    # Facilitators.
    said = world.message(
        group, r2, "je m'occupe du compost" if fr else "I'll look after the compost"
    )
    await hood.send(said)
    appoint = "/animateur" if fr else "/facilitator"
    await hood.send(world.reply(group, admin, appoint, to=said["message"]))
    await say(r1, "/animateurs" if fr else "/facilitators")
    await hood.send(
        world.reply(group, admin, appoint + (" retirer" if fr else " remove"), to=said["message"])
    )
    await say(admin, appoint + " @quelquun")
    await say(admin, appoint + " Personne Inconnue")
    await say(admin, appoint)
    await say(r1, appoint)
    await hood.send(world.command(world.private(r1), r1, f"/start settings_{gid}"))
    await hood.send(world.command(world.private(r1), r1, "/settings"))
    await hood.send(world.command(world.private(r1), r1, "/facilitators"))
    # The digest: previews, then a week later the real one, and reminders of old posts.
    await say(admin, "/digest ici" if fr else "/digest here")
    await say(admin, "/digest")


async def test_every_text_sent_comes_from_the_catalogue_in_the_chat_language(
    hood: Neighbourhood,
) -> None:
    world = hood.world
    alice = world.user("Alice", last_name="Martin", language_code="fr")
    bernard = world.user("Bernard", language_code="fr")
    carol = world.user("Carol", language_code="en")
    dave = world.user("Dave", language_code="en-GB")
    erin = world.user("Erin", language_code="en")
    fanny = world.user("Fanny", language_code="fr")
    chats = Chats(
        private={
            u["id"]: u["language_code"][:2] for u in (alice, bernard, carol, dave, erin, fanny)
        },
        groups={},
    )
    # An English resident in the French group and a French one in the English group: each
    # group reads its language, each person their own in private.
    await _play(hood, chats, "Jardin partagé des Lilas", "fr", alice, bernard, carol)
    await _play(hood, chats, "Maple Street Tenants", "en", dave, erin, fanny)
    for _ in range(8 * 8):  # a week and a day, three hours at a time: digests, reminders
        hood.clock.advance(hours=3)
        await hood.run_due()

    own = residents_words(hood)
    reducers = {locale: Reducer(locale, own) for locale in ("fr", "en")}
    checked, problems = 0, []
    for sent in sent_texts(hood):
        checked += 1
        locale = chats.locale(sent)
        left = reducers[locale].reduce(sent.text)
        if _LETTERS.search(left):
            problems.append(
                f"{sent.method} in {sent.chat_id} ({locale}): {sent.text!r} -> {left!r}"
            )
    assert checked > 150
    assert problems == [], "\n".join(problems)


def test_the_check_catches_a_hard_coded_or_misplaced_text() -> None:
    own = {"Alice Martin", "une échelle"}
    assert not _LETTERS.search(reduce("🆘 <b>Besoin n°3</b>, par Alice Martin", "fr", own))
    assert _LETTERS.search(reduce("Settings saved", "fr", own))  # hard-coded English
    assert _LETTERS.search(reduce("Page 1 of 2", "fr", own))  # English in a French chat
    assert _LETTERS.search(reduce("Page 1 sur 2", "en", own))  # French in an English chat
    assert _LETTERS.search(
        reduce("Seuls les animateurs du groupe peuvent changer ses réglages. Oops", "fr", own)
    )
    # A value that is not a resident's word cannot hide in a {field}.
    assert _LETTERS.search(reduce("🕰 Fuseau horaire : Quelque part", "fr", own))
