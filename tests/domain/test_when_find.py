"""Dates and times inside free chat text (find_when), seen from Thursday 2026-11-26 10:00 Paris."""

from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from voisinbot.domain.when import When, find_when

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)  # a Thursday


def at(month: int, day: int, hour: int = 0, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def found(text: str, now: datetime = NOW) -> When:
    when = find_when(text, now)
    assert when is not None, text
    return when


# (text, expected instant, has_time)
RELATIVE_DAYS = [
    ("aujourd'hui", at(11, 26), False),
    ("aujourd’hui", at(11, 26), False),
    ("AUJOURD'HUI", at(11, 26), False),
    ("auj", at(11, 26), False),
    ("today", at(11, 26), False),
    ("ce soir", at(11, 26, 19), True),
    ("ce matin", at(11, 26, 9), True),
    ("ce midi", at(11, 26, 12), True),
    ("cet aprem", at(11, 26, 14), True),
    ("cet après-midi", at(11, 26, 14), True),
    ("cette aprèm", at(11, 26, 14), True),
    ("tonight", at(11, 26, 19), True),
    ("this morning", at(11, 26, 9), True),
    ("this afternoon", at(11, 26, 14), True),
    ("this evening", at(11, 26, 19), True),
    ("demain", at(11, 27), False),
    ("Demain", at(11, 27), False),
    ("demain matin", at(11, 27, 9), True),
    ("demain soir", at(11, 27, 19), True),
    ("demain aprem", at(11, 27, 14), True),
    ("demain après-midi", at(11, 27, 14), True),
    ("demain dans la soirée", at(11, 27, 19), True),
    ("après-demain", at(11, 28), False),
    ("apres demain", at(11, 28), False),
    ("après‑demain", at(11, 28), False),  # non-breaking hyphen
    ("tomorrow", at(11, 27), False),
    ("tmrw", at(11, 27), False),
    ("tomorrow morning", at(11, 27, 9), True),
    ("tomorrow afternoon", at(11, 27, 14), True),
    ("tomorrow evening", at(11, 27, 19), True),
    ("tomorrow in the morning", at(11, 27, 9), True),
    ("day after tomorrow", at(11, 28), False),
    ("the day after tomorrow", at(11, 28), False),
    ("ce week-end", at(11, 28), False),
    ("this weekend", at(11, 28), False),
]

WEEKDAYS = [
    ("samedi", at(11, 28), False),
    ("Samedi", at(11, 28), False),
    ("ce samedi", at(11, 28), False),
    ("le samedi", at(11, 28), False),
    ("samedi prochain", at(11, 28), False),
    ("lundi", at(11, 30), False),
    ("lundi pro", at(11, 30), False),
    ("lundi prochain", at(11, 30), False),
    ("lundi qui vient", at(11, 30), False),
    ("lundi en huit", at(12, 7), False),
    ("saturday", at(11, 28), False),
    ("this saturday", at(11, 28), False),
    ("next monday", at(11, 30), False),
    ("next Saturday", at(11, 28), False),
    ("on friday", at(11, 27), False),
    ("On Friday", at(11, 27), False),
    ("dimanche", at(11, 29), False),
    ("mercredi", at(12, 2), False),
    # Today is Thursday.
    ("jeudi", at(12, 3), False),  # a bare weekday that is today, without a time: next week
    ("jeudi 18h", at(11, 26, 18), True),  # ... with a time still ahead: today
    ("jeudi 9h", at(12, 3, 9), True),  # ... with a time already past: next week
    ("ce jeudi", at(11, 26), False),  # "ce"/"this": today
    ("this thursday", at(11, 26), False),
    ("jeudi prochain", at(12, 3), False),  # "prochain"/"next": never today
    ("jeudi prochain 18h", at(12, 3, 18), True),
    ("next thursday", at(12, 3), False),
    # Abbreviations, next to a date, a day number or a time.
    ("sam 14/12 10h", at(12, 14, 10), True),  # the date wins over a disagreeing weekday
    ("sam. 14/12 10h", at(12, 14, 10), True),
    ("dim 15/12 15h", at(12, 15, 15), True),
    ("Mon 16/12 6pm", at(12, 16, 18), True),
    ("mer 18/12", at(12, 18), False),
    ("sam 28", at(11, 28), False),  # the 28th is a Saturday
    ("sam 12", at(12, 12), False),  # so is the 12th of December
    ("sam 10h", at(11, 28, 10), True),
    ("sat 6pm", at(11, 28, 18), True),
    ("samedi 12", at(12, 12), False),
    ("samedi 28 à 10h", at(11, 28, 10), True),
    ("samedi 3 personnes", at(11, 28), False),  # 3 is a count, not a day
    ("samedi 14 décembre", at(12, 14), False),
]

NUMERIC_DATES = [
    ("12/12", at(12, 12), False),
    ("12/12/2026", at(12, 12), False),
    ("12/12/26", at(12, 12), False),
    ("12/12/2027", at(12, 12, year=2027), False),
    ("12-12", at(12, 12), False),
    ("12.12", at(12, 12), False),
    ("05.12", at(12, 5), False),
    ("5/12", at(12, 5), False),
    ("1/5", at(5, 1, year=2027), False),
    ("2026-12-12", at(12, 12), False),
    ("2026-12-12T14:30", at(12, 12, 14, 30), True),
    ("26/11", at(11, 26), False),  # today stays today
    ("25/11", at(11, 25, year=2027), False),  # past this year: next year
    ("12/01", at(1, 12, year=2027), False),
    ("01/01", at(1, 1, year=2027), False),
    ("29/02", at(2, 29, year=2028), False),  # waits for a leap year
    ("31/12", at(12, 31), False),
    ("le 1/2", at(2, 1, year=2027), False),  # a fraction alone, a date after "le"
    ("le 18", at(12, 18), False),
    ("le 30", at(11, 30), False),
    ("le 26", at(11, 26), False),
    ("le 1er", at(12, 1), False),
    ("le 31", at(12, 31), False),
    ("the 18th", at(12, 18), False),
    ("on the 3rd", at(12, 3), False),
]

WRITTEN_DATES = [
    ("le 12 décembre", at(12, 12), False),
    ("12 décembre", at(12, 12), False),
    ("12 DÉCEMBRE", at(12, 12), False),
    ("12 déc", at(12, 12), False),
    ("12 déc.", at(12, 12), False),
    ("1er mai", at(5, 1, year=2027), False),
    ("le 1er mai", at(5, 1, year=2027), False),
    ("2 mars", at(3, 2, year=2027), False),
    ("14 juillet", at(7, 14, year=2027), False),
    ("15 août", at(8, 15, year=2027), False),
    ("12 décembre 2027", at(12, 12, year=2027), False),
    ("dec 12", at(12, 12), False),
    ("Dec. 12", at(12, 12), False),
    ("December 12th", at(12, 12), False),
    ("December 12th, 2027", at(12, 12, year=2027), False),
    ("12 Dec", at(12, 12), False),
    ("12th of December", at(12, 12), False),
    ("the 12th of December", at(12, 12), False),
    ("March 3", at(3, 3, year=2027), False),
    ("12 mar", at(3, 12, year=2027), False),
    ("le 12 décembre à 14h", at(12, 12, 14), True),
    ("Samedi 12 décembre à 10h", at(12, 12, 10), True),
]

TIMES = [
    ("demain 14h", at(11, 27, 14), True),
    ("demain 14h30", at(11, 27, 14, 30), True),
    ("demain 14 h 30", at(11, 27, 14, 30), True),
    ("demain 14 h 30", at(11, 27, 14, 30), True),  # narrow no-break spaces
    ("demain 14:30", at(11, 27, 14, 30), True),
    ("demain 9h", at(11, 27, 9), True),
    ("demain 18h00", at(11, 27, 18), True),
    ("demain midi", at(11, 27, 12), True),
    ("demain à midi", at(11, 27, 12), True),
    ("samedi minuit", at(11, 29, 0), True),  # midnight ends the day
    ("demain 6pm", at(11, 27, 18), True),
    ("demain 6:30 pm", at(11, 27, 18, 30), True),
    ("demain 10 am", at(11, 27, 10), True),
    ("demain 10 a.m.", at(11, 27, 10), True),
    ("samedi à 10h", at(11, 28, 10), True),
    ("samedi vers 15h", at(11, 28, 15), True),
    ("samedi matin 10h", at(11, 28, 10), True),
    ("samedi soir 8h", at(11, 28, 20), True),
    ("samedi 8h du soir", at(11, 28, 20), True),
    ("ce soir 20h", at(11, 26, 20), True),
    ("ce soir 8h", at(11, 26, 20), True),
    ("14h demain", at(11, 27, 14), True),
    ("à 14h samedi", at(11, 28, 14), True),
    ("tomorrow at 3pm", at(11, 27, 15), True),
    ("at 3pm tomorrow", at(11, 27, 15), True),
    ("vendredi 18h", at(11, 27, 18), True),
    ("15/12 20:00", at(12, 15, 20), True),
    ("lundi 18h30", at(11, 30, 18, 30), True),
    ("today 6pm", at(11, 26, 18), True),
    ("Saturday at 10", at(11, 28, 10), True),
    ("tomorrow at 9", at(11, 27, 9), True),
    ("on Saturday at 10am", at(11, 28, 10), True),
    ("demain entre 14h et 16h", at(11, 27, 14), True),
    ("demain à partir de 14h", at(11, 27, 14), True),
    ("à 10h le 14/12", at(12, 14, 10), True),
    ("le 12/12 à 20h30", at(12, 12, 20, 30), True),
    ("vendredi 27 novembre 2026 à 19h", at(11, 27, 19), True),
    ("dim. 15 déc. 15h", at(12, 15, 15), True),
    ("Sat Dec 12 10am", at(12, 12, 10), True),
    # A time alone: today if still ahead, else tomorrow.
    ("à 18h", at(11, 26, 18), True),
    ("à 9h", at(11, 27, 9), True),
    ("vers 15h", at(11, 26, 15), True),
    ("dès 14h", at(11, 26, 14), True),
    ("avant 18h", at(11, 26, 18), True),
    ("at 3pm", at(11, 26, 15), True),
    ("at 10 am", at(11, 27, 10), True),
    ("à midi", at(11, 26, 12), True),
    ("à minuit", at(11, 27, 0), True),
    ("at noon", at(11, 26, 12), True),
    ("18h30", at(11, 26, 18, 30), True),
    ("14:30", at(11, 26, 14, 30), True),
    ("6pm", at(11, 26, 18), True),
    ("rdv 20h", at(11, 26, 20), True),
    ("meet at 10", at(11, 27, 10), True),
    ("à partir de 14h", at(11, 26, 14), True),
    ("8h du soir", at(11, 26, 20), True),
]

OFFSETS = [
    ("dans 3 jours", at(11, 29), False),
    ("dans 2 semaines", at(12, 10), False),
    ("dans huit jours", at(12, 3), False),
    ("dans quinze jours", at(12, 10), False),
    ("dans 1 mois", at(12, 26), False),
    ("in 3 days", at(11, 29), False),
    ("in a week", at(12, 3), False),
    ("dans 3 jours à 14h", at(11, 29, 14), True),
    ("dans 2h", at(11, 26, 12), True),
    ("dans 1h30", at(11, 26, 11, 30), True),
    ("dans une heure", at(11, 26, 11), True),
    ("dans une demi-heure", at(11, 26, 10, 30), True),
    ("in 2 hours", at(11, 26, 12), True),
    ("in an hour", at(11, 26, 11), True),
    ("in 30 min", at(11, 26, 10, 30), True),
]


@pytest.mark.parametrize(
    ("text", "expected", "has_time"),
    RELATIVE_DAYS + WEEKDAYS + NUMERIC_DATES + WRITTEN_DATES + TIMES + OFFSETS,
)
def test_reads_the_expression_alone(text: str, expected: datetime, has_time: bool) -> None:
    when = found(text)
    assert (when.at, when.has_time) == (expected, has_time)
    assert when.at.tzinfo is PARIS
    assert when.at.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    ("text", "expected", "expression"),
    [
        ("/besoin besoin d'aide pour porter un canapé samedi", at(11, 28), "samedi"),
        ("/offre je prête ma remorque demain 14h", at(11, 27, 14), "demain 14h"),
        ("need help moving a sofa next Monday", at(11, 30), "next Monday"),
        ("Qui peut m'aider à porter 2 cartons samedi à 10h ?", at(11, 28, 10), "samedi à 10h"),
        ("rdv à 14h devant la mairie", at(11, 26, 14), "à 14h"),
        ("on se voit à 14h30 samedi", at(11, 28, 14, 30), "à 14h30 samedi"),
        ("Perceuse dispo le 18, passez quand vous voulez", at(12, 18), "le 18"),
        ("je pars le 12 décembre 🎄", at(12, 12), "le 12 décembre"),
        ("I can lend my ladder on Friday!", at(11, 27), "on Friday"),
        ("dispo 20h-22h", at(11, 26, 20), "20h"),
        ("de 14h à 16h", at(11, 26, 14), "14h"),
        ("samedi ou dimanche", at(11, 28), "samedi"),
        ("samedi 14h, dimanche 15h", at(11, 28, 14), "samedi 14h"),
        ("Sam, demain 14h ça te va ?", at(11, 27, 14), "demain 14h"),
        ("j'ai 3 enfants et on part demain", at(11, 27), "demain"),
        ("(samedi)", at(11, 28), "samedi"),
        ("*samedi*", at(11, 28), "samedi"),
        ("_samedi_", at(11, 28), "samedi"),
        ("samedi.", at(11, 28), "samedi"),
        ("Rendez-vous DEMAIN À 14H", at(11, 27, 14), "DEMAIN À 14H"),
    ],
)
def test_finds_the_first_expression_in_a_message(
    text: str, expected: datetime, expression: str
) -> None:
    when = found(text)
    assert when.at == expected
    assert text[when.span[0] : when.span[1]] == expression


