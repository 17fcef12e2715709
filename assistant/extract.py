"""Facts stated in a message: platform, role, price, order status, dates ("付款五天了", "昨天签收", "上上周五",
"11.16收到的", "付款第三天", "got them 5 days ago", "the 3rd") resolved against today, and every fact whose
definition carries `extract:` patterns (tags cut → resale_affected, 鉴定报告 → fake_proven …).

Reading is negation-aware: "不是食品，是化妆品" and "it is not food" state is_food = false; "我没有鉴定报告"
states fake_proven = false; "是不是食品" and "有没有鉴定报告" ask and state nothing.

Extraction is generous but never fatal: anything it cannot read is left for the interview to ask. Every reader is
bounded: the text is cut to LIMIT characters before any pattern runs, numbers have a digit limit and a range,
and dates outside EARLIEST..today are unreadable, never an exception.
"""
from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from collections import OrderedDict
from functools import lru_cache
from types import SimpleNamespace

from .text import ASKED, CLAIMED, SPACE_IN_HAN, SUPPOSED, NumberError, covers, negations, normalise, parse_number

LIMIT = 4000  # characters of a message read for facts (a long post states its facts early)
ANSWER_LIMIT = 1000  # characters of a typed answer read for a date
EARLIEST = dt.date(1990, 1, 1)  # before online shops: a typo, not an order date
MAX_PRICE = 100_000_000  # ¥100m: above any consumer purchase; a bigger number is a slip of the keyboard

_CN = "[零〇一二两三四五六七八九十]"
_COUNT = rf"(?:(?<![\d.])(?<!\d,)\d{{1,5}}(?![\d.]|,\d)|{_CN}{{1,4}}|半)"
_DAY = r"(?:(?<!\d)\d{1,2}(?!\d)|[一二三四五六七八九十]{1,3})"
_EN_COUNT = r"(?:\d{1,5}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty)"
_EN_NUMBERS = {w: i for i, w in enumerate(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                                           "ten", "eleven", "twelve"])} | {"a": 1, "an": 1, "fifteen": 15, "twenty": 20, "thirty": 30}
_MONTH_EN = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,7}\.?"
_MONTHS_EN = {m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_WEEKDAYS_ZH = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 5}
_WEEKDAYS_EN = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
_NOT_AN_AMOUNT_AFTER = r"(?!\d|\s?(?:万|千|w|k|元|块|折|倍|%|kg|斤|寸|g\b|cm|mm|米|分|号|小时|天))"

# Every pattern is linear: bounded repeats, digit runs guarded on both sides (a run of 10 digits is no count).
_DATE_PATTERNS: list[tuple[str, str]] = [
    ("iso", r"(?<!\d)(\d{4}) ?[-/.年] ?(\d{1,2}) ?[-/.月] ?(\d{1,2})(?!\d) ?[日号]?"),
    ("ymd_short", r"(?<!\d)(\d{2})年(\d{1,2})月(\d{1,2})[日号]?"),
    ("dmy", r"(?<![\d/.])(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?![\d/.])"),
    ("md_en", rf"\b{_MONTH_EN} ?(\d{{1,2}})(?:st|nd|rd|th)?(?:,? (\d{{4}}))?(?!\d)"),
    ("dm_en", rf"\b(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?{_MONTH_EN}(?:,? (\d{{4}}))?\b"),
    ("year_md", rf"(前年|去年|今年)({_DAY})月份?({_DAY})[日号]?"),
    ("month_day", rf"(上上|上|这|本)个?月({_DAY}) ?[日号]"),
    ("md_zh", rf"(?<![\d年])({_DAY})月份?({_DAY})(?:[日号]|(?![\d月天日个]))"),
    ("festival", r"(去年|今年)?(?:双(十一|11|十二|12)|(?<![\d.])(618)(?![\d.]|\s?(?:元|块)))"),
    ("md_dot", rf"(?<![\d./¥$])(?<!\d,)(\d{{1,2}})([./])(\d{{1,2}}){_NOT_AN_AMOUNT_AFTER}(?![./,]\d)"),
    ("days_ago", rf"({_COUNT}) ?(个)? ?(天|日|周|星期|礼拜|月|小时) ?(?:以前|之前|前|了|过去了)"),
    ("passed", rf"(?:过了|已经|已|都) ?({_COUNT}) ?(个)? ?(天|周|星期|礼拜|月)(?!内|之内|以内|无理由)"),
    ("nth_day", rf"第 ?({_COUNT}) ?天"),
    ("ago_en", rf"\b({_EN_COUNT}) (day|week|month|hour)s? (?:ago|back|before)\b"),
    ("since_en", rf"\b(?:it'?s been|been|for|over|after) (?:the (?:last|past) )?({_EN_COUNT}) (day|week|month)s?\b"),
    ("after_en", rf"\b({_EN_COUNT}) (day|week|month)s? (?:after|since)\b"),
    ("weekday_zh", r"(上上|上|这|本)?个?(?:周|星期|礼拜)([一二三四五六日天末])"),
    ("weekday_en", r"\b(last|this|on|past)? ?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"),
    ("day_zh", rf"(?<![\d月.])({_DAY}) ?号(?!线|楼|码|店|房|门|机|位|包|桌)"),
    ("day_en", r"\bthe (\d{1,2})(?:st|nd|rd|th)\b"),
    ("rel", r"大大前天|大前天|前天|昨天|昨日|昨晚|昨儿|今天|今日|今早|今晚|今儿|明天|后天|"
            r"the day before yesterday|day before yesterday|yesterday|last night|today|tonight|this morning|this afternoon|tomorrow"),
]
_DATE_RE = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _DATE_PATTERNS))
_GROUPS = {}  # name → (first, last) index of its own groups within _DATE_RE's groups (each named group's own
# groups run up to the next named group: read off the one compiled pattern instead of compiling each again)
_STARTS = sorted(_DATE_RE.groupindex[name] for name, _ in _DATE_PATTERNS) + [_DATE_RE.groups + 1]
for _name, _ in _DATE_PATTERNS:
    _first = _DATE_RE.groupindex[_name]
    _GROUPS[_name] = (_first, _STARTS[_STARTS.index(_first) + 1] - 1)
