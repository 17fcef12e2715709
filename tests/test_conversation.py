"""Conversations as people hold them: the topic is kept, side questions are answered and the interview goes on,
"not sure" never dead-ends, the last answer can be taken back, and replies follow the person's language and
script. Scripted against the shipped knowledge base through the one Conversation all faces use."""
import datetime as dt
import re

import pytest

from assistant.dialogue import SCENARIO, TOPIC, Conversation
from conftest import run_cli

TODAY = dt.date(2026, 11, 21)


def talk(engine, *lines, lang="auto"):
    conversation = Conversation(engine, today=TODAY, lang=lang)
    return conversation, [conversation.send(line) for line in lines]


def test_a_word_that_is_no_answer_keeps_the_question_and_the_topic(engine):
    conversation, turns = talk(engine, "淘宝买的外套不喜欢了想退", "卖家")
    assert turns[0].scenario == turns[1].scenario == "seven_day_return"
    assert turns[1].asking == "received_date" and turns[1].error


def test_a_clearly_new_question_is_offered_as_a_new_topic_and_no_keeps_the_old_one(engine):
    conversation, turns = talk(engine, "天猫买的东西付款五天了还不发货", "对了我还买了一个包 专柜鉴定说是假的", "否")
    first, offer, stay = turns
    assert first.scenario == "late_shipment" and first.asking == "price"
    assert offer.asking == TOPIC and offer.scenario == "late_shipment" and "收到假货" in offer.say
    assert [c["value"] for c in offer.choices] == ["yes", "no"]
    assert stay.asking == "price" and stay.scenario == "late_shipment" and "继续" in stay.say


def test_yes_switches_topic_and_keeps_the_facts_that_still_apply(engine):
    conversation, turns = talk(engine, "天猫买的东西付款五天了还不发货", "对了我还买了一个包 专柜鉴定说是假的", "是")
    switched = turns[-1]
    assert switched.scenario == "fake_goods"
    assert conversation.facts["platform"].value == "tmall"  # said in the first question, still true
    assert switched.asking != "platform"


@pytest.mark.parametrize("side, kind, marker", [("有什么用", "why", "签收的次日"), ("要准备什么证据", "evidence", "截图"),
                                                  ("卖家拒绝了怎么办", "escalation", "平台介入")])
def test_a_side_question_is_answered_and_the_interview_goes_on(engine, side, kind, marker):
    conversation, turns = talk(engine, "淘宝买的外套不喜欢了想退", side, "11月18号签收的")
    answered, verdict = turns[1], turns[2]
    assert answered.kind == kind and marker in answered.say
    assert answered.asking == "received_date" and answered.say.rstrip().endswith("（也可以回答“不确定”）")
    assert verdict.verdict is not None and verdict.verdict.status == "eligible"


def test_not_sure_of_a_date_asks_for_one_that_can_stand_in(engine):
    conversation, turns = talk(engine, "淘宝买的外套不喜欢了想退", "不确定", "不确定", "11月17号付的款")
    assert [t.asking for t in turns] == ["received_date", "shipped_date", "paid_date", None]
    assert "发货日期也行" in turns[1].say
    verdict = turns[-1].verdict
    assert verdict is not None and verdict.deadline.date == dt.date(2026, 11, 24)  # counted from the payment
    assert "按付款日期（2026-11-17）计算" in turns[-1].say


def test_not_sure_of_every_date_still_gives_an_answer_counted_from_today(engine):
    conversation, turns = talk(engine, "淘宝买的外套不喜欢了想退", "不确定", "不确定", "不确定")
    last = turns[-1]
    assert last.verdict is not None and last.verdict.deadline.date == dt.date(2026, 11, 30)  # 11-28 is a Saturday
    assert "只能先按今天算" in last.say


def test_undo_takes_the_last_answer_back(engine):
    conversation, turns = talk(engine, "淘宝买的外套不喜欢了想退", "11月10号签收的", "撤销")
    assert turns[1].verdict.status == "window_passed"
    assert turns[2].asking == "received_date" and "received_date" not in conversation.facts
    assert turns[2].say.startswith("已撤销上一步")
    assert conversation.send("11月18号").verdict.status == "eligible"
    assert conversation.undo().asking == "received_date"


def test_new_starts_afresh(engine):
    conversation, turns = talk(engine, "淘宝买的外套不喜欢了想退", "/new")
    assert turns[1].scenario is None and conversation.facts == {} and conversation.asking is None


def test_traditional_script_in_traditional_out(engine):
    conversation, turns = talk(engine, "淘寶買的外套不喜歡了想退", "11月18號簽收的")
    assert "簽收" in turns[0].say and "签收" not in turns[0].say
    assert turns[1].script == "Hant" and "現在怎麼做" in turns[1].say


def test_the_facts_still_needed_are_named_in_traditional_script_too():
    out = run_cli("ask", "在淘寶買的外套不喜歡了想退").stdout.decode()
    assert "還需要知道：簽收日期、" in out and "签收日期" not in out


def test_the_json_of_a_traditional_conversation_is_traditional_too():
    result = run_cli("ask", "--json", "淘寶買的外套不喜歡了想退，11月18號簽收的", "--today", "2026-11-21")
    import json

    data = json.loads(result.stdout)
    assert data["lang"] == "zh"
    assert "無理由" in data["answer"]["title"] and "無理由" in data["verdict"]["next_action"]


