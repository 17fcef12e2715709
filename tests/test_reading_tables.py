"""Facts read from messages as people write them: one table per kind of fact, in simplified and traditional
Chinese and English, with the phrasings that must NOT state anything next to the ones that must.

Each row is (message, fact, expected): expected None means the fact must not be extracted at all. Messages are
read with every definition of the shipped knowledge base (standard facts and each scenario's own), as the
Conversation reads a message once its scenario is known.
"""
import datetime as dt

import pytest

from assistant.extract import extract_facts

TODAY = dt.date(2026, 11, 21)  # a Saturday
ABSENT = None


def check(definitions, text, fact, expected):
    facts = extract_facts(text, TODAY, definitions)
    if expected is ABSENT:
        assert fact not in facts, f"{text!r} must not state {fact}, got {facts.get(fact)!r}"
    else:
        assert facts.get(fact) == expected, f"{text!r}: {fact} = {facts.get(fact)!r}, expected {expected!r} ({facts})"


def d(month, day, year=2026):
    return dt.date(year, month, day)


NEGATION = [
    # is_food: a denial says "not food"; a question says nothing
    ("不是食品，是化妆品", "is_food", False),
    ("Fake Nike shoes from Tmall, it is not food", "is_food", False),
    ("it's not food, it's a handbag", "is_food", False),
    ("这个不算食品吧，是保健器械", "is_food", False),
    ("並非食品，是護膚品", "is_food", False),
    ("买的奶粉是假的", "is_food", True),
    ("買的奶粉是假的", "is_food", True),
    ("the baby formula I bought is fake", "is_food", True),
    ("是不是食品我也不清楚", "is_food", ABSENT),
    ("is it food or not, I can't tell", "is_food", ABSENT),
    ("买的口红是假的", "is_food", False),
    ("家里用的食品级收纳盒坏了", "is_food", ABSENT),
    ("我没买到食品，买的是衣服", "is_food", False),
    ("住酒店被坑了", "is_food", ABSENT),
    # resale_affected: tags, seals, activation, washing — and their denials
    ("吊牌我剪了", "resale_affected", True),
    # the seller's excuse, reported and often questioned, is no statement of the fact
    ("商家说是定制款不退，他这样对吗", "item_excluded", ABSENT), ("买的定制T恤能退吗", "item_excluded", True),
    ("客服说拆了吊牌就不给退", "resale_affected", ABSENT), ("the seller says it is custom made so no return", "item_excluded", ABSENT),
    ("I used it twice and the seller says no return", "resale_affected", True),
    ("吊牌已经剪掉了，还能七天无理由吗", "resale_affected", True),
    ("吊牌没剪", "resale_affected", False),
    ("吊牌還在，沒拆封", "resale_affected", False),
    ("吊牌都还在", "resale_affected", False),
    ("我没有把吊牌剪掉", "resale_affected", False),
    ("手机已经激活了", "resale_affected", True),
    ("手机还没激活", "resale_affected", False),
    ("衣服洗过了", "resale_affected", True),
    ("衣服没洗过，只试穿了一下", "resale_affected", False),
    ("化妆品的塑封拆了", "resale_affected", True),
    ("只是拆开看了看", "resale_affected", False),
    ("全新未拆封", "resale_affected", False),
    ("I cut the tags off", "resale_affected", True),
    ("I didn't cut the tags", "resale_affected", False),
    ("the tags are still on", "resale_affected", False),
    ("I already activated the phone", "resale_affected", True),
    ("it's brand new, never used", "resale_affected", False),
    ("I washed it once", "resale_affected", True),
    ("吊牌剪没剪会影响退货吗", "resale_affected", ABSENT),
    ("是否影响二次销售谁说了算", "resale_affected", ABSENT),
    ("不喜欢了想退", "resale_affected", ABSENT),
    # fake_proven
    ("我没有鉴定报告", "fake_proven", False),
    ("专柜鉴定是假的", "fake_proven", True),
    ("拿去專櫃驗了，說是假的", "fake_proven", True),
    ("已经拿到了鉴定报告", "fake_proven", True),
    ("有没有鉴定报告都可以退吗", "fake_proven", ABSENT),
    ("无法证明是假货", "fake_proven", False),
    ("I have an authentication report saying it's fake", "fake_proven", True),
    ("I can't prove it is fake", "fake_proven", False),
    ("how do I prove the bag is fake", "fake_proven", ABSENT),
    ("卖家自己承认是高仿", "fake_proven", True),
    # extortion
    ("买家还威胁说不给钱就给差评", "extortion", True),
    ("买家说不赔钱就投诉到12315", "extortion", True),
    ("the buyer threatens a bad review unless I pay him", "extortion", True),
    ("买家没有威胁我，只是要求退货", "extortion", False),
    ("买家给了个差评", "extortion", ABSENT),
    ("遇到职业打假人了", "extortion", True),
    ("the buyer left a bad review", "extortion", ABSENT),
    # return_signed (the seller's return parcel)
    ("退货包裹我已经签收了", "return_signed", True),
    ("快递我已经签收了", "return_signed", True),
    ("退回来的包裹还没签收", "return_signed", False),
    ("退貨包裹我還沒簽收", "return_signed", False),
    ("我拒收了退货", "return_signed", False),
    ("I already signed for the returned parcel", "return_signed", True),
    ("买家说没收到，物流显示本人签收", "return_signed", ABSENT),
    # promise_proven / defect_proven / three_guarantee_goods
    ("有聊天记录截图", "promise_proven", True),
    ("卖家只是口头承诺的", "promise_proven", False),
    ("没有截图", "promise_proven", False),
    ("the listing says free installation", "promise_proven", True),
    ("拍了开箱视频", "defect_proven", True),
    ("没拍照片也没视频", "defect_proven", False),
    ("I have photos of the crack", "defect_proven", True),
    ("买的手机屏幕坏了", "three_guarantee_goods", True),
    ("用手机投诉淘宝卖家", "three_guarantee_goods", ABSENT),
    ("手机壳裂了", "three_guarantee_goods", ABSENT),
    ("the laptop won't turn on", "three_guarantee_goods", True),
    # item_excluded
    ("买的是定制的衣服", "item_excluded", True),
    ("不是定制的，普通款", "item_excluded", False),
    ("买的生鲜海鲜", "item_excluded", True),
    ("it's a personalised engraved mug", "item_excluded", True),
    ("路由器拆了包装用了两天嫌信号弱，还能走七天无理由吗", "item_excluded", ABSENT),
    # goods_type and purchase_purpose: either/or facts, a denial names the other
    ("充值的会员没到账", "goods_type", "virtual"),
    ("不是虚拟商品，是实物", "goods_type", "physical"),
    ("it's a membership subscription", "goods_type", "virtual"),
    ("是买来转卖的", "purchase_purpose", "business"),
    ("不是自用，是进货", "purchase_purpose", "business"),
    ("买来给孩子用的", "purchase_purpose", "personal"),
    ("not for resale, for my family", "purchase_purpose", "personal"),
    # food_unsafe
    ("买的月饼发霉了", "food_unsafe", True),
    ("奶粉过期了还在卖", "food_unsafe", True),
    ("售后期过期了", "food_unsafe", ABSENT),
    ("the snacks were expired and moldy", "food_unsafe", True),
    ("只是标签印错了，东西没问题", "food_unsafe", False),
    # seller_response: the latest state wins, a denial of one state states none
    ("卖家拒绝退款", "seller_response", "refused"),
    ("賣家拒絕退貨", "seller_response", "refused"),
    ("退款同意后又被拒绝了", "seller_response", "refused"),
    ("卖家不同意", "seller_response", "refused"),
    ("卖家同意了退货", "seller_response", "agreed"),
    ("卖家一直不理我", "seller_response", "none"),
    ("the seller ignored me for a week", "seller_response", "none"),
    ("the seller refused my return", "seller_response", "refused"),
    ("the buyer rejected the parcel", "seller_response", ABSENT),
    ("卖家没拒绝", "seller_response", ABSENT),
    ("退货需要卖家同意吗", "seller_response", ABSENT),
    # order_status
    ("付款五天了还没发货", "order_status", "paid"),
    ("付款五天了還沒發貨", "order_status", "paid"),
    ("已经发货了，物流一直不动", "order_status", "shipped"),
    ("I paid but it hasn't been shipped", "order_status", "paid"),
    ("订单显示交易成功了", "order_status", "completed"),
    ("没收到货怎么就确认收货了", "order_status", "completed"),
    ("订单被关闭了", "order_status", "closed"),
    ("未发货前可以改地址吗", "order_status", ABSENT),
    ("卖家说没库存了", "order_status", "paid"),
    ("seller ran out of stock and cancelled my order", "order_status", "closed"),
    ("系统显示妥投了，但我没收到", "order_status", ABSENT),  # delivered: shipped, or already completed? asked
    ("显示已签收但我没收到", "order_status", ABSENT),
    # a verb denied says nothing of the kind of goods; "is not" does
    ("本人也没收到过包裹", "goods_type", ABSENT),
    ("不是实物，是充值卡", "goods_type", "virtual"),
]


