""""帮我写一下给卖家的话", "write the appeal for me": the draft the person asks for, written in the chat from what
the conversation knows — the same templates and the same filling as `weiquan case export`, on a case that lives
only in memory (nothing is stored). Which draft: the one the message names (the seller, the platform, 12315,
the court, an appeal), else the first that fits the person's role and scenario."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .cases import Case, Event, Item

# Which drafts a request names, most specific first; a request that names none gets the first draft that fits.
_NAMED = [
    (re.compile(r"起诉|诉状|法院|court|sue|lawsuit|claim form"), ("civil_complaint",)),
    (re.compile(r"12315|市场监管|工商|regulator"), ("complaint_12315",)),
    (re.compile(r"申诉|appeal"), ("counterfeit_appeal", "ruling_appeal")),
    (re.compile(r"不侵权|counter.?notice"), ("ip_counter_notice",)),
    (re.compile(r"调包|情况说明|statement"), ("return_fraud_statement", "platform_statement")),
    (re.compile(r"平台|小二|介入|客服|platform|intervene"), ("platform_statement", "return_fraud_statement", "counterfeit_appeal")),
    (re.compile(r"买家|拒绝理由|答复|buyer|reply"), ("refund_reply",)),
    (re.compile(r"卖家|商家|店家|seller|shop"), ("seller_message",)),
]


def conversation_case(scenario_id: str, title: str, lang: str, facts: dict[str, Any], evidence, today: dt.date) -> Case:
    """A case as `case export` would read it back, made from the conversation (facts: name → Fact)."""
    stored = {name: (fact.value.isoformat() if isinstance(fact.value, dt.date) else fact.value, fact.source)
              for name, fact in facts.items()}
    now = dt.datetime.combine(today, dt.time()).isoformat()
    return Case("chat", scenario_id, title, lang, "open", now, now, facts=stored, events=[Event(today, "opened", title)],
                checklist=[Item(item.zh, item.en, False) for item in evidence])


def pick(message: str, made: list) -> Any:
    """The draft the message asks for among those `made`; the first one when it names none of them."""
    by_name = {draft.name: draft for draft in made}
    for pattern, names in _NAMED:
        if pattern.search(message):
            found = next((by_name[name] for name in names if name in by_name), None)
            if found is not None:
                return found
    return made[0] if made else None