_REL = {"今天": 0, "今日": 0, "今早": 0, "今晚": 0, "今儿": 0, "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0,
        "昨天": 1, "昨日": 1, "昨晚": 1, "昨儿": 1, "yesterday": 1, "last night": 1,
        "前天": 2, "the day before yesterday": 2, "day before yesterday": 2, "大前天": 3, "大大前天": 4,
        "明天": -1, "tomorrow": -1, "后天": -2}
_UNIT_DAYS = {"天": 1, "日": 1, "周": 7, "星期": 7, "礼拜": 7, "day": 1, "week": 7}


class DateError(ValueError):
    """A date that cannot be used; `future` tells a real date after today from an unreadable one."""

    def __init__(self, message: str, *, future: dt.date | None = None):
        super().__init__(message)
        self.future = future


def _count(text: str) -> float:
    if text == "半":
        return 0.5
    if text in _EN_NUMBERS:
        return _EN_NUMBERS[text]
    return parse_number(text)


def _months_back(today: dt.date, months: int, day: int | None = None) -> dt.date:
    """The date `months` months before today: on `day` of that month (ValueError if it has no such day), or on
    today's day, moved back to the month's last day where it is shorter ("a month ago" on 31 March)."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    if day is not None:
        return dt.date(year, month, day)
    last = calendar.monthrange(year, month)[1] if 1 <= year <= 9999 else 28
    return dt.date(year, month, min(today.day, last))


def _most_recent(today: dt.date, month: int, day: int, year: int | None = None) -> dt.date:
    if year is not None:
        return dt.date(year, month, day)
    date = dt.date(today.year, month, day)
    return date if date <= today else dt.date(today.year - 1, month, day)  # "11月16号" means the last one


def _ago(today: dt.date, count: float, unit: str) -> dt.date:
    if unit in ("月", "month"):
        if count == 0.5:
            return today - dt.timedelta(days=15)
        return _months_back(today, int(count)) if float(count).is_integer() else today - dt.timedelta(days=round(count * 30))
    if unit in ("小时", "hour"):
        return today - dt.timedelta(days=int(count // 24))
    return today - dt.timedelta(days=round(count * _UNIT_DAYS[unit]))


def _resolve(kind: str, groups: tuple, today: dt.date) -> dt.date:
    if kind == "iso":
        return dt.date(int(groups[0]), int(groups[1]), int(groups[2]))
    if kind == "ymd_short":
        return dt.date(2000 + int(groups[0]), int(groups[1]), int(groups[2]))
    if kind == "dmy":
        first, second, year = int(groups[0]), int(groups[1]), int(groups[2])
        if first <= 12 and second <= 12 and first != second:
            raise ValueError("day and month could be either way round")
        return dt.date(year, first, second) if second > 12 else dt.date(year, second, first)
    if kind == "md_en":
        return _most_recent(today, _MONTHS_EN[groups[0][:3]], int(groups[1]), int(groups[2]) if groups[2] else None)
    if kind == "dm_en":
        return _most_recent(today, _MONTHS_EN[groups[1][:3]], int(groups[0]), int(groups[2]) if groups[2] else None)
    if kind == "year_md":
        year = today.year - {"今年": 0, "去年": 1, "前年": 2}[groups[0]]
        return dt.date(year, int(parse_number(groups[1])), int(parse_number(groups[2])))
    if kind == "month_day":
        back = {"上上": 2, "上": 1, "这": 0, "本": 0}[groups[0]]
        return _months_back(today, back, int(parse_number(groups[1])))
    if kind == "md_zh":
        return _most_recent(today, int(parse_number(groups[0])), int(parse_number(groups[1])))
    if kind == "md_dot":  # 11.3 and 11/3 month first (China, the US), 20/11 day first (Britain): the reading that
        # is a date; of two with a slash the more recent one (a dispute is about a recent purchase), a dot is Chinese
        first, separator, second = int(groups[0]), groups[1], int(groups[2])
        readings = []
        for month, day in ((first, second), (second, first))[: 2 if separator == "/" or first > 12 else 1]:
            try:
                readings.append(_most_recent(today, month, day))
            except ValueError:
                pass
        if not readings:
            raise ValueError(f"{first}/{second} is no date")
        return max(readings)
    if kind == "festival":
        month, day = {"十一": (11, 11), "11": (11, 11), "十二": (12, 12), "12": (12, 12), None: (6, 18)}[groups[1]]
        if groups[0]:
            return dt.date(today.year - (groups[0] == "去年"), month, day)
        return _most_recent(today, month, day)
    if kind in ("days_ago", "passed"):
        count, unit = _count(groups[0]), groups[-1]
        if unit == "月" and not groups[1] and groups[0] != "半":
            raise ValueError("'3月' is a month, not three months")
        return _ago(today, count, unit)
    if kind == "nth_day":  # 付款第三天: the day of payment is the first
        return today - dt.timedelta(days=max(int(_count(groups[0])) - 1, 0))
    if kind in ("ago_en", "since_en", "after_en"):
        return _ago(today, _count(groups[0]), groups[1])
    if kind == "weekday_zh":
        back = {"上上": 2, "上": 1}.get(groups[0] or "", 0)
        monday = today - dt.timedelta(days=today.weekday() + 7 * back)
        date = monday + dt.timedelta(days=_WEEKDAYS_ZH[groups[1]])
        return date if back or date <= today else date - dt.timedelta(days=7)
    if kind == "weekday_en":
        back = (today.weekday() - _WEEKDAYS_EN[groups[1]]) % 7
        if groups[0] == "last" and back == 0:
            back = 7
        return today - dt.timedelta(days=back)
    if kind in ("day_zh", "day_en"):
        day = int(parse_number(groups[0]))
        for back in (0, 1, 2):  # "31号" on 21 November is 31 October
            try:
                date = _months_back(today, back, day)
            except ValueError:
                continue
            if date <= today:
                return date
        raise ValueError(f"no day {day} in the last months")
    return today - dt.timedelta(days=_REL[groups[0]])


def _matches(text: str, today: dt.date):
    """(span, date) for each date written in `text`; date is None where it looks like one but is not (2026-13-45,
    a count so large the date is before EARLIEST)."""
    for match in _DATE_RE.finditer(text):
        kind = match.lastgroup
        first, last = _GROUPS[kind]
        groups = match.groups()[first:last] or (match.group(kind),)
        try:
            date = _resolve(kind, groups, today)
        except (ValueError, KeyError, TypeError, OverflowError, NumberError):
            date = None
        if date is not None and date < EARLIEST:
            date = None
        yield match.span(kind), date


def parse_date_text(text: str, today: dt.date) -> dt.date:
    """A date typed as an answer, in any of the forms above. Raises DateError with a one-line reason."""
    normalised = normalise(text[: ANSWER_LIMIT * 2])[:ANSWER_LIMIT]
    shown = text.strip()[:40] + ("…" if len(text.strip()) > 40 else "")
    for _, date in _matches(normalised, today):
        if date is None:
            raise DateError(f"{shown!r} is not a date I can use (unreadable or out of range)")
        if date > today:
            raise DateError(f"{date.isoformat()} is after today ({today.isoformat()})", future=date)
        return date
    raise DateError(f"{shown!r} is not a date I can read (try 2026-11-16, 11月16号, 昨天, 3天前)")


# ------------------------------------------------------------------ which event a date belongs to

_EVENTS = [
    ("refund_requested_date", r"申请(?:了|的)?(?:仅退款|退货退款|退款|售后|退货|换货)|(?:退款|售后)申请|提交了?(?:退款|售后)|"
                              r"requested? (?:a )?refund|applied for (?:a )?refund|refund request|asked for a refund|opened a (?:dispute|return)"),
    ("completed_date", r"交易成功|确认收货|自动确认|完成交易|订单(?:显示)?(?:已)?完成|completed|auto-?confirmed|confirmed receipt"),
    ("ruling_date", r"判定|裁决|判了|判决|判我|判责|申诉被驳回|申诉失败|ruling|ruled|decision|verdict|"
                    r"appeal[a-z ]{0,20}?(?:rejected|dismissed|turned down|denied)"),
    ("notice_date", r"收到[^，,。.；;]{0,8}?(?:通知|投诉|警告|处罚)|通知|被投诉|被举报|"
                    r"received (?:the |a |an )?[a-z ]{0,20}?(?:notice|complaint)|notice|notified"),
    ("received_date", r"签收|收到|到货|收货|到的|拿到|取件|取到|收的|received|delivered|arrived|"
                      r"got (?:it|them|the [a-z]{1,12}|my [a-z]{1,12})|came|signed for|picked (?:it |them )?up"),
    ("shipped_date", r"发货|发出|寄出|揽收|发的货|shipped|dispatched|sent (?:it|them|out)|mailed"),
    ("paid_date", r"付款|付了款|付的款|付钱|支付|下单|下的单|拍下|拍的|买的|购买|买了|入手|paid|payment|ordered|bought|purchased|placed the order"),
]
_EVENT_RES = [(name, re.compile(pattern)) for name, pattern in _EVENTS]
# A date next to "还没发货" counts from the payment ("三天了还没发"): an event said by its negation.
_DENIED_EVENTS = [("paid_date", re.compile(r"(?:还|一直|都|迟迟)?(?:没有?|未|不) ?发(?:货|出)?(?!票|现|生)|"
                                           r"(?:hasn'?t|has not|haven'?t|not) (?:yet )?(?:been )?(?:shipped|sent|dispatched)"))]
_APPROXIMATE = re.compile(r"(?:快|将近|差不多|大概|大约|约|左右|almost|nearly|about|around|roughly) ?$")
_EXPECTED = re.compile(r"(?:预计|预期|预约|约定|expected|estimated|scheduled|due) ?$")
EVENT_REACH = 15  # characters between a date and the event word it belongs to, at most
_ANY = re.compile(r"(?s).*")  # an event word never needs a negation: one inside it denies it ("未发货")
_CLAUSE_SPLIT = re.compile(r"[，,。;；!！?？]|(?<!jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\.(?= |$)|但是|但|可是|然后|结果|\bbut\b")


def _date_facts(text: str, today: dt.date) -> dict[str, dt.date]:
    """Each date goes to the nearest event word of its clause that is not denied ("没收到" takes no date)."""
    found: dict[str, dt.date] = {}
    for clause in _CLAUSE_SPLIT.split(text):
        dates = [(span, date) for span, date in _matches(clause, today) if date is not None and date <= today]
        if not dates:
            continue
        denied = negations(clause)
        unstated = sorted(m.span() for regex in (ASKED, SUPPOSED) for m in regex.finditer(clause))
        events = sorted([(m.start(), rank, m.end(), name) for rank, (name, pattern) in enumerate(_EVENT_RES)
                         for m in pattern.finditer(clause)
                         if not _asked(clause, m.start(), m.end(), unstated) and not _negated(clause, m.start(), m.end(), _ANY, denied)]
                        + [(m.start(), len(_EVENT_RES), m.end(), name) for name, pattern in _DENIED_EVENTS for m in pattern.finditer(clause)
                           if not _asked(clause, m.start(), m.end(), unstated)])
        starts = [start for start, _, _, _ in events]
        for (lo, hi), date in dates:
            if _APPROXIMATE.search(clause[max(0, lo - 8):lo]) or _EXPECTED.search(clause[max(0, lo - 12):lo]):
                continue  # "快一周了" is no date to count a deadline from; "预计周六送达" has not happened
            best, distance = None, None
            nearby = events[bisect.bisect_left(starts, lo - EVENT_REACH - 40):bisect.bisect_right(starts, hi + EVENT_REACH)]
            for start, rank, end, name in nearby:
                gap = lo - end if end <= lo else start - hi
                gap = max(gap, 0) + (0 if end <= lo else 1)  # a keyword before the date wins a tie
                if gap <= EVENT_REACH and (distance is None or (gap, rank) < distance):  # then the more specific event
                    best, distance = name, (gap, rank)
            if best is not None and best not in found:
                found[best] = date
    return found


# ------------------------------------------------------------------ amounts

_AMOUNT = re.compile(
    r"(?P<currency>[¥￥$]|rmb|cny|人民币)? ?"
    r"(?P<number>(?<![\d.])(?<!\d,)\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?(?![\d,])|(?<![\d.])(?<!\d,)\d{1,12}(?:\.\d{1,2})?(?!\d)(?![.,]\d)"
    r"(?: ?[十百千万亿wk](?![a-z]))?(?:\d(?!\d))?|[零〇一二两三四五六七八九十百千万亿]{1,10})"
    r"(?P<approx>多|几|来|余|左右)? ?(?P<unit>元|块钱|块|圆|rmb|yuan|cny|人民币|dollars?|usd)?(?![a-z])"
)
_PRICE_CUE = re.compile(r"(?:花了|付了|实付|付款|价格|价值|售价|标价|单价|总价|一共|总共|共|才|消费|买的|买了|原价|"
                        r"\bpaid\b|\bcost(?:s|ed)?\b|\bspent\b|\bfor\b|\bprice[ds]?\b|\bpriced at\b|\bworth\b|\btotal\b)[^，,。;；]{0,4}$")
_PRICE_AFTER = re.compile(r" ?(?:买的|买了|买来|入手|拍的|拍下|bought|paid)")
_NOT_PRICE_CUE = re.compile(r"(?:赔|补偿|赔偿|运费|邮费|快递费|差价|红包|优惠|券|返现|返|定金|押金|保证金|罚|扣|退了|退款|退回|"
                            r"compensation|shipping|postage|refund(?:ed)?|deposit|fine|coupon|penalty|sues?|fees?|discount|折扣)[^，,。;；]{0,8}$")
_NOT_PRICE_AFTER = re.compile(r" ?(?:的)?(?:discount|off\b|折扣|优惠|的?券|红包|运费|邮费|补偿|赔偿|差价|定金|押金)")
_COUNTED = re.compile(r" ?(?:天|日|小时|周|个月|年|件|个|次|单|号|岁|%|days?|hours?|weeks?|months?|years?|pcs|items?)")
_PROMISED_COMPENSATION = re.compile(r"(?:承诺|答应|说好|保证|说会|说要)[^，,。;；]{0,4}(?:赔|补偿|赔偿|返)(?:付|偿)?(?:给?我)? ?$|"
                                    r"\bpromised (?:me )?(?:to (?:pay|compensate|refund)(?: me)? )?$")


def amounts(text: str):
    """(start, end, value, marked) for each amount of money written in `text`; marked = with a currency or unit."""
    for match in _AMOUNT.finditer(text):
        number, unit, currency = match.group("number"), match.group("unit"), match.group("currency")
        if match.group("approx") or unit in ("dollars", "dollar", "usd") or currency == "$":
            continue  # 100多块 is no exact price; dollars are not yuan
        before = text[match.start("number") - 1:match.start("number")] if match.start("number") else ""
        if not currency and re.match(r"[a-z双第周期拜月年号]", before):
            continue  # 1e400, iphone15, 双十一, 第三, 周五: a word or a date, not an amount
        if not number[0].isdigit() and not re.search("[十百千万]", number) and not unit:
            continue  # a lone 一 or 两 is a word, not a price
        try:
            value = parse_number(number)
        except NumberError:
            continue
        yield match.start(), match.end(), value, bool(unit or currency) or bool(re.search("[万千wk]", number))


def money_amounts(text: str) -> list[float]:
    """The amounts in `text` written as money: with ¥/元/块, in 万/千/k/w, or after 花了/paid/价格 …"""
    return [value for start, end, value, marked in amounts(text)
            if marked or _PRICE_CUE.search(text[max(0, start - 20):start]) or _PRICE_AFTER.match(text[end:end + 8])]


def _money_facts(text: str) -> dict:
    """The price (an amount written as money first: in "Air Force 1 … paid 459 RMB" the price is 459), and a
    compensation the seller promised."""
    facts: dict = {}
    cued_only = None  # an amount only a cue word makes money ("花了299"): the price unless one is written as money
    for start, end, value, marked in amounts(text):
        before = text[max(0, start - 20):start]
        if _PROMISED_COMPENSATION.search(before):
            if "promised_compensation" not in facts and 0 <= value <= MAX_PRICE:
                facts["promised_compensation"] = _plain(value)
            continue
        if _NOT_PRICE_CUE.search(before) or _NOT_PRICE_AFTER.match(text[end:end + 12]) or _COUNTED.match(text[end:end + 7]):
            continue  # compensation, postage, a discount; 3天, 2件, 5 days
        cued = _PRICE_CUE.search(before) or _PRICE_AFTER.match(text[end:end + 8])
        if not 0 < value <= MAX_PRICE or "price" in facts:
            continue
        if marked:
            facts["price"] = _plain(value)
        elif cued and cued_only is None:
            cued_only = _plain(value)
    if "price" not in facts and cued_only is not None:
        facts["price"] = cued_only
    return facts


_SHIP_HOURS = re.compile(
    r"(?<![\d.])(\d{1,4}|[一二两三四五六七八九十]{1,3}) ?(?:个)? ?(小时|h|天|日) ?(?:内|之内|以内)? ?(?:发货|发出|发)(?!票)|"
    r"\b(?:ships?|dispatch(?:es)?|ship out) (?:with)?in (\d{1,4}|[a-z]{1,6}) ?(hours?|h|days?)\b|"
    r"\b(\d{1,4})[- ]?(hours?|h|days?) (?:shipping|dispatch|delivery promise)")


def _promised_hours(text: str) -> int | None:
    for match in _SHIP_HOURS.finditer(text):
        raw, unit = next((g, match.group(i + 2)) for i, g in enumerate(match.groups()) if g and i % 2 == 0)
        before = text[max(0, match.start() - 6):match.start()]
        if re.search(r"(?:了|过了|已经)$", before) or re.match(r" ?了", text[match.end():match.end() + 2]):
            continue  # "付款48小时了还没发货" is time gone by, not the promise
        try:
            count = _count(raw)
        except NumberError:
            continue
        hours = count * (24 if unit[0] in "天日d" else 1)
        if 1 <= hours <= 24 * 365 and float(hours).is_integer():
            return int(hours)
    return None


def _plain(value: float):
    return int(value) if float(value).is_integer() else value


# ------------------------------------------------------------------ role

_ROLE_WORDS = {"seller": r"卖家|商家|店主|掌柜|商户|店家", "buyer": r"买家|顾客|消费者|买方"}
# "as a seller", "as the seller, …" say who is asking; "as well as the seller", "as the seller refused" do not
_AS = (r"(?:(?<!well )(?<!such )(?<!same )(?<!soon )(?<!long )(?<!far )(?<!much )\bas an? |(?:^|[,.;:!?，。；：！？] ?|\bi'?m |\bi am |\bspeaking |\bhere |\bme )"
       r"as the (?=[a-z]+(?: owner)?s? ?(?:[,，.:;!?]|$|here\b)))")
_STATED_ROLE = re.compile(
    r"(?:(?:我|本人|俺)们?(?P<copula>不是|并不是|也不是|就是|是|作为|身为)|作为|身为)(?:一[个名家]|个)?"
    r"(?:淘宝|天猫|京东|拼多多|抖音|快手|闲鱼|1688|网店|小|[a-z0-9]{1,10})?的?(?P<word>卖家|商家|店主|掌柜|商户|店家|买家|消费者|买方)|"
    rf"(?:{_AS}|\b(?:i'?m|i am|we'?re|we are)(?P<not> not)? (?:a |an |the )?)(?:[a-z]{{1,10}} )?"
    r"(?P<word_en>seller|merchant|shop owner|store owner|vendor|buyer|customer|consumer)s?\b")


def _any(*alternatives: str) -> re.Pattern:
    return re.compile("|".join(alternatives))


# What a seller says of their own shop, listings, metrics, and the complaints and returns they receive.
_SELLER_SELF = _any(
    r"我们(?:这些|做)?(?:卖家|商家)|我们店|我的店|我家店|我开的店|我开了[个一家]{0,2}网?店|我(?:在[^，,。]{1,6})?开店",
    r"我们(?:的)?(?:店铺|网店|公司的店)|我(?:的)?店铺|我们后台|我的后台|商家后台|卖家后台|千牛|商家版|京麦",
    r"判责率|纠纷率|退款率|扣分|店铺[^，,。]{0,3}(?:评分|扣分|被|降权|保证金|处罚|违规)|(?:售|卖)假[^，,。]{0,3}(?:扣分|处罚|降权)",
    r"被[^，,。]{0,4}(?:投诉|举报)[^，,。]{0,3}(?:售|卖)(?:假|仿)|说我(?:卖|售)(?:的是)?(?:假|仿)|(?:发|退|补|赔|寄)[^，,。]{0,4}给(?:顾客|买家|客户)",
    r"收到(?:了)?(?:一个|一份|个|品牌方的?|平台的?|知识产权|侵权)?(?:侵权投诉|侵权通知|投诉通知|投诉|起诉状|警告|处罚通知)(?!流程)|退货回来|发出去的时候",
    r"(?:品牌方|权利人|商标(?:权利人|所有人))[^，,。]{0,10}(?:起诉|告|投诉)我|被打假|说我的(?:货|商品|产品)(?:是)?(?:假|仿|过期|有问题)",
    r"\bhow (?:do|can|should) (?:[\w.]+ )?(?:sellers|merchants)\b|\bsellers can\b|"
    rf"{_AS}(?:seller|merchant|shop owner|store owner)\b",
    r"\bmy (?:listings?|buyers?|customers?|shop|store|genuine products)\b(?! protection)|\bour (?:shop|store|customers?|buyers?)\b",
    r"\bi (?:sell|run a (?:shop|store))\b|\bstore (?:is|was) penali[sz]ed\b|\bstore rating\b|\b(?:dispute|refund|return) rate\b",
    r"\breceived (?:an? |the )?(?:return(?:ed)? (?:package|parcel|item)|[a-z ]{0,20}(?:notice|complaint))",
    r"\b(?:trademark|brand|rights) (?:owner|holder)s? (?:sued|took) me\b|\bsued me\b|\btook me to court\b",
)
_SELLER_WORDS = r"卖家|商家|店家|掌柜|厂家|客服|店主"
# "卖家怎样拒绝退款", "卖家最晚什么时候必须收货": a question about what a side may do, not a report of what it did
_RULE_WORDS = r"(?:怎样|怎么|如何|能否|能不能|可不可以|可以|需要|必须|应该|最晚|有权|会不会)"
_BUYER_WORDS = r"买家|顾客|客户|买方"
# Whom a person speaks of: the seller spoken of by a buyer ("卖家不发货", "the seller refuses"), and the other way.
_SPOKEN_OF_SELLER = _any(
    rf"(?:问|联系|找|催|跟|和|向|让|告|起诉)了?(?:{_SELLER_WORDS})|投诉[^，,。;；]{{0,4}}(?:{_SELLER_WORDS})",
    rf"(?:{_SELLER_WORDS})(?![^，,。;；]{{0,3}}?{_RULE_WORDS})[^，,。;；]{{0,5}}?(?:拒绝|不|说|让|要我|没|未|发|寄|给我|已经|已|同意|答应|承诺|骗|告诉我)",
    r"\b(?:with|from|to|asked|contacted) (?:the )?(?:seller|shop|store|merchant)\b",
    r"\b(?:the )?(?:seller|shop|store|merchant) (?:refus|won'?t|ignor|said|says|told|asked me|sent|shipped|did|didn'?t|hasn'?t|has not|is\b|agreed|promised|"
    r"keeps|denies|denied|claims|insists|cancel)",
)
_SPOKEN_OF_BUYER = _any(
    rf"(?:问|联系|找|催)了?(?:{_BUYER_WORDS})",
    rf"(?:{_BUYER_WORDS})(?![^，,。;；]{{0,3}}?{_RULE_WORDS})[^，,。;；]{{0,5}}?(?:说|申请|要求|要|想|退|拿|给|选|拒|投诉|举报|收到|签收|不|以|是|办理|恶意|故意|找茬)",
    r"\b(?:the |a )?(?:buyers?|customers?) (?:claims?|says|said|asks?|asked|returns?|returned|demands?|wants?|files?|filed|complain|opens?|"
    r"opened|rejects?|rejected|refuses?|refused|misuses?|sends?|sent|receives?|received|disputes?|leaves?|left|gets?|got|did|didn'?t|"
    r"doesn'?t|won'?t|accept(?:s|ed)?|insists?|threaten|kept|keeps)",
)
# What a buyer says of their own purchase: the weakest sign, read only when nothing above decides.
_BUYER_SELF = _any(
    r"我[^，,。;；卖]{0,5}?(?:买|购买|网购|拍|下单|订购|订|入手)(?:了|的|到|错)(?!照片|图|视频|产品图)|(?:淘宝|天猫|京东|拼多多|网上|闲鱼|抖音)上?(?:买|购买|下单)",
    r"(?:在|从)[^，,。;；]{1,8}?(?:买|购买|下单)(?:了|的)|(?<![家客户方他她])(?:买的|买了|买回来|买到)|帮我们?(?:换|退|修)",
    r"我的[^，,。;；]{0,8}?收到|我[^，,。;；]{0,4}收到(?:了|货|东西|商品|包裹|快递)|(?:刚)?收到的|收货[^，,。;；]{0,4}(?:了|后)|(?:要求|申请)(?:退货|退款|换货)",
    r"(?:没|没有|未)收到(?:过)?|给我们?(?:售后|退|换|补|赔|发|寄|少|配送|送)|(?:退|赔)(?:款|钱)?给我|我要索赔|想退(?:掉|货|款)?",
    r"我[^，,。;；]{0,4}(?:要|想|申请)[^，,。;；]{0,4}(?:退货|退款|换货|售后)|我的订单|我(?:这个|的)订单|你家|你们家|贵店|(?:寄|送)来的",
    r"下单(?:后|了|之后)|我付|付(?:了)?款[^，,。;；]{0,4}了|(?:能|可以)[^，,。;；]{0,12}退(?:货|款)?(?:吗|嘛)",
    r"\b(?:i|we) (?:bought|ordered|purchased|paid|got|received|never (?:got|received|signed)|haven'?t (?:got|received))\b",
    r"\bmy (?:new |old )?(?:order|parcel|package|refund|purchase|money back)\b|\bbought (?:it|them|this|a|an|from|on)\b",
    r"\b(?:came|arrived) to me\b|\bmissed the deadline\b|\bcan i (?:still )?(?:return|claim|get a refund)\b",
)


def _stated_role(text: str) -> str | None:
    """What the person says of themselves: outright ("我是卖家", "我不是买家", "as a seller"), or of their own
    shop, listings, metrics and the complaints they receive ("我们店", "my listing", "收到侵权投诉")."""
    stated = _STATED_ROLE.search(text)
    if stated is not None:
        word = stated.group("word") or stated.group("word_en")
        role = "buyer" if word in ("买家", "消费者", "买方", "buyer", "customer", "consumer") else "seller"
        if "不" in (stated.group("copula") or "") or stated.group("not"):
            role = "buyer" if role == "seller" else "seller"
        return role
    return "seller" if _SELLER_SELF.search(text) else None


def _implied_role(text: str) -> str | None:
    """What the person's words imply: whom they speak of ("卖家不发货" is said by a buyer, "the buyer returned an
    empty box" by a seller; the first mention decides), else signs of their own purchase ("我买的", "my order")."""
    asked = sorted(m.span() for regex in (ASKED, _RULE_QUESTION) for m in regex.finditer(text))

    def first(pattern: re.Pattern):  # "卖家能不能…" asks about sellers, it is no buyer speaking of one
        return next((m for m in pattern.finditer(text) if not _asked(text, m.start(), m.end(), asked)), None)

    about_seller, about_buyer = first(_SPOKEN_OF_SELLER), first(_SPOKEN_OF_BUYER)
    if about_seller and (not about_buyer or about_seller.start() < about_buyer.start()):
        return "buyer"
    if about_buyer:
        return "seller"
    return "buyer" if _BUYER_SELF.search(text) else None


