import pytest

from assistant.match import THRESHOLD, Matcher


@pytest.mark.parametrize(
    "question, expected",
    [
        ("快递显示签收了但我根本没收到", "not_received"),
        ("专柜说我买的包是假的", "fake_goods"),
        ("不喜欢了能退吗", "seven_day_return"),
        ("seller hasn't shipped for five days", "late_shipment"),
        ("how do I appeal Xiao Er's ruling", "ruling_appeal"),
        ("我是卖家，被投诉卖假货了", "seller_counterfeit_accusation"),
        ("someone stole my product photos", "ip_complaint"),
    ],
)
def test_clear_questions_rank_their_scenario_first(engine, question, expected):
    result = engine.matcher.match(question)
    assert result.scenario == expected
    assert THRESHOLD <= result.score <= 1


@pytest.mark.parametrize("question", ["优惠券怎么用", "how do I open a Taobao shop", "今天天气怎么样", "", "😀😀😀", "asdfgh"])
def test_out_of_scope_questions_are_rejected(engine, question):
    result = engine.matcher.match(question)
    assert result.scenario is None
    assert result.candidates == []
    assert 0 <= result.score < THRESHOLD


def test_scores_are_probabilities_and_ranking_is_sorted(engine):
    result = engine.matcher.match("淘宝买的东西坏了")
    scores = [r.score for r in result.ranking]
    raws = [r.raw for r in result.ranking]
    assert all(0 <= s <= 1 for s in scores)
    assert raws == sorted(raws, reverse=True)
    assert len(result.ranking) == len(engine.kb.scenarios)


def test_near_tie_offers_both_scenarios(engine):
    matcher: Matcher = engine.matcher
    classes = matcher.index.classes
    raw = [0.0] * len(classes)
    raw[classes.index("quality_problem")] = 0.80
    raw[classes.index("not_as_described")] = 0.79
    tie = matcher.decide(raw, known=1.0)
    assert tie.scenario == "quality_problem"
    assert [c.id for c in tie.candidates] == ["quality_problem", "not_as_described"]
    assert tie.ambiguous

    raw[classes.index("not_as_described")] = 0.40
    clear = matcher.decide(raw, known=1.0)
    assert [c.id for c in clear.candidates] == ["quality_problem"]


def test_traditional_script_ranks_like_simplified(engine):
    simplified = engine.matcher.match("订单显示已签收，但我没收到货")
    traditional = engine.matcher.match("訂單顯示已簽收，但我沒收到貨")
    assert simplified.scenario == traditional.scenario == "not_received"
    assert traditional.score == pytest.approx(simplified.score)


def test_typos_and_slang_still_match(engine):
    assert engine.matcher.match("买到假huo了，要求退一赔三").scenario == "fake_goods"
    assert engine.matcher.match("申请小二介如有用吗").scenario == "platform_intervention"


def test_long_input_is_matched_on_its_beginning(engine):
    result = engine.matcher.match("我买的东西是假货" + "啊" * 100_000)
    assert result.scenario == "fake_goods"
