"""Each setting does what it says: the digest is re-planned, lifetimes apply to new posts, the
category picker follows the group, the time zone moves the schedules; a group the bot left
keeps no schedule."""

from datetime import timedelta
from typing import Any

from tests.bot.test_settings import _current, _group_row, _panel_in_group, _press, _settings
from tests.harness import Neighbourhood


async def test_digest_day_time_chart_and_off_are_stored_and_planned(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    store = hood.running_app.runtime.store
    panel = await _panel_in_group(hood, group, alice)
    await _press(hood, alice, group, panel, "📰 Résumé")
    digest = _current(hood, group, panel)
    assert hood.buttons(digest) == [
        "✓ lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.",
        "08:00", "✓ 09:00", "12:00", "18:00", "20:00",
        "📊 Avec un graphique", "⏸ Désactiver", "↩ Retour",
    ]  # fmt: skip
    await _press(hood, alice, group, digest, "ven.")
    await _press(hood, alice, group, _current(hood, group, panel), "18:00")
    await _press(hood, alice, group, _current(hood, group, panel), "📊 Avec un graphique")
    shown = _current(hood, group, panel)
    assert shown["text"].startswith(
        "📰 Résumé de la semaine : chaque vendredi à 18:00, avec un graphique"
    )
    assert {"✓ ven.", "✓ 18:00", "✓ 📊 Avec un graphique"} <= set(hood.buttons(shown))
    settings = await _settings(hood, group)
    assert (settings.digest.weekday, settings.digest.at.hour, settings.digest.chart) == (
        4,
        18,
        True,
    )
    pending = await store.schedules.pending_for("digest", group["id"])
    # Thursday 26 November 2026, 10:00 Paris: the next digest is Friday 27 at 18:00 Paris.
    assert [s.due_at.isoformat() for s in pending] == ["2026-11-27T17:00:00+00:00"]
    await _press(hood, alice, group, shown, "⏸ Désactiver")
    assert "pas envoyé (désactivé)" in _current(hood, group, panel)["text"]
    assert not await store.schedules.pending_for("digest", group["id"])
    await _press(hood, alice, group, _current(hood, group, panel), "▶ Activer")
    assert len(await store.schedules.pending_for("digest", group["id"])) == 1


async def test_lifetimes_apply_to_the_next_post(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    panel = await _panel_in_group(hood, group, alice)
    await _press(hood, alice, group, panel, "⏳ Durées")
    lifetimes = _current(hood, group, panel)
    assert hood.buttons(lifetimes) == [
        "🆘 7 jours", "✓ 🆘 14 jours", "🆘 30 jours",
        "🤝 30 jours", "✓ 🤝 90 jours", "🤝 180 jours", "↩ Retour",
    ]  # fmt: skip
    await _press(hood, alice, group, lifetimes, "🆘 7 jours")
    await _press(hood, alice, group, _current(hood, group, panel), "🤝 180 jours")
    assert (
        "Un besoin se ferme après 7 jours et une offre après 180 jours"
        in _current(hood, group, panel)["text"]
    )
    await hood.send(hood.world.command(group, bob, "/besoin une tondeuse"))
    await hood.send(hood.world.command(group, bob, "/offre des cours de piano"))
    store = hood.running_app.runtime.store
    need, offer = await store.posts.get(1), await store.posts.get(2)
    assert need is not None and offer is not None
    assert need.expires_at - need.created_at == timedelta(days=7)
    assert offer.expires_at - offer.created_at == timedelta(days=180)


async def test_categories_in_use_limit_the_picker_and_other_stays(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    panel = await _panel_in_group(hood, group, alice)
    await _press(hood, alice, group, panel, "🏷 Catégories")
    categories = _current(hood, group, panel)
    assert "✅ 🌱 Jardinage" in hood.buttons(categories)
    await _press(hood, alice, group, categories, "✅ 🌱 Jardinage")
    await _press(hood, alice, group, _current(hood, group, panel), "✅ 🐾 Animaux")
    await _press(hood, alice, group, _current(hood, group, panel), "✅ ✨ Autre")  # stays
    shown = _current(hood, group, panel)
    assert {"⬜ 🌱 Jardinage", "⬜ 🐾 Animaux", "✅ ✨ Autre"} <= set(hood.buttons(shown))
    used = (await _settings(hood, group)).categories
    assert len(used) == 11 and "garden" not in used and "other" in used
    await _press(hood, alice, group, shown, "↩ Retour")
    assert "🏷 Catégories utilisées : 11 sur 13" in _current(hood, group, panel)["text"]
    await hood.send(hood.world.command(group, bob, "/besoin une perceuse pour une étagère"))
    card = hood.last(group)
    await hood.send(hood.world.press(bob, card, "🏷 Catégorie"))
    labels = " ".join(hood.buttons(_current(hood, group, card)))
    assert "Jardinage" not in labels and "Animaux" not in labels and "✨ Autre" in labels
    # A picker button for a category the group no longer uses is refused.
    forged = hood.world.callback(bob, card, "1|p|cat-garden|1", check=False)
    await hood.send(forged)
    assert (
        hood.engine.callback_answer(forged["callback_query"]["id"])["text"]
        == "Ce bouton n'est plus valable."
    )
    post = await hood.running_app.runtime.store.posts.get(1)
    assert post is not None and post.category != "garden"


async def test_time_zone_by_button_and_by_name(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    panel = await _panel_in_group(hood, group, alice)
    await _press(hood, alice, group, panel, "🕰 Fuseau horaire")
    zones = _current(hood, group, panel)
    assert hood.buttons(zones)[:3] == ["✓ Paris", "Bruxelles", "Zurich"]
    await _press(hood, alice, group, zones, "Montréal")
    assert (await _group_row(hood, group)).timezone == "America/Montreal"
    await _press(hood, alice, group, _current(hood, group, panel), "🌐 Un autre fuseau")
    assert "/reglages fuseau America/Toronto" in _current(hood, group, panel)["text"]
    await hood.send(hood.world.command(group, alice, "/reglages fuseau europe/berlin"))
    assert hood.last_text(group) == "🕰 Fuseau horaire du groupe : Europe/Berlin."
    await hood.send(hood.world.command(group, alice, "/settings timezone Mars/Olympus"))
    assert hood.last_text(group).startswith("Je ne connais pas le fuseau horaire « Mars/Olympus ».")
    assert (await _group_row(hood, group)).timezone == "Europe/Berlin"
    # The digest follows the group's clock: Monday 09:00 in Berlin.
    pending = await hood.running_app.runtime.store.schedules.pending_for("digest", group["id"])
    assert [s.due_at.isoformat() for s in pending] == ["2026-11-30T08:00:00+00:00"]


async def test_removed_from_the_group_its_schedules_stop(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    store = hood.running_app.runtime.store
    await hood.send(hood.world.bot_added(group, alice))
    await hood.send(hood.world.command(group, bob, "/besoin une échelle samedi"))
    assert await store.schedules.pending_for("digest", group["id"])
    assert await store.schedules.pending_for("post_expire", group["id"], 1)
    await hood.send(hood.world.bot_removed(group, alice))
    assert not await store.schedules.pending_for("digest", group["id"])
    assert not await store.schedules.pending_for("post_expire", group["id"], 1)
    hood.clock.advance(days=30)
    await hood.run_due()
    assert hood.said(group)[-1].startswith("🆘 Besoin n°1")  # nothing more was sent there
