"""Typo tolerance must never turn a real word into a lexicon word ("couleur" is no "coureur").

The list of such real words ships in `voisinbot/data/matching_typo_guard.json` ("real_words").
It is built from the system word lists; after changing the lexicon, rebuild it with
`python -m tests.domain.test_matching_typos` (the test below says when it is out of date).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

from voisinbot.domain.matching.data import TYPO_GUARD_FILE, load_concept_data
from voisinbot.domain.matching.lexicon import Lexicon
from voisinbot.domain.matching.stemming import LANGUAGES, stem
from voisinbot.domain.matching.text import fold

WORD_LISTS = (Path("/usr/share/dict/french"), Path("/usr/share/dict/british-english"))
# Rare French verb forms nobody types in a neighbourhood chat: left out to keep the list short.
_RARE_FORMS = re.compile(
    r"(ions|iez|assent|asses|assiez|assions|ames|ates|erent|irent|urent|issent|issions"
    r"|erons|eront|eriez|erions|eraient|asse|at)$"
)


def dictionary_words() -> Iterator[str]:
    for path in WORD_LISTS:
        french = "french" in path.name
        for raw in path.read_text("utf-8", errors="ignore").splitlines():
            if not raw or raw[0].isupper() or "'" in raw:
                continue
            word = raw.lower() if raw.isascii() else fold(raw)
            if len(word) >= 5 and word.isalpha() and not (french and _RARE_FORMS.search(word)):
                yield word


def _one_edit(word: str) -> set[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return (
        {a + b[1:] for a, b in splits if b}
        | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        | {a + c + b[1:] for a, b in splits if b for c in letters}
        | {a + c + b for a, b in splits for c in letters}
    )


def miscorrected(lexicon: Lexicon) -> set[str]:
    """Dictionary words the typo corrector would turn into a lexicon word of another meaning."""
    near = {v for target in lexicon.typo_targets() for v in _one_edit(target)}
    found: set[str] = set()
    for word in set(dictionary_words()) & near:
        target = lexicon.correct_typo(word)
        if target is None or any(lexicon.knows(word, lang) for lang in LANGUAGES):
            continue
        if all(stem(target, lang) != stem(word, lang) for lang in LANGUAGES):
            found.add(word)
    return found


def _guard() -> dict[str, list[str]]:
    text = resources.files("voisinbot").joinpath("data", TYPO_GUARD_FILE).read_text("utf-8")
    data: dict[str, list[str]] = json.loads(text)
    return data


@pytest.mark.skipif(not all(p.exists() for p in WORD_LISTS), reason="no system word lists")
def test_no_dictionary_word_is_corrected_into_another_meaning() -> None:
    guard = _guard()
    lexicon = Lexicon(load_concept_data(), guard.get("words", ()), guard.get("real_words", ()))
    missing = miscorrected(lexicon)
    assert not missing, (
        f"rebuild the guard: python -m tests.domain.test_matching_typos ({len(missing)} words)"
    )


def main() -> None:
    guard = _guard()
    lexicon = Lexicon(load_concept_data(), guard.get("words", ()))
    guard["real_words"] = sorted(miscorrected(lexicon))
    path = Path(str(resources.files("voisinbot").joinpath("data", TYPO_GUARD_FILE)))
    lines = ",\n".join(
        "    " + ", ".join(json.dumps(w) for w in guard["real_words"][i : i + 12])
        for i in range(0, len(guard["real_words"]), 12)
    )
    path.write_text(
        "{\n"
        f'  "_doc": {json.dumps(guard.get("_doc", ""), ensure_ascii=False)},\n'
        f'  "words": {json.dumps(guard.get("words", []), ensure_ascii=False)},\n'
        f'  "real_words": [\n{lines}\n  ]\n'
        "}\n",
        encoding="utf-8",
    )
    print(f"{len(guard['real_words'])} real words written to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
