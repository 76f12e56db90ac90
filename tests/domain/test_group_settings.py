"""A group's settings: read leniently (a bad value never breaks a group), written strictly."""

import pytest

from voisinbot.domain import group_settings as gs
from voisinbot.domain.categories import Category
from voisinbot.domain.group_settings import GroupSettings


def test_defaults_for_a_new_group() -> None:
    settings = GroupSettings.from_json({})
    assert (settings.polls_open_to_all, settings.match_alerts) == (False, True)
    assert (settings.need_days, settings.offer_days) == (14, 90)
    assert settings.categories == tuple(Category)
    assert settings.digest.enabled


def test_odd_stored_values_fall_back_to_defaults() -> None:
    settings = GroupSettings.from_json(
        {
            "polls_open_to_all": "yes",
            "need_days": True,
            "offer_days": -3,
            "match_alerts": None,
            "categories": ["garden", "unknown", 3],
            "digest": "weekly",
        }
    )
    assert (settings.polls_open_to_all, settings.match_alerts) == (False, True)
    assert (settings.need_days, settings.offer_days) == (14, 90)
    assert settings.categories == (Category.GARDEN, Category.OTHER)  # "other" always stays
    assert settings.digest.enabled


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("need_days", 10),
        ("need_days", True),
        ("offer_days", "90"),
        ("polls_open_to_all", 1),
        ("match_alerts", "on"),
        ("categories", ["garden", "spaceships"]),
        ("categories", "garden"),
        ("locale", "fr"),
    ],
)
def test_only_offered_choices_can_be_stored(key: str, value: object) -> None:
    with pytest.raises(ValueError, match=r"must be|unknown"):
        gs.validate(key, value)


def test_categories_are_stored_in_order_with_other() -> None:
    assert gs.validate("categories", ["pets", "garden"]) == ["garden", "pets", "other"]
    settings = GroupSettings.from_json({"categories": ["garden", "pets", "other"]})
    assert gs.with_category(settings, Category.GARDEN, used=False) == ["pets", "other"]
    assert gs.with_category(settings, Category.OTHER, used=False) == ["garden", "pets", "other"]
    assert gs.with_category(settings, Category.DIY, used=True)[0] == "diy"


def test_time_zones_are_found_whatever_the_case() -> None:
    assert gs.find_timezone("europe/berlin") == "Europe/Berlin"
    assert gs.find_timezone(" America/New York ") == "America/New_York"
    for wrong in ("Mars/Olympus", "Berlin", "", "../etc/passwd", "UTC"):
        assert gs.find_timezone(wrong) is None
    assert all(gs.find_timezone(zone) == zone for zone in gs.TIMEZONE_CHOICES)
