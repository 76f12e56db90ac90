"""/stats: a facilitator gets the group's figures privately (needs, helps, offers, thanks,
decisions and turnout), each next to the period before, with a chart when it can be drawn."""

from __future__ import annotations

from typing import Any

from tests.harness import BOT_USERNAME, Neighbourhood
from voisinbot.bot.chart import chart_available

Chat = dict[str, Any]
User = dict[str, Any]


def _now(hood: Neighbourhood, message: dict[str, Any]) -> dict[str, Any]:
    found = hood.engine.message(message["chat"]["id"], message["message_id"])
    assert found is not None
    return found


async def press(hood: Neighbourhood, user: User, message: dict[str, Any], prefix: str) -> None:
    now = _now(hood, message)
    labels = [label for label in hood.buttons(now) if label.startswith(prefix)]
    assert labels, f"no button {prefix!r} in {hood.buttons(now)}"
    await hood.send(hood.world.press(user, now, labels[0]))


async def helped(
    hood: Neighbourhood, group: Chat, author: User, helper: User, line: str, hours: float
) -> dict[str, Any]:
    """``author`` posts, ``helper`` answers and is accepted, it is done ``hours`` later."""
    await hood.send(hood.world.command(group, author, line))
    card = hood.last(group)
    await press(hood, helper, card, "🙋")
    await press(hood, author, hood.last(hood.world.private(author)), "✅ Accep")
    hood.clock.advance(hours=hours)
    await press(hood, author, card, "✅")
    return card


async def lively_month(
    hood: Neighbourhood, group: Chat, alice: User, bob: User, carol: User
) -> None:
    """A month before, one need met in an hour; then, in the last 30 days: three needs (two
    met, in 5 h and 3 h), an offer taken up, a thank-you and a date found by two of three."""
    world = hood.world
    for user in (alice, bob, carol):
        await hood.send(world.command(world.private(user), user, "/start"))
    hood.engine.set_admins(group["id"], [alice])
    await helped(hood, group, bob, carol, "/besoin une échelle", hours=1)  # the month before
    hood.clock.advance(days=2)
    await helped(hood, group, bob, carol, "/besoin aide pour monter un meuble", hours=5)
    await press(hood, bob, hood.last(world.private(bob)), "🙏")
    await helped(hood, group, alice, bob, "/besoin quelqu'un pour nourrir le chat", hours=3)
    await hood.send(world.command(group, carol, "/besoin des graines de tomates"))
    await helped(hood, group, carol, bob, "/offre je prête ma remorque", hours=1)
    await hood.send(world.command(group, alice, "/dates Réunion | sam 12/12 | dim 13/12"))
    board = hood.last(group)
    await press(hood, bob, board, "1 ✅")
    await press(hood, carol, board, "2 ❔")
    await press(hood, alice, board, "🔒")
    hood.clock.advance(days=29)


async def test_a_facilitator_gets_the_figures_privately(
    hood: Neighbourhood, group: Chat, alice: User, bob: User, carol: User
) -> None:
    await lively_month(hood, group, alice, bob, carol)
    await hood.send(hood.world.command(group, alice, "/stats"))
    assert hood.last_text(group) == "Je vous l'ai envoyé en privé."
    private = hood.world.private(alice)
    said = hood.said(private)
    if chart_available():
        photo = hood.last(private)
        assert photo["caption"] == "Cette période à côté de la précédente"
        upload = hood.engine.uploaded(photo)
        assert upload is not None and upload.content.startswith(b"\x89PNG")
        said = said[:-1]
    lines = said[-1].splitlines()
    assert lines[0] == "📊 Jardin partagé des Lilas, 27 nov. 2026 – 27 déc. 2026"
    assert lines[1:] == [
        "Comparé aux 30 jours précédents.",
        "",
        "🆘 Besoins publiés : 3 (+2)",
        "✅ Besoins satisfaits : 2 (+1)",
        "⏱ Délai médian d'entraide : 4 heures (+3 heures)",
        "🤝 Offres publiées : 1 (+1)",
        "🎁 Offres concrétisées : 1 (+1)",
        "🙋 Habitant·es qui ont aidé : 2 (+1)",
        "💛 Habitant·es aidé·es : 2 (+1)",
        "🙏 Remerciements : 1 (+1)",
        "🗳 Décisions prises : 1 (+1)",
        "    1 recherche de date",
        "👥 Participation aux décisions : 67 %",
    ]