def test_span_points_into_the_original_text_despite_invisible_characters() -> None:
    text = "\u200bporter\u200d un canapé sam\u200bedi\u2066 à 10h"
    when = found(text)
    assert when.at == at(11, 28, 10)
    assert text[when.span[0] : when.span[1]] == "sam\u200bedi\u2066 à 10h"


@pytest.mark.parametrize(
    "text",
    [
        "porter 2 cartons",
        "j'ai 3 enfants",
        "il a 12 ans",
        "ça coûte 12€",
        "12 €",
        "12,50 €",
        "5.10 €",
        "prix 12.50",
        "une 1/2 journée",
        "1/2 journée",
        "3/4 d'heure",
        "1/2",
        "2/3 des gens",
        "dispo 24/7",
        "ouvert 7j/7",
        "appelle-moi au 06 12 34 56 78",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "0612345678",
        "+33 6 12 34 56 78",
        "2-3 personnes",
        "10-12 ans",
        "3.5 kg",
        "version 1.2.3",
        "appelle le 18",
        "appelez le 15 en cas d'urgence",
        "composez le 17",
        "j'habite le 18 rue Voltaire",
        "le 2 pièces du 3e",
        "au 1er étage",
        "le 1er étage",
        "Sam vient",
        "mon 1er vélo",
        "at 10 rue Voltaire",
        "at 10 people",
        "at 3",
        "Sam",
        "la mer",
        "mon canapé",
        "le jeu",
        "Dim light",
        "I sat down",
        "the sun",
        "ça prend 2h",
        "pendant 3h",
        "il faut 2h de route",
        "for 2h",
        "il y a 2 h",
        "2h ago",
        "ça dure 10 heures",
        "1h30 de trajet",
        "dans le midi",
        "il fait 3h",
        "midi",
        "mardi15",
        "samedis",
        "lundis et mardis",
        "le 18ème",
        "n°12",
        "#12",
        "x2",
        "A4",
        "",
        "   ",
        "🎉🎉🎉",
        "24h/24",
        "31/02",
        "30/02",
        "32/01",
        "12/13",
        "00/12",
        "25h",
        "14h75",
        "31 février",
        "31 juin",
        "13pm",
        "12/12/1990",
        "rendez-vous hier soir",
    ],
)
def test_not_a_date(text: str) -> None:
    assert find_when(text, NOW) is None


