"""Normalising chat text: accents, elisions, emoji, abbreviations and typos look alike to the matcher."""

from __future__ import annotations

import pytest

from voisinbot.domain.matching import analyse, default_lexicon
from voisinbot.domain.matching.analysis import detect_languages
from voisinbot.domain.matching.stemming import stem
from voisinbot.domain.matching.text import BREAK, fold, has_french_marks


def tokens(text: str) -> list[str]:
    return default_lexicon().normaliser.tokens(text)


def test_fold_removes_accents_case_and_ligatures() -> None:
    assert fold("ÉVIER Fêlé, Cœur ß") == "evier fele, coeur ss"


@pytest.mark.parametrize("apostrophe", ["'", "’", "‘", "`", "´", "ʼ"])
def test_elisions_with_any_apostrophe(apostrophe: str) -> None:
    assert tokens(f"l{apostrophe}évier d{apostrophe}eau j{apostrophe}ai qu{apostrophe}il") == [
        "evier",
        "eau",
        "ai",
        "il",
    ]


def test_abbreviations_are_expanded() -> None:
    assert tokens("qqn dispo pr m'aider svp") == [
        "quelqu",
        "un",
        "dispo",
        "pour",
        "aider",
        "il",
        "vous",
        "plait",
    ]
    assert tokens("tjrs dispo ds la cour pdt le we") == tokens(
        "toujours dispo dans la cour pendant le we"
    )


def test_emoji_become_words_and_selectors_vanish() -> None:
    assert tokens("🚲️") == ["velo", "bike"]
    # An emoji stands alone: its words never end an expression begun before it.
    assert tokens("je prête ma 🪜 😅") == ["je", "prete", "ma", BREAK, "echelle", "ladder"]
    assert analyse("qqn pour garder mon 🐈 ?").concepts == {"pet_sitting"}
    assert analyse("je prête ma 🪜").objects == {"tool_lending/ladder"}
    # "garage à vélos" is a bike shed (no repair); a mechanic's garage with a 🚲 is not.
    offer = "je règle freins et dérailleurs ds mon garage 🚲"
    assert analyse(offer).concepts == {"bike_repair"}


def test_an_expression_stays_within_its_sentence() -> None:
    assert tokens("Fini. Merci !") == ["fini", BREAK, "merci"]
    assert tokens("ok !! ?") == ["ok"]
    # "garage vélo" (a bike shed) only within one sentence.
    offer = "je règle freins et dérailleurs dans mon garage{} Vélo dispo le samedi"
    assert analyse(offer.format(".")).concepts == {"bike_repair"}
    assert analyse(offer.format("")).concepts == set()


def test_chat_emphasis_and_ordinals() -> None:
    assert tokens("fuiiite svppp") == tokens("fuite svp")
    assert tokens("au 4ème, au 4e, au 4eme") == ["au", "4eme", "au", "4eme", "au", "4eme"]


def test_invisible_characters_are_ignored() -> None:
    assert tokens("plom\u200bbier \u202eévier\u202c") == ["plombier", "evier"]


@pytest.mark.parametrize(
    ("typo", "meant"),
    [("plmobier", "plomberie"), ("electricen", "électricien"), ("ordinnateur", "ordinateur")],
)
def test_typos_in_lexicon_words_are_corrected(typo: str, meant: str) -> None:
    assert analyse(f"besoin d'un {typo} svp").concepts == analyse(f"besoin d'un {meant}").concepts


def test_real_words_are_not_corrected_into_other_meanings() -> None:
    lexicon = default_lexicon()
    assert lexicon.correct_typo("couleur") is None  # not "coureur"
    assert lexicon.correct_typo("remarque") is None  # not "remorque"
    assert not analyse("couleur des murs : beige ou gris ?").concepts


def test_language_guess() -> None:
    lexicon = default_lexicon()
    for text, expected in [
        ("mon évier fuit", ("fr",)),
        ("my kitchen tap is dripping", ("en",)),
        ("wifi", ("fr", "en")),
    ]:
        assert detect_languages(lexicon, text, tokens(text)) == expected
    assert has_french_marks("l'évier") and not has_french_marks("the sink")


def test_stems_meet_across_forms() -> None:
    assert stem("reparee", "fr") == stem("reparer", "fr") == stem("repare", "fr")
    assert stem("leaking", "en") == stem("leaks", "en")
