"""Finding the neighbour who can help, from free French or English text.

`analyse(text)` turns a post into `Features` (concepts of neighbourhood life, their objects and
content stems), small enough to store as JSON next to the post. `rank(query, candidates)` orders
candidate posts for a query post and keeps at most three worth a neighbour's attention, each
with the concepts that justify it (`Lexicon.label(key, locale)` names them). `query_terms`
tells which inverted-index terms ("c:<concept>") to read to find every candidate worth scoring.
The meaning lives in data (`voisinbot/data/concepts/*.json`), compiled once by `default_lexicon()`.
"""

from voisinbot.domain.matching.analysis import Features, analyse
from voisinbot.domain.matching.data import lexicon_fingerprint
from voisinbot.domain.matching.lexicon import Lexicon, default_lexicon, load_concept_data
from voisinbot.domain.matching.scoring import ALERT_MIN_SCORE, Suggestion, query_terms, rank

__all__ = [
    "ALERT_MIN_SCORE",
    "Features",
    "Lexicon",
    "Suggestion",
    "analyse",
    "default_lexicon",
    "lexicon_fingerprint",
    "load_concept_data",
    "query_terms",
    "rank",
]
