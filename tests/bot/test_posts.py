"""Declaring needs and offers in a supergroup with privacy mode on, and listing them."""

from typing import Any

from tests.harness import Neighbourhood
from voisinbot.domain.posts import PostKind, PostStatus


async def test_need_with_bot_mention_is_stored_and_confirmed(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    command = hood.world.command(
        group, alice, "/besoin@voisinbot_bot un coup de main pour porter un canapé samedi"
    )
    await hood.send(command)
    shown = hood.last(group)
    lines = shown["text"].splitlines()
    assert lines[:2] == [
        "🆘 Besoin n°1, par Alice Martin",
        "un coup de main pour porter un canapé samedi",
    ]
    assert lines[2].startswith("📅 sam. 28 nov. · ")
    assert shown["reply_to_message"]["message_id"] == command["message"]["message_id"]
    post = await hood.running_app.runtime.store.posts.get(1)
    assert post is not None
    assert (post.kind, post.status, post.author_id) == (PostKind.NEED, PostStatus.OPEN, alice["id"])
    assert post.message_id == shown["message_id"]


async def test_english_aliases_work_and_keep_the_group_language(
    hood: Neighbourhood, group: dict[str, Any], carol: dict[str, Any]
) -> None:
    await hood.send(hood.world.command(group, carol, "/offer I lend my drill 🔧"))
    lines = hood.last_text(group).splitlines()
    assert lines[:2] == ["🤝 Offre n°1, par Carol", "I lend my drill 🔧"]
    assert lines[2].startswith("🔁 Je prête · ")


async def test_lists_show_open_posts_of_this_group_only(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    other = hood.world.supergroup("Autre quartier")
    await hood.send(
        hood.world.command(group, alice, "/besoin arroser mes plantes en août"),
        hood.world.command(group, bob, "/besoin réparer un vélo"),
        hood.world.command(other, bob, "/besoin garder un chat"),
        hood.world.command(group, bob, "/offre je prête ma perceuse"),
    )
    await hood.send(hood.world.command(group, alice, "/besoins"))
    listing = hood.last_text(group)
    assert listing.splitlines()[0] == "2 besoins ouverts"
    assert "• n°2 réparer un vélo — Bob" in listing
    assert "• n°1 arroser mes plantes en août — Alice Martin" in listing
    assert "chat" not in listing and "perceuse" not in listing
    await hood.send(hood.world.command(group, alice, "/offers@voisinbot_bot"))
    assert hood.last_text(group).splitlines()[0] == "1 offre ouverte"


async def test_empty_list_says_how_to_post(
    hood: Neighbourhood, group: dict[str, Any], carol: dict[str, Any]
) -> None:
    await hood.send(hood.world.command(group, carol, "/needs"))
    assert hood.last_text(group).startswith("Aucun besoin ouvert pour l'instant.")


async def test_without_text_the_bot_asks_and_stores_the_reply(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    await hood.send(hood.world.command(group, alice, "/besoin"))
    prompt = hood.last(group)
    assert prompt["text"].startswith("De quoi avez-vous besoin ?")
    # Telegram does not echo a ForceReply in the message; read what the bot asked for.
    markup = hood.engine.sent_markup(group["id"], prompt["message_id"])
    assert markup is not None
    assert (markup["force_reply"], markup["selective"]) == (True, True)
    # Someone else answering the question does not post in Alice's name.
    await hood.send(hood.world.reply(group, bob, "moi je veux bien", to=prompt))
    assert await hood.running_app.runtime.store.posts.get(1) is None
    # Alice's answer survives a restart between the question and the answer.
    await hood.restart()
    await hood.send(hood.world.reply(group, alice, "une échelle pour dimanche", to=prompt))
    assert hood.last_text(group).splitlines()[:2] == [
        "🆘 Besoin n°1, par Alice Martin",
        "une échelle pour dimanche",
    ]
    # The question is answered: replying again does not post twice.
    await hood.send(hood.world.reply(group, alice, "encore", to=prompt))
    assert await hood.running_app.runtime.store.posts.get(2) is None


async def test_bad_texts_get_a_polite_answer_and_nothing_is_stored(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    await hood.send(hood.world.command(group, alice, "/besoin ok"))
    assert hood.last_text(group).startswith("C'est un peu court")
    await hood.send(hood.world.command(group, alice, "/besoin " + "é" * 1001))
    assert hood.last_text(group).startswith("C'est trop long")
    await hood.send(hood.world.command(group, alice, "/besoin \u200b\u200b\u200b"))
    assert hood.last_text(group).startswith("De quoi avez-vous besoin ?")
    assert await hood.running_app.runtime.store.posts.get(1) is None


async def test_markup_in_a_post_is_shown_literally(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    await hood.send(hood.world.command(group, alice, "/offre <b>cours</b> de maths & physique <3"))
    assert hood.last_text(group).splitlines()[1] == "<b>cours</b> de maths & physique <3"


async def test_hourly_quota(
    hood: Neighbourhood, group: dict[str, Any], bob: dict[str, Any]
) -> None:
    for i in range(10):
        await hood.send(hood.world.command(group, bob, f"/offre objet numéro {i}"))
    await hood.send(hood.world.command(group, bob, "/offre encore un objet"))
    assert hood.last_text(group).startswith("Vous avez beaucoup publié dans l'heure.")
    hood.clock.advance(hours=1, minutes=1)
    await hood.send(hood.world.command(group, bob, "/offre encore un objet"))
    assert hood.last_text(group).startswith("🤝 Offre n°11, par Bob")


async def test_in_private_the_bot_points_to_the_group(
    hood: Neighbourhood, carol: dict[str, Any]
) -> None:
    chat = hood.world.private(carol)
    await hood.send(hood.world.command(chat, carol, "/need a ladder"))
    assert hood.last_text(chat) == (
        "Needs are posted in your neighbourhood group: write /need and a few words there."
    )


async def test_anonymous_admin_is_asked_to_post_as_themselves(
    hood: Neighbourhood, group: dict[str, Any]
) -> None:
    await hood.send(hood.world.anonymous_admin_message(group, "/besoin des chaises pour la fête"))
    assert hood.last_text(group).startswith("Publiez en votre nom")
    assert await hood.running_app.runtime.store.posts.get(1) is None


async def test_edited_command_does_not_post_again(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    command = hood.world.command(group, alice, "/besoin une perceuse")
    await hood.send(command)
    await hood.send(hood.world.edited_message(command, "/besoin une perceuse à percussion"))
    assert len(hood.engine.messages(group["id"])) == 1
    assert await hood.running_app.runtime.store.posts.get(2) is None


async def test_plain_chatter_is_not_delivered_with_privacy_mode(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    delivered = await hood.send(hood.world.message(group, alice, "bonjour tout le monde"))
    assert delivered == [None]


async def test_posts_survive_a_restart(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    await hood.send(hood.world.command(group, alice, "/besoin@voisinbot_bot une perceuse"))
    await hood.restart()
    await hood.send(hood.world.command(group, alice, "/besoins"))
    assert "• n°1 une perceuse — Alice Martin" in hood.last_text(group)


async def test_long_lists_are_paginated_within_limits(
    hood: Neighbourhood, group: dict[str, Any]
) -> None:
    residents = [hood.world.user(f"Voisin {i}") for i in range(3)]
    for i in range(25):
        author = residents[i % 3]
        await hood.send(hood.world.command(group, author, f"/offre objet {i} " + "x" * 900))
    await hood.send(hood.world.command(group, residents[0], "/offres"))
    first = hood.last(group)
    assert first["text"].splitlines()[:2] == ["25 offres ouvertes", "Page 1 sur 3"]
    assert len(first["text"]) <= 4096
    assert hood.buttons(first) == ["Suivant ▶", "✍ Publier en privé"]
    await hood.send(hood.world.press(residents[1], first, "Suivant ▶"))
    second = hood.engine.message(group["id"], first["message_id"])
    assert second is not None
    assert second["text"].splitlines()[1] == "Page 2 sur 3"
    assert hood.buttons(second) == ["◀ Précédent", "Suivant ▶", "✍ Publier en privé"]


async def test_forged_page_button_changes_nothing(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    for i in range(12):
        await hood.send(hood.world.command(group, alice, f"/offre objet numéro {i}"))
        hood.clock.advance(minutes=7)
    await hood.send(hood.world.command(group, alice, "/offres"))
    listing = hood.last(group)
    before = listing["text"]
    forged = hood.world.callback(alice, listing, "1|lst|everything|0", check=False)
    await hood.send(forged)
    assert hood.engine.message(group["id"], listing["message_id"])["text"] == before
    answer = hood.engine.callback_answer(forged["callback_query"]["id"])
    assert answer is not None and answer.get("text") == "Ce bouton n'est plus valable."