def test_time_today_or_tomorrow_around_its_hour() -> None:
    evening = datetime(2026, 11, 26, 18, 30, tzinfo=PARIS)
    assert found("à 18h", evening).at == at(11, 27, 18)
    assert found("à 18h30", evening).at == at(11, 27, 18, 30)  # not strictly ahead
    assert found("à 19h", evening).at == at(11, 26, 19)
    assert found("à minuit", evening).at == at(11, 27, 0)


def test_weekday_on_that_day() -> None:
    saturday = datetime(2026, 11, 28, 10, 0, tzinfo=PARIS)
    assert found("samedi", saturday).at == at(12, 5)
    assert found("samedi 14h", saturday).at == at(11, 28, 14)
    assert found("samedi 9h", saturday).at == at(12, 5, 9)
    assert found("ce samedi", saturday).at == at(11, 28)
    assert found("samedi prochain", saturday).at == at(12, 5)
    assert found("ce week-end", saturday).at == at(11, 28)
    sunday = datetime(2026, 11, 29, 10, 0, tzinfo=PARIS)
    assert found("ce week-end", sunday).at == at(11, 29)


def test_year_end_rollover() -> None:
    new_years_eve = datetime(2026, 12, 31, 21, 0, tzinfo=PARIS)
    assert found("demain", new_years_eve).at == at(1, 1, year=2027)
    assert found("à 22h", new_years_eve).at == at(12, 31, 22)
    assert found("à 20h", new_years_eve).at == at(1, 1, 20, year=2027)
    assert found("02/01", new_years_eve).at == at(1, 2, year=2027)
    assert found("le 2", new_years_eve).at == at(1, 2, year=2027)
    assert found("vendredi", new_years_eve).at == at(1, 1, year=2027)
    assert found("dans 3 jours", new_years_eve).at == at(1, 3, year=2027)


