"""Which side question a message asks, read as the conversation reads it (normalised: traditional script folded)."""
import pytest

from assistant.side_questions import side_question
from assistant.text import normalise


@pytest.mark.parametrize("text, kind", [
    ("要准备什么证据", "evidence"), ("what evidence do I need", "evidence"),
    ("能賠多少", "compensation"), ("how much compensation can I get", "compensation"),
    ("卖家拒绝怎么办", "escalation"), ("去哪里投诉", "escalation"), ("what happens if I lose", "escalation"),
    ("怎么申请", "steps"), ("what should I do", "steps"),
    ("還有幾天", "deadline"), ("how long do I have", "deadline"), ("when is the deadline?", "deadline"),
    ("审核要多久", "duration"), ("how long does the review take", "duration"),
    ("为什么", "basis"), ("有什么法律依据", "basis"), ("why?", "basis"),
    ("能退吗", "verdict"), ("运费谁出", "verdict"), ("can I get my money back?", "verdict"), ("do I have to pay shipping?", "verdict"),
    ("帮我写一下给卖家的话", "draft"), ("帮我写申诉", "draft"), ("write the appeal for me", "draft"), ("怎么跟卖家说", "draft"),
    ("要去哪里申诉", "escalation"), ("其实是我写错了日期", None),
    ("我的快递到了", None), ("好的", None), ("为什么卖家不发货", None),
])
def test_side_question_kinds(text, kind):
    assert side_question(normalise(text)) == kind
