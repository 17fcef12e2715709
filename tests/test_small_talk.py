"""Which messages are small talk: only a whole message of greetings, thanks, "OK", goodbye, "help" or "what's the
date", in any script."""
import pytest

from assistant.small_talk import small_talk


@pytest.mark.parametrize("text, kind", [
    ("你好", "hello"), ("您好！", "hello"), ("在嗎？", "hello"), ("亲，在吗", "hello"), ("Hello there!", "hello"),
    ("谢谢", "thanks"), ("謝謝你", "thanks"), ("好的，谢谢！", "thanks"), ("ok thanks", "thanks"), ("Thank you so much", "thanks"),
    ("好的", "ok"), ("嗯嗯", "ok"), ("OK.", "ok"), ("got it", "ok"),
    ("拜拜~", "bye"), ("Goodbye", "bye"), ("how are you?", "hello"),
    ("help", "help"), ("你是谁？", "help"), ("你能做什么", "help"), ("What can you do?", "help"),
    ("今天几号", "today"), ("今天星期幾？", "today"), ("what's the date today", "today"),
])
def test_small_talk_kinds(text, kind):
    assert small_talk(text) == kind


@pytest.mark.parametrize("text", [
    "你好，我在淘宝买的东西没收到", "在吗 我的快递呢", "好的，那卖家不同意怎么办", "好坑", "好评返现", "hi, my parcel never came",
    "88", "299", "", "   ", "help me the seller refuses to refund", "今天几号签收的", "今天签收的", "?",
])
def test_a_question_or_an_answer_is_not_small_talk(text):
    assert small_talk(text) is None
