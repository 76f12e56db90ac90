"""Telegram's HTML subset: plain text, UTF-16 entities, and what is rejected."""

from __future__ import annotations

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voisinbot.fakeapi.entities import detect_entities
from voisinbot.fakeapi.errors import ApiError
from voisinbot.fakeapi.markup import parse_html, utf16_len


def test_nested_tags_give_utf16_entities() -> None:
    text, entities = parse_html("🛋️ <b>Canapé <i>lourd</i></b> &amp; <code>3e</code>")
    assert text == "🛋️ Canapé lourd & 3e"
    # "🛋️" is U+1F6CB (a surrogate pair) + U+FE0F: three UTF-16 units.
    bold = {"type": "bold", "offset": 4, "length": 12}
    italic = {"type": "italic", "offset": 11, "length": 5}
    code = {"type": "code", "offset": 19, "length": 2}
    assert entities == [bold, italic, code]


def test_links_pre_spoilers_quotes_and_emoji() -> None:
    source = (
        '<a href="https://ex.org/?a=1&amp;b=2">lien</a> '
        '<pre><code class="language-python">x = 1</code></pre> '
        '<tg-spoiler>chut</tg-spoiler> <span class="tg-spoiler">psst</span> '
        "<blockquote expandable>long</blockquote> "
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
    )
    text, entities = parse_html(source)
    assert text == "lien x = 1 chut psst long 👍"
    kinds = [
        (e["type"], e.get("url") or e.get("language") or e.get("custom_emoji_id")) for e in entities
    ]
    assert kinds == [
        ("text_link", "https://ex.org/?a=1&b=2"),
        ("pre", "python"),
        ("spoiler", None),
        ("spoiler", None),
        ("expandable_blockquote", None),
        ("custom_emoji", "5368324170671202286"),
    ]


def test_entities_and_surrounding_whitespace() -> None:
    text, entities = parse_html("  <b> gras </b>&#33;&#x3F;&quot;&lt;&gt;  ")
    assert text == 'gras !?"<>'
    assert entities == [{"type": "bold", "offset": 0, "length": 5}]


def test_lenient_ampersand_like_telegram() -> None:
    assert parse_html("R&D &nbsp;", strict_ampersand=False)[0] == "R&D &nbsp;"
    with pytest.raises(ApiError):
        parse_html("R&D")


@given(st.text(max_size=200))
def test_escaped_text_always_round_trips(raw: str) -> None:
    escaped = html.escape(raw, quote=False)
    text, entities = parse_html(f"<b>{escaped}</b>")
    assert text == raw.strip()
    if text:
        assert entities == [{"type": "bold", "offset": 0, "length": utf16_len(text)}]


@given(st.text(alphabet="<>/&abi ", max_size=30))
def test_parser_never_crashes(source: str) -> None:
    # Any input either parses or is a Telegram-shaped 400: never another exception.
    outcome: ApiError | None = None
    try:
        parse_html(source)
    except ApiError as error:
        outcome = error
    if outcome is not None:
        assert outcome.status == 400
        assert outcome.description.startswith("Bad Request: can't parse entities: ")


def test_detect_entities_in_user_text() -> None:
    text = "/besoin@voisinbot_bot 🛋️ canapé pour @alice_b #entraide https://ex.org/x."
    found = {e["type"]: e for e in detect_entities(text)}
    assert found["bot_command"] == {"type": "bot_command", "offset": 0, "length": 21}
    encoded = text.encode("utf-16-le")

    def cut(entity: dict[str, int]) -> str:
        start = entity["offset"] * 2
        return encoded[start : start + entity["length"] * 2].decode("utf-16-le")

    assert cut(found["mention"]) == "@alice_b"
    assert cut(found["hashtag"]) == "#entraide"
    assert cut(found["url"]) == "https://ex.org/x"
    assert detect_entities("pas/une commande a/b") == []
