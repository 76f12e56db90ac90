"""The catalogue workflow in one command: extract, update, check (``voisinbot catalog``).

Messages are written in English in the code (``t.gettext("…")``); ``locales/voisinbot.pot`` is
extracted from the sources, each ``locales/<lang>/LC_MESSAGES/voisinbot.po`` is updated from
it (translations kept, new messages added empty, removed ones dropped), and the messages
still without a translation are listed. Catalogues are compiled at load time (i18n.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from voisinbot.i18n import DOMAIN, LOCALES, po_path

KEYWORDS = {"gettext": None, "ngettext": (1, 2)}
# The code's messages are English: the English catalogue starts as a copy, refined by hand.
SOURCE_LOCALE = "en"


@dataclass
class CatalogReport:
    messages: int
    missing: dict[str, list[str]]  # locale -> msgids without a translation


def extract(source_dir: Path) -> Catalog:
    """The template: every message the code can show, with where it comes from."""
    template = Catalog(project="VoisinBot", domain=DOMAIN, fuzzy=False)
    found = extract_from_dir(
        str(source_dir),
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        relative = (source_dir / filename).relative_to(source_dir.parent.parent)
        template.add(
            message, None, [(str(relative), lineno)], auto_comments=comments, context=context
        )
    for english in concept_labels():
        template.add(
            english,
            None,
            [(LEXICON_LOCATION, 0)],
            auto_comments=["A concept of the matching lexicon, shown as a reason for a match."],
        )
    return template


LEXICON_LOCATION = "src/voisinbot/data/concepts"


def concept_labels(locale: str = "en") -> dict[str, str]:
    """English label -> label in ``locale``, for every concept of the matching lexicon.

    The lexicon keeps its labels as data; they reach residents through the catalogue like
    every other text, with the lexicon's own translation as the starting point."""
    from voisinbot.domain.matching.lexicon import load_concept_data

    labels = {}
    for concept in load_concept_data()["concepts"]:
        names = concept["labels"]
        labels[names["en"]] = names.get(locale) or names["en"]
    return labels


def missing_translations(catalog: Catalog) -> list[str]:
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def update(root: Path) -> CatalogReport:
    """Extract from ``root/src``, write the template and update every locale."""
    template = extract(root / "src" / "voisinbot")
    locales = root / "locales"
    with (locales / f"{DOMAIN}.pot").open("wb") as fh:
        write_po(fh, template, width=100, omit_header=False, sort_output=True)
    report = CatalogReport(messages=len(template), missing={})
    for locale in LOCALES:
        path = po_path(locale, locales)
        if path.exists():
            with path.open("rb") as fh:
                catalog = read_po(fh, locale=locale)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=locale, domain=DOMAIN, project="VoisinBot")
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalog.fuzzy = False
        if locale == SOURCE_LOCALE:
            _copy_source_strings(catalog)
        else:
            _fill_concept_labels(catalog, concept_labels(locale))
        # Babel's guesses for near-identical messages are often wrong; a human decides.
        catalog.obsolete.clear()
        with path.open("wb") as fh:
            write_po(fh, catalog, width=100, sort_output=True, ignore_obsolete=True)
        report.missing[locale] = missing_translations(catalog)
    return report


def _copy_source_strings(catalog: Catalog) -> None:
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:  # a guess from a similar message: English is the source, use it
            message.flags.discard("fuzzy")
            message.string = (
                tuple(message.id) if isinstance(message.id, tuple | list) else message.id
            )
            continue
        if isinstance(message.id, tuple | list):
            if not message.string or not all(message.string):
                message.string = tuple(message.id)
        elif not message.string:
            message.string = message.id


def _fill_concept_labels(catalog: Catalog, labels: dict[str, str]) -> None:
    for english, translated in labels.items():
        message = catalog.get(english)
        if message is not None and not message.string:
            message.string = translated
