"""Which posts meet: the named pairs, the traps, the reasons and the limits of a suggestion list."""

from __future__ import annotations

import pytest

from voisinbot.domain.matching import Features, analyse, default_lexicon, query_terms, rank


def suggestions(need: str, *offers: str) -> list[tuple[int, tuple[str, ...]]]:
    found = rank(analyse(need), [(i, analyse(text)) for i, text in enumerate(offers, 1)])
    return [(s.post_id, s.reasons) for s in found]


def meets(need: str, offer: str) -> bool:
    return bool(suggestions(need, offer))


MEET = [
    ("mon évier fuit", "petite plomberie"),
    ("mon évier fuit 😩 qqn dispo ?", "plombier à la retraite, je dépanne"),
    ("besoin d'une perceuse pour fixer une étagère", "je prête ma perceuse"),
    ("qqn pourrait garder mon chat 1 semaine ?", "je garde vos chats pendant les vacances"),
    ("cherche babysitter vendredi soir", "je garde des enfants le soir"),
    ("je voudrais apprendre la batterie", "je donne des cours de batterie 🥁"),
    ("ma batterie de voiture est à plat", "j'ai des câbles de démarrage"),
    ("ma pelouse est une jungle", "je tonds les pelouses"),
    ("qqn pour me couper les cheveux ?", "j'ai une tondeuse à cheveux, je fais des coupes"),
    ("ma souris d'ordi marche plus", "je dépanne ordinateurs et imprimantes"),
    ("my kitchen tap is dripping", "petite plomberie, changement de joint"),
    ("need someone to look after my cat", "je garde vos chats et lapins"),
    ("je déménage samedi, il me faudrait des bras 💪", "costaud, je peux porter vos meubles"),
    ("mon fils galère en maths en 4e", "prof de maths, cours de soutien collège"),
    ("I need help with my tax return", "je peux aider pour la déclaration d'impôts"),
    ("qqn a un appareil à raclette ?", "je prête mon appareil à raclette"),
    (
        "aide en maths de prépa svp, intégrales et séries",
        "étudiant en master, cours de maths en prépa",
    ),
    ("mon écran de téléphone est fissuré", "je change les écrans de smartphone"),
    # Buying is for shops, but not being able to buy is a need.
    (
        "mon frigo fait plus de froid, je peux pas en racheter un",
        "je répare l'électroménager : frigo, four",
    ),
    ("my fridge died and I can't afford to buy a new one", "je répare l'électroménager"),
]

APART = [
    # Objects compared within a dimension: the subject agrees, the level does not.
    ("aide en maths de prépa svp, intégrales et séries", "prof de maths, soutien au collège"),
    # A broken screen is a repair, not help using a phone.
    ("mon écran de téléphone est fissuré", "j'aide à se servir d'un smartphone"),
    ("je cherche à acheter un vélo d'occasion", "je répare les vélos"),
    ("garder mon chat", "je garde des enfants"),
    ("qqn pour garder ma fille ?", "je garde vos chats"),
    (
        "je voudrais apprendre la batterie",
        "j'ai des câbles si votre batterie de voiture est à plat",
    ),
    ("ma batterie de voiture est à plat", "je donne des cours de batterie"),
    ("qqn a une souris dans sa cuisine ? comment s'en débarrasser", "je dépanne les ordinateurs"),
    ("j'ai besoin de tondre mon caniche", "je tonds les pelouses"),
    ("qqn a une échelle à prêter ?", "je prête ma perceuse"),
    ("qqn pour faire du tennis ?", "je cherche des partenaires pour courir"),
    ("je cherche qqn qui parle japonais", "je traduis de l'anglais et de l'allemand"),
    ("mon chat a disparu depuis hier", "je garde vos chats pendant les vacances"),
    ("qqn a de l'insecticide contre les punaises de lit ?", "je donne un lit"),
    ("cherche réparer mes chaussures", "couturière : retouches et ourlets"),
    ("qqn a un vélo d'appartement à donner ?", "je prête mon vélo cargo"),
    ("qui a de la place dans son congélateur ?", "je répare l'électroménager"),
    ("je cherche un bon dentiste", "infirmière, je fais les piqûres"),
    ("couleur des murs : beige ou gris ?", "partenaire de course à pied"),
    ("je veux acheter un frigo", "je répare l'électroménager : frigo, four"),
    # "boxe" is no English "boxes": a boxing club is not moving supplies.
    ("je cherche un club de boxe pour mon ado", "je donne des cartons vides"),
]