def test_results_follow_daylight_saving() -> None:
    before_spring = datetime(2027, 3, 27, 10, 0, tzinfo=PARIS)  # Saturday; clocks change Sunday
    when = found("demain 9h", before_spring)
    assert when.at == datetime(2027, 3, 28, 9, 0, tzinfo=PARIS)
    assert when.at.utcoffset() != before_spring.utcoffset()
    assert found("lundi 9h", before_spring).at.hour == 9
    # "demain 2h30" does not exist on the morning clocks go forward: 03:30.
    gap = found("demain 2h30", before_spring).at
    assert (gap.hour, gap.minute) == (3, 30)
    # 02:30 happens twice when clocks go back: the first one (summer time).
    before_autumn = datetime(2026, 10, 24, 10, 0, tzinfo=PARIS)
    twice = found("demain 2h30", before_autumn).at
    assert (twice.hour, twice.minute, twice.utcoffset()) == (
        2,
        30,
        datetime(2026, 10, 24, tzinfo=PARIS).utcoffset(),
    )


def test_other_timezone_results_are_in_the_timezone_of_now() -> None:
    montreal = ZoneInfo("America/Montreal")
    now = datetime(2026, 11, 26, 10, 0, tzinfo=montreal)
    when = found("demain 14h", now)
    assert when.at == datetime(2026, 11, 27, 14, 0, tzinfo=montreal)
    assert when.at.tzinfo is montreal


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="aware"):
        find_when("demain", datetime(2026, 11, 26, 10, 0))


