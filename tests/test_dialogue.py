"""The Conversation, scripted as a person would type it, through `weiquan chat --plain --json`."""
import datetime as dt
import json
import re

import pytest

from assistant.dialogue import SCENARIO, Conversation
from assistant.match import MatchResult, Ranked
from assistant.text import has_han
from conftest import run_cli

TODAY = dt.date(2026, 11, 21)


def chat(*lines: str, today: str = "2026-11-21") -> list[dict]:
    result = run_cli("chat", "--plain", "--json", "--today", today, stdin="\n".join(lines).encode())
    assert result.returncode == 0, result.stderr.decode()
    replies = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(replies) == len(lines)
    return replies


def asked(replies: list[dict]) -> list[str]:
    return [r["asking"] for r in replies if r["asking"]]


def test_chinese_conversation_reaches_a_verdict_without_reasking():
    replies = chat("天猫买的东西付款五天了还不发货", "1299")
    first, last = replies
    assert first["scenario"] == "late_shipment" and first["asking"] == "price"
    assert {"platform", "paid_date", "order_status"} <= set(first["facts"])
    assert last["verdict"]["status"] == "eligible"
    assert last["verdict"]["compensation"] == {"amount": 389.7, "currency": "CNY", "basis": "tmall_late_shipment",
                                               "label": last["verdict"]["compensation"]["label"], "form": "points", "at_least": False}
    assert asked(replies) == ["price"]


def test_english_conversation_with_a_bad_value_and_a_retry():
    replies = chat("I want to return a jacket I don't like, bought on Taobao", "last tuesday", "hmm 2026-13-45", "Nov 16")
    assert [r["asking"] for r in replies] == ["received_date", None, None, None]
    assert replies[0]["asking"] == "received_date" and replies[0]["scenario"] == "seven_day_return"
    assert replies[1]["verdict"]["status"] == "eligible"  # last Tuesday = 2026-11-17 → deadline 2026-11-24
    assert replies[1]["verdict"]["deadline"] == "2026-11-24"
    # a correction after the verdict replaces the fact and the verdict follows it
    corrected = chat("I want to return a jacket I don't like, bought on Taobao", "last tuesday", "actually I received it on Nov 10")
    assert corrected[-1]["facts"]["received_date"]["value"] == "2026-11-10"
    assert corrected[-1]["verdict"]["status"] == "window_passed"
    assert all(r["lang"] == "en" for r in corrected)


def test_bad_values_are_re_asked_and_nothing_is_lost():
    replies = chat("不喜欢了能退吗，淘宝买的", "后天", "abc", "3天前")
    assert [r["asking"] for r in replies[:3]] == ["received_date"] * 3
    assert "之后" in replies[1]["say"] and "日期" in replies[2]["say"]
    assert replies[1]["error"] and replies[2]["error"]
    assert replies[3]["facts"]["platform"]["value"] == "taobao"
    assert replies[3]["verdict"]["status"] == "eligible"


def test_not_sure_leads_to_a_conditional_verdict():
    replies = chat("我是卖家，退回来的包裹", "不确定")
    assert replies[0]["asking"] == "return_signed"
    # the signing question decides the route; "not sure" answers both ways instead of stopping
    verdict = replies[1]["verdict"]
    assert verdict["status"] == "eligible" and "return_signed" in replies[1]["missing_facts"]
    assert {"fact": "return_signed", "value": True, "text": None} in verdict["assumptions"]
    assert any(a["fact"] == "return_signed" and a["value"] is False for a in verdict["alternatives"])
    assert "如果已签收退货包裹为“否”" in replies[1]["say"]
    seven = chat("七天无理由退货，11月18号签收的")
    verdict = seven[0]["verdict"]
    assert verdict["status"] == "eligible" and verdict["assumptions"]
    assert {a["status"] for a in verdict["alternatives"]} == {"excluded", "not_eligible"}


def test_unknown_price_still_gives_the_verdict_with_its_bases():
    replies = chat("天猫买的东西付款五天了还不发货", "不确定")
    verdict = replies[1]["verdict"]
    assert verdict["status"] == "eligible" and verdict["compensation"] is None
    assert verdict["compensation_bases"][0]["amount"] is None


def test_follow_ups_evidence_escalation_language_and_restart():
    replies = chat("淘宝卖家付款三天了还没发货", "200", "要准备什么证据", "卖家不理我怎么办", "English", "重新开始", "优惠券用不了")
    assert replies[1]["verdict"]["status"] == "eligible"
    assert "证据" in replies[2]["say"] and replies[2]["verdict"] is not None
    assert "升级" in replies[3]["say"]
    assert replies[4]["lang"] == "en" and "Yes" in replies[4]["say"]
    assert replies[5]["scenario"] is None and replies[5]["facts"] == {}
    assert replies[6]["scenario"] is None and replies[6]["lang"] == "en"  # English was fixed: rejected (or a near
    assert re.search("help with|which situation", replies[6]["say"]) and not has_han(replies[6]["say"])  # miss offered) in English