@pytest.mark.parametrize(("need", "offer"), MEET)
def test_pairs_that_meet(need: str, offer: str) -> None:
    assert meets(need, offer), (analyse(need), analyse(offer))


@pytest.mark.parametrize(("need", "offer"), APART)
def test_pairs_that_do_not_meet(need: str, offer: str) -> None:
    assert not meets(need, offer), (analyse(need), analyse(offer))


def test_reasons_name_the_shared_concept() -> None:
    found = suggestions(
        "mon évier fuit", "je prête ma perceuse", "petite plomberie", "cours de guitare"
    )
    assert found == [(2, ("plumbing",))]
    assert default_lexicon().label("plumbing", "fr") == "plomberie"
    assert default_lexicon().label("plumbing", "en-GB") == "plumbing"


def test_a_related_concept_is_a_weaker_reason() -> None:
    found = suggestions("mon évier fuit", "bricoleur, petits travaux", "petite plomberie")
    assert [post for post, _ in found] == [2, 1]
    assert found[1][1] == ("handyman",)


def test_a_related_trade_alone_is_not_suggested() -> None:
    # Behind the plumber it is a second idea; on its own, most often a neighbour bothered
    # for nothing (scoring.MIN_FIRST_SCORE).
    assert suggestions("mon évier fuit", "bricoleur, petits travaux") == []


def test_an_offer_naming_no_object_still_answers_alone() -> None:
    # The pupil's level, the baby's age are named by the need only: the same concept, nothing
    # contradicting, and no word in common to add to it.
    need = "soutien scolaire pour mon fils en 4e, il galère en maths"
    assert suggestions(need, "je donne des cours de mathématiques") == [(1, ("tutoring",))]
    need = "je cherche une nourrice pour mon bébé"
    assert suggestions(need, "nounou agréée, il me reste une place") == [(1, ("childcare",))]


def test_same_object_beats_unnamed_object() -> None:
    found = suggestions(
        "qqn a une perceuse à prêter ?", "je prête mes outils", "je prête ma perceuse"
    )
    assert [post for post, _ in found] == [2, 1]


def test_at_most_three_suggestions_best_first() -> None:
    offers = [f"je prête ma perceuse n°{i}" for i in range(8)]
    found = rank(analyse("qqn a une perceuse ?"), [(i, analyse(o)) for i, o in enumerate(offers)])
    assert len(found) == 3
    assert [s.post_id for s in found] == [0, 1, 2]  # ties go to the older post
    assert len(rank(analyse("perceuse ?"), [], limit=3)) == 0


def test_no_concept_no_suggestion() -> None:
    assert not suggestions("bonjour à tous 👋", "bonjour, je suis plombier")
    assert rank(Features(), [(1, analyse("plombier"))]) == []


def test_query_terms_find_every_candidate_rank_would_keep() -> None:
    offers = ["plombier", "bricoleur touche à tout", "cours de piano", "je prête ma perceuse"]
    analysed = [(i, analyse(o)) for i, o in enumerate(offers)]
    need = analyse("robinet qui goutte")
    wanted = query_terms(need)
    reachable = [(i, f) for i, f in analysed if f.index_terms() & wanted]
    assert rank(need, reachable) == rank(need, analysed)
    assert "c:plumbing" in wanted and "c:handyman" in wanted


def test_rare_shared_words_break_ties() -> None:
    offers = {1: analyse("je répare les vélos"), 2: analyse("réparation de vélos, freins")}
    need = analyse("mes freins de vélo frottent")
    doc_freq = {t: 1 for f in offers.values() for t in f.index_terms()}
    found = rank(need, offers.items(), doc_freq=doc_freq, total_docs=2)
    assert found[0].post_id == 2