@pytest.mark.parametrize("question", ["refund?", "fake", "scam"])
def test_a_one_word_english_question_is_answered_in_english(engine, question):
    conversation, turns = talk(engine, question)
    assert turns[0].lang == "en"


def test_a_correction_by_name_keeps_the_language(engine):
    conversation, turns = talk(engine, "天猫买的东西付款五天了还不发货", "price=1299")
    assert turns[1].lang == "zh" and "已更新" in turns[1].say and "389.7" in turns[1].say


def test_a_plain_number_after_a_verdict_is_the_price_not_a_new_question(engine):
    conversation, turns = talk(engine, "天猫买的东西付款五天了还不发货", "1299", "299")
    assert turns[2].scenario == "late_shipment" and conversation.facts["price"].value == 299
    assert "89.7" in turns[2].say


def test_a_seller_speaking_up_in_a_buyers_interview_is_offered_seller_topics(engine):
    conversation, turns = talk(engine, "收到的东西是假的", "我是卖家，买家说我卖假货要退一赔三")
    offer = turns[1]
    assert offer.asking == TOPIC
    assert all(engine.kb.scenarios[c.id].role in ("seller", "both") for c in offer.candidates)


def test_every_verdict_says_what_to_do_now(engine):
    conversation, turns = talk(engine, "淘宝买的外套不喜欢了想退", "11月18号签收的")
    steps = engine.kb.scenarios["seven_day_return"].steps
    assert "现在怎么做：" in turns[1].say and steps[0].zh in turns[1].say


def test_no_doubled_assuming_and_english_plurals(engine):
    conversation, turns = talk(engine, "I want to return a jacket I don't like, bought on Taobao", "Nov 16", lang="en")
    text = turns[-1].say
    assert turns[-1].verdict is not None  # a verdict was said, and said well
    assert "Assuming: assuming" not in text and "1 days" not in text
    conversation = Conversation(engine, today=dt.date(2026, 11, 23), lang="en")
    conversation.send("I want to return a jacket I don't like, bought on Taobao")
    assert "(1 day left" in conversation.send("Nov 17").say  # the last day is Tuesday 11-24


def test_nothing_to_choose_after_an_empty_line_while_choosing(engine):
    conversation = Conversation(engine, today=TODAY)
    conversation.pending = list(engine.matcher.match("卖家页面写100%正品，到手是A货").candidates)
    conversation.asking = SCENARIO
    turn = conversation.send("")
    assert turn.asking == SCENARIO and turn.error


def test_a_seller_reaches_a_sellers_verdict_with_natural_answers(engine):
    conversation, turns = talk(engine, "我是卖家，买家退回来的是空盒子，要求退款", "签收了", "淘宝")
    first, signed, platform = turns
    assert first.scenario == "seller_return_fraud" and first.asking == "return_signed"
    assert signed.verdict is not None and conversation.facts["return_signed"].value is True
    assert platform.facts["platform"].value == "taobao" and platform.verdict is not None  # a late fact corrects
    assert all(engine.kb.scenarios[t.scenario].role == "seller" for t in turns)


def test_a_negated_fact_is_not_stored_as_said(engine):
    conversation, turns = talk(engine, "Fake Nike shoes from Tmall, it is not food, paid 899 yuan, received Nov 10")
    verdict = turns[0].verdict
    assert turns[0].lang == "en" and conversation.facts["is_food"].value is False
    assert verdict.compensation.id == "tmall_fake_four_times" and verdict.compensation.amount == 3596
    assert all(b.id != "food_safety" for b in verdict.bases)


def test_facts_in_the_first_message_on_a_given_scenario_come_from_the_question(engine):
    conversation = Conversation(engine, today=TODAY, scenario="fake_goods")
    conversation.send("淘宝买的，花了2.5万")
    assert conversation.facts["price"].value == 25000 and conversation.facts["price"].source == "question"


def test_a_seller_is_asked_about_the_shop_and_the_buyers_request_not_about_their_own_order(engine):
    _, turns = talk(engine, "我是卖家，被品牌方投诉售假了")
    assert turns[0].asking == "platform" and "你的店" in turns[0].say and "下的单" not in turns[0].say
    _, turns = talk(engine, "我是卖家，买家申请退款我该怎么处理", "已发货")
    assert turns[1].asking == "refund_requested_date" and "买家哪天申请" in turns[1].say
    _, turns = talk(engine, "I am the seller and a brand reported my shop for selling fakes")
    assert turns[0].asking == "platform" and "your shop" in turns[0].say


def test_a_refund_without_return_is_not_asked_whether_the_return_was_signed_for(engine):
    _, turns = talk(engine, "我是卖家，买家收到货说坏了，申请仅退款，东西也不退回来")
    assert turns[0].scenario == "seller_return_fraud" and turns[0].kind == "answer"
    assert turns[0].facts["refund_only"].value is True and "仅退款" in turns[0].say
    _, turns = talk(engine, "我是卖家 买家退回来的包裹是空的")
    assert turns[0].asking == "return_signed"
    _, turns = talk(engine, "I sell on Taobao. A buyer returned a box with a brick instead of the headphones")
    assert turns[0].facts["refund_only"].value is False and turns[0].asking == "return_signed"
    on_topic = Conversation(engine, today=TODAY, scenario="seller_return_fraud")  # the matcher may offer a choice here
    assert on_topic.send("I'm the seller; the buyer wants a refund only and to keep the item").facts["refund_only"].value is True