@pytest.mark.parametrize("text, fact, expected", NEGATION)
def test_negation_questions_and_scenario_facts(definitions_all, text, fact, expected):
    check(definitions_all, text, fact, expected)


PLATFORMS = [
    ("tb买的", "taobao"), ("淘宝上买的", "taobao"), ("淘寶買的", "taobao"), ("bought it on Taobao", "taobao"),
    ("在tb上下单的", "taobao"), ("手淘下单", "taobao"),
    ("天猫旗舰店", "tmall"), ("天貓旗艦店", "tmall"), ("Tmall store", "tmall"), ("猫超买的", "tmall"),
    ("pdd买的", "pdd"), ("拼夕夕上买的", "pdd"), ("拼多多百亿补贴", "pdd"), ("Pinduoduo order", "pdd"),
    ("狗东买的", "jd"), ("京东自营", "jd"), ("京東買的", "jd"), ("ordered on JD.com", "jd"), ("jd买的", "jd"),
    ("1688批发的", "1688"), ("阿里巴巴上进的货", "1688"),
    ("抖音小店买的", "douyin"), ("抖店后台", "douyin"), ("douyin live stream", "douyin"), ("抖音直播間買的", "douyin"),
    ("闲鱼上买的二手", "xianyu"), ("閒魚買的", "xianyu"), ("xianyu seller", "xianyu"), ("在咸鱼上买的", "xianyu"),
    ("快手买的", "other"), ("唯品会买的", "other"), ("AliExpress order", "other"), ("速卖通", "other"), ("得物上买的鞋", "other"),
    ("不是淘宝，是京东", "jd"), ("not on Taobao, on JD", "jd"), ("京东快递送来的，淘宝买的", "taobao"),
    ("售后页面上写着不能申请京东介入", "jd"), ("如果京东不给退怎么办", "jd"),
    ("买了1TB的硬盘", ABSENT), ("京东快递丢件了", ABSENT), ("网上买的", ABSENT), ("阿里巴巴集团的新闻", ABSENT),
]


