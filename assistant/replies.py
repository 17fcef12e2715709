"""What the assistant says in its own words (not the knowledge base's), in Chinese and English, and in the
person's script: a person who writes traditional characters is answered in traditional characters."""
from __future__ import annotations

from .text import to_traditional

TEXT = {
    "zh": {
        "greeting": "你好，我是维权助手。说说遇到了什么问题：在哪个平台、买了什么、现在卡在哪一步。",
        "empty": "请输入你的问题。",
        "which": "你的情况更接近哪一种？",
        "near_miss": "我不确定这是不是我能处理的售后纠纷。如果你遇到的是下面的情况，回复编号；不是的话，换个说法讲讲出了什么问题：",
        "bad_choice": "没有看懂这个选择，请回复选项编号或名称。",
        "none_of_these": "都不是",
        "rephrase": "好的。能换个说法再讲讲吗？比如在哪个平台买的、出了什么问题、卖家怎么说的。",
        "unsure_all": "要判断你能否维权、截止日期和赔偿，还需要知道：{facts}。可以在订单详情页找到这些信息，找到后直接告诉我。",
        "corrected": "已更新：{facts}。",
        "role_noted": "好的，你是{role}。",
        "restart": "好的，重新开始。说说你遇到的问题。",
        "lang": "好的，之后用中文回复。",
        "evidence": "需要准备的证据：",
        "escalation": "如果卖家拒绝或不处理，可以按这个顺序升级：",
        "escalation_seller": "如果对方不接受、或平台的处理对你不利，可以按这个顺序应对：",
        "steps": "现在怎么做：",
        "no_case": "先告诉我遇到了什么问题，我再给出具体的证据清单和处理路径。",
        "not_sure_hint": "（也可以回答“不确定”）",
        "bad_enum": "“{value}”不是可选的答案，请回复编号或选项。",
        "bad_date": "“{value}”不是能识别的日期（例如 2026-11-16、11月16号、昨天、3天前）。",
        "future_date": "{value} 在今天（{today}）之后，请再确认一下日期。",
        "bad_number": "“{value}”不是能用的金额，请直接回复数字，例如 299 或 2.5万。",
        "bad_boolean": "请回答“是”或“否”（也可以说“不确定”）。",
        "why": "问这个是因为：{why}",
        "why_generic": "“{label}”会影响能否维权、截止日期或赔偿的判断。",
        "resume": "回到刚才的问题：",
        "new_topic": "这听起来是另一个问题：「{title}」。要换到这个话题吗？已经告诉我的平台、日期等信息会保留。",
        "yes": "是",
        "no": "否",
        "kept_topic": "好的，继续刚才的问题。",
        "switched_role": "你是{role}的话，情况更接近：",
        "stand_in": "不确定{fact}的话，{stand_in}也行：",
        "stand_in_used": "按{stand_in}（{date}）计算：{fact}只会更晚，所以这是最保险的日期；知道{fact}后告诉我，日期会更准。",
        "no_date": "不知道{fact}，只能先按今天算：实际每早一天，截止日期也早一天，请尽快行动；知道后告诉我。",
        "undone": "已撤销上一步。",
        "nothing_to_undo": "没有可以撤销的了。",
        "not_understood": "没有看懂。可以问“要准备什么证据”“卖家拒绝怎么办”，直接更正信息（例如“11月16号签收的”），或者输入 /new 开始新的问题。",
        "role_buyer": "买家",
        "role_seller": "卖家",
    },
    "en": {
        "greeting": "Hi, I'm weiquan. Tell me what went wrong: which platform, what you bought, and where things are stuck.",
        "empty": "Please type your question.",
        "which": "Which of these is closer to your situation?",
        "near_miss": "I'm not sure this is an after-sale dispute I can help with. If it is one of these, reply with its number; if not, tell me in other words what went wrong:",
        "bad_choice": "I didn't understand that choice; reply with its number or name.",
        "none_of_these": "None of these",
        "rephrase": "OK. Could you tell me again in other words — where you bought it, what went wrong, what the seller said?",
        "unsure_all": "To tell whether you qualify, by when and for how much, I still need: {facts}. You can find them on the order page — tell me when you have them.",
        "corrected": "Updated: {facts}.",
        "role_noted": "Noted: you are the {role}.",
        "restart": "OK, let's start over. What went wrong?",
        "lang": "OK, I'll answer in English from now on.",
        "evidence": "Evidence to gather:",
        "escalation": "If the seller refuses or ignores you, escalate in this order:",
        "escalation_seller": "If the other side does not accept it, or the platform decides against you, take it further in this order:",
        "steps": "What to do now:",
        "no_case": "Tell me what happened first, then I can give you the evidence list and the route.",
        "not_sure_hint": "(you can also answer \"not sure\")",
        "bad_enum": "\"{value}\" is not one of the choices; reply with its number or name.",
        "bad_date": "\"{value}\" is not a date I can read (e.g. 2026-11-16, Nov 16, yesterday, 3 days ago).",
        "future_date": "{value} is after today ({today}); please check the date.",
        "bad_number": "\"{value}\" is not an amount I can use; reply with just the number, e.g. 299.",
        "bad_boolean": "Please answer yes or no (or \"not sure\").",
        "why": "I ask because: {why}",
        "why_generic": "\"{label}\" decides whether you qualify, by when, or for how much.",
        "resume": "Back to my question:",
        "new_topic": "That sounds like a different question: \"{title}\". Switch to it? What you told me (platform, dates …) is kept.",
        "yes": "Yes",
        "no": "No",
        "kept_topic": "OK, let's go on with the question before.",
        "switched_role": "As the {role}, your situation is closer to:",
        "stand_in": "If you're not sure of the {fact}, the {stand_in} will do:",
        "stand_in_used": "Counted from the {stand_in} ({date}): the {fact} can only be later, so this is the safe date; tell me the {fact} when you have it for the exact one.",
        "no_date": "Without the {fact} I can only count from today: every day it was earlier moves the deadline a day earlier, so act soon, and tell me when you know it.",
        "undone": "Undone.",
        "nothing_to_undo": "There is nothing to undo.",
        "not_understood": "I didn't understand. You can ask \"what evidence do I need\" or \"what if the seller refuses\", correct a fact (e.g. \"I received it on Nov 16\"), or type /new to start a new question.",
        "role_buyer": "buyer",
        "role_seller": "seller",
    },
}


def in_script(text: str, script: str) -> str:
    """Chinese text in the person's script: 'Hant' converts simplified to traditional, anything else leaves it."""
    return to_traditional(text) if script == "Hant" and text else text


def say(lang: str, key: str, **values) -> str:
    return TEXT[lang][key].format(**values)