def test_a_seller_asking_what_next_is_not_told_what_to_do_when_the_seller_refuses(engine):
    _, turns = talk(engine, "I'm a seller on Taobao, a brand reported my shop for selling fake sneakers", "2 days ago",
                    "What next if this fails")
    verdict, escalation = turns[1], turns[2]
    assert verdict.kind == "answer" and re.search(r"\(\d+ working days? left\)", verdict.say)  # said once, not "…, working days"
    assert escalation.kind == "escalation" and "the platform decides against you" in escalation.say
    assert "If the seller refuses" not in escalation.say
    _, turns = talk(engine, "淘宝买的耳机是假的", "11月10号收到的", "卖家拒绝怎么办")
    assert turns[-1].kind == "escalation" and turns[-1].say.startswith("如果卖家拒绝或不处理")


def test_a_message_about_another_topic_changes_no_fact_of_this_one(engine):
    """After a verdict or mid-interview, a message about another purchase is offered as a new topic; what it
    states (another platform, another date) is not written into the case at hand."""
    conversation, turns = talk(engine, "天猫买的东西付款五天了还不发货", "1299", "另外我在京东买了一个包，专柜鉴定说是假的")
    assert turns[-1].asking == TOPIC and conversation.facts["platform"].value == "tmall"
    conversation, turns = talk(engine, "天猫买的东西付款五天了还不发货", "对了我还在京东买了一个包 昨天收到的 专柜鉴定说是假的", "否")
    assert turns[1].asking == TOPIC and turns[2].asking == "price"
    assert "received_date" not in conversation.facts and conversation.facts["platform"].value == "tmall"


def _rejecting(monkeypatch, ranking):
    """The matcher rejects every first message (out of scope at 0.6), ranking these scenarios below it. Which
    real questions land just outside moves with every retraining; what the conversation does then does not."""
    from assistant.match import Matcher, MatchResult, Ranked

    real_match = Matcher.match

    def reject(self, question, role=None, implied=None):
        if question.startswith("淘宝运费"):
            return MatchResult(None, 0.6, [], [Ranked(i, 0.0, p) for i, p in ranking], 0.6)
        return real_match(self, question, role, implied)

    monkeypatch.setattr(Matcher, "match", reject)


def test_a_rejected_question_offers_the_scenarios_close_to_it_and_a_number_picks_one(engine, monkeypatch):
    _rejecting(monkeypatch, [("seven_day_return", 0.3), ("not_received", 0.06), ("quality_problem", 0.05),
                             ("late_shipment", 0.05)])
    conversation, (rejected, picked) = talk(engine, "淘宝运费谁出", "1")
    assert rejected.scenario is None and rejected.candidates == [] and rejected.kind == "out_of_scope"
    assert rejected.asking == SCENARIO and "不太确定你遇到的是哪种情况" in rejected.say
    assert [c["value"] for c in rejected.choices] == ["seven_day_return", "not_received", "quality_problem", "none"]  # three at most
    assert picked.scenario == "seven_day_return" and picked.asking == "received_date"
    _, (_, again) = talk(engine, "淘宝运费谁出", "5")  # not a choice: asked again, still as suggestions only
    assert again.error and again.candidates == [] and again.kind == "error" and "不太确定你遇到的是哪种情况" in again.say
    _, (_, none) = talk(engine, "淘宝运费谁出", "都不是")  # none of the near misses: what weiquan covers
    assert none.scenario is None and none.kind == "out_of_scope" and none.asking is None and "七天无理由退货" in none.say


def test_nothing_close_to_a_rejected_question_lists_what_weiquan_covers(engine, monkeypatch):
    _rejecting(monkeypatch, [("seven_day_return", 0.04)])  # below 5 %: too far to offer
    _, (rejected,) = talk(engine, "淘宝运费谁出")
    assert rejected.asking is None and rejected.choices == [] and "七天无理由退货" in rejected.say


def test_a_new_question_instead_of_a_choice_starts_again_from_it(engine, monkeypatch):
    _rejecting(monkeypatch, [("seven_day_return", 0.3)])
    _, (_, fresh) = talk(engine, "淘宝运费谁出", "我在京东买的耳机收到是假货 专柜鉴定过了")
    assert fresh.scenario == "fake_goods" and not fresh.error
    _, (_, seller) = talk(engine, "淘宝运费谁出", "我是卖家")  # a short reply is still read as a reply
    assert seller.asking == SCENARIO and seller.error


def test_saying_who_you_are_mid_interview_is_noted_not_refused(engine):
    _, (first, noted) = talk(engine, "被投诉卖假货了", "我是卖家")
    assert first.scenario == noted.scenario == "seller_counterfeit_accusation"
    assert noted.asking == first.asking and not noted.error and noted.say.startswith("好的，你是卖家。")


