"""Both catalogues are complete and up to date with the code."""

from pathlib import Path

from babel.messages.pofile import read_po

from voisinbot.catalog import extract, missing_translations
from voisinbot.i18n import LOCALES, escape, pick_locale, po_path, translator

ROOT = Path(__file__).resolve().parents[1]


def _ids(catalog: object) -> set[str]:
    return {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog  # type: ignore[attr-defined]
        if m.id
    }


def test_every_message_of_the_code_is_translated_in_every_language() -> None:
    in_code = _ids(extract(ROOT / "src" / "voisinbot"))
    assert len(in_code) > 20
    for locale in LOCALES:
        with po_path(locale, ROOT / "locales").open("rb") as fh:
            catalog = read_po(fh, locale=locale)
        assert in_code - _ids(catalog) == set(), f"{locale}: run `voisinbot catalog`"
        assert missing_translations(catalog) == [], f"{locale}: untranslated messages"


def test_placeholders_survive_translation() -> None:
    for locale in LOCALES:
        with po_path(locale, ROOT / "locales").open("rb") as fh:
            catalog = read_po(fh, locale=locale)
        for message in catalog:
            if not message.id:
                continue
            ids = [message.id] if isinstance(message.id, str) else list(message.id)
            strings = [message.string] if isinstance(message.string, str) else list(message.string)
            wanted = {f for i in ids for f in _fields(i)}
            for string in strings:
                assert _fields(string) <= wanted | {"n"}, (locale, message.id)


def _fields(text: str) -> set[str]:
    import string

    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_values_are_escaped_but_html_passes() -> None:
    t = translator("fr")
    text = t.gettext("Page {page} of {pages}", page="<b>1</b>", pages=escape("&"))
    assert text == "Page &lt;b&gt;1&lt;/b&gt; sur &amp;"


def test_french_plural_treats_zero_and_one_alike() -> None:
    fr, en = translator("fr"), translator("en")
    assert (
        fr.ngettext("<b>{n} open need</b>", "<b>{n} open needs</b>", 0) == "<b>0 besoin ouvert</b>"
    )
    assert en.ngettext("<b>{n} open need</b>", "<b>{n} open needs</b>", 0) == "<b>0 open needs</b>"


def test_locale_choice() -> None:
    assert pick_locale("en-GB", "fr") == "en"
    assert pick_locale("de", "fr") == "fr"
    assert pick_locale(None, "en") == "en"