async def test_periods_in_words_and_dates(
    hood: Neighbourhood, group: Chat, alice: User, bob: User, carol: User
) -> None:
    await lively_month(hood, group, alice, bob, carol)
    private = hood.world.private(alice)

    async def figures(words: str) -> list[str]:
        await hood.send(hood.world.command(group, alice, f"/stats {words}"))
        return [t for t in hood.said(private) if t.startswith("📊")][-1].splitlines()

    lines = await figures("2026-11-26 2026-11-26")  # only the first day
    assert lines[:2] == [
        "📊 Jardin partagé des Lilas, 26 nov. 2026 – 26 nov. 2026",
        "Comparé au jour précédent.",
    ]
    assert "🆘 Besoins publiés : 1 (+1)" in lines
    assert "⏱ Délai médian d'entraide : 1 heure" in lines
    lines = await figures("90")
    assert lines[1:5] == [
        "Comparé aux 90 jours précédents.",
        "",
        "🆘 Besoins publiés : 4 (+4)",
        "✅ Besoins satisfaits : 3 (+3)",
    ]
    assert "⏱ Délai médian d'entraide : aucun besoin satisfait" in await figures(
        "20/12/2026 27/12/2026"
    )
    assert (await figures("mois"))[0] == "📊 Jardin partagé des Lilas, 1 déc. 2026 – 27 déc. 2026"
    assert (await figures("year"))[0].endswith("1 janv. 2026 – 27 déc. 2026")
    await hood.send(hood.world.command(group, alice, "/stats hier"))
    assert hood.last_text(group).startswith("Quelle période ? /stats seul : les 30 derniers jours")


async def test_only_facilitators_and_only_in_the_group(
    hood: Neighbourhood, group: Chat, alice: User, bob: User, carol: User
) -> None:
    hood.engine.set_admins(group["id"], [alice, carol])
    await hood.send(hood.world.command(group, bob, "/stats"))
    assert hood.last_text(group) == "Seuls les animateurs du groupe peuvent faire cela."
    await hood.send(hood.world.command(hood.world.private(bob), bob, "/stats"))
    assert hood.last_text(hood.world.private(bob)) == "Utilisez /stats dans votre groupe."
    # A facilitator who never started the bot gets a link, and nothing in the group.
    await hood.send(hood.world.command(group, carol, "/stats"))
    answer = hood.last(group)
    assert answer["text"] == "Démarrez-moi en privé, puis redemandez : je vous l'y enverrai."
    assert hood.engine.buttons(answer) == [
        [("💬 Démarrer le bot en privé", f"https://t.me/{BOT_USERNAME}")]
    ]
    # An admin posting anonymously cannot be written to.
    hood.engine.set_admins(group["id"], [alice])
    await hood.send(hood.world.anonymous_admin_message(group, "/stats"))
    assert hood.last_text(group).startswith("Écrivez en votre nom, pas anonymement")


async def test_an_english_facilitator_reads_english_and_an_empty_group_reads_zeros(
    hood: Neighbourhood, group: Chat, carol: User
) -> None:
    hood.engine.set_admins(group["id"], [carol])
    await hood.send(hood.world.command(hood.world.private(carol), carol, "/start"))
    await hood.send(hood.world.command(group, carol, "/stats"))
    assert hood.last_text(group) == "Je vous l'ai envoyé en privé."
    said = [t for t in hood.said(hood.world.private(carol)) if t.startswith("📊")]
    assert said[-1].splitlines()[1:5] == [
        "Compared with the 30 days before.",
        "",
        "🆘 Needs posted: 0 (±0)",
        "✅ Needs fulfilled: 0 (±0)",
    ]
    assert "⏱ Median time to help: no need fulfilled" in said[-1]
