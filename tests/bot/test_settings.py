"""/reglages: a facilitator sets the group up in the group or privately; residents cannot."""

from typing import Any

from tests.harness import Neighbourhood
from voisinbot.bot.settings_view import SETTINGS_KIND
from voisinbot.domain.group_settings import GroupSettings


async def _group_row(hood: Neighbourhood, group: dict[str, Any]) -> Any:
    stored = await hood.running_app.runtime.store.community.get_group(group["id"])
    assert stored is not None
    return stored


async def _settings(hood: Neighbourhood, group: dict[str, Any]) -> GroupSettings:
    return GroupSettings.from_json((await _group_row(hood, group)).settings)


async def _started(hood: Neighbourhood, *users: dict[str, Any]) -> None:
    for user in users:
        await hood.send(hood.world.command(hood.world.private(user), user, "/start"))


async def _panel_in_group(
    hood: Neighbourhood, group: dict[str, Any], admin: dict[str, Any]
) -> dict[str, Any]:
    hood.engine.set_admins(group["id"], [admin])
    await hood.send(hood.world.command(group, admin, "/reglages ici"))
    return hood.last(group)


async def _press(
    hood: Neighbourhood,
    user: dict[str, Any],
    chat: dict[str, Any],
    message: dict[str, Any],
    label: str,
) -> dict[str, Any]:
    """Press a button and return the callback answer; the message is re-read afterwards."""
    press = hood.world.press(user, message, label)
    await hood.send(press)
    answer = hood.engine.callback_answer(press["callback_query"]["id"])
    assert answer is not None, "the button press was not answered"
    return answer


def _current(hood: Neighbourhood, chat: dict[str, Any], message: dict[str, Any]) -> dict[str, Any]:
    found = hood.engine.message(chat["id"], message["message_id"])
    assert found is not None
    return found