def test_saying_who_you_are_narrows_a_choice_without_an_error(engine, monkeypatch):
    from assistant.match import Matcher, MatchResult, Ranked

    offered = [Ranked("seller_counterfeit_accusation", 0.0, 0.4), Ranked("fake_goods", 0.0, 0.3), Ranked("ip_complaint", 0.0, 0.2)]
    real_match = Matcher.match
    monkeypatch.setattr(Matcher, "match", lambda self, question, role=None, implied=None: (
        MatchResult(offered[0].id, 0.4, offered, offered, 0.1) if question.startswith("I was reported")
        else real_match(self, question, role, implied)))
    _, (choice, narrowed) = talk(engine, "I was reported for selling counterfeits", "I'm the seller")
    assert choice.asking == SCENARIO and len(choice.choices) == 4
    assert narrowed.asking == SCENARIO and not narrowed.error and narrowed.say.startswith("Noted: you are the seller.")
    assert [c["value"] for c in narrowed.choices] == ["seller_counterfeit_accusation", "ip_complaint", "none"]


def test_none_of_these_after_a_plain_rejection_asks_to_rephrase(engine, monkeypatch):
    _rejecting(monkeypatch, [("seven_day_return", 0.04)])  # nothing offered, and "none of these" typed all the same
    _, (rejected, again) = talk(engine, "淘宝运费谁出", "都不是")
    assert rejected.scenario is None and rejected.choices == [] and again.scenario is None and again.candidates == []
    assert "换个说法" in again.say


@pytest.mark.parametrize("side, kind", [("為什麼要知道這個", "why"), ("賣家拒絕怎麼辦", "escalation"), ("要準備什麼證據", "evidence")])
def test_side_questions_in_traditional_script_are_answered(engine, side, kind):
    _, (asked, answered) = talk(engine, "在淘寶買的外套不喜歡了想退", side)
    assert answered.kind == kind and answered.asking == asked.asking == "received_date"
    assert "簽收" in answered.say  # and the reply stays in traditional script


@pytest.mark.parametrize("greeting", ["在吗", "你好！", "hello", "親，在嗎", "ok"])
def test_a_greeting_is_greeted_not_matched(engine, greeting):
    """"你好" was matched as a question and offered two scenarios to choose from."""
    conversation, turns = talk(engine, greeting, "淘宝买的外套不喜欢了想退")
    assert turns[0].kind == "greeting" and turns[0].scenario is None and not turns[0].choices
    assert turns[1].scenario == "seven_day_return" and turns[1].asking == "received_date"


def test_thanks_ok_and_goodbye_after_a_verdict_are_answered_in_kind_and_keep_the_case(engine):
    conversation, turns = talk(engine, "淘宝买的外套不喜欢了想退", "11月18号签收的", "谢谢", "好的", "在吗", "拜拜", "要准备什么证据")
    verdict = turns[1].verdict
    assert [t.kind for t in turns[2:6]] == ["small_talk"] * 4
    assert "不客气" in turns[2].say and "在的" in turns[4].say and "再见" in turns[5].say
    assert all(t.scenario == "seven_day_return" and t.verdict is verdict for t in turns[2:6])
    assert turns[6].kind == "evidence"  # the conversation goes on where it was


def test_small_talk_while_a_question_is_open_asks_it_again_without_an_error(engine):
    conversation, turns = talk(engine, "淘宝买的外套不喜欢了想退", "好的", "11月18号签收的")
    assert turns[1].asking == "received_date" and turns[1].error is None and "日期" not in turns[1].say.split("\n")[0]
    assert turns[2].verdict is not None


def test_how_much_compensation_after_a_verdict(engine):
    """The bases when the scenario has them, and plainly that it has none when it has not."""
    conversation, turns = talk(engine, "淘宝买的口红是假的，花了300", "能赔多少", "3天前", "能赔多少钱")
    assert turns[1].kind == "compensation" and turns[1].asking == "received_date"  # asked mid-interview: later
    assert turns[3].kind == "compensation" and "¥900" in turns[3].say and "第55条" in turns[3].say
    conversation, turns = talk(engine, "淘宝买的外套不喜欢了想退", "11月18号签收的", "how much compensation can I get?")
    assert turns[2].kind == "compensation" and "no compensation beyond the refund" in turns[2].say


def test_a_number_after_a_verdict_that_needs_no_amount_says_so(engine):
    """Not "I didn't understand", and not a new question about 299."""
    conversation, turns = talk(engine, "淘宝买的外套不喜欢了想退", "11月18号签收的", "299")
    assert turns[2].scenario == "seven_day_return" and turns[2].error is None and "金额" in turns[2].say


@pytest.mark.parametrize("asked, kind, marker", [
    ("还有几天", "deadline", "截止：2026-11-25"), ("最晚什么时候申请", "deadline", "还剩 4 天"),
    ("为什么", "why", "消费者权益保护法"), ("有什么法律依据", "why", "第25条"),
    ("去哪里投诉", "escalation", "12315"), ("能退吗", "answer", "✅ 可以"), ("运费谁出", "answer", "运费"),
    ("怎么申请", "steps", "现在怎么做"), ("what about the return shipping cost?", "answer", "✅"),
])
def test_questions_after_a_verdict_are_answered_from_it(engine, asked, kind, marker):
    """What people ask once they have the verdict: the deadline alone, what it rests on, where to complain, the
    verdict again in other words — not "I didn't understand"."""
    conversation, turns = talk(engine, "淘宝买的外套不喜欢了想退", "11月18号签收的", asked)
    assert turns[2].kind == kind and marker in turns[2].say and turns[2].error is None
    assert turns[2].scenario == "seven_day_return" and turns[2].verdict.status == turns[1].verdict.status


