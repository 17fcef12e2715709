import datetime as dt

import pytest

from knowledge_base.conditions import ConditionError, Environment, Unknown, parse


def env(**facts):
    return Environment(facts, {"limit": 7}, dt.date(2026, 11, 21), lambda a, b: (b - a).days)


def test_comparisons_helpers_and_parameters():
    condition = parse("platform == 'tmall' and days_since(received_date) <= limit")
    assert condition.names == {"platform", "received_date", "limit"}
    assert condition.evaluate(env(platform="tmall", received_date=dt.date(2026, 11, 14))) is True
    assert condition.evaluate(env(platform="tmall", received_date=dt.date(2026, 11, 13))) is False
    assert parse("order_status in ['paid', 'shipped']").evaluate(env(order_status="paid")) is True
    assert parse("hours_since(paid_date) > 48").evaluate(env(paid_date=dt.date(2026, 11, 18))) is True


def test_unknown_facts_propagate_only_when_they_matter():
    assert parse("item_excluded and platform == 'taobao'").evaluate(env(platform="tmall")) is False
    assert parse("item_excluded or platform == 'tmall'").evaluate(env(platform="tmall")) is True
    result = parse("item_excluded and days_since(received_date) < 7").evaluate(env())
    assert isinstance(result, Unknown) and result.facts == {"item_excluded", "received_date"}
    assert parse("known(price)").evaluate(env()) is False


@pytest.mark.parametrize("text", ["__import__('os').system('x')", "a.b", "x if y else z", "[i for i in x]", "f(x)", "lambda: 1", "x + 1", "days_since('2026-01-01')"])
def test_anything_outside_the_language_is_refused(text):
    with pytest.raises(ConditionError):
        parse(text)


def test_syntax_errors_are_reported():
    with pytest.raises(ConditionError, match="cannot read condition"):
        parse("platform ==")


def test_hours_between_two_dates_counts_whole_days():
    condition = parse("hours_between(paid_date, shipped_date) > limit")
    assert condition.names == {"paid_date", "shipped_date", "limit"}
    paid = dt.date(2026, 11, 18)
    assert parse("hours_between(paid_date, shipped_date)").evaluate(env(paid_date=paid, shipped_date=dt.date(2026, 11, 21))) == 72
    assert condition.evaluate(env(paid_date=paid, shipped_date=dt.date(2026, 11, 18))) is False
    result = condition.evaluate(env(paid_date=paid))
    assert isinstance(result, Unknown) and result.facts == {"shipped_date"}


def test_unsure_tells_a_not_sure_answer_from_a_question_not_asked_yet():
    condition = parse("unsure(shipped_date)")
    with_unsure = Environment({}, {}, dt.date(2026, 11, 21), lambda a, b: 0, unsure=frozenset({"shipped_date"}))
    assert condition.evaluate(with_unsure) is True
    assert condition.evaluate(env(shipped_date=dt.date(2026, 11, 20))) is False
    not_asked = condition.evaluate(env())
    assert isinstance(not_asked, Unknown) and not_asked.facts == {"shipped_date"}  # so the question is asked


@pytest.mark.parametrize("text", ["hours_between(a)", "hours_between(a, b, c)", "unsure(a, b)", "days_since(a, b)"])
def test_functions_take_their_own_number_of_facts(text):
    with pytest.raises(ConditionError):
        parse(text)
