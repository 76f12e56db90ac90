"""Factories produce updates PTB parses, with Telegram's entity arithmetic."""

from __future__ import annotations

import pytest
from telegram import Bot, MessageEntity

from voisinbot.fakeapi import GROUP_ANONYMOUS_BOT, FakeTelegram, World, as_update


def test_users_and_chats_have_unique_ids(world: World) -> None:
    alice, bob = world.user("Alice", username="alice"), world.user("Bob", last_name="B")
    assert alice["id"] != bob["id"]
    assert alice["language_code"] == "fr"
    group, supergroup = world.group("G"), world.supergroup("S")
    assert group["id"] < 0
    assert str(supergroup["id"]).startswith("-100")
    assert world.private(alice) == {
        "id": alice["id"], "type": "private", "first_name": "Alice", "username": "alice"
    }  # fmt: skip


async def test_message_parses_and_starts_private_chats(
    bot: Bot, engine: FakeTelegram, world: World
) -> None:
    alice = world.user("Alice")
    data = world.message(world.private(alice), alice, "Bonjour")
    update = as_update(data, bot)
    assert update.effective_message is not None
    assert update.effective_message.text == "Bonjour"
    assert update.effective_user is not None
    assert update.effective_user.id == alice["id"]
    assert update.effective_chat is not None
    assert update.effective_chat.type == "private"
    assert (await bot.send_message(alice["id"], "Salut")).text == "Salut"


@pytest.mark.parametrize(
    ("text", "command", "args"),
    [
        ("/besoin@voisinbot_bot porter un canapé", "/besoin@voisinbot_bot", "porter un canapé"),
        ("/besoin 🛋️🛋️ porter un canapé", "/besoin", "🛋️🛋️ porter un canapé"),
        ("/offre", "/offre", ""),
        ("besoin de 👨‍👩‍👧 aide @voisinbot_bot", "/besoin", "de 👨‍👩‍👧 aide @voisinbot_bot"),
    ],
)
def test_command_entities(bot: Bot, world: World, text: str, command: str, args: str) -> None:
    group, alice = world.group("G"), world.user("Alice")
    update = as_update(world.command(group, alice, text), bot)
    message = update.effective_message
    assert message is not None
    commands = message.parse_entities([MessageEntity.BOT_COMMAND])
    assert list(commands.values()) == [command]
    entity = next(iter(commands))
    assert entity.offset == 0
    assert message.text is not None
    assert message.text[len(command) :].strip() == args
    mentions = message.parse_entities([MessageEntity.MENTION])
    assert list(mentions.values()) == (["@voisinbot_bot"] if "@voisinbot_bot" in args else [])


def test_updates_have_increasing_ids_and_injected_dates(engine: FakeTelegram) -> None:
    world = World(engine, clock=lambda: 1_700_000_000.5)
    alice, group = world.user("Alice"), world.group("G")
    first, second = world.message(group, alice, "a"), world.message(group, alice, "b")
    assert second["update_id"] == first["update_id"] + 1
    assert first["message"]["date"] == 1_700_000_000
    assert second["message"]["message_id"] == first["message"]["message_id"] + 1
    assert first is not second
    assert first["message"]["chat"] is not second["message"]["chat"]


async def test_callbacks_follow_the_real_keyboard(
    bot: Bot, engine: FakeTelegram, world: World
) -> None:
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup

    group, alice = world.group("G"), world.user("Alice")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Je prends", callback_data="take:7")]])
    sent = await bot.send_message(group["id"], "Besoin #7", reply_markup=markup)
    message = engine.last_message(group["id"])
    assert message is not None
    update = as_update(world.callback(alice, message, "take:7"), bot)
    query = update.callback_query
    assert query is not None
    assert query.data == "take:7"
    assert query.message is not None
    assert query.message.message_id == sent.message_id
    assert query.chat_instance
    with pytest.raises(ValueError, match="no button"):
        world.callback(alice, message, "free:7")
    await bot.edit_message_text("Pris", chat_id=group["id"], message_id=sent.message_id)
    with pytest.raises(ValueError, match="no button"):
        world.press(alice, message, "Je prends")  # the edit removed the keyboard
    await bot.delete_message(group["id"], sent.message_id)
    with pytest.raises(ValueError, match="deleted"):
        world.callback(alice, message, "take:7", check=False)


def test_membership_factories(bot: Bot, engine: FakeTelegram, world: World) -> None:
    group, alice = world.supergroup("S"), world.user("Alice")
    added = as_update(world.bot_added(group, alice, admin=True), bot)
    assert added.my_chat_member is not None
    assert added.my_chat_member.new_chat_member.status == "administrator"
    assert engine.state.bot_is_admin(group["id"])
    removed = as_update(world.bot_removed(group, alice), bot)
    assert removed.my_chat_member is not None
    assert removed.my_chat_member.new_chat_member.status == "kicked"
    bob = world.user("Bob")
    joined = as_update(world.member_joined(group, bob), bot)
    assert joined.effective_message is not None
    assert [u.id for u in joined.effective_message.new_chat_members] == [bob["id"]]
    left = as_update(world.member_left(group, bob), bot)
    assert left.effective_message is not None
    assert left.effective_message.left_chat_member


def test_migration_and_special_senders(bot: Bot, engine: FakeTelegram, world: World) -> None:
    group, supergroup = world.group("G"), world.supergroup("G")
    to_update, from_update = world.migrate(group, supergroup, by_user=world.user("Ada"))
    to_msg, from_msg = as_update(to_update, bot).message, as_update(from_update, bot).message
    assert to_msg is not None
    assert to_msg.migrate_to_chat_id == supergroup["id"]
    assert from_msg is not None
    assert from_msg.migrate_from_chat_id == group["id"]

    anon = as_update(world.anonymous_admin_message(supergroup, "/regles"), bot).message
    assert anon is not None
    assert anon.from_user is not None
    assert anon.from_user.id == GROUP_ANONYMOUS_BOT["id"]
    assert anon.sender_chat is not None
    assert anon.sender_chat.id == supergroup["id"]

    channel = world.channel("Annonces")
    post = as_update(world.channel_post(channel, "Fête des voisins"), bot)
    assert post.channel_post is not None
    assert post.channel_post.text == "Fête des voisins"

    alice = world.user("Alice")
    original = world.message(supergroup, alice, "typo")
    edited = as_update(world.edited_message(original, "corrigé"), bot).edited_message
    assert edited is not None
    assert edited.text == "corrigé"
    assert edited.edit_date
    sticker = as_update(world.sticker(supergroup, alice), bot).message
    assert sticker is not None
    assert sticker.sticker is not None
    robot = world.user("Robot", username="robot_bot", is_bot=True)
    from_bot = as_update(world.message_from_bot(supergroup, robot, "bip"), bot).message
    assert from_bot is not None
    assert from_bot.from_user is not None
    assert from_bot.from_user.is_bot


async def test_poll_updates(bot: Bot, engine: FakeTelegram, world: World) -> None:
    group, alice = world.group("G"), world.user("Alice")
    sent = await bot.send_poll(group["id"], "Quand ?", ["Lundi", "Mardi"], is_anonymous=False)
    assert sent.poll is not None
    answer = as_update(world.poll_answer(sent.poll.id, alice, [0]), bot).poll_answer
    assert answer is not None
    assert answer.option_ids == (0,)
    current = engine.message(group["id"], sent.message_id)
    assert current is not None
    poll = as_update(world.poll_update(current["poll"]), bot).poll
    assert poll is not None
    assert poll.options[0].voter_count == 1