def test_the_deadline_in_english_and_before_the_facts_are_in(engine):
    conversation, turns = talk(engine, "I want to return a jacket I don't like, bought on Taobao", "when is the deadline?",
                               "Nov 18", "how long do I have")
    assert turns[1].kind == "deadline" and turns[1].asking == "received_date"  # mid-interview: once it is answered
    assert turns[3].kind == "deadline" and turns[3].say.startswith("Deadline: 2026-11-25")


def test_a_short_correction_in_other_words_corrects_instead_of_changing_topic(engine):
    """"收到" instead of "签收": still this case's date, not a new question about something received."""
    conversation, turns = talk(engine, "淘宝买的外套不喜欢了想退", "11月18号签收的", "其实是11月10号收到的")
    assert turns[2].asking is None and "已更新" in turns[2].say
    assert conversation.facts["received_date"].value == dt.date(2026, 11, 10)
    assert turns[2].verdict.status == "window_passed"


def test_a_question_about_the_topic_at_hand_while_another_is_offered_keeps_it(engine):
    conversation, turns = talk(engine, "我是淘宝卖家，买家退回来的是空盒子", "是", "另外还有个买家投诉我卖假货", "要准备什么证据")
    assert turns[2].asking == TOPIC
    assert turns[3].kind == "evidence" and turns[3].scenario == "seller_return_fraud" and conversation.asking != TOPIC


def test_a_seller_is_not_told_to_ask_what_if_the_seller_refuses(engine):
    conversation, turns = talk(engine, "我是淘宝卖家，买家退回来的是空盒子", "是", "嗯嗯嗯那个")
    assert turns[2].kind == "error" and "对方不接受" in turns[2].say and "卖家拒绝" not in turns[2].say
    conversation, turns = talk(engine, "我是淘宝卖家，买家退回来的是空盒子", "是", "对方不接受怎么办")  # as the hint says
    assert turns[2].kind == "escalation"


def test_not_sure_of_a_fact_nothing_stands_in_for_still_says_what_to_do(engine):
    """No platform default for the promised shipping time outside Taobao/Tmall: the answer names what it needs
    and what to do meanwhile, instead of ending there."""
    conversation, turns = talk(engine, "I ordered a phone case on Temu 3 weeks ago and it still hasn't shipped", "not sure")
    assert turns[1].verdict is None and "I still need" in turns[1].say
    assert "What to do now:" in turns[1].say and "\n1. " in turns[1].say


def test_what_is_not_understood_but_reads_as_another_topic_is_offered_as_one(engine):
    """Below the bar for proposing a new topic at once, a message the matcher still answers alone is offered
    (yes / no) instead of "not understood"; a mumble is still not understood."""
    conversation, turns = talk(engine, "淘宝买的外套不喜欢了想退", "11月18号签收的", "还有一个问题，另一单一直没收到货", "是")
    assert turns[2].asking == TOPIC and [c.id for c in turns[2].candidates] == ["not_received"]
    assert turns[3].scenario == "not_received"
    conversation, turns = talk(engine, "淘宝买的外套不喜欢了想退", "11月18号签收的", "嗯嗯嗯那个")
    assert turns[2].kind == "error" and turns[2].scenario == "seven_day_return"


@pytest.mark.parametrize("asked, kind", [("能退吗", "answer"), ("还有几天", "deadline"), ("为什么", "why")])
def test_asked_mid_interview_the_verdict_waits_for_the_answers_and_why_means_why_ask(engine, asked, kind):
    conversation, turns = talk(engine, "淘宝买的外套不喜欢了想退", asked, "11月18号签收的")
    assert turns[1].kind == kind and turns[1].asking == "received_date"
    assert turns[1].say.count("哪天签收的") == 1  # the question once, after the side answer
    assert kind != "why" or "签收的次日" in turns[1].say  # why this question, not the sources
    assert turns[2].verdict is not None


def test_the_deadline_asked_where_the_rules_count_none_says_so_and_what_to_do(engine):
    conversation, turns = talk(engine, "I sell on Tmall. A buyer returned a different, used phone and wants a full refund",
                               "yes", "when is the deadline")
    assert turns[1].verdict is not None and not turns[1].verdict.deadlines
    assert turns[2].kind == "deadline" and "no deadline I can count" in turns[2].say and "Next: " in turns[2].say


def test_more_detail_instead_of_a_number_is_read_with_the_question(engine, monkeypatch):
    """Offered a choice, people often go on describing ("物流一直不更新"): the question is read again with it."""
    from assistant.match import Matcher, MatchResult, Ranked

    real_match = Matcher.match
    offered = [Ranked("not_received", 0.0, 0.4), Ranked("late_shipment", 0.0, 0.35)]

    def unsure_of_the_first(self, question, role=None, implied=None):
        if question == "我的东西怎么还没到":
            return MatchResult("not_received", 0.4, offered, offered, 0.1)
        return real_match(self, question, role, implied)

    monkeypatch.setattr(Matcher, "match", unsure_of_the_first)
    conversation, turns = talk(engine, "我的东西怎么还没到", "淘宝买的，快递显示已签收但是我没收到")
    assert turns[0].asking == SCENARIO
    assert turns[1].scenario == "not_received" and turns[1].asking != SCENARIO and turns[1].error is None
    assert conversation.facts["platform"].value == "taobao"  # what the detail said is kept
    conversation, turns = talk(engine, "我的东西怎么还没到", "嗯嗯")  # nothing new: the choice again, with the hint
    assert turns[1].asking == SCENARIO and turns[1].error
    conversation, turns = talk(engine, "我的东西怎么还没到", "拼多多")  # a fact: kept, said back, the choice again
    assert turns[1].asking == SCENARIO and turns[1].error is None and turns[1].say.startswith("已更新：平台=拼多多")
    assert conversation.facts["platform"].value == "pdd"


