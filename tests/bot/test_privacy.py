"""A resident's rights: /mesdonnees sends everything held about them as a JSON file, privately;
/oublier erases them everywhere, and the database file keeps no trace of them afterwards."""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.harness import BOT_USERNAME, Neighbourhood

Chat = dict[str, Any]
User = dict[str, Any]

ZID = 7_345_612_987  # distinctive: its digits or bytes appear nowhere else by chance
FIRST, LAST = "Zéphyrine", "Quasimodo"


def zephyrine(hood: Neighbourhood) -> User:
    user: User = {
        "id": ZID,
        "is_bot": False,
        "first_name": FIRST,
        "last_name": LAST,
        "language_code": "fr",
    }
    hood.engine.register_user(user)
    return user


def current(hood: Neighbourhood, message: dict[str, Any]) -> dict[str, Any]:
    found = hood.engine.message(message["chat"]["id"], message["message_id"])
    assert found is not None
    return found


async def press(hood: Neighbourhood, user: User, message: dict[str, Any], prefix: str) -> None:
    """Press the button whose label starts with ``prefix`` on the message as it is now."""
    now = current(hood, message)
    labels = [label for label in hood.buttons(now) if label.startswith(prefix)]
    assert labels, f"no button {prefix!r} in {hood.buttons(now)}"
    await hood.send(hood.world.press(user, now, labels[0]))


async def busy_resident(hood: Neighbourhood, group: Chat, alice: User, bob: User) -> User:
    """Zéphyrine posts, is helped and thanks, helps and is thanked, answers every kind of
    decision, asks for reminders, mutes alerts and starts a private declaration."""
    z = zephyrine(hood)
    world = hood.world
    for user in (z, alice, bob):
        await hood.send(world.command(world.private(user), user, "/start"))
    hood.engine.set_admins(group["id"], [alice])
    # Her need: Bob helps, she accepts, it is done, she thanks him.
    await hood.send(world.command(group, z, "/besoin un coup de main pour porter une armoire"))
    need = hood.last(group)
    await press(hood, bob, need, "🙋")
    await press(hood, z, hood.last(world.private(z)), "✅ Accepter")
    await press(hood, z, need, "✅")
    await press(hood, z, hood.last(world.private(z)), "🙏")
    # Her offer, still open.
    await hood.send(world.command(group, z, "/offre je prête ma ponceuse"))
    # Alice's need: she helps and is thanked.
    await hood.send(world.command(group, alice, "/besoin quelqu'un pour arroser mes tomates"))
    tomatoes = hood.last(group)
    await press(hood, z, tomatoes, "🙋")
    await press(hood, alice, hood.last(world.private(alice)), "✅ Accepter")
    await press(hood, alice, tomatoes, "✅")
    await press(hood, alice, hood.last(world.private(alice)), "🙏")
    # Decisions: dates (1), sign-up (2), named poll (3), citizen budget (4).
    await hood.send(world.command(group, alice, "/dates Réunion | sam 12/12 10h | dim 13/12 15h"))
    await press(hood, z, hood.last(group), "1 ✅")
    await press(hood, bob, hood.last(group), "1 ❔")
    await hood.send(world.command(group, alice, "/inscriptions Arrosage | lun (2)"))
    await press(hood, z, hood.last(group), "1.")
    await hood.send(world.command(group, alice, "/sondage Pizza ou crêpes ? | Pizza | Crêpes"))
    poll = [m for m in hood.engine.messages(group["id"]) if "poll" in m][-1]
    await hood.send(world.poll_answer(poll["poll"]["id"], z, [1]))
    await hood.send(world.command(group, alice, "/budget Budget | 5000 € | Bancs 3000 | Jeux 500"))
    await hood.send(world.command(world.private(z), z, "/start budget_4"))
    ballot = hood.last(world.private(z))
    await press(hood, z, ballot, "☐ Bancs")
    await press(hood, z, ballot, "✅")
    # Alice makes her a facilitator; she sets a reminder for the group. Then her reminder
    # list, her alerts, a declaration left half-way.
    said = world.message(group, z, "je peux aider à animer le jardin")
    await hood.send(said)
    await hood.send(world.reply(group, alice, "/animateur", to=said["message"]))
    await hood.send(world.command(group, z, "/rappel samedi 10h | Apportez vos graines"))
    await hood.send(world.command(group, z, "/participer"))
    await hood.send(world.command(group, z, "/alertes"))
    await hood.send(world.command(world.private(z), z, f"/start declare_{group['id']}"))
    return z


