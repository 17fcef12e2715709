"""Answers typed to one question, as people answer: each row is (fact, answer, expected); expected REFUSED means
the answer must be refused with a one-line reason (the question is asked again), never read as something else."""
import datetime as dt

import pytest

from assistant.answers import is_unsure, parse_answer
from assistant.extract import DateError
from assistant.facts import FactError

TODAY = dt.date(2026, 11, 21)  # a Saturday
REFUSED = object()


ANSWERS = [
    # yes and no, as people say them, to "退回来的包裹你已经签收了吗？"
    ("return_signed", "签收了", True), ("return_signed", "已签收", True), ("return_signed", "收到了", True),
    ("return_signed", "簽收了", True), ("return_signed", "没收到", False), ("return_signed", "還沒收到", False),
    ("return_signed", "对", True), ("return_signed", "嗯", True), ("return_signed", "嗯嗯", True), ("return_signed", "是的", True),
    ("return_signed", "是的！", True), ("return_signed", "没有", False), ("return_signed", "还没", False), ("return_signed", "否", False),
    ("return_signed", "yep", True), ("return_signed", "Yes", True), ("return_signed", "nope", False), ("return_signed", "yes I did", True),
    ("return_signed", "no, not yet", False), ("return_signed", "I signed for it", True), ("return_signed", "I haven't", False),
    ("return_signed", "拒收了", False), ("return_signed", "不太清楚", REFUSED), ("return_signed", "maybe", REFUSED),
    ("return_signed", "香蕉", REFUSED),
    ("return_signed", "I think so", True), ("return_signed", "应该是", True), ("return_signed", "I don't think so", False),
    ("return_signed", "probably not", False), ("return_signed", "应该没有", False),
    # "这件商品是食品吗？"
    ("is_food", "不是，是化妆品", False), ("is_food", "是化妆品", False), ("is_food", "不是", False), ("is_food", "是", True),
    ("is_food", "奶粉", True), ("is_food", "not food, shoes", False), ("is_food", "it's shoes", False), ("is_food", "yes, it's snacks", True),
    # "商品是否已经影响二次销售？"
    ("resale_affected", "吊牌剪了", True), ("resale_affected", "吊牌还在", False), ("resale_affected", "没拆封", False),
    ("resale_affected", "只是拆开看了一下", False), ("resale_affected", "洗过了", True), ("resale_affected", "不影响", False),
    ("resale_affected", "tags are still on", False), ("resale_affected", "I activated it", True),
    # "你有能证明是假货的材料吗？"
    ("fake_proven", "我没有鉴定报告", False), ("fake_proven", "有鉴定报告", True), ("fake_proven", "专柜说是假的", True),
    ("fake_proven", "没有", False), ("fake_proven", "有", True),
    # "对方是否以投诉、差评等要挟索要钱财？"
    ("extortion", "他说不给钱就给差评", True), ("extortion", "没有威胁", False), ("extortion", "没", False),
    # "卖家的承诺有截图吗？"
    ("promise_proven", "有截图", True), ("promise_proven", "只是口头说的", False), ("promise_proven", "有的", True),
    # amounts
    ("price", "299", 299), ("price", "¥1,299.00", 1299), ("price", "2.5万", 25000), ("price", "两百五", 250), ("price", "花了100", 100),
    ("price", "一万二", 12000), ("price", "1.5k", 1500), ("price", "299元", 299), ("price", "大概三千吧", 3000),
    ("price", "about 200", 200), ("price", "200左右", 200), ("price", "大约 1,299 元", 1299), ("price", "$30", REFUSED),
    ("price", "1,2,3", REFUSED), ("price", "9" * 400, REFUSED), ("price", "0", REFUSED), ("price", "-5", REFUSED), ("price", "1e400", REFUSED),
    ("price", "nan", REFUSED), ("price", "inf", REFUSED), ("price", "2亿", REFUSED), ("price", "几百", REFUSED),
    ("promised_compensation", "50", 50), ("promised_compensation", "赔50元", 50),
    ("seller_promised_ship_hours", "48", 48), ("seller_promised_ship_hours", "48小时", 48), ("seller_promised_ship_hours", "3天", 72),
    ("seller_promised_ship_hours", "within 2 days", 48), ("seller_promised_ship_hours", "99999999999999", REFUSED),
    ("seller_promised_ship_hours", "1.5", REFUSED),
    # choices: by number, value, label, name inside a sentence, slang, denial
    ("platform", "1", "taobao"), ("platform", "tb", "taobao"), ("platform", "拼夕夕", "pdd"), ("platform", "在狗东买的", "jd"),
    ("platform", "不是淘宝，是京东", "jd"), ("platform", "抖音", "douyin"), ("platform", "闲鱼", "xianyu"), ("platform", "快手", "other"),
    ("platform", "天貓", "tmall"), ("platform", "Taobao", "taobao"), ("platform", "其他平台", "other"), ("platform", "99", REFUSED),
    ("platform", "不知道的平台", REFUSED),
    ("role", "买家", "buyer"), ("role", "我是卖家", "seller"), ("role", "I'm the seller", "seller"), ("role", "我不是卖家", "buyer"),
    ("role", "seller", "seller"), ("role", "2", "seller"), ("role", "賣家", "seller"),
    ("order_status", "还没发货", "paid"), ("order_status", "已经发货了", "shipped"), ("order_status", "交易成功", "completed"),
    ("seller_response", "拒绝了", "refused"), ("seller_response", "一直不理我", "none"), ("seller_response", "同意了", "agreed"),
    ("goods_type", "不是虚拟的，是实物", "physical"), ("goods_type", "充值卡", "virtual"),
    # dates
    ("received_date", "上上周五", dt.date(2026, 11, 6)), ("received_date", "11.16", dt.date(2026, 11, 16)),
    ("received_date", "前天晚上", dt.date(2026, 11, 19)), ("received_date", "the 3rd", dt.date(2026, 11, 3)),
    ("received_date", "last Friday", dt.date(2026, 11, 20)), ("received_date", "5 days ago", dt.date(2026, 11, 16)),
    ("received_date", "11.16收到的", dt.date(2026, 11, 16)), ("received_date", "三天前", dt.date(2026, 11, 18)),
    ("received_date", "9999999999天前", REFUSED), ("received_date", "100000天前", REFUSED), ("received_date", "2026-13-45", REFUSED),
    ("received_date", "明天", REFUSED), ("received_date", "1" * 100_000, REFUSED), ("received_date", "5/11/2026", REFUSED),
    ("received_date", "13/11/2026", dt.date(2026, 11, 13)),
]


@pytest.mark.parametrize("fact, answer, expected", ANSWERS)
def test_answers_in_their_natural_forms(definition_of, fact, answer, expected):
    if expected is REFUSED:
        with pytest.raises((FactError, DateError)) as refused:
            parse_answer(fact, definition_of(fact), answer, TODAY)
        assert "\n" not in str(refused.value) and len(str(refused.value)) < 200
    else:
        assert parse_answer(fact, definition_of(fact), answer, TODAY) == expected


@pytest.mark.parametrize("text, unsure", [("不确定", True), ("不太清楚", True), ("I don't remember", True), ("maybe", True),
                                          ("忘了", True), ("签收了", False), ("no", False), ("不是", False)])
def test_not_knowing_is_told_from_no(text, unsure):
    assert is_unsure(text) is unsure
