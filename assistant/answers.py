"""Reading the answer a person types to the question for one fact, as people answer: "签收了", "没收到", "嗯",
"yep", "no, not yet", "不是，是化妆品", "两百五", "上上周五", "在狗东买的", "我是卖家".

`parse_answer` returns the fact's typed value or raises FactError / DateError with a one-line reason; the
Conversation asks again then, nothing lost.
"""
from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace
from typing import Any

from .extract import DateError, money_amounts, pattern_facts, parse_date_text, read, stated_role
from .facts import MAX_NUMBER_TEXT, FactError, checked_number, parse_number_value, parse_value
from .text import negations, word_pattern

__all__ = ["parse_answer", "is_unsure", "FactError", "DateError"]

_PUNCTUATION = " \t,.!?~…，。！？、～;；:：'\"“”‘’()（）[]【】"
_PARTICLES = "啊呀吧呢哦喔啦嘛呐哈的"
_UNSURE = re.compile(r"不(?:太|是很|大)?(?:确定|知道|清楚|记得)|记不清|说不清|忘了|不好说|也许|可能吧|大概吧|"
                     r"not sure|unsure|don'?t know|no idea|not certain|can'?t remember|don'?t remember|maybe|perhaps")
_YES = re.compile(r"(?:是|是的|是啊|对|对的|对啊|嗯+|恩+|有|有的|有啊|好|好的|没错|当然|确实|肯定|可以|行|应该是|应该有|应该是的|"
                  r"i think so|i believe so|think so|probably|"
                  r"yes|y|yeah|yep|yup|ya|sure|correct|right|true|of course|indeed|definitely|ok|okay|affirmative|i did|i have|"
                  r"it is|it was|they are|they were|it did|they did|did|have|has|i am)")
_NO = re.compile(r"(?:否|不|不是|不对|没|没有|没呢|还没|还没有|并没有|无|未|"
                 r"no|n|nope|nah|not|not yet|never|none|false|negative|i didn'?t|i haven'?t|it isn'?t|it wasn'?t|they aren'?t|"
                 r"they weren'?t|didn'?t|haven'?t|hasn'?t|isn'?t|wasn'?t|not really|not at all|no way)")
_YES_LEADING = re.compile(r"^(?:是的?|对的?|嗯+|恩+|没错|当然|yes|yeah|yep|yup|sure|correct|right|of course|indeed)(?:[\s,，.。!！]|$)")
_NO_LEADING = re.compile(r"^(?:不是|没有|不对|否|还没有?|并没有|no|nope|nah|not yet|never)(?:[\s,，.。!！]|$)|^(?:没|未|不)")
_POSSESSION = re.compile(r"^有(?!没|点|些|问题)")  # 有截图, 有视频: "do you have …" answered yes
# "about 200", "大概两百左右": the number is the answer (a price need not be exact to the yuan)
_APPROX = re.compile(r"^(?:about|around|roughly|approx(?:imately|\.)?|maybe|like|大概|大约|差不多|约|大致|估计)\s*|"
                     r"\s*(?:左右|上下|吧|ish|or so)$", re.I)
_DONE = re.compile(r"(?:^已|^已经|了$|过$|完了$|好了$)")  # 签收了, 已签收, 收到了, 剪过
_DONE_EN = re.compile(r"^(?:i|we|they|it|he|she)(?:'ve| have| has)? (?:already |just )?[a-z]+ed\b")


def _bare(text: str) -> str:
    """The answer normalised, without the punctuation and particles around it ("是的啊！" → "是")."""
    bare = read(text).strip(_PUNCTUATION)
    while bare and bare[-1] in _PARTICLES and len(bare) > 1 and not bare[-2].isascii():
        bare = bare[:-1].rstrip(_PUNCTUATION)
    return bare


def is_unsure(text: str) -> bool:
    """"不太清楚", "I don't remember", "maybe": the person does not know (a no would be a wrong answer)."""
    return _UNSURE.search(read(text)) is not None


