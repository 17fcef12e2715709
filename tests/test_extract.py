import datetime as dt

import pytest

from assistant.extract import DateError, extract_facts, parse_date_text
from assistant.text import parse_number

TODAY = dt.date(2026, 11, 21)  # a Saturday


@pytest.mark.parametrize(
    "text, expected",
    [
        ("淘宝上买的，付款五天了还没发货", {"platform": "taobao", "paid_date": dt.date(2026, 11, 16), "order_status": "paid", "role": "buyer"}),
        ("天猫买的，花了299，昨天签收", {"platform": "tmall", "price": 299, "received_date": dt.date(2026, 11, 20), "role": "buyer"}),
        ("上周三签收的，京东", {"platform": "jd", "received_date": dt.date(2026, 11, 11)}),
        ("11月16号签收的衣服不想要了", {"received_date": dt.date(2026, 11, 16), "is_food": False}),
        ("got it on Nov 16, paid ¥1,200 on Tmall", {"platform": "tmall", "price": 1200, "received_date": dt.date(2026, 11, 16)}),
        ("2026-11-16签收，200块", {"price": 200, "received_date": dt.date(2026, 11, 16)}),
        ("我是卖家，拼多多的买家说没收到", {"role": "seller", "platform": "pdd"}),
        ("as a seller on 1688, I received the notice 3 days ago", {"role": "seller", "platform": "1688", "notice_date": dt.date(2026, 11, 18)}),
        ("卖家拒绝了退款，我11月10日申请的退款", {"role": "buyer", "seller_response": "refused", "refund_requested_date": dt.date(2026, 11, 10)}),
        ("the buyer says the parcel never arrived, what should my shop do", {"role": "seller"}),
        ("买的奶粉是假的，花了两百五", {"is_food": True, "price": 250, "role": "buyer"}),
        ("交易成功十天了", {"order_status": "completed", "completed_date": dt.date(2026, 11, 11)}),
        ("我是卖家，被投诉卖假货了，昨天收到的通知，天猫", {"role": "seller", "platform": "tmall", "notice_date": dt.date(2026, 11, 20)}),
        ("I received the complaint notice on Nov 18", {"notice_date": dt.date(2026, 11, 18), "role": "seller"}),
        ("I paid 3 days ago on JD and it has not shipped", {"platform": "jd", "order_status": "paid", "paid_date": dt.date(2026, 11, 18), "role": "buyer"}),
        ("上个月15号签收的衣服坏了", {"received_date": dt.date(2026, 10, 15), "is_food": False}),
        ("昨天收到知识产权投诉通知，我是卖家", {"role": "seller", "notice_date": dt.date(2026, 11, 20)}),
        ("my appeal on taobao was rejected on Nov 18, I'm the buyer", {"platform": "taobao", "role": "buyer", "seller_response": "refused", "ruling_date": dt.date(2026, 11, 18)}),
        ("my parcel never arrived, taobao, it shows completed 5 days ago",
         {"platform": "taobao", "order_status": "completed", "completed_date": dt.date(2026, 11, 16), "role": "buyer"}),
    ],
)
def test_facts_stated_in_the_question(text, expected):
    assert extract_facts(text, TODAY) == expected


def test_traditional_script_and_full_width_digits():
    assert extract_facts("天貓買的，花了２９９元，昨天簽收", TODAY) == {"platform": "tmall", "price": 299, "received_date": dt.date(2026, 11, 20),
                                                                "role": "buyer"}


def test_chinese_numbers():
    assert [parse_number(t) for t in ["5", "十", "十二", "二十五", "两百", "两百五", "三千五"]] == [5, 10, 12, 25, 200, 250, 3500]


@pytest.mark.parametrize("text, expected", [("昨天", "2026-11-20"), ("3天前", "2026-11-18"), ("上周三", "2026-11-11"),
                                            ("11月16号", "2026-11-16"), ("Nov 16", "2026-11-16"), ("16 November", "2026-11-16"),
                                            ("2026/11/16", "2026-11-16"), ("12月30号", "2025-12-30"), ("yesterday", "2026-11-20")])
def test_dates_typed_as_answers(text, expected):
    assert parse_date_text(text, TODAY).isoformat() == expected


@pytest.mark.parametrize("text", ["2026-13-45", "abc", "明天", "2026-12-01"])
def test_bad_dates_are_refused(text):
    with pytest.raises(DateError):
        parse_date_text(text, TODAY)