# --- /mesdonnees ----------------------------------------------------------------------------


async def test_my_data_from_the_group_arrives_privately_as_a_json_file(
    hood: Neighbourhood, group: Chat, alice: User, bob: User
) -> None:
    z = await busy_resident(hood, group, alice, bob)
    await hood.send(hood.world.command(group, z, "/mesdonnees"))
    assert hood.last_text(group) == "Je vous ai envoyé vos données en privé."
    sent = hood.last(hood.world.private(z))
    assert sent["caption"].startswith("📦 Tout ce que VoisinBot sait de vous")
    upload = hood.engine.uploaded(sent)
    assert upload is not None and upload.filename == "voisinbot-2026-11-26.json"
    data = json.loads(upload.content)
    assert (data["format"], data["version"], data["user_id"]) == (
        "voisinbot-personal-data",
        1,
        ZID,
    )
    tables = data["tables"]
    assert tables["members"][0]["display_name"] == "Zéphyrine Quasimodo"
    assert tables["members"][0]["created_at"] == "2026-11-26T09:00:00+00:00"
    assert tables["group_members"] == [
        {
            "chat_id": group["id"],
            "user_id": ZID,
            "role": "facilitator",
            "seen_at": tables["group_members"][0]["seen_at"],
        }
    ]
    assert [(p["kind"], p["status"]) for p in tables["posts"]] == [
        ("need", "done"),
        ("offer", "open"),
    ]
    assert [(r["post_id"], r["state"]) for r in tables["responses"]] == [(3, "accepted")]
    thanks = {(t["from_user"], t["to_user"]) for t in tables["thanks"]}
    assert thanks == {(ZID, bob["id"]), (alice["id"], ZID)}
    answers = {(a["decision_id"], a["position"], a["value"]) for a in tables["decision_answers"]}
    assert answers == {(1, 0, 2), (2, 0, 1), (3, 1, 1)}
    assert tables["budget_ballots"][0]["submitted"] == [0]
    assert tables["decision_roster"][0]["chat_id"] == group["id"]
    assert tables["alert_mutes"] == [{"user_id": ZID, "chat_id": group["id"], "category": "*"}]
    assert tables["drafts"][0]["step"]
    reminder = [s for s in tables["schedules"] if s["kind"] == "reminder"]
    assert reminder and reminder[0]["payload"] == {"text": "Apportez vos graines", "by": ZID}
    assert data["groups"] == {str(group["id"]): "Jardin partagé des Lilas"}
    assert data["decisions"]["3"]["options"] == {"0": "Pizza", "1": "Crêpes"}
    # Nobody else's private data: Bob's and Alice's rows appear only where they meet hers.
    assert all(row.get("user_id") in (None, ZID) for row in tables["responses"])


async def test_someone_who_never_started_the_bot_gets_a_link_then_the_file(
    hood: Neighbourhood, group: Chat, carol: User
) -> None:
    await hood.send(hood.world.command(group, carol, "/mydata"))
    answer = hood.last(group)
    assert answer["text"] == (
        "Démarrez-moi d'abord en privé : je vous y enverrai vos données, pas dans le groupe."
    )
    assert hood.engine.buttons(answer) == [
        [("💬 Démarrer le bot en privé", f"https://t.me/{BOT_USERNAME}?start=mydata")]
    ]
    private = hood.world.private(carol)
    await hood.send(hood.world.command(private, carol, "/start mydata"))
    sent = hood.last(private)
    assert sent["caption"].startswith("📦 Everything VoisinBot holds about you")
    upload = hood.engine.uploaded(sent)
    assert upload is not None
    assert json.loads(upload.content)["tables"]["members"][0]["display_name"] == "Carol"


