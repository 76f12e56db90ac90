"""Send / edit / delete flows through a real PTB Bot and the engine's view of them."""

from __future__ import annotations

import io

import pytest
from telegram import (
    Bot,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyParameters,
)
from telegram.constants import ParseMode

from voisinbot.fakeapi import FakeTelegram, World


def keyboard(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data) for text, data in row] for row in rows]
    )


async def test_get_me_describes_a_privacy_mode_bot(bot: Bot, engine: FakeTelegram) -> None:
    me = await bot.get_me()
    assert me.first_name == "VoisinBot"
    assert me.username == "voisinbot_bot"
    assert me.can_read_all_group_messages is False
    assert me.supports_inline_queries is False
    assert me.id == engine.bot_id


async def test_send_edit_delete_flow(bot: Bot, engine: FakeTelegram, world: World) -> None:
    group = world.group("Rue des Lilas")
    sent = await bot.send_message(
        group["id"],
        "<b>Besoin</b> : porter un canapé",
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard([("Je m'en occupe", "take:1")]),
    )
    assert sent.message_id == 1
    assert sent.text == "Besoin : porter un canapé"
    assert sent.entities[0].type == "bold"
    assert engine.buttons(engine.last_message(group["id"])) == [[("Je m'en occupe", "take:1")]]

    edited = await bot.edit_message_text(
        "Besoin : porter un canapé (pris par Alice)",
        chat_id=group["id"],
        message_id=sent.message_id,
        reply_markup=keyboard([("Libérer", "free:1")]),
    )
    assert isinstance(edited, type(sent))
    current = engine.message(group["id"], sent.message_id)
    assert current is not None
    assert current["text"].endswith("(pris par Alice)")
    assert "edit_date" in current
    assert engine.buttons(current) == [[("Libérer", "free:1")]]

    second = await bot.send_message(group["id"], "Autre chose")
    assert second.message_id == 2
    assert await bot.delete_message(group["id"], sent.message_id) is True
    assert [m["message_id"] for m in engine.messages(group["id"])] == [2]
    assert engine.deleted_messages(group["id"])[0]["message_id"] == 1
    assert engine.sent_texts(group["id"]) == ["Besoin : porter un canapé", "Autre chose"]
    assert [c.method for c in engine.calls_to("sendmessage")] == ["sendMessage"] * 2


async def test_edit_text_without_markup_removes_the_keyboard(
    bot: Bot, engine: FakeTelegram, world: World
) -> None:
    group = world.supergroup("Quartier")
    sent = await bot.send_message(group["id"], "Vote", reply_markup=keyboard([("Oui", "y")]))
    await bot.edit_message_text("Vote clos", chat_id=group["id"], message_id=sent.message_id)
    assert engine.buttons(engine.message(group["id"], sent.message_id)) == []


async def test_edit_reply_markup(bot: Bot, engine: FakeTelegram, world: World) -> None:
    group = world.group("G")
    sent = await bot.send_message(group["id"], "Vote", reply_markup=keyboard([("Oui", "y")]))
    await bot.edit_message_reply_markup(group["id"], sent.message_id, reply_markup=None)
    current = engine.message(group["id"], sent.message_id)
    assert current is not None
    assert "reply_markup" not in current
    assert current["text"] == "Vote"


async def test_replies_and_force_reply(bot: Bot, engine: FakeTelegram, world: World) -> None:
    alice = world.user("Alice")
    group = world.group("G")
    question = world.command(group, alice, "/besoin")["message"]
    prompt = await bot.send_message(
        group["id"],
        "Décris ton besoin",
        reply_parameters=ReplyParameters(question["message_id"]),
        reply_markup=ForceReply(selective=True),
    )
    assert prompt.reply_to_message is not None
    assert prompt.reply_to_message.text == "/besoin"
    # Telegram does not echo ForceReply in Message.reply_markup; the engine still shows it.
    assert prompt.reply_markup is None
    assert engine.sent_markup(group["id"], prompt.message_id) == {
        "force_reply": True,
        "selective": True,
    }
    shown = engine.last_message(group["id"])
    assert shown is not None
    answer = world.reply(group, alice, "porter un canapé", to=shown)
    replied = answer["message"]["reply_to_message"]
    assert replied["message_id"] == prompt.message_id
    assert "reply_to_message" not in replied  # Telegram nests one level only


async def test_reply_to_legacy_reply_to_message_id(
    bot: Bot, engine: FakeTelegram, world: World
) -> None:
    group = world.group("G")
    first = await bot.send_message(group["id"], "un")
    second = await bot.send_message(group["id"], "deux", reply_to_message_id=first.message_id)
    assert second.reply_to_message is not None
    assert second.reply_to_message.message_id == first.message_id


