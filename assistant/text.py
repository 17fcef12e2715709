"""Normalising what people type: Unicode forms, widths, case, traditional → simplified, and a language guess."""
from __future__ import annotations

import math
import os
import re
import unicodedata
from functools import lru_cache

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# every pattern over Chinese characters costs ≈1.5 ms to compile on each start (re builds a map of 27,000
# characters): one shared run pattern, not one per use
HAN_RUN = re.compile(f"[{HAN}]+")
_LATIN_WORD_RE = re.compile(r"[a-z]{2,}")
_SURROGATES_RE = re.compile("[\ud800-\udfff]")
# Control and format characters (zero-width joiners, BOMs, bidi marks) carry no meaning for matching.
_INVISIBLE_RE = re.compile("[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_SPACES_RE = re.compile(r"\s+")
# "没 收到 货": some people and tools (segmented chat logs) space out Chinese words
SPACE_IN_HAN = re.compile(f"(?<=[{HAN}]) +(?=[{HAN}])")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def clean(text: str) -> str:
    """Make any string safe to print and to encode as UTF-8: drop lone surrogates and control characters."""
    text = _SURROGATES_RE.sub("", text)
    text = _INVISIBLE_RE.sub(" ", text)
    return _SPACES_RE.sub(" ", text).strip()


_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'"})  # didn’t → didn't (NFKC leaves typographic quotes)


def normalise(text: str) -> str:
    """NFKC (full width → half width), lower case, traditional → simplified, single spaces."""
    text = unicodedata.normalize("NFKC", clean(text)).lower().translate(_QUOTES)
    if HAN_RUN.search(text):
        text = _t2s().convert(text)
    return text


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2tw")  # Taiwan standard characters (為, 裡), the most common traditional script online


# OpenCC's slips, as Taiwan and Hong Kong write the words: 回复 (reply) is no 回複 (a repeat), 面单 (the waybill)
# after 和 was read as 和面 (kneading dough), and 平台 / 后台 are written with 台 online
_TRADITIONAL_FIXES = {"回複": "回覆", "麵單": "面單", "平臺": "平台", "後臺": "後台"}
_FIXES = re.compile("|".join(_TRADITIONAL_FIXES))


def locale_language() -> str:
    """The language to greet in before anyone has written: English for an English (or other non-Chinese) locale,
    Chinese for a Chinese one and where none is set; the conversation follows the person's messages after that."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "").lower()
        if value:
            return "zh" if value.startswith("zh") or value in ("c", "posix") or value.startswith(("c.", "posix.")) else "en"
    return "zh"


@lru_cache(maxsize=4096)  # the knowledge base's texts are converted again for every traditional-script reply
def to_traditional(text: str) -> str:
    return _FIXES.sub(lambda m: _TRADITIONAL_FIXES[m.group()], _s2t().convert(text))


def script_of(text: str) -> str | None:
    """'Hant' when converting to simplified changes characters, 'Hans' when there are Chinese characters and it
    changes none; None without Chinese characters. (Simplified text has no characters the conversion changes, so
    the one converter normalise() already uses is enough; the other direction is loaded only to answer.)"""
    if not HAN_RUN.search(text):
        return None
    return "Hant" if any(a != b for a, b in zip(text, _t2s().convert(text))) else "Hans"


def is_traditional(text: str) -> bool:
    """Written in traditional characters: converting to simplified changes more characters than the other way."""
    return script_of(text) == "Hant"


def has_han(text: str) -> bool:
    return HAN_RUN.search(text) is not None


def han_count(text: str) -> int:
    return sum(map(len, HAN_RUN.findall(text)))


def word_pattern(word: str) -> str:
    """A lower-case literal as a pattern: Latin text whole ("price" not in "caprice"), Chinese as written."""
    if word.isascii():
        return rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])"
    return re.escape(word)


def latin_word_count(text: str) -> int:
    """Words of two or more Latin letters ("ok" counts, "I" does not)."""
    return len(_LATIN_WORD_RE.findall(text.lower()))


def guess_language(text: str, default: str = "zh") -> str:
    """'zh' or 'en'. Mixed questions ("淘宝 order 没收到") go by which script carries more of the words; text
    with too little of either ("299", "ok", "2026-11-16") keeps `default` (the conversation's language)."""
    han = han_count(text)
    latin_words = latin_word_count(text)
    if han < 2 and latin_words < 2 and not (han == 1 and latin_words == 0):
        return default
    return "zh" if han >= latin_words else "en"


# ------------------------------------------------------------------ numbers as people write them

MAX_DIGITS = 12  # more integer digits than any price or count: refused before int()/float() can overflow
_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNIT = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "k": 1000}
_BIG_UNIT = {"万": 10_000, "w": 10_000, "亿": 100_000_000}
_NUMBER_TOKEN = re.compile(r"[0-9]+(?:\.[0-9]+)?|[零〇一二两俩三四五六七八九]|[十拾百佰千仟k万w亿]|\S")
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")


class NumberError(ValueError):
    """Text that is not a number this reader accepts; the message is one line."""


def parse_number(text: str) -> float:
    """A number as people write it: '299', '1,299.00', '2.5万', '1.2w', '1.5k', '3千', '两万', '一万二千',
    '两百五' (250), '1万2' (12,000), '一百零五'. Always finite; raises NumberError with a reason otherwise
    ('1,2,3' is not silently 123, 400 digits are not Infinity)."""
    raw = text.strip()
    compact = raw.replace(" ", "").lower()
    if not compact:
        raise NumberError("no number given")
    if "," in compact:
        head = re.match(r"[0-9,.]+", compact)
        if not head or not _GROUPED.fullmatch(head.group()):
            raise NumberError(f"{raw[:40]!r} is not a number (commas must separate thousands, as in 1,299)")
        compact = head.group().replace(",", "") + compact[head.end():]
    for digits in re.findall(r"[0-9]+", compact):
        if len(digits) > MAX_DIGITS:
            raise NumberError(f"{digits[:20]}… has too many digits to be a real amount")  # the digits: raw may hold a line break
    total, section, current = 0.0, 0.0, None
    unit_before, elliptic, zero = 0, 0, False  # the unit just read; the unit an elliptic digit stands under
    for token in _NUMBER_TOKEN.findall(compact):
        if token in ("零", "〇"):
            zero, unit_before = True, 0  # 一百零五: the 五 is not 五十
        elif token[0] in "0123456789" or token in _CN_DIGIT:
            if current is not None:
                raise NumberError(f"{raw[:40]!r} is not a number")
            current = float(token) if token[0] in "0123456789" else float(_CN_DIGIT[token])
            single = token in _CN_DIGIT or len(token) == 1
            elliptic = unit_before if single and not zero else 0  # 两百五 = 250, 一万二 = 12,000, 1万2 = 12,000
            unit_before = 0
        elif token in _SMALL_UNIT:
            section += (1.0 if current is None else current) * _SMALL_UNIT[token]
            current, unit_before, elliptic, zero = None, _SMALL_UNIT[token], 0, False
        elif token in _BIG_UNIT:
            if current is None and section == 0 and total == 0:
                raise NumberError(f"{raw[:40]!r} is not a number")
            section += current or 0.0
            unit = _BIG_UNIT[token]
            total = (total + section) * unit if unit > 10_000 else total + section * unit
            section, current, unit_before, elliptic, zero = 0.0, None, unit, 0, False
        else:
            raise NumberError(f"{raw[:40]!r} is not a number")
    if current is not None:
        section += current * elliptic / 10 if elliptic else current
    value = total + section
    if not math.isfinite(value):  # pragma: no cover - the digit limit keeps every value finite
        raise NumberError(f"{raw[:40]!r} is too large")
    return round(value, 2)


# ------------------------------------------------------------------ negation and its scope

# Words that begin with a negation character but do not deny what follows them (不过 = but, 非常 = very, 无理由 =
# "no reason" in 七天无理由, 不想要 = a wish, not a fact). They are matched first and skipped.
_NOT_A_NEGATION = (
    r"不过|不错|不少|不久|不断|不但|不仅|不管|不论|不然|不止|不得不|不好意思|不知道|不清楚|不确定|不一定|不记得|"
    r"不满意?|不喜欢|不想要?|不要了|不像|不如|不合适|不适合|不舒服|不对劲|无理由|无论|无语|非常|非要|未来|没想到|没事|别人|别的|"
    r"not sure|not only|not just|no idea|no matter|no reason|no-reason|no questions asked"
)
_NEGATION_WORD = (
    r"不是|不算|不再|不能|并非|并不|并没有|并没|没有|没|未曾|尚未|未|从没有|从没|从未|毫无|无法|无|非|不|"
    r"\bnot\b|n[’']t\b|\bno\b|\bnever\b|\bwithout\b|\bneither\b|\bnor\b|\bnone\b|"
    r"\b(?:dont|didnt|doesnt|isnt|wasnt|werent|arent|havent|hasnt|hadnt|cant|cannot|wont|wouldnt|shouldnt)\b"
)
NEGATION = re.compile(f"(?P<skip>{_NOT_A_NEGATION})|(?P<neg>{_NEGATION_WORD})")
# A negation reaches up to a clause boundary or a word that starts a new assertion ("不是食品，是化妆品",
# "not food but cosmetics").
_SCOPE_END = re.compile(
    r"[，,。.;；!！?？:：…\n]|但是?|而是|可是|只是|就是|然后|结果|所以|因为|而且|还是|就|才|是|的|"
    r"\b(?:but|and|or|so|because|though|although|while|which|it'?s|it is|they are|they'?re)\b"
)
NEGATION_REACH = 8  # characters (Chinese) after the negation word that it still covers
NEGATION_REACH_WORDS = 5  # words (English)
# What is asked is not stated: A-not-A (是不是, 有没有, 剪没剪), 是否, whether, 需要 (what would be needed).
ASKED = re.compile(r"([\u4e00-\u9fff])[不没]\1|是否|有无|能否|可否|需要|\bwhether\b|"
                   r"(?:^|[,.;?!] ?)(?:is|are|was|were) (?:it|this|that|these|those|they)\b")
# Nor is what is supposed (如果, if) — though a place named in a condition is still where the person shops.
SUPPOSED = re.compile(r"如果|假如|要是|万一|\bif\b")
# What the other side says ("商家说是定制款不退", "the seller claims it was used"): their say-so, which the person
# often asks about, not a fact the person states — read so only for facts marked `contested`.
CLAIMED = re.compile(r"(?:卖家|商家|店家|客服|老板|对方|店主|掌柜|商城|他们|他|她|还|又|却|非)(?:说|称|声称|坚称|硬说|非说|表示|认为|咬定)|"
                     r"\b(?:seller|shop|store|they|he|she|service)\b[^,.;]{0,12}?\b(?:says?|said|claims?|claimed|insists?|insisted|told me)\b"
                     r"(?: that)?(?: (?:it'?s|it is|it was|this is|these are|they'?re|they are|i|i'?ve|i have))?")


def negations(text: str) -> list[tuple[int, int]]:
    """Spans of the negation words in `text` (already normalised), false friends left out."""
    return [m.span("neg") for m in NEGATION.finditer(text) if m.lastgroup == "neg"]


def covers(text: str, negation_end: int, target: int, reach: int = NEGATION_REACH, reach_words: int = NEGATION_REACH_WORDS) -> bool:
    """Whether a negation (or a question or condition word) ending at `negation_end` still reaches `target`, a
    later position in `text`: within `reach` characters (Chinese) or `reach_words` words, in the same clause."""
    if target <= negation_end:
        return True
    between = text[negation_end:target]
    end = _SCOPE_END.search(between)
    if end is not None and not (end.group() == "是" and end.start() == 0):
        return False
    if re.search(r"[a-z]", between):
        return len(between.split()) <= reach_words
    return len(between.replace(" ", "")) <= reach
