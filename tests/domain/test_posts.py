"""Rules a new post must follow."""

from hypothesis import given
from hypothesis import strategies as st

from voisinbot.domain.posts import (
    MAX_TEXT_LENGTH,
    PostKind,
    TextProblem,
    check_text,
    clean_text,
    over_hourly_quota,
)


def test_clean_text_collapses_spaces_and_keeps_lines() -> None:
    assert clean_text("  porter   un\tcanapé \n\n samedi  ") == "porter un canapé\nsamedi"


def test_clean_text_drops_invisible_controls_but_keeps_emoji_sequences() -> None:
    family = "👨\u200d👩\u200d👧"
    assert clean_text("perceuse\u200b\u202e " + family) == "perceuse " + family


def test_text_bounds() -> None:
    assert check_text("") is TextProblem.EMPTY
    assert check_text("ok") is TextProblem.TOO_SHORT
    assert check_text("vélo") is None
    assert check_text("x" * MAX_TEXT_LENGTH) is None
    assert check_text("x" * (MAX_TEXT_LENGTH + 1)) is TextProblem.TOO_LONG


def test_hourly_quota() -> None:
    assert not over_hourly_quota(9)
    assert over_hourly_quota(10)


def test_kind_parse_refuses_unknown_values() -> None:
    assert PostKind.parse("need") is PostKind.NEED
    assert PostKind.parse("needs") is None


@given(st.text(max_size=3000))
def test_clean_text_is_idempotent_and_never_grows(raw: str) -> None:
    once = clean_text(raw)
    assert clean_text(once) == once
    assert len(once) <= len(raw)
