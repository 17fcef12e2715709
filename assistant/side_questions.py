"""What a person asks in the middle of an interview or once there is a verdict, besides answering: the evidence,
what if the other side refuses, the money, the deadline, what to do, why. Read on the normalised message (lower
case, simplified: 為什麼 reads as 为什么); the conversation answers each kind from the scenario and the verdict."""
from __future__ import annotations

import re

# "why do you ask?" — only while a question is open (afterwards a bare "why" asks what the answer rests on)
WHY_ASKED = re.compile(r"有什么用|有啥用|为什么问|为什么要|为啥要|干嘛|什么意思|^(?:为什么|为啥)[?？]*$|why do you|why does it|"
                       r"what(?:'s| is) (?:it|that) for|why (?:ask|is that)|what does (?:it|that) mean|^why\??$")

# First match wins, so the order matters: "卖家拒绝怎么办" is escalation before it is steps, "how long do I have"
# a deadline before it is a duration.
_KINDS = [
    # "帮我写申诉" / "write the complaint for me" is a draft before it is an appeal or a complaint
    ("draft", r"(?:写|起草|草拟|拟)(?:一?[下个份封段条])?[^，。？?!！]{0,12}?(?:消息|的话|话术|信|申诉|投诉|说明|声明|答复|回复|诉状|文书|模板|理由)|"
              r"怎么(?:跟|和|对|给)(?:卖家|商家|客服|买家|平台)说|该怎么说|"
              r"\b(?:write|draft|compose)\b.{0,30}\b(?:message|appeal|statement|complaint|letter|reply|email|text|notice)|"
              r"what (?:should|do) i (?:say|write) to|how (?:should|do) i (?:word|phrase)"),
    ("evidence", r"证据|材料|准备什么|要什么|截图|凭证|evidence|proof|documents?|what (?:do|should) i (?:need|prepare|gather)"),
    ("compensation", r"赔多少|赔偿|能赔|赔钱|补偿|索赔|几倍|三倍|十倍|假一赔|compensat|damages|punitive|"
                     r"how much (?:can|could|will|do|would) i (?:get|claim|receive)"),
    ("escalation", r"拒绝|不理|不处理|不同意|不接受|不配合|不退|然后呢|下一步|怎么升级|投诉|举报|12315|消协|起诉|输了|判输|败诉|"
                   r"(?:去|在|到)?哪(?:里|儿)?(?:申诉|维权)|"
                   r"refus|ignor|won'?t|what if|what next|next step|escalat|complain|report (?:it|them|the seller)|sue|"
                   r"if i lose|lose the|i lost"),
    ("steps", r"怎么做|怎么办|怎么操作|步骤|怎么申请|如何申请|在哪申请|在哪里申请|怎么弄|what (?:should|do) i do|how do i|"
              r"how (?:to|can i) (?:apply|do it)|where do i apply"),
    ("deadline", r"还有几天|还剩几天|几天内|截止|最晚|期限|什么时候前|什么时候之前|来得及|来不来得及|deadline|how long do i have|"
                 r"how many days|by when|time limit|too late|still in time"),
    ("duration", r"多久|多长时间|几天能|how long"),  # how long the platform takes
    ("basis", r"^(?:为什么|为啥|凭什么)[?？。!！]*$|依据|根据什么|哪条法|什么法|法律规定|^why\??$|on what basis|which law|"
              r"what law|legal basis"),
    # asked again in other words: the verdict once more (it says what can be had, by when, who pays the postage)
    ("verdict", r"能退吗|能不能退|可以退吗|能退款吗|能不能|可不可以|可以吗|行不行|结论|结果是|运费|邮费|换新|换货|能换吗|钱能退|退钱吗|"
                r"can i (?:return|still|get a refund)|money back|am i (?:eligible|entitled)|do i qualify|who pays|"
                r"what'?s the answer|shipping (?:cost|fee)|postage|pay (?:for )?(?:the )?(?:return )?shipping"),
]
_PATTERNS = [(kind, re.compile(pattern)) for kind, pattern in _KINDS]


def side_question(normalised: str) -> str | None:
    """The kind of side question the message asks, or None when it asks none of them."""
    return next((kind for kind, pattern in _PATTERNS if pattern.search(normalised)), None)