def test_stated_facts_are_never_asked_again():
    replies = chat("京东上的判定我不服，我是买家，判定是11月14号")
    assert replies[0]["scenario"] == "ruling_appeal"
    assert replies[0]["verdict"]["status"] == "eligible" and replies[0]["verdict"]["deadline"] == "2026-11-21"
    assert asked(replies) == []


class TieMatcher:
    """A matcher that always finds a buyer/seller near tie (unless the role settles it, as the real one does)."""

    def match(self, text, role=None, implied=None):
        both = [Ranked("fake_goods", 0.8, 0.7), Ranked("seller_counterfeit_accusation", 0.79, 0.69)]
        if role == "seller":
            both = both[1:]
        return MatchResult(both[0].id, both[0].score, both, both)


class TieEngine:
    def __init__(self, engine):
        self.kb = engine.kb
        self.matcher = TieMatcher()


def test_near_tie_is_clarified_by_choice(engine):
    conversation = Conversation(TieEngine(engine), today=TODAY)
    turn = conversation.send("鉴定说是假的")
    assert turn.asking == SCENARIO and [c["value"] for c in turn.choices] == ["fake_goods", "seller_counterfeit_accusation", "none"]
    assert turn.say.startswith("你的情况更接近哪一种")
    turn = conversation.send("2")
    assert turn.scenario == "seller_counterfeit_accusation" and turn.asking == "platform"


def test_near_tie_is_settled_by_the_role(engine):
    conversation = Conversation(TieEngine(engine), today=TODAY)
    conversation.send("鉴定说是假的")
    turn = conversation.send("我是卖家")
    assert turn.scenario == "seller_counterfeit_accusation"
    tie_with_role = Conversation(TieEngine(engine), today=TODAY)
    assert tie_with_role.send("我是卖家，鉴定说是假的").scenario == "seller_counterfeit_accusation"


def test_none_of_these_asks_to_say_it_again(engine):
    conversation = Conversation(TieEngine(engine), today=TODAY)
    conversation.send("鉴定说是假的")
    turn = conversation.send("3")
    assert turn.scenario is None and turn.asking is None and "换个说法" in turn.say
    assert conversation.send("都不是").kind != "error"  # a new question from here on, not a bad choice


def test_a_bad_choice_keeps_the_question(engine):
    conversation = Conversation(TieEngine(engine), today=TODAY)
    conversation.send("鉴定说是假的")
    turn = conversation.send("7")
    assert turn.asking == SCENARIO and turn.error


@pytest.mark.parametrize("answer", ["2", "天猫", "tmall", "Tmall", "在天猫买的"])
def test_choices_by_number_value_or_label(engine, answer):
    conversation = Conversation(engine, today=TODAY, scenario="fake_goods")
    assert conversation.start().asking == "platform"
    turn = conversation.send(answer)
    assert conversation.facts["platform"].value == "tmall" and turn.asking != "platform"


def _say(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return value.isoformat() if isinstance(value, dt.date) else str(value)


CASES = [(sid, case) for sid, s in __import__("knowledge_base.loader", fromlist=["load"]).load(
    __import__("conftest").SHIPPED_KB).scenarios.items() for case in s.tests if case.expect.status is not None]


@pytest.mark.parametrize("sid, case", CASES, ids=[f"{sid}: {case.name}" for sid, case in CASES])
def test_the_interview_reaches_every_scenario_verdict(engine, sid, case):
    """Ask in the scenario's own words, answer only what is asked, never be asked twice."""
    conversation = Conversation(engine, today=case.today)
    turn = conversation.send(engine.kb.scenarios[sid].title.zh)
    if turn.asking == SCENARIO:
        turn = conversation.send(sid)
    assert turn.scenario == sid
    asked_so_far = []

    def interview(turn):
        while turn.asking:
            name = turn.asking
            assert name not in asked_so_far, f"{name} asked twice"
            assert name not in conversation.facts, f"{name} was already stated"
            asked_so_far.append(name)
            turn = conversation.send(_say(case.facts[name]) if name in case.facts else "不确定")
        return turn

    turn = interview(turn)
    for name, value in case.facts.items():  # facts the interview took as assumed: state them as corrections
        if name not in conversation.facts or conversation.facts[name].value != value:
            turn = interview(conversation.send(f"{name}={_say(value)}"))
    assert turn.verdict is not None, (turn.say, turn.missing_facts)
    assert turn.verdict.status == case.expect.status
    if case.expect.deadline:
        assert turn.verdict.deadline.date == case.expect.deadline
