"""Babel formats every number, range, unit, date and plural in the reader's locale."""

import datetime
from decimal import Decimal

import pytest

from patientsite.load.config import Language
from patientsite.load.facts import Amount, Words, plural_categories
from patientsite.load.i18n import format_amount, format_long_date

IT = Language("it", "it_IT", "Italiano", "it", True)
EN = Language("en", "en_GB", "English", "en", False)
RU = Language("ru", "ru_RU", "Русский", "ru", False)
UNITS = {
    "it": {"session": {"one": "seduta", "other": "sedute"}},
    "en": {"session": {"one": "session", "other": "sessions"}},
    "ru": {"session": {"one": "сеанс", "few": "сеанса", "many": "сеансов", "other": "сеанса"}},
}


def words(code):
    return Words(f"content/{code}/words.yaml", UNITS[code], {}, {}, {}, {}, {}, {})


def fmt(language, low, high, unit):
    amount = Amount(Decimal(low), Decimal(high) if high else None, unit)
    return format_amount(amount, language, words(language.code)).replace("\u00a0", " ")


@pytest.mark.parametrize("language, expected", [(IT, "0,05–0,1 ml"), (EN, "0.05–0.1 ml"), (RU, "0,05–0,1 мл")])
def test_decimal_ranges_use_the_locale_decimal_sign(language, expected):
    assert fmt(language, "0.05", "0.1", "ml") == expected


@pytest.mark.parametrize("language, expected", [(IT, "10–12 sedute"), (EN, "10–12 sessions"), (RU, "10–12 сеансов")])
def test_counted_ranges(language, expected):
    assert fmt(language, "10", "12", "session") == expected


@pytest.mark.parametrize("number, expected", [
    ("1", "1 сеанс"), ("2", "2 сеанса"), ("4", "4 сеанса"), ("5", "5 сеансов"), ("11", "11 сеансов"),
    ("21", "21 сеанс"), ("22", "22 сеанса"), ("1.5", "1,5 сеанса")])
def test_russian_one_few_many(number, expected):
    assert fmt(RU, number, None, "session") == expected


@pytest.mark.parametrize("language, low, high, unit, expected", [
    (RU, "7", "30", "day", "7–30 дней"), (RU, "2", "4", "day", "2–4 дня"), (RU, "15", "20", "minute", "15–20 минут"),
    (RU, "1", "2", "week", "1–2 недели"), (IT, "7", "30", "day", "7–30 giorni"), (IT, "15", "30", "day", "15–30 giorni"),
    (EN, "1", None, "week", "1 week"), (IT, "1", None, "week", "1 settimana"), (IT, "3", "4", "mm", "3–4 mm"),
    (EN, "15", "20", "minute", "15–20 minutes"), (IT, "2", "6", "month", "2–6 mesi")])
def test_measure_units_through_babel(language, low, high, unit, expected):
    assert fmt(language, low, high, unit) == expected


def test_number_and_unit_never_break_apart():
    assert fmt(RU, "10", "12", "session") != format_amount(Amount(Decimal(10), Decimal(12), "session"), RU, words("ru"))
    assert "\u00a0" in format_amount(Amount(Decimal(3), Decimal(4), "mm"), IT, words("it"))


@pytest.mark.parametrize("language, expected", [
    (IT, "20 novembre 2026"), (EN, "20 November 2026"), (RU, "20 ноября 2026\u202fг.")])
def test_long_dates(language, expected):
    assert format_long_date(datetime.date(2026, 11, 20), language) == expected


def test_plural_categories_a_counted_noun_needs():
    assert plural_categories(RU) == ("few", "many", "one", "other")
    assert plural_categories(IT) == ("one", "other")
    assert plural_categories(EN) == ("one", "other")
