"""Every validation error and injected fault surfaces as the PTB exception a bot would see."""

from __future__ import annotations

import datetime as dt

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit, ParseMode, PollLimit
from telegram.error import (
    BadRequest,
    ChatMigrated,
    EndPointNotFound,
    Forbidden,
    NetworkError,
    RetryAfter,
    TimedOut,
)

from voisinbot.fakeapi import FakeTelegram, Fault, SimulatedTimeout, World

NOT_MODIFIED = (
    "Message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


@pytest.fixture
def group(world: World) -> dict[str, object]:
    return world.group("Rue des Lilas")


def buttons(datas: list[str], per_row: int = 1) -> InlineKeyboardMarkup:
    flat = [InlineKeyboardButton(d[:10] or "x", callback_data=d) for d in datas]
    return InlineKeyboardMarkup([flat[i : i + per_row] for i in range(0, len(flat), per_row)])


PARSE = "can't parse entities: "


@pytest.mark.parametrize(
    ("text", "parse_mode", "description"),
    [
        ("", None, "message text is empty"),
        ("   \n ", None, "message text is empty"),
        ("x" * (MessageLimit.MAX_TEXT_LENGTH + 1), None, "message is too long"),
        (
            "<b>gras</i>",
            ParseMode.HTML,
            PARSE + 'Unmatched end tag at byte offset 7, expected "</b>", found "</i>"',
        ),
        ("<b>gras", ParseMode.HTML, PARSE + 'Can\'t find end tag corresponding to start tag "b"'),
        ("1 < 2", ParseMode.HTML, PARSE + 'Unsupported start tag "" at byte offset 2'),
        ("<marquee>x</marquee>", ParseMode.HTML, PARSE + 'Unsupported start tag "marquee" at byte offset 0'),
        ("R&D", ParseMode.HTML, PARSE + "Character '&' must be escaped as &amp; at byte offset 1"),
        ("é</b>", ParseMode.HTML, PARSE + "Unexpected end tag at byte offset 2"),
        ('<a href="x>y</a>', ParseMode.HTML, PARSE + "Unclosed start tag at byte offset 0"),
        ("<span>x</span>", ParseMode.HTML, PARSE + 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    ],
)  # fmt: skip
async def test_text_validation(
    bot: Bot,
    engine: FakeTelegram,
    group: dict[str, int],
    text: str,
    parse_mode: str | None,
    description: str,
) -> None:
    with pytest.raises(BadRequest) as info:
        await bot.send_message(group["id"], text, parse_mode=parse_mode)
    # PTB strips "Bad Request: " and re-capitalises; the wire keeps Telegram's exact text.
    assert info.value.message.lower() == description.lower()
    call = engine.last_call("sendMessage")
    assert call is not None
    assert call.description == f"Bad Request: {description}"


async def test_long_text_counts_after_entity_parsing(bot: Bot, group: dict[str, int]) -> None:
    body = "x" * MessageLimit.MAX_TEXT_LENGTH
    sent = await bot.send_message(group["id"], f"<b>{body}</b>", parse_mode=ParseMode.HTML)
    assert sent.text == body


async def test_raw_error_bodies_use_telegram_descriptions(
    engine: FakeTelegram, group: dict[str, int]
) -> None:
    status, body = await engine.handle("sendMessage", {"chat_id": group["id"], "text": ""})
    assert status == 400
    assert body == {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: message text is empty",
    }
    status, body = await engine.handle("sendMessage", {"chat_id": 42, "text": "x"})
    assert body["description"] == "Bad Request: chat not found"
    status, body = await engine.handle("frobnicate", {})
    assert (status, body) == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
    status, body = await engine.handle("GETME", {})
    assert status == 200
    assert body["result"]["username"] == "voisinbot_bot"


async def test_unknown_method_is_endpoint_not_found_for_ptb(bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("frobnicate")


async def test_keyboard_validation(bot: Bot, group: dict[str, int]) -> None:
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(group["id"], "x", reply_markup=buttons(["é" * 33]))
    ok = await bot.send_message(group["id"], "x", reply_markup=buttons(["a" * 64]))
    assert ok.reply_markup is not None
    with pytest.raises(BadRequest, match=r"(?i)reply markup is too long"):
        await bot.send_message(group["id"], "x", reply_markup=buttons(["d"] * 101, per_row=8))
    with pytest.raises(BadRequest, match="row must be non-empty"):
        await bot.send_message(group["id"], "x", reply_markup=InlineKeyboardMarkup([[]]))
    with pytest.raises(BadRequest, match=r"(?i)text buttons are unallowed"):
        await bot.send_message(
            group["id"], "x", reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("t")]])
        )


@pytest.mark.parametrize(
    ("question", "options", "message"),
    [
        ("", ["a", "b"], "Poll question must be non-empty"),
        ("q" * (PollLimit.MAX_QUESTION_LENGTH + 1), ["a", "b"], "Poll question length"),
        ("q", ["a"], "Poll must have at least 2 option"),
        ("q", [str(i) for i in range(13)], "Poll can't have more than 12 options"),
        ("q", ["a", ""], "Poll options must be non-empty"),
        ("q", ["a", "b" * 101], "Poll options length must not exceed 100"),
    ],
)
async def test_poll_validation(
    bot: Bot, group: dict[str, int], question: str, options: list[str], message: str
) -> None:
    with pytest.raises(BadRequest, match=message):
        await bot.send_poll(group["id"], question, options)


