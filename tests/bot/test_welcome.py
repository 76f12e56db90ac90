"""/start, /help and the bot arriving in a group, in each resident's language."""

from typing import Any

from tests.harness import Neighbourhood


async def test_start_in_private_greets_in_french(
    hood: Neighbourhood, alice: dict[str, Any]
) -> None:
    chat = hood.world.private(alice)
    await hood.send(hood.world.command(chat, alice, "/start"))
    text = hood.last_text(chat)
    assert text.startswith("👋 Bonjour Alice Martin !")
    assert "/besoin" in text and "/offre" in text


async def test_start_in_private_greets_in_english(
    hood: Neighbourhood, carol: dict[str, Any]
) -> None:
    chat = hood.world.private(carol)
    await hood.send(hood.world.command(chat, carol, "/start"))
    text = hood.last_text(chat)
    assert text.startswith("👋 Hello Carol!")
    assert "/need" in text and "/besoin" not in text


async def test_unknown_language_falls_back_to_the_default(hood: Neighbourhood) -> None:
    hans = hood.world.user("Hans", language_code="de")
    chat = hood.world.private(hans)
    await hood.send(hood.world.command(chat, hans, "/start"))
    assert hood.last_text(chat).startswith("👋 Bonjour Hans")


async def test_unknown_deep_link_payload_still_welcomes(
    hood: Neighbourhood, carol: dict[str, Any]
) -> None:
    chat = hood.world.private(carol)
    await hood.send(hood.world.command(chat, carol, "/start nonsense_123"))
    assert hood.last_text(chat).startswith("👋 Hello Carol!")


async def test_names_are_escaped(hood: Neighbourhood) -> None:
    mallory = hood.world.user("<b>Mallory</b> & co", language_code="en")
    chat = hood.world.private(mallory)
    await hood.send(hood.world.command(chat, mallory, "/start"))
    raw = hood.last(chat)["text"]
    assert "<b>Mallory</b> & co" in raw  # shown literally, not as bold


async def test_help_fits_where_it_is_asked(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    await hood.send(hood.world.command(group, alice, "/aide@voisinbot_bot"))
    in_group = hood.last_text(group)
    assert in_group.startswith("VoisinBot, mode d'emploi")
    chat = hood.world.private(alice)
    await hood.send(hood.world.command(chat, alice, "/help"))
    assert hood.last_text(chat).startswith("VoisinBot en bref")


async def test_added_to_a_group_says_how_to_post(
    hood: Neighbourhood, alice: dict[str, Any]
) -> None:
    group = hood.world.supergroup("Tenants of Rue Haute")
    await hood.send(hood.world.bot_added(group, alice))
    welcome = hood.last_text(group)
    assert welcome.startswith("👋 Bonjour les voisins !")
    assert "/besoin" in welcome and "/offre" in welcome
    stored = await hood.running_app.runtime.store.community.get_group(group["id"])
    assert stored is not None and stored.active and stored.locale == "fr"


async def test_removed_from_a_group_marks_it_inactive(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    await hood.send(hood.world.bot_added(group, alice))
    await hood.send(hood.world.bot_removed(group, alice))
    stored = await hood.running_app.runtime.store.community.get_group(group["id"])
    assert stored is not None and not stored.active


async def test_other_bots_are_ignored(hood: Neighbourhood, group: dict[str, Any]) -> None:
    other = hood.world.user("SpamBot", username="spam_bot", is_bot=True)
    await hood.send(hood.world.message_from_bot(group, other, "/besoin@voisinbot_bot spam spam"))
    assert hood.engine.messages(group["id"]) == []


async def test_command_menus_are_published_per_scope_and_language(hood: Neighbourhood) -> None:
    calls = hood.engine.calls_to("setMyCommands")
    menus = {
        (c.params.get("scope", {}).get("type"), c.params.get("language_code")): [
            cmd["command"] for cmd in c.params["commands"]
        ]
        for c in calls
    }
    assert menus[("all_group_chats", "fr")][:2] == ["besoin", "offre"]
    assert menus[("all_group_chats", "en")][:2] == ["need", "offer"]
    assert menus[("all_private_chats", "fr")] == ["start", "aide", "mesdonnees", "oublier"]
    assert menus[("all_group_chats", None)] == menus[("all_group_chats", "fr")]