def _with_labels(definition) -> SimpleNamespace:
    """The fact's extract patterns, and its values and labels as literal patterns: "在天猫买的" names Tmall."""
    extract = {value: list(patterns) for value, patterns in (definition.extract or {}).items()}
    for choice in definition.choices:
        words = {choice.value.lower(), choice.label.zh.lower(), choice.label.en.lower()}
        extract.setdefault(choice.value, []).extend(word_pattern(w if w.isascii() else read(w)) for w in words if w)
    return SimpleNamespace(type=definition.type, choices=definition.choices, extract=extract)


def _enum(name: str, definition, text: str) -> str:
    stripped = _bare(text)
    if stripped.isdigit() and 1 <= int(stripped) <= len(definition.choices):
        return definition.choices[int(stripped) - 1].value
    try:
        return parse_value(name, definition, stripped)
    except FactError:
        pass
    found = pattern_facts(read(text), {name: _with_labels(definition)}).get(name)
    if found is None and name == "role":
        found = stated_role(text)
    if found is None:
        allowed = ", ".join(c.value for c in definition.choices)
        raise FactError(f"{name}: {text.strip()[:40]!r} is not one of {allowed}")
    return found


def _number(name: str, definition, text: str, today: dt.date) -> Any:
    kind = definition.type
    try:
        return parse_number_value(name, kind, text)
    except FactError as exc:
        if "range" in str(exc) or len(text) > MAX_NUMBER_TEXT:
            raise
        first = exc
    normalised = read(text)
    plain = _APPROX.sub("", _APPROX.sub("", normalised.strip(_PUNCTUATION)))  # twice: "大概两百左右吧"
    if plain != normalised.strip(_PUNCTUATION):
        try:
            return parse_number_value(name, kind, plain)
        except FactError:
            pass
    if name.endswith("_hours"):  # 48小时, 3天 (= 72 hours), within 2 days
        match = re.search(r"(\d{1,4}(?:\.\d+)?|[一二两三四五六七八九十]{1,3}) ?(?:个)? ?(小时|h|hours?|天|日|days?)", normalised)
        if match:
            value = parse_number_value(name, "number", match.group(1)) * (24 if match.group(2)[0] in "天日d" else 1)
            return checked_number(name, kind, value, text.strip()[:40])
    found = set(money_amounts(normalised))
    if len(found) == 1 and not re.search(r"-\s*\d", normalised):  # "花了299", "大概两百五吧"; never "-5" as 5
        return checked_number(name, kind, found.pop(), text.strip()[:40])
    raise first


def _boolean(name: str, definition, text: str) -> bool:
    bare = _bare(text)
    if is_unsure(bare):
        raise FactError(f"{name}: {text.strip()[:40]!r} is neither a yes nor a no")
    if _YES.fullmatch(bare):
        return True
    if _NO.fullmatch(bare):
        return False
    stated = pattern_facts(read(text), {name: definition}).get(name) if definition.extract else None
    if stated is not None:  # 吊牌还在, 没有鉴定报告, 有聊天记录截图
        return stated
    if _NO_LEADING.search(bare):  # 不是，是化妆品 / 没收到 / no, not yet
        return False
    if _YES_LEADING.search(bare) or _POSSESSION.search(bare):  # 是的，剪了 / 有截图
        return True
    if negations(bare):  # 还没签收, 一直没收到, I haven't
        return False
    if _DONE.search(bare) or _DONE_EN.search(bare):  # 签收了, 已签收, 收到了, "I signed for it"
        return True
    raise FactError(f"{name}: {text.strip()[:40]!r} is not a yes or a no")


def parse_answer(name: str, definition, text: str, today: dt.date) -> Any:
    """The value of fact `name` (its `definition` from the knowledge base) that an answer states."""
    if not text.strip():
        raise FactError(f"{name}: no value given")
    kind = definition.type
    if kind == "date":
        return parse_date_text(text, today)
    if kind == "enum":
        return _enum(name, definition, text)
    if kind in ("number", "integer"):
        return _number(name, definition, text, today)
    if kind == "boolean":
        return _boolean(name, definition, text)
    return parse_value(name, definition, text)  # pragma: no cover - the schema allows no other type