# --- /oublier -------------------------------------------------------------------------------


def raw_files(database: Path) -> bytes:
    """The database file and its -wal / -shm companions, as bytes on disk."""
    parts = [database, database.with_name(database.name + "-wal")]
    parts.append(database.with_name(database.name + "-shm"))
    return b"".join(p.read_bytes() for p in parts if p.exists())


def sqlite_varint(value: int) -> bytes:
    """How SQLite writes an integer key (rowid) in a b-tree cell."""
    groups = []
    while True:
        groups.append(value & 0x7F)
        value >>= 7
        if not value:
            break
    groups.reverse()
    return bytes([g | 0x80 for g in groups[:-1]] + [groups[-1]])


def cells_naming(database: Path, needles: list[object]) -> list[str]:
    """table.column of every stored value equal to, or containing, one of ``needles``."""
    conn = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        found = []
        for table in tables:
            for column in [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]:
                for needle in needles:
                    sql = f'SELECT count(*) FROM "{table}" WHERE "{column}" = ? OR instr(CAST("{column}" AS TEXT), ?) > 0'
                    if conn.execute(sql, (needle, str(needle))).fetchone()[0]:
                        found.append(f"{table}.{column}")
        return found
    finally:
        conn.close()


async def forget(hood: Neighbourhood, z: User, choice: str) -> dict[str, Any]:
    private = hood.world.private(z)
    await hood.send(hood.world.command(private, z, "/oublier"))
    screen = hood.last(private)
    assert hood.buttons(screen) == [
        "🗑 Supprimer mes publications",
        "👤 Les garder, anonymisées",
        "✖ Annuler",
    ]
    await press(hood, z, screen, choice)
    assert current(hood, screen)["text"].startswith("⚠ Dernière vérification")
    await press(hood, z, screen, "✅ Oui, tout effacer")
    return current(hood, screen)


