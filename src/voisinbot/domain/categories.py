"""The short list of neighbourhood categories a post can be filed under, and offer types."""

from __future__ import annotations

import enum
import re
from collections import Counter
from collections.abc import Iterable, Mapping


class Category(enum.StrEnum):
    DIY = "diy"
    GARDEN = "garden"
    MOVING = "moving"
    CHILDREN = "children"
    PETS = "pets"
    LESSONS = "lessons"
    DIGITAL = "digital"
    PAPERWORK = "paperwork"
    FOOD = "food"
    TRANSPORT = "transport"
    CARE = "care"
    THINGS = "things"
    OTHER = "other"

    @classmethod
    def parse(cls, value: str | None) -> Category | None:
        return cls._value2member_map_.get(value or "")  # type: ignore[return-value]


EMOJI: dict[Category, str] = {
    Category.DIY: "🔧",
    Category.GARDEN: "🌱",
    Category.MOVING: "📦",
    Category.CHILDREN: "🧸",
    Category.PETS: "🐾",
    Category.LESSONS: "📚",
    Category.DIGITAL: "💻",
    Category.PAPERWORK: "📝",
    Category.FOOD: "🍲",
    Category.TRANSPORT: "🚲",
    Category.CARE: "🫶",
    Category.THINGS: "🎁",
    Category.OTHER: "✨",
}


def suggest_category(concepts: Iterable[str], concept_category: Mapping[str, str]) -> Category:
    """The category most of the text's concepts belong to (first seen wins a tie)."""
    votes = Counter(
        cat for c in concepts if (cat := Category.parse(concept_category.get(c))) is not None
    )
    if not votes:
        return Category.OTHER
    return votes.most_common(1)[0][0]


class OfferType(enum.StrEnum):
    SKILL = "skill"  # "je répare les vélos"
    LEND = "lend"  # "je prête ma perceuse"
    GIVE = "give"  # "je donne des courgettes"

    @classmethod
    def parse(cls, value: str | None) -> OfferType | None:
        return cls._value2member_map_.get(value or "")  # type: ignore[return-value]


# Verbs of lending and giving, French and English; everything else offered is a skill.
_LEND = re.compile(r"\b(pr[eê]te?s?|pr[eê]ter|lend|lends|lending|loan|borrow)\b", re.IGNORECASE)
_GIVE = re.compile(r"\b(donne|donnes|donner|give|gives|giving|giveaway)\b", re.IGNORECASE)


def guess_offer_type(text: str) -> OfferType:
    if _LEND.search(text):
        return OfferType.LEND
    if _GIVE.search(text):
        return OfferType.GIVE
    return OfferType.SKILL
