"""The concept lexicon as data: complete, bilingual, categorised, split into small files."""

from __future__ import annotations

from importlib import resources

import pytest

from voisinbot.domain.categories import Category
from voisinbot.domain.classify import categorise, concept_categories
from voisinbot.domain.matching import Features, data, default_lexicon, load_concept_data
from voisinbot.domain.matching.data import LEXICON_DIR
from voisinbot.domain.matching.lexicon import Lexicon

CONCEPTS = load_concept_data()["concepts"]


def _words(concept: dict[str, object], lang: str) -> list[str]:
    words: list[str] = []
    for section in ("terms", "weak"):
        words += concept.get(section, {}).get(lang, [])  # type: ignore[attr-defined]
    for obj in concept.get("objects", {}).values():  # type: ignore[attr-defined]
        words += obj.get(lang, [])
    for combo in concept.get("combos", []):  # type: ignore[attr-defined]
        for part in combo["all"]:
            words += part if isinstance(part, list) else part.get(lang, [])
    return words


def test_the_lexicon_has_at_least_forty_concepts() -> None:
    assert len(CONCEPTS) >= 40
    assert len(default_lexicon().keys()) == len(CONCEPTS)


@pytest.mark.parametrize("concept", CONCEPTS, ids=lambda c: c["key"])
def test_each_concept_is_bilingual_labelled_and_categorised(concept: dict[str, object]) -> None:
    labels = concept["labels"]
    assert isinstance(labels, dict) and labels["fr"] and labels["en"]
    assert Category.parse(str(concept["category"])) is not None
    assert _words(concept, "fr"), "no French words"
    assert _words(concept, "en"), "no English words"


def test_concept_keys_are_unique_and_related_concepts_exist() -> None:
    keys = [c["key"] for c in CONCEPTS]
    assert len(keys) == len(set(keys))
    for concept in CONCEPTS:
        assert set(concept.get("related", ())) <= set(keys)


def test_data_files_stay_small_and_merge_in_name_order() -> None:
    folder = resources.files("voisinbot").joinpath("data", LEXICON_DIR)
    names = sorted(f.name for f in folder.iterdir() if f.name.endswith(".json"))
    assert len(names) >= 5 and names[0].startswith("00_")
    for name in names:
        lines = folder.joinpath(name).read_text("utf-8").count("\n")
        assert lines < 400, f"{name} has {lines} lines: split it"
    assert CONCEPTS[0]["key"] == "plumbing"  # first concept of 10_home_repairs.json


def test_the_lexicon_compiles_once() -> None:
    assert default_lexicon() is default_lexicon()


def test_unknown_groups_and_related_keys_are_rejected() -> None:
    data = load_concept_data()
    base = {key: value for key, value in data.items() if key != "concepts"}
    concept = {"key": "x", "labels": {"fr": "x", "en": "x"}, "terms": {"fr": ["x"], "en": ["x"]}}
    with pytest.raises(ValueError, match="unknown group"):
        Lexicon({**base, "concepts": [{**concept, "unless": ["@nope"]}]})
    with pytest.raises(ValueError, match="related"):
        Lexicon({**base, "concepts": [{**concept, "related": ["nope"]}]})
    with pytest.raises(ValueError, match="labels"):
        Lexicon({**base, "concepts": [{**concept, "labels": {"fr": "x"}}]})


def test_classify_reads_categories_from_the_merged_data() -> None:
    categories = concept_categories()
    assert categories["plumbing"] == "diy"
    assert categories["tool_lending"] == "diy"
    assert categories["clothes"] == "things"
    assert categories["elderly_company"] == "care"
    assert categorise("mon évier fuit") is Category.DIY
    assert categorise("qqn pour garder mon chien ?") is Category.PETS
    assert categorise("bonjour à tous") is Category.OTHER


def test_features_survive_json_and_index_terms() -> None:
    features = Features(
        concepts=frozenset({"plumbing"}),
        hints=frozenset({"handyman"}),
        objects=frozenset({"tool_lending/drill"}),
        stems=frozenset({"evi"}),
    )
    assert Features.from_json(features.to_json()) == features
    assert features.index_terms() == {"c:plumbing", "c:handyman", "s:evi"}
    assert Features.from_json("{}") == Features()


def test_a_new_way_of_reading_texts_makes_the_stored_analyses_stale(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = data.lexicon_fingerprint()
    monkeypatch.setattr(data, "ANALYSIS_VERSION", data.ANALYSIS_VERSION + 1)
    data.lexicon_fingerprint.cache_clear()
    try:
        assert data.lexicon_fingerprint() != before
    finally:
        monkeypatch.undo()
        data.lexicon_fingerprint.cache_clear()
    assert data.lexicon_fingerprint() == before