# "can buyers claim …?", "do sellers have to …?": a question about what a side may do
_RULE_QUESTION = re.compile(r"\b(?:can|could|should|may|must|do|does|will|would|are|is) (?:the |a |an )?(?:buyers?|sellers?|customers?|merchants?)\b")
_FIRST_PERSON = re.compile(r"我|本人|\b(?:i|i'm|i've|me|my|mine|we|our|us)\b")


# A question about the rules in general ("拼多多不发货赔付规则", "what happens when …") states nobody's side.
_GENERAL = re.compile(r"规则|规定|政策|制度|条例|流程|\brules?\b|\bpolic(?:y|ies)\b|\bwhat happens\b|\bin general\b")


def _role(text: str) -> str | None:
    """The role as a fact: said of themselves, or implied by a person telling their own story ("卖家拒绝了我的退款",
    "卖家不发货"); a question about the rules in general ("can buyers claim …?", "…的规则") states no role."""
    stated = _stated_role(text)
    if stated is not None:
        return stated
    return _implied_role(text) if _FIRST_PERSON.search(text) or not _GENERAL.search(text) else None


def stated_role(question: str) -> str | None:
    """buyer | seller as the question says of the person asking ("我是卖家", "我们店被投诉"), else None."""
    return _stated_role(read(question))


