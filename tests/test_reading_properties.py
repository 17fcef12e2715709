"""Property-based: normalisation, numbers, dates, fact extraction and answer parsing over arbitrary Unicode,
bytes and numbers never raise anything but their own one-line errors, never return a non-finite number, a date
outside EARLIEST..today, or a value of the wrong type — and numbers and dates written in the common forms read
back as what was written."""
import datetime as dt
import os
import math

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from assistant.answers import parse_answer
from assistant.cli import decode_bytes
from assistant.extract import EARLIEST, DateError, extract_facts, parse_date_text
from assistant.facts import FactError
from assistant.text import NumberError, normalise, parse_number

SETTINGS = settings(max_examples=int(os.environ.get("WEIQUAN_EXAMPLES", "150")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
TODAY = dt.date(2026, 11, 21)
# Text people and attackers type: any code point (surrogates and controls included), and the pieces fact
# reading looks for, so that the readers are driven deep, not just past their first check.
PIECES = ["天前", "天了", "签收", "收到", "不是", "没有", "吊牌", "剪了", "万", "千", "w", "k", "元", "块", "¥", "花了", "第", "天",
          "上上周", "周五", "号", "月", "11.16", "2026-", "-", ",", ".", "/", "days ago", "last ", "the 3rd", "not ", "淘宝", "我是",
          "卖家", "买家", "威胁", "鉴定", "9" * 30, "0", "1", "十", "两", "百", "如果", "是不是", " "]
text = st.lists(st.one_of(st.text(max_size=12), st.sampled_from(PIECES)), max_size=30).map("".join)
todays = st.dates(min_value=dt.date(1991, 1, 1), max_value=dt.date(9999, 12, 31))


@SETTINGS
@given(st.text())
def test_normalise_never_raises_and_leaves_printable_utf8(raw):
    out = normalise(raw)
    out.encode("utf-8")
    assert not any(ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF for c in out)


@SETTINGS
@given(st.binary(max_size=200))
def test_any_bytes_decode_and_read(raw):
    extract_facts(decode_bytes(raw), TODAY)


def _well_typed(facts: dict, today: dt.date) -> None:
    for name, value in facts.items():
        if isinstance(value, dt.date):
            assert EARLIEST <= value <= today, (name, value)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            assert math.isfinite(value) and 0 <= value <= 100_000_000, (name, value)
        else:
            assert isinstance(value, (str, bool)), (name, value)


@SETTINGS
@given(text, todays)
def test_extraction_never_raises_and_every_value_is_in_range(message, today):
    _well_typed(extract_facts(message, today), today)


@SETTINGS
@given(text, todays)
def test_extraction_with_every_definition_never_raises(definitions_all, message, today):
    _well_typed(extract_facts(message, today, definitions_all), today)


@SETTINGS
@given(text, todays)
def test_a_date_answer_is_a_date_up_to_today_or_a_one_line_refusal(answer, today):
    try:
        date = parse_date_text(answer, today)
    except DateError as refused:
        assert "\n" not in str(refused)
    else:
        assert EARLIEST <= date <= today


@SETTINGS
@given(st.one_of(text, st.integers().map(str), st.floats(allow_nan=True, allow_infinity=True).map(str)))
@example("0\n999999999999999999999999999999")  # found by hypothesis: the refusal quoted the line break
def test_numbers_are_finite_or_refused(raw):
    try:
        value = parse_number(raw)
    except NumberError as refused:
        assert "\n" not in str(refused)
    else:
        assert math.isfinite(value) and value >= 0


@SETTINGS
@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_whole_numbers_read_back_in_every_common_form(n):
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n
    if n < 10**8:
        assert parse_number(f"{n}万") == n * 10_000
        assert parse_number(f"{n}k") == n * 1000


@SETTINGS
@given(st.integers(min_value=0, max_value=99_999_999))
def test_chinese_numerals_read_back(n):
    assert parse_number(_chinese(n)) == n


def _chinese(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n == 0:
        return "零"
    out, zero = "", False
    for unit, size in (("亿", 10**8), ("万", 10**4), ("", 1)):
        part, n = divmod(n, size)
        if not part:
            zero = bool(out)
            continue
        chunk = ""
        for sub_unit, sub_size in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
            digit, part = divmod(part, sub_size)
            if digit:
                if zero and (chunk or out):
                    chunk += "零"
                chunk += digits[digit] + sub_unit
                zero = False
            elif chunk or out:
                zero = True
        out += chunk + unit
    return out


@SETTINGS
@given(st.dates(min_value=EARLIEST, max_value=TODAY))
def test_dates_read_back_in_every_common_form(date):
    forms = [date.isoformat(), f"{date.year}年{date.month}月{date.day}日", f"{date.year}/{date.month}/{date.day}"]
    if date > TODAY.replace(year=TODAY.year - 1):  # without a year a date means the last one
        forms += [f"{date.month}月{date.day}号", date.strftime("%b %d"), f"{date.day} {date.strftime('%B')}", f"{date.month}.{date.day}"]
    days = (TODAY - date).days
    forms += [f"{days}天前", f"{days} days ago"]
    for form in forms:
        assert parse_date_text(form, TODAY) == date, form


@SETTINGS
@given(st.sampled_from(["price", "seller_promised_ship_hours", "received_date", "platform", "role", "is_food", "resale_affected",
                        "return_signed", "extortion", "goods_type"]), text)
def test_any_answer_is_a_value_or_a_one_line_refusal(definition_of, name, answer):
    assume(answer.strip())
    try:
        value = parse_answer(name, definition_of(name), answer, TODAY)
    except (FactError, DateError) as refused:
        assert "\n" not in str(refused)
    else:
        _well_typed({name: value}, TODAY)
