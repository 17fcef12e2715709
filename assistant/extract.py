"""Facts stated in the question itself: platform, role, price, order status, and dates ("付款五天了",
"昨天签收", "上周三", "11月16号", "got it on Nov 16", "2026-11-16") resolved against today.

Extraction is generous but never fatal: anything it cannot read is left for the interview to ask.
`parse_date_text` is also what reads a date typed as an answer, where a bad value is an error.
"""
from __future__ import annotations

import datetime as dt
import re

from .text import normalise

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMBER = "[零〇一二两三四五六七八九十百千]+"
_WEEKDAYS_ZH = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 5}
_WEEKDAYS_EN = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
_MONTHS_EN = {m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_NUM = rf"(\d+|{_CN_NUMBER})"


def cn_number(text: str) -> int | None:
    """'5' → 5, '十二' → 12, '两百' → 200, '三千五' → 3500 (enough for days and prices people type)."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in "十百千":
            unit = {"十": 10, "百": 100, "千": 1000}[ch]
            total += (current or 1) * unit
            current = 0
        else:
            return None
    total += current
    if len(text) >= 2 and text[-2] in "百千" and text[-1] in _CN_DIGITS:  # 三千五 = 3500, 两百五 = 250
        total += current * ({"百": 10, "千": 100}[text[-2]] - 1)
    return total


# ------------------------------------------------------------------ dates

_DATE_PATTERNS: list[tuple[str, str]] = [
    ("iso", r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?"),
    ("last_month", r"上个?月(\d{1,2}|[一二三四五六七八九十]+)[日号]"),
    ("md_zh", r"(\d{1,2}|[一二三四五六七八九十]+)月(\d{1,2}|[一二三四五六七八九十]+)[日号]"),
    ("md_en", r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b"),
    ("dm_en", r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"),
    ("days_ago", rf"{_NUM}\s*(?:天|日)(?:前|以前|之前|了)"),
    ("days_ago_en", r"\b(\d+)\s+days?\s+ago\b"),
    ("last_week", r"(?:上周|上个星期|上星期|上礼拜|上个礼拜)([一二三四五六日天])"),
    ("this_week", r"(?:这周|本周|这个星期|这星期|这礼拜|周|星期|礼拜)([一二三四五六日天])"),
    ("last_weekday_en", r"\blast\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"),
    ("weekday_en", r"\b(?:on\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"),
    ("rel", r"大前天|前天|昨天|今天|今日|昨日|明天|后天|the day before yesterday|yesterday|today|tomorrow"),
]
_DATE_RE = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _DATE_PATTERNS))
_REL = {"今天": 0, "今日": 0, "today": 0, "昨天": 1, "昨日": 1, "yesterday": 1, "前天": 2, "the day before yesterday": 2, "大前天": 3,
        "明天": -1, "tomorrow": -1, "后天": -2}


class DateError(ValueError):
    """A date that cannot be used; `future` tells a real date after today from an unreadable one."""

    def __init__(self, message: str, *, future: dt.date | None = None):
        super().__init__(message)
        self.future = future


def _resolve(kind: str, groups: tuple, today: dt.date) -> dt.date:
    if kind == "iso":
        return dt.date(int(groups[0]), int(groups[1]), int(groups[2]))
    if kind in ("md_zh", "md_en", "dm_en"):
        if kind == "md_zh":
            month, day = cn_number(groups[0]), cn_number(groups[1])
        elif kind == "md_en":
            month, day = _MONTHS_EN[groups[0]], int(groups[1])
        else:
            day, month = int(groups[0]), _MONTHS_EN[groups[1]]
        date = dt.date(today.year, month, day)
        return date if date <= today else date.replace(year=today.year - 1)  # "11月16号" means the last one
    if kind == "last_month":
        first = today.replace(day=1) - dt.timedelta(days=1)
        return first.replace(day=cn_number(groups[0]))
    if kind in ("days_ago", "days_ago_en"):
        return today - dt.timedelta(days=cn_number(groups[0]))
    if kind == "last_week":
        monday = today - dt.timedelta(days=today.weekday() + 7)
        return monday + dt.timedelta(days=_WEEKDAYS_ZH[groups[0]])
    if kind == "this_week":
        date = today - dt.timedelta(days=today.weekday()) + dt.timedelta(days=_WEEKDAYS_ZH[groups[0]])
        return date if date <= today else date - dt.timedelta(days=7)
    if kind in ("last_weekday_en", "weekday_en"):
        back = (today.weekday() - _WEEKDAYS_EN[groups[0]]) % 7
        if kind == "last_weekday_en" and back == 0:
            back = 7
        return today - dt.timedelta(days=back)
    return today - dt.timedelta(days=_REL[groups[0]])


def _matches(text: str, today: dt.date):
    for match in _DATE_RE.finditer(text):
        kind = match.lastgroup
        inner = re.fullmatch(dict(_DATE_PATTERNS)[kind], match.group(kind))
        groups = inner.groups() if inner and inner.groups() else (match.group(kind),)
        try:
            yield match.span(), _resolve(kind, groups, today)
        except (ValueError, KeyError, TypeError):
            yield match.span(), None  # looked like a date but is not one (2026-13-45)


def parse_date_text(text: str, today: dt.date) -> dt.date:
    """A date typed as an answer, in any of the forms above. Raises DateError with a one-line reason."""
    normalised = normalise(text)
    for _, date in _matches(normalised, today):
        if date is None:
            raise DateError(f"{text.strip()!r} is not a valid date")
        if date > today:
            raise DateError(f"{date.isoformat()} is after today ({today.isoformat()})", future=date)
        return date
    raise DateError(f"{text.strip()!r} is not a date I can read (try 2026-11-16, 11月16号, 昨天, 3天前)")


# ------------------------------------------------------------------ which event a date belongs to

_EVENTS = [
    ("refund_requested_date", r"申请(?:了|的)?(?:退款|售后|退货)|退款申请|requested? (?:a )?refund|applied for (?:a )?refund|refund request"),
    ("completed_date", r"交易成功|确认收货|完成交易|completed"),
    ("ruling_date", r"判定|裁决|判了|判决|申诉被驳回|申诉失败|ruling|ruled|decision|appeal[a-z ]{0,20}?(?:rejected|dismissed|turned down|denied)"),
    ("notice_date", r"收到[^，,。.；;]{0,8}?(?:通知|投诉)|通知|被投诉|received (?:the |a |an )?[a-z ]{0,20}?(?:notice|complaint)|notice|notified"),
    ("received_date", r"(?<![没未不])(?:签收|收到|到货|收货|到的|received|delivered|arrived|got it|signed)"),
    ("shipped_date", r"(?<![没未不])(?:发货|发出|寄出|shipped|dispatched)"),
    ("paid_date", r"付款|付了款|付的款|付钱|下单|下的单|拍下|买的|购买|paid|ordered|bought|purchased"),
]
_EVENT_RES = [(name, re.compile(pattern)) for name, pattern in _EVENTS]
_CLAUSE_SPLIT = re.compile(r"[，,。.;；!！?？]|但是|但|可是|然后|结果|\bbut\b")


def _date_facts(text: str, today: dt.date) -> dict[str, dt.date]:
    found: dict[str, dt.date] = {}
    start = 0
    for clause in _CLAUSE_SPLIT.split(text):
        for (lo, hi), date in _matches(clause, today):
            if date is None or date > today:
                continue
            best, distance = None, None
            for name, pattern in _EVENT_RES:
                for m in pattern.finditer(clause):
                    gap = lo - m.end() if m.end() <= lo else m.start() - hi
                    gap = max(gap, 0) + (0 if m.end() <= lo else 1)  # a keyword before the date wins a tie
                    if distance is None or gap < distance:
                        best, distance = name, gap
            if best is not None and best not in found:
                found[best] = date
        start += len(clause)
    return found


# ------------------------------------------------------------------ the rest

_PLATFORMS = [
    ("tmall", r"天猫|tmall"),
    ("taobao", r"淘宝|taobao|\btb\b"),
    ("1688", r"1688|阿里巴巴"),
    ("jd", r"京东|\bjd\b|jingdong"),
    ("pdd", r"拼多多|pinduoduo|\bpdd\b"),
]
_AS = r"(?:^|[,.;:!?，。；：！？]\s*|\bi'?m |\bi am |\bspeaking |\bhere |\bme )as (?:a |the )?"  # "as a seller", not "as well as the seller"
_ROLES = [
    ("seller", rf"我是卖家|我是商家|作为卖家|作为商家|我们店|我的店|我家店|我开的店|{_AS}(?:seller|merchant|shop owner)\b|"
               r"\bi'?m (?:a |the )?seller\b|\bi am (?:a |the )?seller\b|\bmy (?:shop|store)\b"),
    ("buyer", rf"我是买家|作为买家|{_AS}buyer\b|\bi'?m (?:a |the )?buyer\b|\bi am (?:a |the )?buyer\b"),
]
_STATUS = [
    ("paid", r"还没发货|还没有发货|未发货|没发货|不发货|待发货|没有发货|hasn'?t (?:been )?shipped|not (?:yet )?shipped|not been shipped"),
    ("completed", r"交易成功|确认收货了|已确认收货|\bcompleted\b"),
    ("closed", r"交易关闭|订单关闭|订单被关闭|order (?:was |is )?closed"),
    ("shipped", r"已发货|已经发货|发货了|物流显示|运输中|派送中|快递显示|(?<!not )(?<!n't )shipped"),
]
_RESPONSE = [
    ("refused", r"拒绝|不同意|驳回|refused|rejected|declined"),
    ("agreed", r"(?<!不)同意了|已同意|agreed"),
    ("none", r"不理|没回应|不回复|没处理|不处理|no response|ignor"),
]
_FOOD = r"食品|食物|零食|奶粉|白酒|红酒|啤酒|茶叶|水果|牛肉|猪肉|保健品|月饼|蜂蜜|\bfood\b|snacks?|formula|liquor|\bwine\b|supplements?"
_PRICE = re.compile(
    rf"(?:花了|付了|实付|价格|价值|一共|共|才|paid|for|cost|price)?\s*(?:¥|￥|rmb|cny)\s*(\d[\d,]*(?:\.\d+)?)"
    rf"|(\d[\d,]*(?:\.\d+)?|{_CN_NUMBER})\s*(?:元|块钱|块|rmb|yuan|cny)(?![a-z])"
    rf"|(?:花了|付了|实付|paid)\s*(\d[\d,]*(?:\.\d+)?|{_CN_NUMBER})(?![\d,.]|\s*(?:天|日|小时|周|个?月|年|days?|hours?|weeks?|months?))"
)


def _first(text: str, options: list[tuple[str, str]]) -> str | None:
    best = None
    for value, pattern in options:
        match = re.search(pattern, text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), value)
    return best[1] if best else None


_SPOKEN_OF_SELLER = re.compile(
    r"(?:卖家|商家|店家|掌柜|\bthe seller|\bthe shop|\bthe store|\bthe merchant)\s*(?:一直|还|就|又|也|都)?"
    r"(?:拒绝|不|说|让|要我|没|发|寄|给我|refus|won'?t|ignor|said|says|told|asked me|sent|shipped|did|didn'?t|hasn'?t|has not|is)")
_SPOKEN_OF_BUYER = re.compile(
    r"(?:买家|顾客|客户|买方|\bthe buyers?|\ba buyer|\bbuyers|\bthe customers?|\ba customer|\bcustomers)\s*"
    r"(?:一直|还|就|又|也|都|恶意|故意)?(?:说|申请|要求|退|拿|给|选|拒|投诉|举报|收到|签收|不|claims?|says|said|asks?|asked|"
    r"returns?|returned|demands?|wants?|files?|filed|complain|opens?|opened|rejects?|rejected|refuses?|refused|misuses?|"
    r"sends?|sent|receives?|received|disputes?|leaves?|left|gets?|got|did|didn'?t|doesn'?t|won'?t)")
_SELLER_SELF = re.compile(
    r"我们后台|我的后台|商家后台|卖家后台|我们店铺|我店铺|店铺被|我们的店|被(?:人|别人|品牌方?|买家)?(?:投诉|举报)(?:了)?(?:售假|卖假)|"
    r"\b(?:how (?:do|can|should) (?:\w+ )?(?:sellers|merchants))\b|\bsellers can\b|\bmy listings?\b|\bmy buyers?\b(?! protection)")


_FIRST_PERSON = re.compile(r"我|\b(?:i|i'm|i've|me|my|mine|we|our|us)\b")


def _role(text: str) -> str | None:
    """buyer | seller as the person says of themselves ("我是卖家", "我们店", "as a seller")."""
    stated = _first(text, _ROLES)
    if stated is not None:
        return stated
    return "seller" if _SELLER_SELF.search(text) else None


def _implied_role(text: str) -> str | None:
    """buyer | seller as implied by who is spoken about ("卖家不给退" is a buyer speaking): a hint, often
    wrong in general questions ("can buyers claim …?"), so never a fact on its own."""
    about_seller, about_buyer = _SPOKEN_OF_SELLER.search(text), _SPOKEN_OF_BUYER.search(text)
    if about_seller and (not about_buyer or about_seller.start() < about_buyer.start()):
        return "buyer"
    return "seller" if about_buyer else None


def stated_role(question: str) -> str | None:
    """buyer | seller as the question says of the person asking, else None."""
    return _role(normalise(question)[:2000])


def implied_role(question: str) -> str | None:
    """buyer | seller as the question implies by who it speaks about, else None (see `_implied_role`)."""
    return _implied_role(normalise(question)[:2000])


def extract_facts(question: str, today: dt.date) -> dict:
    """Facts the question states, as typed values (name → value)."""
    text = normalise(question)[:2000]
    facts: dict = {}
    for name, options in (("platform", _PLATFORMS), ("order_status", _STATUS), ("seller_response", _RESPONSE)):
        value = _first(text, options)
        if value is not None:
            facts[name] = value
    role = _role(text) or (_implied_role(text) if _FIRST_PERSON.search(text) else None)
    if role is not None:  # said of themselves, or implied by a person telling their own story ("卖家拒绝了我的退款")
        facts["role"] = role
    if re.search(_FOOD, text) and not re.search("酒店", text):
        facts["is_food"] = True
    for match in _PRICE.finditer(text):
        raw = next(g for g in match.groups() if g)
        value = cn_number(raw) if not raw[0].isdigit() else float(raw.replace(",", ""))
        if value:
            facts["price"] = int(value) if float(value).is_integer() else value
            break
    facts.update(_date_facts(text, today))
    return facts