def implied_role(question: str) -> str | None:
    """buyer | seller as the question implies by whom it speaks of or by the person's own purchase, else None: a
    hint for matching, a fact only where the person speaks of themselves too."""
    return _implied_role(read(question))


# ------------------------------------------------------------------ facts with `extract:` patterns

_LATEST_WINS = {"order_status", "seller_response"}  # states that move on: "同意后又被拒绝" ends refused
# The place a person shops is named, not supposed: "如果京东不给退" still says JD.


@lru_cache(maxsize=4096)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


WINDOW = 80  # characters before a match searched for a negation or a question word that may reach it


def _near(spans: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The spans (sorted by start) that begin within WINDOW before `start` or inside start..end: only these can
    reach the match, so the work per match stays constant however long the text."""
    first = bisect.bisect_left(spans, (start - WINDOW, -1))
    last = bisect.bisect_left(spans, (end, -1))
    return spans[first:last]


def _denial(text: str, start: int, end: int, pattern: re.Pattern, denied: list[tuple[int, int]], reach: tuple = ()) -> str:
    """The negation word that denies the match ("" if none): one before it that reaches it, or one inside it that
    the pattern does not need ("吊牌没剪" for 吊牌.{0,5}剪 is denied; "没拆封" for 没拆封 is what the pattern says)."""
    for lo, hi in _near(denied, start, end):
        if lo < start and covers(text, hi, start, *reach):
            return text[lo:hi]
        if start <= lo and hi <= end and pattern.fullmatch(text[start:lo] + text[hi:end]):
            return text[lo:hi]
    return ""


def _negated(text: str, start: int, end: int, pattern: re.Pattern, denied: list[tuple[int, int]], reach: tuple = ()) -> bool:
    return bool(_denial(text, start, end, pattern, denied, reach))


# "is not" says the other of two kinds ("不是虚拟商品" → physical); "did not receive the parcel" says nothing of kind
_COPULAR = re.compile(r"不是|不算|并非|非|并不是|\bnot\b|\bisn[’']t\b|n[’']t\b")


def _asked(text: str, start: int, end: int, questions: list[tuple[int, int]]) -> bool:
    """是不是食品, 有没有鉴定报告, whether it is food: the match is asked about, not stated."""
    return any(hi > start or covers(text, hi, start) for lo, hi in _near(questions, start, end))


_NAMED_REACH = (1, 1)  # "不是淘宝" denies the platform; "不能申请京东介入" does not


_JOINED: OrderedDict[int, tuple] = OrderedDict()  # id of an `extract` mapping → (it, its patterns joined)


def _any_of(definition) -> re.Pattern | None:
    """One pattern that finds whether any of a fact's patterns occurs: most messages state few facts, so the
    patterns are looked at one by one only when one of them is there (None: they cannot be joined). Cached by
    its text, so definitions rebuilt per answer (choice labels added) share one compiled pattern; the joined text
    of the knowledge base's own definitions is kept too (joining it again was a tenth of a question's time)."""
    extract = definition.extract
    kept = _JOINED.get(id(extract))
    if kept is None or kept[0] is not extract:  # the id of a mapping gone may be reused: the mapping itself decides
        kept = _JOINED[id(extract)] = (extract, "|".join(f"(?:{p})" for patterns in extract.values() for p in patterns))
        if len(_JOINED) > 256:  # the knowledge base's facts stay (used for every message); per-answer copies pass
            _JOINED.popitem(last=False)
    _JOINED.move_to_end(id(extract))
    try:
        return _compiled(kept[1])
    except re.error:
        return None


def _read_pattern_fact(definition, text: str, denied, asked, supposed, latest: bool, named: bool, claimed=()):
    any_of = _any_of(definition)
    if any_of is not None and any_of.search(text) is None:
        return None
    values = [c.value for c in definition.choices] if definition.type == "enum" else ["true", "false"]
    reach = _NAMED_REACH if len(values) > 2 else ()
    unstated = asked if named else sorted(asked + supposed + (list(claimed) if getattr(definition, "contested", False) else []))
    hits = []
    for value, patterns in definition.extract.items():
        for source in patterns:
            pattern = _compiled(source)
            for match in pattern.finditer(text):
                start, end = match.span()
                if start == end or _asked(text, start, end, unstated):
                    continue
                hits.append((start, value, _denial(text, start, end, pattern, denied, reach)))
    if not hits:
        return None
    direct = [(start, value) for start, value, negated in hits if not negated]
    # a denied statement says the opposite where there are two values; "not clothes" does not say "food", so a
    # denied `false` pattern of a yes/no fact says nothing
    flipped = [(start, values[1 - values.index(value)]) for start, value, negated in hits
               if negated and len(values) == 2 and value in values
               and (value == "true" if definition.type == "boolean" else bool(_COPULAR.fullmatch(negated)))]
    chosen = direct or flipped
    if not chosen:
        return None
    if len(values) == 2:  # yes/no and either/or: what the message says both ways it does not say
        found = {value for _, value in chosen}
        if len(found) > 1:
            return None
        value = found.pop()
        return value == "true" if definition.type == "boolean" else value
    specific = [hit for hit in chosen if hit[1] != "other"]  # "得物说是假的，淘宝店不认": bought on Taobao
    return (max if latest else min)(specific or chosen)[1]


def pattern_facts(text: str, definitions: dict) -> dict:
    """The facts whose `extract:` patterns the (normalised) text states, negation-aware."""
    denied = negations(text)
    asked = [m.span() for m in ASKED.finditer(text)]
    supposed = [m.span() for m in SUPPOSED.finditer(text)]
    claimed = [m.span() for m in CLAIMED.finditer(text)]
    facts = {}
    for name, definition in definitions.items():
        if definition.extract:
            value = _read_pattern_fact(definition, text, denied, asked, supposed, name in _LATEST_WINS, name == "platform", claimed)
            if value is not None:
                facts[name] = value
    return facts


@lru_cache(maxsize=1)
def standard_definitions() -> dict:
    """The standard facts of the shipped knowledge base (data/facts.yaml), for callers that hold no knowledge
    base of their own. Read as plain data: the loader has validated the same file."""
    import yaml

    from knowledge_base.locations import shipped_kb_dir

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)((shipped_kb_dir() / "facts.yaml").read_text(encoding="utf-8"))
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    return {
        name: SimpleNamespace(type=fact["type"], extract=fact.get("extract") or {}, contested=fact.get("contested", False),
                              choices=[SimpleNamespace(value=str(c["value"])) for c in fact.get("choices") or []])
        for name, fact in data["facts"].items()
    }


# ------------------------------------------------------------------ everything

def read(question: str) -> str:
    """The message normalised and cut to LIMIT; spaces between Chinese characters (copied from a segmented
    chat log: "还 没 发货") are dropped so that phrases read whole."""
    return SPACE_IN_HAN.sub("", normalise(question[: LIMIT * 2]))[:LIMIT]


def extract_facts(question: str, today: dt.date, definitions: dict | None = None) -> dict:
    """Facts the question states, as typed values (name → value). `definitions` maps fact names to their
    definitions (the knowledge base's standard facts and the scenario's own); by default the shipped standard
    facts."""
    text = read(question)
    facts: dict = pattern_facts(text, standard_definitions() if definitions is None else definitions)
    role = _role(text)
    if role is not None:
        facts["role"] = role
    facts.update(_money_facts(text))
    hours = _promised_hours(text)
    if hours is not None:
        facts["seller_promised_ship_hours"] = hours
    facts.update(_date_facts(text, today))
    return facts
