"""A real PTB Application with real handlers, polling the fake: the way project tests work."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from voisinbot.fakeapi import FakeRequest, FakeTelegram, World, as_update


async def besoin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    need = " ".join(context.args or [])
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Je m'en occupe", callback_data="take")]])
    await update.effective_message.reply_text(f"Besoin : {need}", reply_markup=markup)


async def take(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    assert query.message is not None
    await query.answer("Merci !")
    await query.edit_message_text(f"Pris par {query.from_user.first_name}")


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text("vu")


@pytest.fixture
async def app(engine: FakeTelegram) -> AsyncIterator[Application]:
    application = (
        Application.builder()
        .token("123:ABC")
        .request(FakeRequest(engine))
        .get_updates_request(FakeRequest(engine))
        .build()
    )
    application.add_handler(CommandHandler("besoin", besoin))
    application.add_handler(CallbackQueryHandler(take))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    async with application:
        yield application


async def test_process_update_directly(
    app: Application, engine: FakeTelegram, world: World
) -> None:
    group, alice = world.group("Rue des Lilas"), world.user("Alice")
    await app.process_update(as_update(world.command(group, alice, "/besoin canapé"), app.bot))
    card = engine.last_message(group["id"])
    assert card is not None
    assert card["text"] == "Besoin : canapé"
    assert card["reply_to_message"]["text"] == "/besoin canapé"

    press = world.press(alice, card, "Je m'en occupe")
    await app.process_update(as_update(press, app.bot))
    assert engine.callback_answer(press["callback_query"]["id"]) is not None
    assert [m["text"] for m in engine.messages(group["id"])] == ["Pris par Alice"]
    assert engine.buttons(engine.last_message(group["id"])) == []


async def test_polling_end_to_end(app: Application, engine: FakeTelegram, world: World) -> None:
    group, alice = world.group("Rue des Lilas"), world.user("Alice")
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        world.push(world.command(group, alice, "/besoin@voisinbot_bot vélo"))
        # Plain chatter never reaches a privacy-mode bot, so echo must not fire here.
        assert world.push(world.message(group, alice, "bonjour")) == [None]
        assert await engine.wait_for_calls("sendMessage", 1, within=5)
        world.push(world.message(world.private(alice), alice, "coucou"))
        assert await engine.wait_for_calls("sendMessage", 2, within=5)
    finally:
        await app.updater.stop()
        await app.stop()
    assert engine.sent_texts(group["id"]) == ["Besoin : vélo"]
    assert engine.sent_texts(alice["id"]) == ["vu"]
    assert engine.pending_updates() == []