async def test_forgetting_leaves_no_trace_of_the_resident_in_the_database_file(
    hood: Neighbourhood, group: Chat, alice: User, bob: User, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    z = await busy_resident(hood, group, alice, bob)
    store = hood.running_app.runtime.store
    before = await store.answers.answers(1)
    # The checks below can see her: before the erasure, the file holds her name and id.
    raw = raw_files(hood.database)
    assert LAST.encode() in raw and FIRST.encode() in raw
    assert ZID.to_bytes(6, "big") in raw and sqlite_varint(ZID) in raw
    assert "members.user_id" in cells_naming(hood.database, [ZID])
    scope = {"type": "chat_member", "chat_id": group["id"], "user_id": ZID}
    assert hood.engine.my_commands(scope, "fr")  # appointed: the facilitators' menu
    await hood.send(hood.world.command(group, z, "/oublier"))
    assert hood.engine.buttons(hood.last(group)) == [
        [("💬 Démarrer le bot en privé", f"https://t.me/{BOT_USERNAME}?start=forget")]
    ]
    done = await forget(hood, z, "🗑 Supprimer mes publications")
    assert done["text"].startswith("✅ C'est fait : je ne sais plus rien de vous.")
    assert hood.buttons(done) == []

    # The group's messages: her posts say they were removed; her name is gone elsewhere.
    said = hood.said(group)
    assert "🗑 La publication n°1 a été supprimée à la demande de son auteur." in said
    assert "🗑 La publication n°2 a été supprimée à la demande de son auteur." in said
    tomatoes = await store.posts.get(3)
    assert tomatoes is not None and tomatoes.message_id is not None
    card = hood.engine.message(group["id"], tomatoes.message_id)
    assert card is not None and card["text"].splitlines()[-1] == "✅ C'est fait !"
    # Her votes still count, without her name.
    after = await store.answers.answers(1)
    assert len(after) == len(before) == 2
    assert {a.display_name for a in after} == {"?", "Bob"}
    assert await store.answers.submitted_ballots(4) == [(0,)]
    assert await store.posts.get(1) is None and await store.community.get_member(ZID) is None
    # She no longer gets the facilitators' menu in the group.
    assert hood.engine.my_commands(scope, "fr") == []

    # The file itself: no name, no id, as text or as SQLite writes integers.
    raw = raw_files(hood.database)
    for needle in (LAST.encode(), FIRST.encode(), str(ZID).encode()):
        assert needle not in raw, needle
    assert ZID.to_bytes(6, "big") not in raw
    assert sqlite_varint(ZID) not in raw
    assert cells_naming(hood.database, [ZID, LAST, FIRST]) == []
    # The logs never held what she wrote, nor her name.
    assert "a resident asked to be forgotten" in caplog.text
    assert "armoire" not in caplog.text and LAST not in caplog.text


async def test_anonymised_posts_stay_without_author_and_can_come_back(
    hood: Neighbourhood, group: Chat, alice: User, bob: User
) -> None:
    z = await busy_resident(hood, group, alice, bob)
    store = hood.running_app.runtime.store
    # Bob's need shows her offer as a match, with her name.
    await hood.send(hood.world.command(group, bob, "/besoin une ponceuse pour le parquet"))
    sander = hood.last(group)
    assert "Zéphyrine Quasimodo (n°2)" in sander["text"]
    done = await forget(hood, z, "👤 Les garder, anonymisées")
    assert "Zéphyrine" not in current(hood, sander)["text"]
    assert done["text"].startswith("✅ C'est fait")
    need, offer = await store.posts.get(1), await store.posts.get(2)
    assert need is not None and offer is not None
    assert (need.author_id, need.status.value) == (None, "done")
    assert (offer.author_id, offer.status.value) == (None, "cancelled")
    assert offer.message_id is not None
    card = hood.engine.message(group["id"], offer.message_id)
    assert card is not None
    assert card["text"] == (
        "🤝 Offre n°2\nje prête ma ponceuse\n👤 Anonymisée à la demande de son auteur."
    )
    assert hood.buttons(card) == []
    assert cells_naming(hood.database, [ZID, LAST]) == []
    # She may come back: she is a new resident, nothing cached stands in the way.
    await hood.send(hood.world.command(group, z, "/besoin une perceuse"))
    assert hood.last_text(group).startswith("🆘 Besoin n°5, par Zéphyrine Quasimodo")


async def test_cancel_back_and_stale_buttons_erase_nothing(
    hood: Neighbourhood, group: Chat, alice: User, bob: User
) -> None:
    z = await busy_resident(hood, group, alice, bob)
    store = hood.running_app.runtime.store
    private = hood.world.private(z)
    await hood.send(hood.world.command(private, z, "/forgetme"))
    screen = hood.last(private)
    await press(hood, z, screen, "🗑")
    await press(hood, z, screen, "↩")
    assert current(hood, screen)["text"].startswith("🧹 M'oublier")
    await press(hood, z, screen, "✖")
    assert current(hood, screen)["text"] == "Rien n'a été effacé."
    # An old confirmation, scrolled up to hours later, is refused.
    await hood.send(hood.world.command(private, z, "/oublier"))
    screen = hood.last(private)
    await press(hood, z, screen, "🗑")
    hood.clock.advance(hours=2)
    stale = hood.world.press(z, current(hood, screen), "✅ Oui, tout effacer")
    await hood.send(stale)
    answer = hood.engine.callback_answer(stale["callback_query"]["id"])
    assert answer is not None and answer["text"] == "Ce bouton n'est plus valable."
    # Someone else pressing her buttons (forged) changes nothing either.
    forged = hood.world.callback(bob, current(hood, screen), "1|fg|yes-rm|0", check=False)
    await hood.send(forged)
    assert await store.community.get_member(ZID) is not None
    assert await store.posts.get(1) is not None