@pytest.mark.parametrize("text, expected", PLATFORMS)
def test_platform_names_and_slang(definitions_all, text, expected):
    check(definitions_all, text, "platform", expected)


ROLES = [
    ("我是卖家 买家收到货说没收到 要仅退款 物流显示本人签收", "seller"),
    ("我是卖家，买家还没发货就申请退款", "seller"),
    ("我是淘宝卖家，买家收货半个月了还不确认", "seller"),
    ("我是賣家，買家惡意退款", "seller"),
    ("作为商家，遇到恶意差评怎么办", "seller"),
    ("我们店被投诉售假了", "seller"),
    ("买家退回来的是空盒子", "seller"),
    ("顧客說收到的是壞的", "seller"),
    ("客户申请换货但是又申请了退款", "seller"),
    ("a buyer returned an empty box", "seller"),
    ("I'm a seller on Taobao and the buyer wants a refund", "seller"),
    ("my shop got a complaint", "seller"),
    ("how do sellers handle item-not-received claims", "seller"),
    ("我不是卖家，我是买家", "buyer"),
    ("I'm not the seller", "buyer"),
    ("我是买家，卖家不发货", "buyer"),
    ("店家不同意退货，连理由都没给", "buyer"),
    ("賣家不發貨", "buyer"),
    ("the seller refuses to refund me", "buyer"),
    ("我买的衣服质量太差", "buyer"),
    ("我在淘宝买了双鞋", "buyer"),
    ("一直没收到货", "buyer"),
    ("I bought a jacket on Taobao", "buyer"),
    ("my parcel never arrived", "buyer"),
    ("我问了卖家，他说没货", "buyer"),
    ("as the seller refused, I want to complain", "buyer"),
    ("拼多多延迟发货的赔付标准是多少", ABSENT),
    ("can buyers claim compensation for a late delivery", ABSENT),
    ("What happens if the buyer rejects the order", ABSENT),
    ("淘宝认定出售假货的标准是什么", ABSENT),
    ("七天无理由退货的规定", ABSENT),
    ("what is the refund policy", ABSENT),
]


@pytest.mark.parametrize("text, expected", ROLES)
def test_role_from_what_people_say_about_themselves_and_the_other_side(definitions_all, text, expected):
    check(definitions_all, text, "role", expected)