def test_a_short_message_naming_another_problem_where_a_date_was_asked_offers_that_topic(engine):
    conversation, turns = talk(engine, "淘宝买的外套不喜欢了想退", "是假货")
    assert turns[1].asking == TOPIC and [c.id for c in turns[1].candidates] == ["fake_goods"]


def test_expired_food_is_a_quality_problem_with_the_food_safety_tenfold(engine):
    """"过期" of food is past its shelf life, not an expired after-sale window; the Food Safety Law's 10× (at least
    1,000 yuan) then needs the price, which nobody is asked for a pair of broken earphones."""
    conversation, turns = talk(engine, "淘宝买的零食收到发现已经过期了", "前天", "56")
    assert turns[0].scenario == "quality_problem" and turns[1].asking == "price"
    assert turns[2].verdict.compensation.amount == 1000 and "食品安全法第148条" in turns[2].say
    conversation, turns = talk(engine, "淘宝买的耳机坏了", "前天")
    assert turns[1].verdict is not None and not turns[1].verdict.bases and "price" not in conversation.facts


@pytest.mark.parametrize("first, vague, marker", [("淘宝买的外套不喜欢了想退", "上周", "上周三"),
                                                  ("I want to return a jacket I don't like, bought on Taobao", "last week", "Which day exactly")])
def test_a_period_for_a_date_is_asked_which_day_of_it(engine, first, vague, marker):
    conversation, turns = talk(engine, first, vague)
    assert turns[1].asking == "received_date" and marker in turns[1].error and "not a date" not in turns[1].say


def test_a_fact_given_where_another_was_asked_is_kept_and_said_back(engine):
    conversation, turns = talk(engine, "I bought a fake Nike on Taobao", "I paid 600", "Nov 18")
    assert turns[1].asking == "received_date" and turns[1].error is None and turns[1].say.startswith("Updated: ")
    assert conversation.facts["price"].value == 600 and turns[2].verdict.compensation.amount == 1800


def test_more_about_the_same_problem_after_a_verdict_gets_what_to_do(engine):
    conversation, turns = talk(engine, "快递显示签收了但是我没收到", "驿站也找不到")
    assert turns[0].verdict is not None and turns[0].scenario == "not_received"
    assert turns[1].kind == "steps" and "同一个问题" in turns[1].say and turns[1].scenario == "not_received"


def test_a_seller_asking_what_if_they_lose_or_how_long_it_takes(engine):
    conversation, turns = talk(engine, "I'm a seller on Taobao, a buyer says the shoes are fake and reported me", "yesterday",
                               "what happens if I lose", "how long does the review take")
    assert turns[1].verdict is not None
    assert turns[2].kind == "escalation" and turns[3].kind == "steps"


def test_replies_that_are_no_answer_do_not_loop(engine):
    """A choice question answered in words three times goes on as "not sure"; a topic offer ignored twice keeps the
    topic. People answer what they want to say, not the question, and a fourth identical question helps nobody."""
    conversation, turns = talk(engine, "The dress I got from Shein looks nothing like the pictures", "hmm",
                               "seller is not replying", "whatever")
    assert [t.asking for t in turns[:3]] == ["order_status"] * 3 and turns[1].error and turns[2].error
    assert turns[3].asking != "order_status" and "order_status" in conversation.unsure and "not sure" in turns[3].say
    conversation, turns = talk(engine, "淘宝买的外套不喜欢了想退", "11月18号签收的", "另外我在京东买了一个包，专柜鉴定说是假的",
                               "嗯嗯那个", "唉算了")
    assert turns[2].asking == TOPIC and turns[3].asking == TOPIC and turns[3].error
    assert turns[4].asking != TOPIC and turns[4].scenario == "seven_day_return"


def test_a_question_from_taiwan_or_hong_kong_is_told_the_law_here_is_the_mainlands(engine):
    conversation, turns = talk(engine, "蝦皮買的包包是假貨", "上週三", "可是我在台灣耶")
    assert "中國大陸的法律" in turns[0].say and turns[0].scenario == "fake_goods"
    assert "大陸" not in turns[1].say and "中國大陸的法律" in turns[2].say
    conversation, turns = talk(engine, "淘宝买的包包是假货")
    assert "大陆的法律" not in turns[0].say


def test_a_choice_offered_again_after_more_detail_keeps_its_numbers(engine, monkeypatch):
    from assistant.match import Matcher, MatchResult, Ranked

    first = [Ranked("quality_problem", 0.0, 0.4), Ranked("fake_goods", 0.0, 0.35)]
    again = [Ranked("fake_goods", 0.0, 0.4), Ranked("broken_promise", 0.0, 0.3), Ranked("quality_problem", 0.0, 0.2)]

    def ambiguous(self, question, role=None, implied=None):
        ranked = again if question.startswith("闲鱼买的二手switch ") else first
        return MatchResult(ranked[0].id, 0.4, ranked, ranked, 0.1)

    monkeypatch.setattr(Matcher, "match", ambiguous)
    conversation, turns = talk(engine, "闲鱼买的二手switch", "配件也没给")
    assert [c["value"] for c in turns[1].choices] == ["quality_problem", "fake_goods", "broken_promise", "none"]


