"""Gettext catalogues from ``locales/``, one translator per locale, passed explicitly.

The ``.po`` files are compiled with Babel when first loaded, so a checkout works without a
build step. Values interpolated into messages are HTML-escaped unless they are ``Html``:
everything a resident wrote is escaped by construction, not by remembering to.
"""

from __future__ import annotations

import datetime as dt
import gettext
import html
import io
from collections.abc import Mapping
from datetime import tzinfo
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from babel import Locale as BabelLocale
from babel.dates import format_date, format_datetime, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

DOMAIN = "voisinbot"
LOCALES = ("fr", "en")
FALLBACK_LOCALE = "fr"


class Html(str):
    """A string that is already valid Telegram HTML and must not be escaped again."""

    __slots__ = ()


def escape(value: object) -> Html:
    """Escape any value for Telegram's HTML parse mode (``Html`` passes through)."""
    if isinstance(value, Html):
        return value
    return Html(html.escape(str(value), quote=False))


def locales_dir() -> Path:
    """Where the catalogues are: inside the installed wheel, else the repository's ``locales/``."""
    packaged = resources.files("voisinbot") / "locales"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "locales"


def po_path(locale: str, directory: Path | None = None) -> Path:
    return (directory or locales_dir()) / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def _compile(po_file: Path) -> gettext.GNUTranslations:
    with po_file.open("rb") as fh:
        catalog = read_po(fh, locale=po_file.parts[-3])
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@lru_cache(maxsize=4096)
def _integer(locale: str, value: int) -> str:
    # Counts in nearly every message; Babel takes ~10 µs to format each one.
    return format_decimal(value, locale=locale)


class Translator:
    """Messages, numbers and dates in one locale."""

    def __init__(self, locale: str, translations: gettext.NullTranslations) -> None:
        self.locale = locale
        self._translations = translations
        self._babel_locale = BabelLocale.parse(locale)

    def gettext(self, message: str, /, **values: object) -> Html:
        """Translate ``message`` and fill its ``{name}`` fields with escaped values."""
        return _fill(self._translations.gettext(message), values)

    def ngettext(self, singular: str, plural: str, n: int, /, **values: object) -> Html:
        """Plural-aware translation; ``{n}`` is available to the message."""
        values.setdefault("n", self.number(n))
        return _fill(self._translations.ngettext(singular, plural, n), values)

    def number(self, value: float) -> str:
        if type(value) is int:
            return _integer(self.locale, value)
        return format_decimal(value, locale=self._babel_locale)

    def date(self, value: dt.date, fmt: str = "medium") -> str:
        return format_date(value, format=fmt, locale=self._babel_locale)

    def datetime(self, value: dt.datetime, tz: tzinfo, fmt: str = "medium") -> str:
        return format_datetime(value, format=fmt, tzinfo=tz, locale=self._babel_locale)

    def time(self, value: dt.datetime, tz: tzinfo, fmt: str = "short") -> str:
        return format_time(value, format=fmt, tzinfo=tz, locale=self._babel_locale)

    def __repr__(self) -> str:
        return f"Translator({self.locale!r})"


def _fill(template: str, values: Mapping[str, object]) -> Html:
    if not values:
        return Html(template)
    return Html(template.format_map({k: escape(v) for k, v in values.items()}))


@cache
def translator(locale: str) -> Translator:
    """The translator for ``locale`` (``fr`` or ``en``; anything else falls back to French)."""
    if locale not in LOCALES:
        locale = FALLBACK_LOCALE
    return Translator(locale, _compile(po_path(locale)))


def pick_locale(language_code: str | None, default: str) -> str:
    """The resident's Telegram language if we speak it, else ``default``."""
    if language_code:
        primary = language_code.split("-")[0].lower()
        if primary in LOCALES:
            return primary
    return default if default in LOCALES else FALLBACK_LOCALE