# What a person says of themselves (stated_role) decides matching; whom they speak of implies their side
# (implied_role), a hint for matching — and a fact (above) unless the message asks about the rules in general.
IMPLIED = [
    ("买家退回来的是空盒子", ABSENT, "seller"), ("顧客說收到的是壞的", ABSENT, "seller"), ("客户申请换货但是又申请了退款", ABSENT, "seller"),
    ("a buyer returned an empty box", ABSENT, "seller"), ("店家不同意退货，连理由都没给", ABSENT, "buyer"), ("賣家不發貨", ABSENT, "buyer"),
    ("一直没收到货", ABSENT, "buyer"), ("天猫旗舰店收到的包是仿的", ABSENT, "buyer"), ("卖家怎样拒绝不合理的退款", ABSENT, ABSENT),
    ("退货需要卖家同意吗", ABSENT, ABSENT), ("can buyers claim compensation for a late delivery", ABSENT, ABSENT),
    ("我是卖家，买家说没收到", "seller", "seller"), ("我们店被投诉售假", "seller", ABSENT), ("我不是卖家", "buyer", ABSENT),
    ("as a seller, how do I answer a complaint", "seller", ABSENT), ("as well as the seller, the courier lost it", ABSENT, ABSENT),
    ("how should I answer a refund request as a merchant", "seller", ABSENT),
    ("must the seller prove it as soon as a buyer says it's fake", ABSENT, ABSENT),
    ("不是要申诉平台 我是要去法院告卖家", ABSENT, "buyer"),
]


@pytest.mark.parametrize("text, stated, implied", IMPLIED)
def test_stated_and_implied_role(text, stated, implied):
    from assistant.extract import implied_role, stated_role

    assert stated_role(text) == stated
    assert implied_role(text) == implied


DATES = [
    ("got them 5 days ago", "received_date", d(11, 16)),
    ("received it 2 weeks ago", "received_date", d(11, 7)),
    ("the parcel arrived yesterday", "received_date", d(11, 20)),
    ("I got it the day before yesterday", "received_date", d(11, 19)),
    ("delivered last Friday", "received_date", d(11, 20)),
    ("I received it on the 3rd", "received_date", d(11, 3)),
    ("got it on Nov 16", "received_date", d(11, 16)),
    ("delivered on 16 November", "received_date", d(11, 16)),
    ("I paid three days ago and it has not shipped", "paid_date", d(11, 18)),
    ("付款第三天了还没发货", "paid_date", d(11, 19)),
    ("11.16收到的", "received_date", d(11, 16)),
    ("11/16签收的", "received_date", d(11, 16)),
    ("上上周五签收的", "received_date", d(11, 6)),
    ("上周三签收", "received_date", d(11, 11)),
    ("前天晚上收到的", "received_date", d(11, 19)),
    ("昨晚到的货", "received_date", d(11, 20)),
    ("大前天签收", "received_date", d(11, 18)),
    ("11月16号签收的", "received_date", d(11, 16)),
    ("十一月十六日收到", "received_date", d(11, 16)),
    ("16号签收的", "received_date", d(11, 16)),
    ("上个月15号签收", "received_date", d(10, 15)),
    ("去年12月30号买的", "paid_date", d(12, 30, 2025)),
    ("双十一买的", "paid_date", d(11, 11)),
    ("付款五天了还不发货", "paid_date", d(11, 16)),
    ("收到两周了", "received_date", d(11, 7)),
    ("一个月前买的", "paid_date", d(10, 21)),
    ("半个月前下的单", "paid_date", d(11, 6)),
    ("2026-11-16签收", "received_date", d(11, 16)),
    ("2026年11月16日签收", "received_date", d(11, 16)),
    ("26年11月16日签收", "received_date", d(11, 16)),
    ("11月16號簽收的", "received_date", d(11, 16)),
    ("前天晚上簽收", "received_date", d(11, 19)),
    ("交易成功十天了", "completed_date", d(11, 11)),
    ("11月10日申请的退款", "refund_requested_date", d(11, 10)),
    ("昨天收到的投诉通知", "notice_date", d(11, 20)),
    ("my appeal was rejected on Nov 18", "ruling_date", d(11, 18)),
    ("9 号 那天 拍 的 竟然 第七天 还 没 发货", "paid_date", d(11, 9)),
    ("9 号 那天 拍 的 竟然 第七天 还 没 发货", "shipped_date", ABSENT),
    ("11月10号买的，到现在还没收到", "received_date", ABSENT),
    ("11月10号买的，到现在还没收到", "paid_date", d(11, 10)),
    ("预计本周六送达", "received_date", ABSENT),
    ("淘宝 9999999999天前签收", "received_date", ABSENT),
    ("100000天前签收", "received_date", ABSENT),
    ("2026-13-45签收", "received_date", ABSENT),
    ("明天签收", "received_date", ABSENT),
    ("花了2.5万，11.16收到的", "received_date", d(11, 16)),
    ("付款都快一周了还显示待发货", "paid_date", ABSENT),
    ("商品页说24小时发货，现在三天了还没发", "paid_date", d(11, 18)),
    ("my order hasn't been sent out four days after payment", "paid_date", d(11, 17)),
    # day first (Britain) where month first is no date; of two readings the more recent
    ("received it on 20/11", "received_date", d(11, 20)), ("received on 3/11", "received_date", d(11, 3)),
    ("11/3签收的", "received_date", d(11, 3)),
]


