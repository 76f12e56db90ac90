"""The demo a newcomer runs first: a scripted visit gives the expected transcript."""

import io
from pathlib import Path

from voisinbot.demo import run_demo

SCRIPT = Path(__file__).parent / "data" / "demo_script.txt"


def test_scripted_demo_plays_a_whole_visit(tmp_path: Path) -> None:
    out = io.StringIO()
    assert run_demo(database=tmp_path / "demo.sqlite3", script=SCRIPT, out=out) == 0
    transcript = out.getvalue()
    assert "👋 Bonjour les voisins !" in transcript
    assert "🆘 Besoin n°1, par Alice" in transcript
    assert "🤝 Offre n°2, par Carol" in transcript
    assert "(Telegram does not deliver this to the bot: privacy mode is on in groups)" in transcript
    assert "Que proposez-vous ? Répondez à ce message en quelques mots." in transcript
    # After the restart, both offers are still listed.
    after_restart = transcript.split("(bot restarted; same database)")[1]
    assert "2 offres ouvertes" in after_restart
    assert "👋 Hello Carol!" in after_restart
    assert "Traceback" not in transcript
    # The database the person asked for holds what they did.
    assert (tmp_path / "demo.sqlite3").exists()


def test_demo_buttons_can_be_pressed(tmp_path: Path) -> None:
    script = tmp_path / "script.txt"
    lines = [f"/offre objet numéro {i}" for i in range(10)]
    lines += [":as bob"] + [f"/offre autre objet {i}" for i in range(3)]
    lines += ["/offres", ":press 1", ":press 9"]
    script.write_text("\n".join(lines), encoding="utf-8")
    out = io.StringIO()
    run_demo(script=script, out=out)
    transcript = out.getvalue()
    assert "[1] Suivant ▶" in transcript
    assert "edits its message in Jardin partagé des Lilas:" in transcript
    assert "Page 2 sur 2" in transcript
    assert "(no such button; press one of the numbers shown in [brackets])" in transcript
