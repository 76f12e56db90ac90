"""Reading a new post: its category (from the matcher's concepts) and, for offers, its type."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from voisinbot.domain.categories import Category, suggest_category
from voisinbot.domain.matching import analyse
from voisinbot.domain.matching.lexicon import load_concept_data


@cache
def concept_categories() -> dict[str, str]:
    """concept key -> category key, from the concept lexicon (data, not code)."""
    concepts = load_concept_data()["concepts"]
    return {c["key"]: c.get("category", "other") for c in concepts}


def categorise(text: str) -> Category:
    return category_of(analyse(text).concepts)


def category_of(concepts: Iterable[str]) -> Category:
    return suggest_category(concepts, concept_categories())