async def test_edit_errors(bot: Bot, engine: FakeTelegram, world: World) -> None:
    group = world.group("G")
    sent = await bot.send_message(group["id"], "Salut", reply_markup=buttons(["a"]))
    with pytest.raises(BadRequest) as info:
        await bot.edit_message_text(
            "Salut", chat_id=group["id"], message_id=sent.message_id, reply_markup=buttons(["a"])
        )
    assert info.value.message == NOT_MODIFIED
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", chat_id=group["id"], message_id=999)
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(group["id"], 999)
    alice = world.user("Alice")
    theirs = world.message(group, alice, "coucou")["message"]
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("x", chat_id=group["id"], message_id=theirs["message_id"])
    with pytest.raises(BadRequest, match="Message can't be deleted"):
        await bot.delete_message(group["id"], theirs["message_id"])
    engine.set_bot_admin(group["id"])
    assert await bot.delete_message(group["id"], theirs["message_id"])
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await bot.send_message(group["id"], "x", reply_to_message_id=12345)


async def test_private_chats_need_start_and_respect_blocks(
    bot: Bot, engine: FakeTelegram, world: World
) -> None:
    alice = world.user("Alice")
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await bot.send_message(alice["id"], "Bonjour")
    world.message(world.private(alice), alice, "/start")
    assert (await bot.send_message(alice["id"], "Bonjour")).chat.type == "private"
    engine.block(alice["id"])
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(alice["id"], "Encore")
    bob = world.user("Bob")
    engine.start_private(bob)
    assert await bot.send_message(bob["id"], "Salut Bob")


async def test_kicked_and_migrated_groups(bot: Bot, engine: FakeTelegram, world: World) -> None:
    group, other = world.group("G"), world.supergroup("S")
    engine.kick_bot(other["id"])
    with pytest.raises(Forbidden, match="bot was kicked from the supergroup chat"):
        await bot.send_message(other["id"], "x")
    new = world.supergroup("G (super)")
    world.migrate(group, new)
    with pytest.raises(ChatMigrated) as info:
        await bot.send_message(group["id"], "x")
    assert info.value.new_chat_id == new["id"]
    assert await bot.send_message(new["id"], "x")


@pytest.fixture
def timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    # PTB 22 warns on RetryAfter.retry_after unless opted in to timedelta values.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@pytest.mark.usefixtures("timedelta_retry_after")
async def test_injected_faults(bot: Bot, engine: FakeTelegram, group: dict[str, int]) -> None:
    engine.fail_next("sendMessage", Fault.retry_after(3))
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(group["id"], "x")
    assert info.value.retry_after == dt.timedelta(seconds=3)
    assert engine.too_many_requests_sent == 1

    engine.fail_next("sendMessage", Fault.server_error(502))
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(group["id"], "x")
    engine.fail_next("sendMessage", Fault.forbidden("bot was blocked by the user"))
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(group["id"], "x")
    engine.fail_next("sendmessage", Fault.bad_request("chat not found"), times=2)
    for _ in range(2):
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot.send_message(group["id"], "x")
    assert engine.sent_texts(group["id"]) == []
    assert (await bot.send_message(group["id"], "enfin")).text == "enfin"


@pytest.mark.usefixtures("timedelta_retry_after")
async def test_fault_scoped_to_one_chat(bot: Bot, engine: FakeTelegram, world: World) -> None:
    first, second = world.group("A"), world.group("B")
    engine.fail_next("sendMessage", Fault.retry_after(1), chat_id=second["id"])
    assert await bot.send_message(first["id"], "ok")
    with pytest.raises(RetryAfter):
        await bot.send_message(second["id"], "x")


async def test_timeouts_delivered_or_not(
    bot: Bot, engine: FakeTelegram, group: dict[str, int]
) -> None:
    engine.fail_next("sendMessage", Fault.timeout(delivered=False))
    with pytest.raises(TimedOut):
        await bot.send_message(group["id"], "perdu")
    assert engine.sent_texts(group["id"]) == []
    assert engine.calls_to("sendMessage")[-1].timed_out

    engine.fail_next("sendMessage", Fault.timeout(delivered=True))
    with pytest.raises(TimedOut):
        await bot.send_message(group["id"], "arrivé quand même")
    assert engine.sent_texts(group["id"]) == ["arrivé quand même"]

    # A naive retry after a delivered timeout is exactly what duplicates() catches.
    await bot.send_message(group["id"], "arrivé quand même")
    assert engine.duplicates(group["id"]) == ["arrivé quand même"]


async def test_engine_raises_simulated_timeout(engine: FakeTelegram) -> None:
    engine.fail_next("getMe", Fault.timeout(delivered=True))
    with pytest.raises(SimulatedTimeout) as info:
        await engine.handle("getMe", {})
    assert info.value.delivered
    assert engine.calls_to("getMe")[0].ok


async def test_delay_fault_then_normal_answer(bot: Bot, engine: FakeTelegram) -> None:
    engine.fail_next("getMe", Fault.delay(0.01))
    assert (await bot.get_me()).username == "voisinbot_bot"
