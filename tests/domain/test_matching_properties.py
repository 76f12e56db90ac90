"""Properties of the analyser: any text is safe, the result is stable and survives storage."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from voisinbot.domain.matching import Features, analyse, default_lexicon, query_terms, rank

_CHAT = (
    "évier fuit qqn dispo garder chat enfants perceuse prête l' d’ batterie voiture souris ordi"
    " tondre pelouse cheveux 😅 🐈 🥁 💪 need help cat ŒUVRE 4ème svppp !!!"
)
WORDS = [
    *_CHAT.split(),
    *["punaises de lit", "robot pâtissier", "vélo d'appartement", "מים", "مرحبا"],
    *["\u202e", "\u200d", "", "\n"],
]

texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join),
    st.text(alphabet=st.characters(categories=["Cf", "Mn", "So", "Zs", "Lo"]), max_size=200),
)


@settings(max_examples=300, deadline=None)
@given(texts)
@example("a" * 5000)
@example("mon évier fuit " * 400)
@example("\u202e\u2066évier\u2069 \ufe0f\u200d👨‍👩‍👧 fuit")
@example("")
def test_analyse_never_raises_and_is_deterministic(text: str) -> None:
    first = analyse(text)
    assert analyse(text) == first
    assert Features.from_json(first.to_json()) == first
    assert first.concepts.isdisjoint(first.hints)
    assert set(first.concepts) <= set(default_lexicon().keys())
    assert all(o.split("/", 1)[0] in first.concepts | first.hints for o in first.objects)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join), st.data())
def test_rank_is_bounded_sorted_and_reachable_through_query_terms(
    need: str, data: st.DataObject
) -> None:
    offers = data.draw(st.lists(st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join)))
    analysed = [(i, analyse(o)) for i, o in enumerate(offers)]
    query = analyse(need)
    found = rank(query, analysed)
    assert len(found) <= 3
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
    assert all(s.reasons for s in found)
    wanted = query_terms(query)
    assert all(analysed[s.post_id][1].index_terms() & wanted for s in found)