@pytest.mark.parametrize(
    "text",
    ["hier soir", "hier à 14h", "avant-hier", "samedi dernier", "last Monday", "yesterday 6pm"],
)
def test_the_past_is_not_read(text: str) -> None:
    assert find_when(text, NOW) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2main", at(11, 27)),
        ("ajd", at(11, 26)),
        ("tmr", at(11, 27)),
        ("overmorrow", at(11, 28)),
        ("tonite", at(11, 26, 19)),
        ("ce we", at(11, 28)),
        ("this week-end", at(11, 28)),
        ("cette après-midi", at(11, 26, 14)),
        ("samedi matinée", at(11, 28, 9)),
        ("samedi soirée", at(11, 28, 19)),
        ("samedi night", at(11, 28, 19)),
        ("d'ici 2 jours", at(11, 28)),
        ("within 2 days", at(11, 28)),
        ("sous 3 jours", at(11, 29)),
        ("dans une semaine", at(12, 3)),
        ("in half an hour", at(11, 26, 10, 30)),
        ("coming monday", at(11, 30)),
        ("vend 18h", at(11, 27, 18)),
        ("merc 18h", at(12, 2, 18)),
        ("tues 6pm", at(12, 1, 18)),
        ("thurs 6pm", at(11, 26, 18)),
        ("weds 10am", at(12, 2, 10)),
    ],
)
def test_other_spellings(text: str, expected: datetime) -> None:
    assert found(text).at == expected


def test_fast_enough_for_every_message() -> None:
    messages = [
        "besoin d'aide pour porter un canapé samedi",
        "Bonjour à tous, quelqu'un aurait-il une perceuse à me prêter ? Merci d'avance 🙏",
        "je prête ma remorque demain 14h",
        "need help moving a sofa next Monday",
        "j'ai 3 enfants et 2 cartons à porter, 12€ le carton, appelez le 06 12 34 56 78",
    ]
    rounds = 100
    started = time.perf_counter()
    for _ in range(rounds):
        for message in messages:
            find_when(message, NOW)
    per_message = (time.perf_counter() - started) / (rounds * len(messages))
    assert per_message < 0.001  # typically 0.03-0.07 ms; the budget is 0.2 ms


@pytest.mark.parametrize(
    "text",
    ["x" * 10_000, "1/2 " * 2_500, "🎉" * 10_000, "le " * 3_000, "samedi 14h " * 900],
)
def test_long_messages_stay_cheap(text: str) -> None:
    started = time.perf_counter()
    find_when(text, NOW)
    assert time.perf_counter() - started < 0.5
