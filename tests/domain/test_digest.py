"""Weekly digest rules: wall-clock weeks across daylight saving, settings, emptiness."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from voisinbot.domain.digest import (
    DigestData,
    DigestSettings,
    Numbers,
    Section,
    Week,
    next_digest_at,
    parse_day_and_time,
)

PARIS = ZoneInfo("Europe/Paris")


def test_monday_nine_stays_nine_across_both_dst_changes() -> None:
    settings = DigestSettings()
    moment = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
    seen = []
    for _ in range(40):
        moment = next_digest_at(moment, settings, PARIS)
        local = moment.astimezone(PARIS)
        assert (local.weekday(), local.hour, local.minute) == (0, 9, 0)
        seen.append(moment.utcoffset() if moment.tzinfo else None)
        seen.append(local.utcoffset())
    offsets = {o for o in seen if o is not None}
    assert len(offsets) == 2  # both winter and summer time were crossed


def test_week_key_and_bounds() -> None:
    sent = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # Monday 09:00 Paris
    week = Week.ending_at(sent, PARIS)
    assert week.key == "2026-W49"
    assert week.start == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    assert week.previous(PARIS).key == "2026-W48"


def test_week_across_the_autumn_change_is_seven_local_days() -> None:
    sent = datetime(2026, 10, 26, 8, 0, tzinfo=UTC)  # Monday after the clocks went back
    week = Week.ending_at(sent, PARIS)
    assert week.start.astimezone(PARIS).replace(tzinfo=None) == datetime(2026, 10, 19, 9, 0)
    assert (week.end - week.start).total_seconds() == 7 * 24 * 3600 + 3600


def test_settings_round_trip_and_bad_values() -> None:
    settings = DigestSettings(enabled=False, weekday=4, at=time(18, 30), chart=True)
    assert DigestSettings.from_group({"digest": settings.to_json()}) == settings
    assert DigestSettings.from_group({"digest": {"weekday": 9, "time": "25h"}}) == DigestSettings()


def test_day_and_time_in_both_languages() -> None:
    assert parse_day_and_time("vendredi 18h") == (4, time(18, 0))
    assert parse_day_and_time("Sunday 9:30") == (6, time(9, 30))
    assert parse_day_and_time("lun") == (0, time(9, 0))
    assert parse_day_and_time("demain 9h") is None
    assert parse_day_and_time("lundi 25h") is None


def test_a_week_with_nothing_is_empty() -> None:
    week = Week.ending_at(datetime(2026, 11, 30, 8, 0, tzinfo=UTC), PARIS)
    empty = Section((), 0)
    quiet = DigestData(week=week, open_needs=empty, new_offers=empty, helps=empty)
    assert quiet.is_empty()
    thanked = DigestData(
        week=week, open_needs=empty, new_offers=empty, helps=empty, this_week=Numbers(thanks=1)
    )
    assert not thanked.is_empty()
