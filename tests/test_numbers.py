"""Numbers as people write them, always finite, and `--fact` values checked against each fact's range."""
import datetime as dt

import pytest

from assistant.facts import FactError, parse_flag
from assistant.text import NumberError, parse_number


@pytest.mark.parametrize("text, expected", [
    ("299", 299), ("1,299.00", 1299), ("2.5万", 25000), ("1.2w", 12000), ("1.5k", 1500), ("12K", 12000), ("3千", 3000),
    ("两万", 20000), ("一万二千", 12000), ("一万二", 12000), ("1万2", 12000), ("两百五", 250), ("三千五", 3500), ("十", 10),
    ("十二", 12), ("二十五", 25), ("一百零五", 105), ("一千零五十", 1050), ("2万5千", 25000), ("100w", 1_000_000), ("一亿", 100_000_000),
    ("0", 0), ("88.5", 88.5), ("１２３", None),
])
def test_numbers_with_units(text, expected):
    import unicodedata

    text = unicodedata.normalize("NFKC", text)
    assert parse_number(text) == (expected if expected is not None else 123)


@pytest.mark.parametrize("text", ["1,2,3", "12,34", "1.2.3", "万", "abc", "9" * 400, "9" * 13, "1e400", "nan", "inf", "-5", "五毛", "", "一二三"])
def test_what_is_not_a_number_is_refused_with_a_reason(text):
    with pytest.raises(NumberError) as refused:
        parse_number(text)
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize("flag, value", [("price=2.5万", 25000), ("price=1,299", 1299), ("price=两百五", 250),
                                         ("seller_promised_ship_hours=48", 48), ("received_date=2026-11-16", dt.date(2026, 11, 16))])
def test_flags_take_the_same_forms(definitions_all, flag, value):
    assert parse_flag(flag, definitions_all, dt.date(2026, 11, 21)).value == value


@pytest.mark.parametrize("flag, reason", [
    ("price=1,2,3", "commas"), ("price=" + "9" * 400, "too long"), ("price=" + "9" * 20, "digits"), ("price=0", "range"),
    ("price=2亿", "range"), ("seller_promised_ship_hours=99999999999999", "digits"), ("seller_promised_ship_hours=99999999999", "range"),
    ("seller_promised_ship_hours=1.5", "whole"), ("received_date=0001-01-01", "before"), ("received_date=9999-12-31", "after today"),
])
def test_flags_out_of_range_are_refused(definitions_all, flag, reason):
    with pytest.raises(FactError, match=reason):
        parse_flag(flag, definitions_all, dt.date(2026, 11, 21))
