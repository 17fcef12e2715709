"""Messages that are not about the dispute at all: a greeting, thanks, an "OK", a goodbye, "help" or "who are you",
"what's the date today". People open a chat with "在吗" and close it with "谢谢"; matched as a question, "你好" was
offered two scenarios to choose from, "今天几号" a switch to late shipment."""
from __future__ import annotations

import re

from .text import normalise

# Whole words only, after normalising (traditional script and full width folded): "你好，我在淘宝买的…" is a question.
_WORDS = {
    "thanks": r"谢谢你|谢谢您|谢谢|谢了|谢啦|多谢|感谢|非常感谢|(?:thanks|thank you|thank u)(?: (?:so much|very much|a lot))?|many thanks|thx|ty|cheers",
    "bye": r"再见|拜拜|回头见|bye|goodbye|bye bye|see you",  # not 88: it may be a price
    "hello": r"你好|您好|你好吗|哈喽|嗨|在吗|在么|在嘛|在不在|有人吗|有人在吗|亲|亲亲|早上好|下午好|晚上好|(?:hi|hello|hey)(?: there)?|hiya|"
             r"good (?:morning|afternoon|evening)|anyone there|are you there|how are you(?: doing)?|how'?s it going",
    "ok": r"好的|好滴|好吧|好|行|嗯|嗯嗯|哦|噢|喔|知道了|明白了|明白|懂了|了解|收到|ok|okay|k|got it|i see|understood|"
          r"alright|all right|great|cool|nice",
    "help": r"帮助|求助|怎么用|你是谁|你是什么|你能做什么|你会什么|你能干什么|能做什么|help|who are you|what are you|"
            r"what can you do|how does (?:this|it) work|how do i use (?:this|it)",
    # the day deadlines count from is China's: said plainly, at 01:00 in Europe "yesterday" is not what it seems
    "today": r"今天(?:是)?(?:几号|几月几号|几月几日|星期几|礼拜几|周几|什么日子|的日期)|现在几号|今天日期|"
             r"what(?:'s| is) (?:the )?(?:date|day)(?: today)?|what day is (?:it|today)|today'?s date",
}
_ORDER = ("thanks", "bye", "hello", "help", "today", "ok")  # "好的谢谢" is thanks; "你好在吗" a greeting
_PARTICLES = "啊呀啦呢哦喔嘛哈的了"
_ANY = "|".join(f"(?P<{kind}>{words})" for kind, words in _WORDS.items())
_MESSAGE = re.compile(rf"(?:(?:{_ANY})[{_PARTICLES}]*[\W_]*)+", re.I)
_PIECE = re.compile(rf"(?:{_ANY})[{_PARTICLES}]*[\W_]*", re.I)


def small_talk(text: str) -> str | None:
    """'thanks', 'bye', 'hello', 'help', 'today' or 'ok' when the whole message is only that; otherwise None."""
    normalised = normalise(text).strip()
    if not normalised or _MESSAGE.fullmatch(normalised) is None:
        return None
    kinds = {kind for piece in _PIECE.finditer(normalised) for kind, found in piece.groupdict().items() if found}
    return next(kind for kind in _ORDER if kind in kinds)