async def test_polls_are_tallied_and_stopped(bot: Bot, engine: FakeTelegram, world: World) -> None:
    group = world.group("G")
    alice, bob = world.user("Alice"), world.user("Bob")
    sent = await bot.send_poll(group["id"], "Quand ?", ["Lundi", "Mardi"], is_anonymous=False)
    assert sent.poll is not None
    poll_id = sent.poll.id
    world.poll_answer(poll_id, alice, [1])
    answer = world.poll_answer(poll_id, bob, [1])
    assert answer["poll_answer"]["option_persistent_ids"] == ["1"]
    stopped = await bot.stop_poll(group["id"], sent.message_id)
    assert stopped.is_closed
    assert [o.voter_count for o in stopped.options] == [0, 2]
    assert stopped.total_voter_count == 2
    with pytest.raises(ValueError, match="closed"):
        world.poll_answer(poll_id, alice, [0])


async def test_documents_and_photos_keep_their_content(
    bot: Bot, engine: FakeTelegram, world: World
) -> None:
    group = world.group("G")
    doc = await bot.send_document(
        group["id"], io.BytesIO(b"a;b\n1;2\n"), filename="export.csv", caption="<i>Export</i>",
        parse_mode=ParseMode.HTML,
    )  # fmt: skip
    assert doc.document is not None
    assert doc.document.file_name == "export.csv"
    assert doc.caption == "Export"
    upload = engine.uploaded(engine.last_message(group["id"]) or {})
    assert upload is not None
    assert upload.content == b"a;b\n1;2\n"
    call = engine.last_call("sendDocument")
    assert call is not None
    assert call.files["document"].size == 8

    again = await bot.send_document(group["id"], doc.document.file_id)
    assert again.document is not None
    assert again.document.file_id == doc.document.file_id

    photo = await bot.send_photo(group["id"], io.BytesIO(b"\x89PNG..."), caption="Vue")
    assert photo.photo
    assert photo.caption == "Vue"


async def test_callback_answers_are_recorded_once(
    bot: Bot, engine: FakeTelegram, world: World
) -> None:
    alice = world.user("Alice")
    group = world.group("G")
    await bot.send_message(group["id"], "Aide ?", reply_markup=keyboard([("Oui", "yes")]))
    press = world.press(alice, engine.last_message(group["id"]) or {}, "Oui")
    query_id = press["callback_query"]["id"]
    assert engine.callback_answer(query_id) is None
    assert await bot.answer_callback_query(query_id, text="Merci !") is True
    assert engine.callback_answer(query_id) == {"callback_query_id": query_id, "text": "Merci !"}


async def test_chat_members_and_admins(bot: Bot, engine: FakeTelegram, world: World) -> None:
    group = world.supergroup("G")
    owner, admin, alice = world.user("Olga"), world.user("Ada"), world.user("Alice")
    engine.set_admins(group["id"], [admin, world.bot], creator=owner)
    world.message(group, alice, "bonjour")
    admins = await bot.get_chat_administrators(group["id"])
    assert [m.status for m in admins] == ["creator", "administrator", "administrator"]
    assert (await bot.get_chat_member(group["id"], alice["id"])).status == "member"
    assert (await bot.get_chat_member(group["id"], owner["id"])).status == "creator"
    engine.set_member(group["id"], alice, "kicked")
    assert (await bot.get_chat_member(group["id"], alice["id"])).status == "kicked"
    assert await bot.get_chat_member_count(group["id"]) == 3  # owner, admin, bot
    chat = await bot.get_chat(group["id"])
    assert chat.title == "G"
    assert chat.type == "supergroup"


async def test_pins_need_admin_rights_in_groups(
    bot: Bot, engine: FakeTelegram, world: World
) -> None:
    from telegram.error import BadRequest

    group = world.group("G")
    sent = await bot.send_message(group["id"], "Règles")
    with pytest.raises(BadRequest, match="Not enough rights"):
        await bot.pin_chat_message(group["id"], sent.message_id)
    engine.set_bot_admin(group["id"])
    assert await bot.pin_chat_message(group["id"], sent.message_id)
    assert engine.pinned(group["id"]) == [sent.message_id]
    assert await bot.unpin_chat_message(group["id"])
    assert engine.pinned(group["id"]) == []


async def test_commands_and_descriptions(bot: Bot, engine: FakeTelegram) -> None:
    from telegram import BotCommand, BotCommandScopeAllGroupChats

    await bot.set_my_commands([BotCommand("besoin", "Demander un coup de main")])
    await bot.set_my_commands(
        [BotCommand("aide", "Aide")], scope=BotCommandScopeAllGroupChats(), language_code="fr"
    )
    assert [c.command for c in await bot.get_my_commands()] == ["besoin"]
    assert engine.my_commands({"type": "all_group_chats"}, "fr")[0]["command"] == "aide"
    await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    await bot.set_my_description("Un bot de quartier")
    await bot.set_my_short_description("Entraide")
    assert (await bot.get_my_description()).description == "Un bot de quartier"
    assert (await bot.get_my_short_description()).short_description == "Entraide"


async def test_chat_action_webhook_and_misc(bot: Bot, engine: FakeTelegram, world: World) -> None:
    group = world.group("G")
    assert await bot.send_chat_action(group["id"], "typing")
    assert await bot.delete_webhook()
    info = await bot.get_webhook_info()
    assert info.url == ""
    assert await bot.leave_chat(group["id"])
    assert await bot.log_out()
    assert await bot.close()
    assert {"getMe", "sendMessage", "getUpdates"} <= set(engine.supported_methods())
