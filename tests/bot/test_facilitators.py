"""Who runs a group: admins always, residents appointed by a facilitator; anonymous admins and
channels never break anything."""

import logging
from typing import Any

import pytest

from tests.harness import Neighbourhood
from voisinbot.bot.people import CHANNEL_BOT_ID
from voisinbot.fakeapi import chats
from voisinbot.fakeapi.entities import detect_entities
from voisinbot.fakeapi.shapes import chat_member

CHANNEL_BOT = {
    "id": CHANNEL_BOT_ID,
    "is_bot": True,
    "first_name": "Channel",
    "username": "Channel_Bot",
}


def _member_scope(group: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
    return {"type": "chat_member", "chat_id": group["id"], "user_id": user["id"]}


def _status_change(
    hood: Neighbourhood,
    group: dict[str, Any],
    by: dict[str, Any],
    user: dict[str, Any],
    old: str,
    new: str,
    *,
    kind: str = "chat_member",
) -> dict[str, Any]:
    """A chat_member update (someone's status changed; Telegram sends it to a bot that is an
    admin of the group), or my_chat_member when ``user`` is the bot."""
    return {
        "update_id": hood.engine.next_update_id(),
        kind: {
            "chat": group,
            "from": by,
            "date": int(hood.clock().timestamp()),
            "old_chat_member": chat_member(user, old),
            "new_chat_member": chat_member(user, new),
        },
    }


async def _said_by(
    hood: Neighbourhood, group: dict[str, Any], user: dict[str, Any], text: str
) -> dict[str, Any]:
    """A resident's ordinary message (the bot does not see it in privacy mode, but can be
    replied to with a command)."""
    update = hood.world.message(group, user, text)
    await hood.send(update)
    return update["message"]


async def _appoint(
    hood: Neighbourhood,
    group: dict[str, Any],
    by: dict[str, Any],
    resident: dict[str, Any],
    command: str = "/animateur",
) -> str:
    said = await _said_by(hood, group, resident, "je veux bien aider à organiser")
    await hood.send(hood.world.reply(group, by, command, to=said))
    return hood.last_text(group)


async def test_an_admin_appoints_a_resident_who_can_then_set_the_group_up(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    hood.engine.set_admins(group["id"], [alice])
    said = await _appoint(hood, group, alice, bob)
    assert (
        said
        == "✅ Bob est maintenant animateur de ce groupe : réglages, aperçu du résumé et sondages."
    )
    store = hood.running_app.runtime.store
    assert await store.community.is_appointed_facilitator(group["id"], bob["id"])
    # Bob's "/" menu in this group is now the facilitators' one, in his language.
    menu = [c["command"] for c in hood.engine.my_commands(_member_scope(group, bob), "fr")]
    assert {"reglages", "animateur", "sondage", "besoin"} <= set(menu)
    assert "settings" in [
        c["command"] for c in hood.engine.my_commands(_member_scope(group, bob), "en")
    ]
    await hood.send(hood.world.command(group, bob, "/reglages"))
    panel = hood.last(group)
    assert panel["text"].startswith("⚙️ Réglages de « Jardin partagé des Lilas »")
    await hood.send(hood.world.press(bob, panel, "🗳 Sondages"))
    await hood.send(
        hood.world.press(
            bob, hood.engine.message(group["id"], panel["message_id"]) or {}, "Tout le monde"
        )
    )
    stored = await store.community.get_group(group["id"])
    assert stored is not None and stored.settings["polls_open_to_all"] is True
    # Appointing twice says so, and changes nothing.
    assert (
        await _appoint(hood, group, alice, bob, "/facilitator")
        == "Bob est déjà animateur de ce groupe."
    )


async def test_facilitators_are_listed_and_anonymous_admins_stay_anonymous(
    hood: Neighbourhood,
    group: dict[str, Any],
    alice: dict[str, Any],
    bob: dict[str, Any],
    carol: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hidden = hood.world.user("Secret", language_code="fr")
    hood.engine.set_admins(group["id"], [alice], creator=hidden)
    await _appoint(hood, group, alice, bob)

    def owner_is_anonymous(user: dict[str, Any], status: str) -> dict[str, Any]:
        member = chat_member(user, status)
        if status == "creator":
            member["is_anonymous"] = True  # the fake has no switch for it
        return member

    monkeypatch.setattr(chats, "chat_member", owner_is_anonymous)
    await hood.send(hood.world.command(group, carol, "/animateurs"))
    listing = hood.last_text(group)
    assert listing.splitlines() == [
        "Animateurs de ce groupe",
        "Administrateurs du groupe :",
        "• Alice Martin",
        "• 1 administrateur anonyme",
        "Nommés par un animateur :",
        "• Bob",
        "",
        "Les animateurs me règlent (/reglages), voient l'aperçu du résumé et lancent les sondages. Pour en nommer un, répondez à l'un de ses messages avec /animateur.",
    ]
    assert "Secret" not in listing


async def test_removing_a_facilitator_and_admins_cannot_be_removed(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    hood.engine.set_admins(group["id"], [alice])
    await _appoint(hood, group, alice, bob)
    assert await _appoint(hood, group, bob, alice, "/animateur retirer") == (
        "Alice Martin est administrateur du groupe, et les administrateurs sont toujours animateurs. "
        "Seuls les paramètres Telegram du groupe peuvent changer cela."
    )
    assert (
        await _appoint(hood, group, alice, bob, "/facilitator remove")
        == "Bob n'est plus animateur de ce groupe."
    )
    store = hood.running_app.runtime.store
    assert not await store.community.is_appointed_facilitator(group["id"], bob["id"])
    assert hood.engine.my_commands(_member_scope(group, bob), "fr") == []
    assert (
        await _appoint(hood, group, alice, bob, "/animateur retirer")
        == "Bob n'est pas animateur de ce groupe."
    )
    # Bob is a resident again: he can no longer appoint anyone.
    assert (
        await _appoint(hood, group, bob, alice, "/animateur")
        == "Seuls les animateurs du groupe peuvent nommer des animateurs."
    )


async def test_a_resident_cannot_appoint(
    hood: Neighbourhood, group: dict[str, Any], bob: dict[str, Any], carol: dict[str, Any]
) -> None:
    assert (
        await _appoint(hood, group, carol, bob)
        == "Seuls les animateurs du groupe peuvent nommer des animateurs."
    )
    assert not await hood.running_app.runtime.store.community.is_appointed_facilitator(
        group["id"], bob["id"]
    )


async def test_naming_a_resident_without_a_reply(
    hood: Neighbourhood,
    group: dict[str, Any],
    alice: dict[str, Any],
    bob: dict[str, Any],
    carol: dict[str, Any],
) -> None:
    hood.engine.set_admins(group["id"], [alice])
    await hood.send(hood.world.command(group, alice, "/animateur"))
    assert hood.last_text(group).startswith(
        "Pour nommer un animateur, répondez à l'un de ses messages avec /animateur."
    )
    await hood.send(hood.world.command(group, alice, "/animateur @bob_du_3e"))
    assert (
        hood.last_text(group)
        == "Telegram ne me dit pas qui est @bob_du_3e. Répondez plutôt à l'un de ses messages avec /animateur."
    )
    await hood.send(hood.world.command(group, alice, "/animateur Bob"))
    assert (
        hood.last_text(group)
        == "Je ne connais encore personne qui s'appelle « Bob » dans ce groupe. Répondez à l'un de ses messages avec /animateur."
    )
    await hood.send(hood.world.command(group, bob, "/besoins"))  # now the bot knows Bob here
    await hood.send(hood.world.command(group, alice, "/animateur bob"))
    assert hood.last_text(group).startswith("✅ Bob est maintenant animateur")
    # A text mention (a name picked in Telegram's mention list) carries the person itself.
    update = hood.world.command(group, alice, "/animateur Carol")
    update["message"]["entities"].append(
        {"type": "text_mention", "offset": 11, "length": 5, "user": carol}
    )
    await hood.send(update)
    assert hood.last_text(group).startswith("✅ Carol est maintenant animateur")
    store = hood.running_app.runtime.store
    assert await store.community.is_appointed_facilitator(group["id"], carol["id"])


async def test_admin_changes_refresh_who_is_a_facilitator(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    hood.engine.set_admins(group["id"], [alice, hood.world.bot])
    await hood.send(hood.world.command(group, alice, "/reglages"))
    assert hood.last_text(group).startswith("⚙️ Réglages")
    # Alice is demoted: Telegram tells the bot (an admin), the cached list is dropped.
    hood.engine.set_admins(group["id"], [hood.world.bot])
    await hood.send(_status_change(hood, group, bob, alice, "administrator", "member"))
    await hood.send(hood.world.command(group, alice, "/reglages"))
    assert hood.last_text(group) == "Seuls les animateurs du groupe peuvent changer ses réglages."
    # Promoted by a moderation bot: that update is not "another bot talking" and counts too.
    moderator = hood.world.user("ModBot", username="mod_bot", is_bot=True)
    hood.engine.set_admins(group["id"], [alice, hood.world.bot])
    await hood.send(_status_change(hood, group, moderator, alice, "member", "administrator"))
    await hood.send(hood.world.command(group, alice, "/reglages"))
    assert hood.last_text(group).startswith("⚙️ Réglages")


async def test_an_appointed_facilitator_who_leaves_is_no_longer_one(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    hood.engine.set_admins(group["id"], [alice, hood.world.bot])
    await _appoint(hood, group, alice, bob)
    await hood.send(_status_change(hood, group, bob, bob, "member", "left"))
    store = hood.running_app.runtime.store
    assert not await store.community.is_appointed_facilitator(group["id"], bob["id"])
    assert hood.engine.my_commands(_member_scope(group, bob), "fr") == []


async def test_the_bot_promoted_reads_the_admins_again(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    await hood.send(hood.world.bot_added(group, alice))
    await hood.send(hood.world.command(group, bob, "/reglages"))
    assert hood.last_text(group) == "Seuls les animateurs du groupe peuvent changer ses réglages."
    hood.engine.set_admins(group["id"], [bob, hood.world.bot])
    promoted = _status_change(
        hood, group, alice, hood.world.bot, "member", "administrator", kind="my_chat_member"
    )
    await hood.send(promoted)
    await hood.send(hood.world.command(group, bob, "/reglages"))
    assert hood.last_text(group).startswith("⚙️ Réglages")


async def test_an_anonymous_admin_sets_up_and_appoints_in_the_group(
    hood: Neighbourhood, group: dict[str, Any], bob: dict[str, Any]
) -> None:
    await hood.send(hood.world.anonymous_admin_message(group, "/reglages"))
    # Nobody to write to privately: the panel is shown in the group.
    assert hood.last_text(group).startswith("⚙️ Réglages de « Jardin partagé des Lilas »")
    said = await _said_by(hood, group, bob, "je m'occupe du compost")
    update = hood.world.anonymous_admin_message(group, "/animateur")
    update["message"]["reply_to_message"] = said
    await hood.send(update)
    assert hood.last_text(group).startswith("✅ Bob est maintenant animateur")
    # Nobody can appoint "the group" itself.
    hood.engine.set_admins(group["id"], [bob])
    anonymous = hood.world.anonymous_admin_message(group, "un message anonyme")
    await hood.send(anonymous)
    await hood.send(hood.world.reply(group, bob, "/animateur", to=anonymous["message"]))
    assert hood.last_text(group) == (
        "Je ne peux nommer qu'un voisin qui écrit sous son propre nom, pas une chaîne, un administrateur anonyme ou un bot."
    )


COMMANDS = [
    "/reglages", "/reglages ici", "/settings timezone Europe/Brussels", "/animateur", "/animateur retirer",
    "/animateurs", "/besoin une échelle", "/offre une perceuse", "/besoins", "/offres", "/cherche vélo",
    "/mes", "/modifier 1 autre texte", "/digest", "/digest ici", "/aide", "/start",
    "/sondage Quel jour ? | samedi | dimanche",
    "/alertes",
]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS)
async def test_anonymous_admins_and_channels_never_crash_a_command(
    hood: Neighbourhood,
    group: dict[str, Any],
    alice: dict[str, Any],
    command: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    channel = hood.world.channel("Nouvelles des Lilas")
    await hood.send(hood.world.command(group, alice, "/besoin une tondeuse"))
    await hood.send(hood.world.anonymous_admin_message(group, command))
    # A post of the linked channel, forwarded into the group by Telegram, and a resident
    # writing "as the channel".
    for automatic in (True, False):
        message = {
            "message_id": hood.engine.state.next_message_id(group["id"]),
            "from": CHANNEL_BOT,
            "sender_chat": channel,
            "chat": group,
            "date": int(hood.clock().timestamp()),
            "text": command,
            "entities": detect_entities(command),
        }
        if automatic:
            message["is_automatic_forward"] = True
        hood.engine.push_update(
            {"update_id": hood.engine.next_update_id(), "message": message}, force=True
        )
    await hood.send(hood.world.channel_post(channel, command))
    await hood.send()
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == []
    assert not any(text.startswith("Désolé") for text in hood.said(group))
    store = hood.running_app.runtime.store
    for proxy in (CHANNEL_BOT_ID, 1087968824):
        assert await store.community.get_member(proxy) is None  # never a resident