def test_food_facts_are_not_listed_as_needed_for_what_nobody_called_food(engine):
    conversation, turns = talk(engine, "京东买的花瓶碎了")
    assert "is_food" not in turns[0].missing_facts and "food_unsafe" not in turns[0].missing_facts
    conversation, turns = talk(engine, "京东买的牛奶坏了")
    assert "food_unsafe" in turns[0].missing_facts or turns[0].asking == "food_unsafe"


@pytest.mark.parametrize("today, marker", [(dt.date(2026, 11, 20), "到 2026-11-21 24:00 为止"),
                                           (dt.date(2026, 11, 22), "已于 2026-11-21 24:00 结束")])
def test_a_platform_clock_earlier_than_the_statutory_deadline_is_pointed_out(engine, today, marker):
    """The later date counts in law and heads the verdict, but Taobao's 168 hours close the order's button first."""
    conversation = Conversation(engine, today=today)
    turn = conversation.send("淘宝买的裙子不想要了 11月14号签收的")
    assert "截止：2026-11-23" in turn.say and marker in turn.say
    conversation = Conversation(engine, today=today)
    assert "平台自己的时限" not in conversation.send("京东买的裙子不想要了 11月14号签收的").say


def test_a_seller_complained_about_by_a_brand_is_not_asked_which_side_they_are_on(engine):
    conversation, turns = talk(engine, "我是天猫商家 被品牌方投诉侵犯商标权 链接被删了")
    assert turns[0].scenario == "ip_complaint" and conversation.facts["ip_side"].value == "respondent"
    assert turns[0].asking == "notice_date"


def test_a_correction_that_changes_nothing_says_so_in_two_lines(engine):
    """The whole verdict again after every corrected fact was 20–30 lines to read for nothing new."""
    conversation, turns = talk(engine, "淘宝买的外套不喜欢了想退", "11月18号签收的", "是京东买的", "其实是11月10号收到的")
    assert turns[2].kind == "unchanged" and turns[2].say.startswith("已更新：平台=京东。\n结论没有变")
    assert len(turns[2].say.splitlines()) == 4 and turns[2].verdict is not None  # the verdict still travels (JSON)
    assert turns[3].kind == "answer" and turns[3].verdict.status == "window_passed"  # a change is shown in full


def test_not_sure_of_the_order_status_is_answered_for_goods_that_came(engine):
    """Goods that came in the wrong size were shipped: "idk" of the order status is answered for "shipped", not
    "paid, not shipped" ("it has not shipped yet — check it when it arrives" to someone holding the parcel)."""
    for first, unsure in (("拼多多买的鞋子尺码发错了，我拍的42给我发了40", "不知道"),
                          ("淘宝买的裤子发错颜色了，我要的黑色给我发了个灰色", "不确定")):
        conversation, turns = talk(engine, first, unsure)
        verdict = turns[-1].verdict
        assert turns[0].asking == "order_status" and verdict is not None and verdict.status == "eligible"
        assert ("order_status", "shipped") in [(a.fact, a.value) for a in verdict.assumed]


def test_an_order_whose_parcel_was_received_is_never_taken_as_unshipped(engine):
    from assistant.eligibility import Evaluator
    from knowledge_base.view import View

    scenario = engine.kb.scenarios["not_as_described"]
    plain = View({**scenario, "questions": [View({**q, "if_unsure": None}) for q in scenario.questions]})  # without its if_unsure
    evaluator = Evaluator(engine.kb)
    facts = {"platform": "taobao", "purchase_purpose": "personal"}

    def assumed_status(known):
        verdict = evaluator.evaluate(plain, known, TODAY, frozenset({"order_status"})).verdict
        return dict((a.fact, a.value) for a in verdict.assumed)["order_status"]

    assert assumed_status(facts) == "paid"  # nothing says it came: the first choice, as before
    assert assumed_status({**facts, "received_date": dt.date(2026, 11, 18)}) == "shipped"


def test_a_known_fact_said_again_is_no_new_topic(engine):
    conversation, turns = talk(engine, "拼多多买的充电宝，物流显示已经签收了可我根本没收到", "卖家已发货")
    assert turns[0].verdict is not None and turns[1].asking is None and turns[1].scenario == "not_received"
    assert "和之前说的一样" in turns[1].say and "结论没有变" in turns[1].say


def test_a_short_side_question_after_a_verdict_is_about_this_topic(engine):
    for question, kind in (("去哪投诉", "escalation"), ("还可以去12315吗", "escalation"), ("要去哪里申诉", "escalation")):
        conversation, turns = talk(engine, "淘宝买的耳机收到就坏了，卖家不给退，11月20号签收的", question)
        assert turns[1].kind == kind and turns[1].scenario == "quality_problem" and turns[1].asking is None, question


def test_a_longer_correction_that_says_so_corrects_the_date(engine):
    conversation, turns = talk(engine, "tb上买了件羽绒服599，11月16号到的，不喜欢想退", "不对不对，是上上周日收到的，我记错了")
    assert turns[1].scenario == "seven_day_return" and turns[1].asking is None and "已更新" in turns[1].say
    assert conversation.facts["received_date"].value == dt.date(2026, 11, 8)


