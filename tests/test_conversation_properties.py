"""Whatever a person types, in whatever order, the Conversation answers: never an exception, always a reply in a
known state, facts it was given kept unless corrected or taken back."""
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.dialogue import Conversation

TODAY = dt.date(2026, 11, 21)
_ENGINE = []


def conversation():
    """The shipped engine, loaded once (not a fixture: hypothesis would print its whole repr on a failure)."""
    if not _ENGINE:
        from assistant.engine import load_engine
        from conftest import SHIPPED_KB

        _ENGINE.append(load_engine(SHIPPED_KB))
    return Conversation(_ENGINE[0], today=TODAY)
# messages people really send, the interview's control words, and anything at all
PHRASES = [
    "淘宝买的外套不喜欢了想退", "天猫买的东西付款五天了还不发货", "收到的是假货", "我是卖家，买家退回来的是空盒子",
    "不确定", "是", "否", "1", "2", "3", "都不是", "撤销", "/new", "English", "中文", "有什么用", "要准备什么证据",
    "卖家拒绝了怎么办", "11月18号签收的", "昨天", "299", "price=1299", "received_date=2026-11-16", "9999999999天前签收",
    "淘寶買的外套不喜歡了想退", "my parcel never arrived", "not sure", "yes", "undo", "", " ", "？",
]
messages = st.lists(st.one_of(st.sampled_from(PHRASES), st.text(max_size=40)), min_size=1, max_size=8)


@settings(max_examples=150, deadline=None)
@given(messages)
def test_any_sequence_of_messages_gets_a_reply(lines):
    talk = conversation()
    for line in lines:
        turn = talk.send(line)
        assert isinstance(turn.say, str) and turn.say.strip()
        assert turn.lang in ("zh", "en")
        kb = talk.kb
        assert turn.asking in (None, "scenario", "topic") or kb.fact(turn.asking, kb.scenarios.get(turn.scenario or ""))
        assert turn.scenario is None or turn.scenario in kb.scenarios


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(PHRASES), min_size=1, max_size=6))
def test_undo_after_each_message_returns_the_facts_before_it(lines):
    talk = conversation()
    for line in lines:
        if line.strip().lower() in ("撤销", "undo"):
            continue
        before = dict(talk.facts)
        talk.send(line)
        if line.strip():
            talk.undo()
            assert talk.facts == before
            talk.send(line)