async def test_a_facilitator_who_never_started_the_bot_gets_the_panel_in_the_group(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    hood.engine.set_admins(group["id"], [alice])
    await hood.send(hood.world.command(group, alice, "/reglages"))
    panel = hood.last(group)
    lines = panel["text"].splitlines()
    assert lines[0] == "⚙️ Réglages de « Jardin partagé des Lilas »"
    assert "🗣 Langue : 🇫🇷 Français" in lines
    assert "🕰 Fuseau horaire : Europe/Paris" in lines
    assert "📰 Résumé de la semaine : chaque lundi à 09:00" in lines
    assert "🗳 Sondages rapides lancés par : les animateurs seulement" in lines
    assert "⏳ Les besoins restent ouverts 14 jours, les offres 90 jours" in lines
    assert "🔔 Alertes de correspondance : activées" in lines
    assert "🏷 Catégories utilisées : toutes" in lines
    assert hood.buttons(panel) == [
        "🗣 Langue", "🕰 Fuseau horaire", "📰 Résumé", "🗳 Sondages",
        "⏳ Durées", "🔔 Alertes", "🏷 Catégories", "✔ Fermer",
    ]  # fmt: skip


async def test_a_started_facilitator_gets_one_short_message_and_the_panel_privately(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    await _started(hood, alice)
    hood.engine.set_admins(group["id"], [alice])
    await hood.send(hood.world.command(group, alice, "/reglages"))
    short = hood.last(group)
    assert short["text"] == "⚙️ Les réglages s'ouvrent en privé, pour ne pas encombrer le groupe."
    link = f"https://t.me/voisinbot_bot?start=settings_{group['id']}"
    assert hood.engine.buttons(short) == [[("⚙️ Ouvrir les réglages en privé", link)]]
    private = hood.world.private(alice)
    await hood.send(hood.world.command(private, alice, f"/start settings_{group['id']}"))
    panel = hood.last(private)
    assert panel["text"].startswith("⚙️ Réglages de « Jardin partagé des Lilas »")
    # A change made privately is stored for the group, and the private panel follows.
    await _press(hood, alice, private, panel, "🗳 Sondages")
    answer = await _press(hood, alice, private, _current(hood, private, panel), "Tout le monde")
    assert answer["text"] == "✓ Enregistré"
    assert (await _group_row(hood, group)).settings["polls_open_to_all"] is True
    assert "✓ Tout le monde" in hood.buttons(_current(hood, private, panel))
    # "ici" shows the panel in the group even to a facilitator who could read it privately.
    await hood.send(hood.world.command(group, alice, "/reglages ici"))
    assert hood.last_text(group).startswith("⚙️ Réglages de « Jardin partagé des Lilas »")
    assert "🗳 Sondages rapides lancés par : tout le monde" in hood.last_text(group)


async def test_switching_the_group_to_english_changes_what_everyone_reads_there(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    panel = await _panel_in_group(hood, group, alice)
    await _press(hood, alice, group, panel, "🗣 Langue")
    answer = await _press(hood, alice, group, _current(hood, group, panel), "🇬🇧 English")
    assert answer["text"] == "✓ Saved"  # the panel speaks the new language at once
    shown = _current(hood, group, panel)
    assert shown["text"].startswith("🗣 Language of the group")
    assert hood.buttons(shown) == ["🇫🇷 Français", "✓ 🇬🇧 English", "↩ Back"]
    assert (await _group_row(hood, group)).locale == "en"
    # Bob's Telegram is in French, but the group's card is in the group's language.
    await hood.send(hood.world.command(group, bob, "/besoin un coup de main pour déménager"))
    card = hood.last(group)
    assert card["text"].startswith("🆘 Need #1 from Bob\nun coup de main pour déménager")
    assert "🙋 I can help" in hood.buttons(card)
    await hood.send(hood.world.command(group, bob, "/aide"))
    assert hood.last_text(group).startswith("How to use VoisinBot here")


async def test_a_resident_cannot_change_anything(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    panel = await _panel_in_group(hood, group, alice)
    await hood.send(hood.world.command(group, bob, "/reglages"))
    assert hood.last_text(group) == "Seuls les animateurs du groupe peuvent changer ses réglages."
    await _press(hood, alice, group, panel, "🔔 Alertes")
    alerts = _current(hood, group, panel)
    answer = await _press(hood, bob, group, alerts, "Désactivées")
    assert answer == {
        "callback_query_id": answer["callback_query_id"],
        "text": "Seuls les animateurs du groupe peuvent changer ses réglages.",
        "show_alert": True,
    }
    assert (await _settings(hood, group)).match_alerts is True
    assert _current(hood, group, panel)["text"] == alerts["text"]
    # A forged value, a forged group, or a stale kind change nothing either.
    for data in (
        f"1|{SETTINGS_KIND}|need|{group['id']}|9",
        f"1|{SETTINGS_KIND}|lang|{group['id']}|-1",
        f"1|{SETTINGS_KIND}|polls|{group['id']}|7",
        f"1|{SETTINGS_KIND}|nonsense|{group['id']}|0",
        f"1|{SETTINGS_KIND}|need|-100999|0",
        f"1|{SETTINGS_KIND}|need|{group['id']}",
    ):
        forged = hood.world.callback(alice, panel, data, check=False)
        await hood.send(forged)
        assert (
            hood.engine.callback_answer(forged["callback_query"]["id"])["text"]
            == "Ce bouton n'est plus valable."
        )
    settings = await _settings(hood, group)
    assert (settings.need_days, settings.polls_open_to_all) == (14, False)
    assert (await _group_row(hood, group)).locale == "fr"


async def test_a_group_panel_pressed_for_another_group_is_refused(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    panel = await _panel_in_group(hood, group, alice)
    other = hood.world.supergroup("Autre quartier")
    hood.engine.set_admins(other["id"], [alice])
    await hood.send(hood.world.command(other, alice, "/aide"))
    forged = hood.world.callback(
        alice, panel, f"1|{SETTINGS_KIND}|polls|{other['id']}|1", check=False
    )
    await hood.send(forged)
    assert (
        hood.engine.callback_answer(forged["callback_query"]["id"])["text"]
        == "Ce bouton n'est plus valable."
    )
    other_row = await hood.running_app.runtime.store.community.get_group(other["id"])
    assert other_row is not None and "polls_open_to_all" not in other_row.settings


async def test_the_private_link_refuses_a_resident(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    hood.engine.set_admins(group["id"], [alice])
    await hood.send(hood.world.command(group, bob, "/aide"))
    private = hood.world.private(bob)
    await hood.send(hood.world.command(private, bob, f"/start settings_{group['id']}"))
    refusal = hood.last(private)
    assert (
        refusal["text"]
        == "Ce lien ouvre les réglages d'un groupe que vous animez. Seuls ses animateurs peuvent l'utiliser."
    )
    assert hood.buttons(refusal) == []
    await hood.send(hood.world.command(private, bob, "/start settings_nonsense"))
    assert hood.last_text(private).startswith("Ce lien ouvre les réglages")


async def test_close_keeps_everything_and_says_how_to_come_back(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    panel = await _panel_in_group(hood, group, alice)
    await _press(hood, alice, group, panel, "✔ Fermer")
    closed = _current(hood, group, panel)
    assert (
        closed["text"]
        == "✔ Réglages fermés. Chaque changement est déjà enregistré ; /reglages les rouvre."
    )
    assert hood.buttons(closed) == []


async def test_in_private_the_command_points_to_the_group(
    hood: Neighbourhood, carol: dict[str, Any]
) -> None:
    private = hood.world.private(carol)
    await hood.send(hood.world.command(private, carol, "/settings"))
    assert hood.last_text(private) == "Write /settings in your group: I will open its settings."


async def test_added_by_an_admin_who_started_the_bot_sends_the_panel_privately(
    hood: Neighbourhood, alice: dict[str, Any]
) -> None:
    await _started(hood, alice)
    group = hood.world.supergroup("Locataires de la rue Haute")
    hood.engine.set_admins(group["id"], [alice])
    await hood.send(hood.world.bot_added(group, alice))
    welcome = hood.last_text(group)
    assert welcome.startswith("👋 Bonjour les voisins !")
    assert welcome.endswith(
        "Administrateurs : /reglages me configure en une minute (langue, fuseau horaire, résumé, sondages)."
    )
    private = hood.last(hood.world.private(alice))
    assert private["text"].startswith("Merci de m'avoir ajouté à « Locataires de la rue Haute » !")
    assert "⚙️ Réglages de « Locataires de la rue Haute »" in private["text"]
    assert "🗣 Langue" in hood.buttons(private)


async def test_added_by_a_resident_no_private_panel(
    hood: Neighbourhood, bob: dict[str, Any]
) -> None:
    await _started(hood, bob)
    group = hood.world.supergroup("Rue Haute")
    await hood.send(hood.world.bot_added(group, bob))
    assert hood.last_text(group).startswith("👋 Bonjour les voisins !")
    assert not any("Réglages" in text for text in hood.said(hood.world.private(bob)))


async def test_choosing_the_current_value_again_edits_nothing(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    panel = await _panel_in_group(hood, group, alice)
    await _press(hood, alice, group, panel, "🗣 Langue")
    edits = len(hood.engine.calls_to("editMessageText"))
    answer = await _press(hood, alice, group, _current(hood, group, panel), "✓ 🇫🇷 Français")
    assert answer["text"] == "✓ Enregistré"
    # Telegram refuses an edit that changes nothing: none is attempted.
    assert len(hood.engine.calls_to("editMessageText")) == edits
    assert all(call.ok for call in hood.engine.calls_to("editMessageText"))