@pytest.mark.parametrize("text, fact, expected", DATES)
def test_relative_and_partial_dates(definitions_all, text, fact, expected):
    check(definitions_all, text, fact, expected)


AMOUNTS = [
    ("花了2.5万", 25000), ("两万买的包", 20000), ("3千的手机", 3000), ("1.2w的包是假的", 12000), ("paid 1.5k for it", 1500),
    ("一万二千元", 12000), ("一万二买的", 12000), ("1万2买的", 12000), ("花了两百五", 250), ("¥1,299.00", 1299), ("299块", 299),
    ("花了100", 100), ("实付88.5元", 88.5), ("價格兩萬", 20000), ("paid ¥1,200 on Tmall", 1200), ("it cost 300 yuan", 300),
    ("RMB 450", 450), ("消费 4 万的会员", 40000), ("买的奶粉是假的，花了两百五", 250), ("12k的电脑", 12000),
    ("花了100多块", ABSENT), ("运费10块", ABSENT), ("卖家答应赔50元", ABSENT), ("compensation of 120,000 yuan", ABSENT),
    ("买了3件", ABSENT), ("7天无理由", ABSENT), ("花了1,2,3", ABSENT), ("花了" + "9" * 400 + "元", ABSENT),
    ("花了1e400元", ABSENT), ("$50", ABSENT), ("一千多块", ABSENT), ("价格2亿元", ABSENT), ("双十一买的", ABSENT),
    ("the shop agreed to a 50 yuan discount", ABSENT),
    # a model number named before the price is no price; an amount written as money wins over one only cued
    ("I ordered a pair of Nike Air Force 1 from a Taobao shop, paid 459 RMB", 459), ("a costume for 80 yuan", 80),
    ("买了iPhone 15，付了5999元", 5999), ("花了299", 299),
]


@pytest.mark.parametrize("text, expected", AMOUNTS)
def test_amounts_in_all_common_forms(definitions_all, text, expected):
    check(definitions_all, text, "price", expected)


OTHER_NUMBERS = [
    ("卖家答应赔50元", "promised_compensation", 50),
    ("商家承诺补偿20块", "promised_compensation", 20),
    ("承诺48小时发货", "seller_promised_ship_hours", 48),
    ("页面写着24小时内发货", "seller_promised_ship_hours", 24),
    ("说好3天内发货", "seller_promised_ship_hours", 72),
    ("the listing says ships within 48 hours", "seller_promised_ship_hours", 48),
    ("付款48小时了还没发货", "seller_promised_ship_hours", ABSENT),
    ("承诺99999小时发货", "seller_promised_ship_hours", ABSENT),
]


@pytest.mark.parametrize("text, fact, expected", OTHER_NUMBERS)
def test_promised_amounts_and_hours(definitions_all, text, fact, expected):
    check(definitions_all, text, fact, expected)


def test_the_tables_are_as_large_as_the_issue_asks():
    rows = len(NEGATION) + len(PLATFORMS) + len(ROLES) + len(IMPLIED) + len(DATES) + len(AMOUNTS) + len(OTHER_NUMBERS)
    assert rows >= 200


def test_every_extract_pattern_is_a_clean_regular_expression(definitions_all):
    """A pattern written in double quotes in YAML turns \\b into a backspace: it then matches nothing, silently."""
    import re

    for name, definition in definitions_all.items():
        for value, patterns in definition.extract.items():
            for pattern in patterns:
                assert not any(ord(c) < 32 for c in pattern), (name, value, pattern)
                re.compile(pattern)
