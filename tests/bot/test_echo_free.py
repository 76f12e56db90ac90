"""The bot drops Telegram's echo of what it just sent (bot/echo_free.py): what residents
see is unchanged, and the bot still learns the id of each message it sends."""

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from tests.harness import Neighbourhood


async def test_a_sent_card_keeps_its_keyboard_for_residents_but_not_in_the_echo(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    await hood.send(hood.world.command(group, alice, "/aide"))
    asked = hood.engine.last_message(group["id"])
    assert asked is not None
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("🙋", callback_data="x")]])
    sent = await hood.running_app.bot.send_message(
        group["id"], "<b>carte</b>", reply_markup=keyboard, reply_to_message_id=asked["message_id"]
    )
    shown = hood.engine.message(group["id"], sent.message_id)
    assert shown is not None and shown["text"] == "carte"
    assert shown["entities"][0]["type"] == "bold"
    assert hood.buttons(shown) == ["🙋"]
    assert shown["reply_to_message"]["message_id"] == asked["message_id"]
    # What PTB built from the answer: ids, chat and text, not our own markup echoed back.
    assert (sent.chat.id, sent.text) == (group["id"], "carte")
    assert sent.reply_markup is None and sent.entities == () and sent.reply_to_message is None
    assert sent.from_user is None and shown["from"]["username"] == "voisinbot_bot"


async def test_other_answers_are_untouched(hood: Neighbourhood, group: dict[str, Any]) -> None:
    me = await hood.running_app.bot.get_me()
    assert me.username == "voisinbot_bot"
    chat = await hood.running_app.bot.get_chat(group["id"])
    assert chat.title == group["title"]
