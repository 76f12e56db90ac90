"""The "/" menu each person sees: residents, admins and appointed facilitators, in their
language, in groups and in private."""

from typing import Any

from tests.harness import Neighbourhood
from voisinbot.i18n import translator

GROUPS = {"type": "all_group_chats"}
ADMINS = {"type": "all_chat_administrators"}
PRIVATE = {"type": "all_private_chats"}


def _names(hood: Neighbourhood, scope: dict[str, Any], language: str = "") -> list[str]:
    return [c["command"] for c in hood.engine.my_commands(scope, language)]


def _described(hood: Neighbourhood, scope: dict[str, Any], language: str = "") -> dict[str, str]:
    return {c["command"]: c["description"] for c in hood.engine.my_commands(scope, language)}


async def test_residents_see_the_group_commands_in_their_language(hood: Neighbourhood) -> None:
    assert _names(hood, GROUPS, "fr") == ["besoin", "offre", "besoins", "offres", "aide"]
    assert _names(hood, GROUPS, "en") == ["need", "offer", "needs", "offers", "help"]
    # Without a language of their own (or one we do not speak): the bot's default, French.
    assert _names(hood, GROUPS) == _names(hood, GROUPS, "fr")
    assert _described(hood, GROUPS, "fr")["besoin"] == translator("fr").gettext(
        "Ask the neighbours for help"
    )
    assert _described(hood, GROUPS, "en")["need"] == "Ask the neighbours for help"


async def test_admins_see_the_facilitator_commands_too(hood: Neighbourhood) -> None:
    fr = _names(hood, ADMINS, "fr")
    assert fr[:5] == _names(hood, GROUPS, "fr")
    assert fr[5:] == [
        "reglages",
        "digest",
        "animateur",
        "animateurs",
        "sondage",
        "dates",
        "inscriptions",
        "budget",
        "rappel",
        "stats",
        "export",
    ]
    en = _names(hood, ADMINS, "en")
    assert en[5:] == [
        "settings",
        "digest",
        "facilitator",
        "facilitators",
        "poll",
        "dates",
        "signup",
        "budget",
        "remind",
        "stats",
        "export",
    ]
    assert _names(hood, ADMINS) == fr
    assert _described(hood, ADMINS, "fr")["reglages"] == "Réglages du groupe"
    assert _described(hood, ADMINS, "en")["settings"] == "Settings of the group"


async def test_private_menu(hood: Neighbourhood) -> None:
    assert _names(hood, PRIVATE, "fr") == ["start", "aide", "mesdonnees", "oublier"]
    assert _names(hood, PRIVATE, "en") == ["start", "help", "mydata", "forgetme"]
    assert _names(hood, PRIVATE) == _names(hood, PRIVATE, "fr")


async def test_every_command_in_a_menu_is_one_the_bot_answers(hood: Neighbourhood) -> None:
    from telegram.ext import CommandHandler

    handled = {
        name
        for handler in hood.running_app.handlers[0]
        if isinstance(handler, CommandHandler)
        for name in handler.commands
    }
    for scope in (GROUPS, ADMINS, PRIVATE):
        for language in ("fr", "en", ""):
            assert set(_names(hood, scope, language)) <= handled, (scope, language)


async def test_an_english_default_bot_publishes_english_for_everyone_else(tmp_path: Any) -> None:
    hood = Neighbourhood(tmp_path, settings_overrides={"default_locale": "en"})
    await hood.start()
    try:
        assert _names(hood, GROUPS) == ["need", "offer", "needs", "offers", "help"]
        assert _names(hood, ADMINS)[5] == "settings"
    finally:
        await hood.stop()


async def test_an_appointed_facilitator_gets_the_facilitator_menu_in_that_group_only(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], carol: dict[str, Any]
) -> None:
    hood.engine.set_admins(group["id"], [alice])
    said = hood.world.message(group, carol, "I can help run the garden")
    await hood.send(said)
    await hood.send(hood.world.reply(group, alice, "/animateur", to=said["message"]))
    scope = {"type": "chat_member", "chat_id": group["id"], "user_id": carol["id"]}
    assert _names(hood, scope, "en") == _names(hood, ADMINS, "en")
    assert _names(hood, scope, "fr") == _names(hood, ADMINS, "fr")
    # Someone whose language is neither gets the group's language.
    assert _names(hood, scope) == _names(hood, ADMINS, "fr")
    other = hood.world.supergroup("Autre quartier")
    assert (
        _names(hood, {"type": "chat_member", "chat_id": other["id"], "user_id": carol["id"]}, "en")
        == []
    )
    await hood.send(hood.world.reply(group, alice, "/animateur retirer", to=said["message"]))
    assert _names(hood, scope, "en") == []
    assert _names(hood, scope) == []
