"""/export: the period's activity as CSV files in a zip, privately; residents appear only as
stable pseudonyms, and the words of those who were forgotten do not appear at all."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from typing import Any

from tests.bot.test_stats import lively_month, press
from tests.harness import Neighbourhood

Chat = dict[str, Any]
User = dict[str, Any]
PSEUDONYM = re.compile(r"^N-[A-Z2-7]{8}$")


async def exported(
    hood: Neighbourhood, group: Chat, alice: User, words: str = ""
) -> dict[str, Any]:
    await hood.send(hood.world.command(group, alice, f"/export {words}".strip()))
    assert hood.last_text(group) == "Je vous l'ai envoyé en privé."
    sent = hood.last(hood.world.private(alice))
    upload = hood.engine.uploaded(sent)
    assert upload is not None
    archive = zipfile.ZipFile(io.BytesIO(upload.content))
    files: dict[str, Any] = {"_message": sent, "_name": upload.filename}
    for name in archive.namelist():
        text = archive.read(name).decode("utf-8-sig")
        files[name.split("/")[-1]] = list(csv.DictReader(io.StringIO(text)))
        files["_raw_" + name.split("/")[-1]] = text
        files["_folder"] = name.split("/")[0]
    return files


async def test_the_export_holds_the_period_with_pseudonyms_only(
    hood: Neighbourhood, group: Chat, alice: User, bob: User, carol: User
) -> None:
    await lively_month(hood, group, alice, bob, carol)
    files = await exported(hood, group, alice)
    assert files["_name"] == "voisinbot-2026-11-27-2026-12-27.zip"
    assert files["_folder"] == "voisinbot-2026-11-27-2026-12-27"
    assert files["_message"]["caption"].startswith("📁 « Jardin partagé des Lilas », 27 nov. 2026")
    posts = files["posts.csv"]
    assert [(p["id"], p["kind"], p["status"]) for p in posts] == [
        ("2", "need", "done"),
        ("3", "need", "done"),
        ("4", "need", "open"),
        ("5", "offer", "done"),
    ]
    assert posts[0]["text"] == "aide pour monter un meuble"
    assert posts[0]["created_at"] == "2026-11-28T11:00:00+01:00"
    assert posts[0]["closed_at"] == "2026-11-28T16:00:00+01:00"
    assert posts[3]["offer_type"] == "lend"
    assert all(PSEUDONYM.match(p["author"]) for p in posts)
    bob_p, alice_p, carol_p = posts[0]["author"], posts[1]["author"], posts[2]["author"]
    assert len({bob_p, alice_p, carol_p}) == 3 and posts[3]["author"] == carol_p
    helps = [(h["post_id"], h["kind"], h["helper"], h["helped"]) for h in files["helps.csv"]]
    assert helps == [
        ("2", "need", carol_p, bob_p),
        ("3", "need", bob_p, alice_p),
        ("5", "offer", carol_p, bob_p),
    ]
    assert [(t["post_id"], t["from"], t["to"], t["public"]) for t in files["thanks.csv"]] == [
        ("2", bob_p, carol_p, "1")
    ]
    (decision,) = files["decisions.csv"]
    assert {k: decision[k] for k in ("id", "kind", "title", "state", "voters", "members")} == {
        "id": "1",
        "kind": "dates",
        "title": "Réunion",
        "state": "closed",
        "voters": "2",
        "members": "3",
    }
    assert decision["turnout"] == "0.67"
    assert decision["winner"] == "sam 12/12"
    assert decision["result"] == "sam 12/12=1/0/0 | dim 13/12=0/1/0"
    # Nobody's name or Telegram id, in any file.
    everything = "".join(v for k, v in files.items() if k.startswith("_raw_"))
    for person in (alice, bob, carol):
        assert str(person["id"]) not in everything
        assert person["first_name"] not in everything


async def test_pseudonyms_are_stable_and_forgotten_authors_lose_their_words(
    hood: Neighbourhood, group: Chat, alice: User, bob: User, carol: User
) -> None:
    await lively_month(hood, group, alice, bob, carol)
    first = await exported(hood, group, alice, "90")
    private = hood.world.private(carol)
    await hood.send(hood.world.command(private, carol, "/forgetme"))
    screen = hood.last(private)
    await press(hood, carol, screen, "👤")
    await press(hood, carol, screen, "✅")
    second = await exported(hood, group, alice, "90")
    before = {p["id"]: p for p in first["posts.csv"]}
    after = {p["id"]: p for p in second["posts.csv"]}
    assert set(before) == set(after) == {"1", "2", "3", "4", "5"}
    assert after["2"]["author"] == before["2"]["author"]  # Bob: the same pseudonym
    assert (after["4"]["author"], after["4"]["text"]) == ("", "")  # Carol's need
    assert (after["5"]["author"], after["5"]["text"]) == ("", "")  # Carol's offer
    assert before["4"]["text"] == "des graines de tomates"
    # Her helps are gone; her thanks count without her.
    assert all(h["helper"] != before["4"]["author"] for h in second["helps.csv"])
    assert [(t["from"], t["to"]) for t in second["thanks.csv"]] == [(before["2"]["author"], "")]


async def test_export_refusals(hood: Neighbourhood, group: Chat, alice: User, bob: User) -> None:
    hood.engine.set_admins(group["id"], [alice])
    await hood.send(hood.world.command(group, bob, "/export"))
    assert hood.last_text(group) == "Seuls les animateurs du groupe peuvent faire cela."
    await hood.send(hood.world.command(group, alice, "/export demain"))
    assert hood.last_text(group).startswith("Quelle période ? /export seul")
    await hood.send(hood.world.command(group, alice, "/export"))
    assert hood.last_text(group) == "Démarrez-moi en privé, puis redemandez : je vous l'y enverrai."
