"""The whole life of a post, as residents live it: one tap to help, consent, contacts, done,
thanks; refusals; residents who never started the bot; expiry and follow-up."""

from typing import Any

from tests.harness import Neighbourhood
from voisinbot.domain.posts import PostStatus


async def _started(hood: Neighbourhood, *users: dict[str, Any]) -> None:
    """Residents who opened a private chat with the bot (so it may write to them)."""
    for user in users:
        await hood.send(hood.world.command(hood.world.private(user), user, "/start"))


async def _post(
    hood: Neighbourhood, group: dict[str, Any], author: dict[str, Any], text: str
) -> dict[str, Any]:
    await hood.send(hood.world.command(group, author, text))
    return hood.last(group)


async def test_help_offered_accepted_done_and_thanked(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    await _started(hood, alice, bob)
    card = await _post(hood, group, alice, "/besoin un coup de main pour porter un canapé")
    assert hood.buttons(card) == [
        "🙋 Je peux aider",
        "✅ C'est fait",
        "🔁 Prolonger",
        "✖ Annuler",
        "🏷 Catégorie",
    ]

    await hood.send(hood.world.press(bob, card, "🙋 Je peux aider"))
    card = hood.engine.message(group["id"], card["message_id"])
    assert card["text"].splitlines()[-1] == "🙋 1 voisin propose son aide"
    ask = hood.last(hood.world.private(alice))
    assert ask["text"].startswith("🙋 Bob propose son aide pour votre besoin n°1")
    assert hood.buttons(ask) == ["✅ Accepter Bob", "Non merci"]

    await hood.send(hood.world.press(alice, ask, "✅ Accepter Bob"))
    to_alice = hood.said(hood.world.private(alice))[-1]
    to_bob = hood.said(hood.world.private(bob))[-1]
    assert to_alice.startswith("🤝 Vous êtes en contact avec Bob")
    assert to_bob.startswith("🤝 Alice Martin a accepté votre réponse")
    # The contact is a mention link: no username needed.
    links = [e.get("url") for e in hood.last(hood.world.private(bob)).get("entities", [])]
    assert f"tg://user?id={alice['id']}" in links
    card = hood.engine.message(group["id"], card["message_id"])
    assert card["text"].splitlines()[-1] == "🤝 En contact avec Bob"

    await hood.send(hood.world.press(alice, card, "✅ C'est fait"))
    card = hood.engine.message(group["id"], card["message_id"])
    assert card["text"].splitlines()[-1] == "✅ C'est fait ! Merci à Bob"
    assert hood.buttons(card) == []
    offer = hood.last(hood.world.private(alice))
    assert hood.buttons(offer) == ["🙏 Merci Bob"]
    await hood.send(hood.world.press(alice, offer, "🙏 Merci Bob"))
    assert hood.last_text(group).startswith("🙏 Alice Martin remercie Bob pour son aide")
    # Thanking twice posts once.
    await hood.send(hood.world.press(alice, offer, "🙏 Merci Bob"))
    assert sum("remercie" in text for text in hood.said(group)) == 1
    post = await hood.running_app.runtime.store.posts.get(1)
    assert post is not None
    assert post.status is PostStatus.DONE


async def test_own_post_and_forged_presses_change_nothing(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    card = await _post(hood, group, alice, "/besoin une échelle pour dimanche")
    before = card["text"]
    own = hood.world.press(alice, card, "🙋 Je peux aider")
    await hood.send(own)
    assert (
        hood.engine.callback_answer(own["callback_query"]["id"])["text"]
        == "C'est votre propre publication 🙂"
    )
    not_mine = hood.world.press(bob, card, "✅ C'est fait")
    await hood.send(not_mine)
    answer = hood.engine.callback_answer(not_mine["callback_query"]["id"])
    assert answer["text"] == "Seuls l'auteur de la publication ou un animateur peuvent faire cela."
    assert answer["show_alert"] is True
    forged = hood.world.callback(bob, card, "1|p|cancel|1", check=False)
    await hood.send(forged)
    assert hood.engine.message(group["id"], card["message_id"])["text"] == before
    # A button of this post pressed in another group is refused.
    other = hood.world.supergroup("Autre quartier")
    await hood.send(hood.world.command(other, bob, "/offre des cours de guitare"))
    elsewhere = hood.world.callback(bob, hood.last(other), "1|p|done|1", check=False)
    await hood.send(elsewhere)
    assert (
        hood.engine.callback_answer(elsewhere["callback_query"]["id"])["text"]
        == "Ce bouton n'est plus valable."
    )
    post = await hood.running_app.runtime.store.posts.get(1)
    assert post is not None
    assert post.status is PostStatus.OPEN


async def test_a_facilitator_may_close_someone_elses_post(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    hood.engine.set_admins(group["id"], [bob])
    card = await _post(hood, group, alice, "/offre des pots de confiture")
    await hood.send(hood.world.press(bob, card, "✖ Annuler"))
    assert (
        hood.engine.message(group["id"], card["message_id"])["text"].splitlines()[-1] == "✖ Annulé"
    )


async def test_author_who_never_started_the_bot_is_told_in_the_group(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    await _started(hood, bob)
    card = await _post(hood, group, alice, "/besoin quelqu'un pour garder mon chat")
    await hood.send(hood.world.press(bob, card, "🙋 Je peux aider"))
    notice = hood.last(group)
    assert (
        notice["text"]
        == "Alice Martin, Bob a répondu à votre publication n°1. Démarrez-moi en privé pour lui répondre."
    )
    assert hood.engine.buttons(notice) == [
        [("💬 Démarrer le bot en privé", "https://t.me/voisinbot_bot?start=post_1")]
    ]
    # The offer of help is not lost: Alice starts the bot through the link and decides.
    private = hood.world.private(alice)
    await hood.send(hood.world.command(private, alice, "/start post_1"))
    ask = hood.last(private)
    assert ask["text"].startswith("🙋 Bob propose son aide pour votre besoin n°1")
    await hood.send(hood.world.press(alice, ask, "✅ Accepter Bob"))
    assert hood.said(hood.world.private(bob))[-1].startswith(
        "🤝 Alice Martin a accepté votre réponse"
    )


async def test_residents_who_never_started_are_not_written_to_privately(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    # Alice is on record (she posted) but never opened a private chat: Telegram would answer
    # 403, so the bot does not ask; she is told in the group, as before.
    await _started(hood, bob)
    card = await _post(hood, group, alice, "/besoin quelqu'un pour garder mon chat")
    await hood.send(hood.world.press(bob, card, "🙋 Je peux aider"))
    assert hood.last(group)["text"].startswith("Alice Martin, Bob a répondu")
    assert not [c for c in hood.engine.calls if c.params.get("chat_id") == alice["id"]]
    # Once she starts the bot, private messages reach her.
    await _started(hood, alice)
    card = await _post(hood, group, alice, "/besoin un escabeau pour dimanche")
    await hood.send(hood.world.press(bob, card, "🙋 Je peux aider"))
    assert hood.last(hood.world.private(alice))["text"].startswith(
        "🙋 Bob propose son aide pour votre besoin n°2"
    )


async def test_helper_who_never_started_gets_the_contact_when_they_do(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], carol: dict[str, Any]
) -> None:
    await _started(hood, alice)
    card = await _post(hood, group, alice, "/besoin des conseils pour mon potager")
    await hood.send(hood.world.press(carol, card, "🙋 Je peux aider"))
    ask = hood.last(hood.world.private(alice))
    await hood.send(hood.world.press(alice, ask, "✅ Accepter Carol"))
    notice = hood.last(group)
    assert notice["text"].startswith(
        "Carol, Alice Martin a accepté votre réponse à la publication n°1 !"
    )
    private = hood.world.private(carol)
    await hood.send(hood.world.command(private, carol, "/start intro"))
    said = hood.said(private)
    assert said[0] == "👋 Here you are! Your contacts follow."
    assert said[1].startswith("🤝 For post #1")
    await hood.send(hood.world.command(private, carol, "/start"))
    assert not any(text.startswith("🤝 For post #1") for text in hood.said(private)[2:])


async def test_expiry_warning_then_expiry_then_prolong(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    await _started(hood, alice)
    card = await _post(hood, group, alice, "/besoin une poussette pour un mois")
    hood.clock.advance(days=12, hours=1)
    await hood.run_due()
    warning = hood.last(hood.world.private(alice))
    assert warning["text"].startswith(
        "⌛ Votre besoin n°1 (« une poussette pour un mois ») expire dans deux jours."
    )
    assert hood.buttons(warning) == ["✅ Oui, c'est fait", "🔁 Prolonger", "✖ Annuler"]
    await hood.run_due()  # nothing more is due: the warning is not sent twice
    assert len(hood.said(hood.world.private(alice))) == 2
    hood.clock.advance(days=2)
    await hood.run_due()
    card = hood.engine.message(group["id"], card["message_id"])
    assert card["text"].splitlines()[-1] == "⌛ Expiré"
    assert hood.buttons(card) == ["🔁 Prolonger"]
    await hood.send(hood.world.command(group, alice, "/besoins"))
    assert hood.last_text(group).startswith("Aucun besoin ouvert")
    await hood.send(hood.world.press(alice, card, "🔁 Prolonger"))
    assert "⌛" not in hood.engine.message(group["id"], card["message_id"])["text"]
    await hood.send(hood.world.command(group, alice, "/besoins"))
    assert hood.last_text(group).startswith("1 besoin ouvert")


async def test_follow_up_the_day_after_the_date_survives_a_restart(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    await _started(hood, alice)
    card = await _post(hood, group, alice, "/besoin aide pour porter un canapé samedi")
    assert "📅 sam. 28 nov." in card["text"]
    await hood.restart()
    hood.clock.advance(days=3, hours=1)  # Sunday 29 November, 10:00 Paris
    await hood.run_due()
    ask = hood.last(hood.world.private(alice))
    assert (
        ask["text"]
        == "👋 C'est fait ? Votre publication n°1 : « aide pour porter un canapé samedi »"
    )
    await hood.send(hood.world.press(alice, ask, "✅ Oui, c'est fait"))
    assert (
        hood.engine.message(group["id"], card["message_id"])["text"].splitlines()[-1]
        == "✅ C'est fait !"
    )
    edited = hood.engine.message(alice["id"], ask["message_id"])
    assert edited["text"].endswith("Marqué comme fait 🎉")


async def test_private_declaration_survives_a_restart_and_posts_in_the_group(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], carol: dict[str, Any]
) -> None:
    await hood.send(hood.world.command(group, alice, "/offres"))
    link = dict(b for row in hood.engine.buttons(hood.last(group)) for b in row)[
        "✍ Publier en privé"
    ]
    payload = link.split("start=")[1]
    private = hood.world.private(carol)
    hood.engine.set_member(group["id"], carol, "member")
    await hood.send(hood.world.command(private, carol, f"/start {payload}"))
    step = hood.last(private)
    assert step["text"] == "✍ New post in “Jardin partagé des Lilas”. Is it a need or an offer?"
    await hood.send(hood.world.press(carol, step, "🤝 An offer"))
    await hood.send(hood.world.press(carol, hood.last(private), "🔁 I lend"))
    await hood.restart()
    await hood.send(hood.world.message(private, carol, "my cargo bike, next Saturday"))
    step = hood.last(private)
    assert step["text"].startswith("Last step: which category?")
    await hood.send(hood.world.press(carol, step, hood.buttons(step)[0]))
    assert hood.last_text(private).startswith("✅ Posted in “Jardin partagé des Lilas” as #1.")
    card = hood.last(group)
    assert card["text"].startswith(
        "🤝 Offre n°1, par Carol\nmy cargo bike, next Saturday\n📅 sam. 28 nov. · 🔁 Je prête"
    )


async def test_declaration_link_refuses_strangers(
    hood: Neighbourhood, group: dict[str, Any], carol: dict[str, Any]
) -> None:
    private = hood.world.private(carol)
    await hood.send(hood.world.command(private, carol, f"/start declare_{group['id']}"))
    assert hood.last_text(private).startswith("This link is for a group I don't know you in.")


async def test_category_filter_search_mine_and_edit(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    await _started(hood, alice)
    card = await _post(hood, group, alice, "/besoin quelqu'un pour arroser mes tomates")
    await hood.send(hood.world.command(group, bob, "/besoin une perceuse pour une étagère"))
    await hood.send(hood.world.press(alice, card, "🏷 Catégorie"))
    picker = hood.engine.message(group["id"], card["message_id"])
    assert "🌱 Jardinage" in " ".join(hood.buttons(picker))
    label = next(b for b in hood.buttons(picker) if b.endswith("🌱 Jardinage"))
    refused = hood.world.press(bob, picker, label)
    await hood.send(refused)
    assert hood.engine.callback_answer(refused["callback_query"]["id"])["show_alert"] is True
    await hood.send(hood.world.press(alice, picker, label))
    assert "🌱 Jardinage" in hood.engine.message(group["id"], card["message_id"])["text"]
    await hood.send(hood.world.command(group, bob, "/besoins jardinage"))
    listing = hood.last_text(group)
    assert listing.splitlines()[0] == "1 besoin ouvert · 🌱 Jardinage"
    assert "tomates" in listing
    assert "perceuse" not in listing
    await hood.send(hood.world.command(group, bob, "/cherche perceuse"))
    assert "• n°2 une perceuse pour une étagère — Bob" in hood.last_text(group)
    await hood.send(hood.world.command(group, alice, "/mes"))
    assert hood.last_text(group) == "Je vous ai envoyé vos publications en privé."
    assert "• n°1 quelqu'un pour arroser mes tomates — Alice Martin" in hood.last_text(
        hood.world.private(alice)
    )
    await hood.send(
        hood.world.command(group, alice, "/modifier 1 quelqu'un pour arroser mes tomates en août")
    )
    assert hood.last_text(group) == "Publication n°1 modifiée."
    assert "tomates en août" in hood.engine.message(group["id"], card["message_id"])["text"]
    await hood.send(hood.world.command(group, bob, "/modifier 1 pirate"))
    assert hood.last_text(group) == "Vous n'avez pas de publication n°1."