def test_while_another_topic_is_offered_money_thanks_and_facts_of_this_one_are_answered(engine):
    start = ("tb上买了件羽绒服599，11月16号到的，不喜欢想退", "另外一单买的鞋子一直没发货")
    conversation, turns = talk(engine, *start, "能赔多少")
    assert turns[1].asking == TOPIC and turns[2].kind == "compensation" and "没有退款之外的赔偿" in turns[2].say
    conversation, turns = talk(engine, *start, "谢谢")
    assert turns[2].asking == TOPIC and turns[2].say.startswith("不客气") and not turns[2].error
    conversation, turns = talk(engine, *start, "其实是11月17号收到的")
    assert turns[2].scenario == "seven_day_return" and conversation.facts["received_date"].value == dt.date(2026, 11, 17)
    assert "已更新" in turns[2].say and conversation.asking != TOPIC


def test_not_sure_which_scenario_asks_for_a_description_and_keeps_the_choice(engine, monkeypatch):
    _rejecting(monkeypatch, [("seven_day_return", 0.3), ("not_received", 0.06), ("quality_problem", 0.05)])
    conversation, (offered, unsure, picked) = talk(engine, "淘宝运费谁出", "不确定", "2")
    assert offered.asking == unsure.asking == SCENARIO and not unsure.error and "讲讲发生了什么" in unsure.say
    assert picked.scenario == "not_received"


def test_help_and_the_date_are_answered_and_an_open_question_is_asked_again(engine):
    conversation, turns = talk(engine, "help", "今天几号", "淘宝买的外套不喜欢了想退", "今天几号", "你能做什么")
    assert "weiquan" in turns[0].say and turns[0].lang == "en" and turns[0].scenario is None
    assert "2026-11-21" in turns[1].say and "星期六" in turns[1].say
    assert turns[3].asking == turns[2].asking == "received_date" and "2026-11-21" in turns[3].say and not turns[3].error
    assert turns[4].asking == "received_date" and "维权助手" in turns[4].say


def test_a_draft_asked_for_in_the_chat_is_written_from_what_the_conversation_knows(engine):
    conversation, turns = talk(engine, "淘宝买的耳机收到就坏了，卖家不给退，11月20号签收的，花了299", "帮我写一下给卖家的话",
                               "帮我写个12315投诉")
    message, complaint = turns[1], turns[2]
    assert message.kind == "draft" and message.say.startswith("给卖家的消息") and "299元" in message.say
    assert "2026年11月20日，我签收了该商品" in message.say and "【待填写：订单号】" in message.say
    assert complaint.say.startswith("12315 投诉") and "给卖家的消息" in complaint.say.splitlines()[-1]
    conversation, turns = talk(engine, "I run a taobao shop, a buyer complained my phone cases are counterfeit, got the notice today",
                               "write the appeal for me")
    assert turns[1].kind == "draft" and turns[1].say.startswith("Appeal against a counterfeit complaint")
    assert turns[1].scenario == "seller_counterfeit_accusation"


def test_an_amount_in_dollars_is_asked_again_in_yuan_and_a_stated_role_stands(engine):
    conversation, turns = talk(engine, "I ordered Nike shoes on taobao, got them yesterday and they are fake", "I paid $30", "about 200")
    assert turns[1].asking == "price" and "not in yuan" in turns[1].say and "price" not in turns[1].facts
    assert conversation.facts["price"].value == 200 and turns[2].verdict is not None
    conversation, turns = talk(engine, "我是淘宝小卖家，卖运动鞋的，被品牌方投诉售假", "前天收到的通知")
    assert conversation.facts["role"].value == "seller" and "身份" not in turns[1].say


def test_how_much_back_without_compensation_names_the_refund_and_a_side_question_waits_for_the_choice(engine):
    conversation, turns = talk(engine, "I ordered shoes on taobao, paid 459 RMB, tracking says delivered but its not there",
                               "how much can I get back")
    assert turns[1].kind == "compensation" and "459 yuan you paid" in turns[1].say
    conversation, turns = talk(engine, "我的东西怎么还没到", "还有几天", "1")
    assert turns[1].asking == SCENARIO and "先选出是哪种情况" in turns[1].say and not turns[1].error
    assert turns[2].scenario == "not_received"


def test_a_draft_with_nothing_dated_yet_marks_what_happened_as_a_blank(engine):
    conversation, turns = talk(engine, "Im a seller on pdd, a buyer asked for refund only saying the item is broken but I think he is lying",
                               "write the statement for the platform")
    assert turns[1].kind == "draft" and "What happened:\n[TO FILL: what happened (the dates and the events)]" in turns[1].say


def test_a_seller_keeps_the_role_said_and_is_not_told_of_refunds(engine):
    conversation, turns = talk(engine, "我是淘宝小卖家，卖运动鞋的，今天收到平台通知说被品牌方投诉售假", "有进货发票，但是没有品牌授权书", "能赔多少")
    assert turns[1].scenario == "seller_counterfeit_accusation" and turns[1].asking is None  # evidence said: no switch offered
    assert turns[2].kind == "compensation" and "退款" not in turns[2].say and "算不出数字" in turns[2].say
