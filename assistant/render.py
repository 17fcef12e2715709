"""Replies → JSON objects (the contract) and → text for people (rich, honouring NO_COLOR)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .reply import Reply

if TYPE_CHECKING:
    from knowledge_base.loader import KnowledgeBase

_LABELS = {
    "zh": {
        "steps": "现在怎么做",
        "evidence": "要准备的证据",
        "escalation": "维权路径",
        "sources": "依据",
        "missing": "要判断你能否维权、期限和赔偿，还需要知道",
        "out_of_scope": "这个问题不在我能处理的范围内。",
        "covers": "我能帮忙的是电商平台售后纠纷：",
        "which": "你的情况更接近哪一种？",
        "pick": "用 --scenario 指定其中一个可以直接看对应的答复。",
        "confidence": {"P": "法条/平台规则原文", "P*": "平台规则（第三方副本）", "S": "二手资料", "SEED": "仅见原始资料", "C": "说法有冲突"},
    },
    "en": {
        "steps": "What to do now",
        "evidence": "Evidence to gather",
        "escalation": "If that fails",
        "sources": "Sources",
        "missing": "To tell you whether you qualify, by when and for how much, I still need",
        "out_of_scope": "That question is outside what I can help with.",
        "covers": "I help with after-sale disputes on Chinese e-commerce platforms:",
        "which": "Which of these is closer to your situation?",
        "pick": "Use --scenario with one of them to see its answer directly.",
        "confidence": {"P": "primary text", "P*": "platform rule (copy)", "S": "secondary source", "SEED": "seed pages only", "C": "sources conflict"},
    },
}


def answer_json(kb: "KnowledgeBase", reply: Reply) -> dict[str, Any] | None:
    if reply.scenario is None:
        return None
    scenario = kb.scenarios[reply.scenario]
    lang = reply.lang
    return {
        "title": scenario.title.get(lang),
        "summary": scenario.summary.get(lang),
        "steps": [step.get(lang) for step in scenario.steps],
        "evidence": [item.get(lang) for item in scenario.evidence],
        "escalation": [item.get(lang) for item in scenario.escalation],
        "sources": [
            {"title": s.title.get(lang), "ref": s.ref, "url": s.url, "confidence": s.confidence}
            for s in scenario.sources
        ],
    }


def say(kb: "KnowledgeBase", reply: Reply) -> str:
    """The one sentence a person reads first."""
    labels = _LABELS[reply.lang]
    if reply.error:
        return reply.error
    if reply.scenario is None:
        separator = "；" if reply.lang == "zh" else "; "
        covered = separator.join(s.title.get(reply.lang) for s in kb.scenarios.values())
        return f"{labels['out_of_scope']} {labels['covers']} {covered}"
    if reply.ambiguous:
        options = " / ".join(kb.scenarios[c.id].title.get(reply.lang) for c in reply.candidates)
        return f"{labels['which']} {options}"
    return kb.scenarios[reply.scenario].title.get(reply.lang)


def reply_json(kb: "KnowledgeBase", reply: Reply) -> dict[str, Any]:
    data: dict[str, Any] = {
        "query": reply.query,
        "scenario": reply.scenario,
        "score": round(reply.score, 4),
        "candidates": [{"id": c.id, "score": round(c.score, 4)} for c in reply.candidates],
        "lang": reply.lang,
        "say": say(kb, reply),
        "answer": answer_json(kb, reply),
        "facts": {name: fact.as_json() for name, fact in reply.facts.items()},
        "missing_facts": reply.missing_facts,
        "verdict": reply.verdict,
    }
    if reply.error:
        data["error"] = reply.error
    return data


def fact_label(kb: "KnowledgeBase", name: str, lang: str, scenario_id: str | None) -> str:
    scenario = kb.scenarios.get(scenario_id) if scenario_id else None
    definition = kb.fact(name, scenario)
    return definition.label.get(lang) if definition else name


def print_reply(console, kb: "KnowledgeBase", reply: Reply) -> None:
    """Human-readable answer on a rich Console."""
    from rich.markup import escape

    labels = _LABELS[reply.lang]
    if reply.error:
        console.print(f"[bold red]{escape(reply.error)}[/]")
        return
    if reply.scenario is None:
        console.print(f"[bold]{escape(labels['out_of_scope'])}[/]")
        console.print(escape(labels["covers"]))
        for scenario in kb.scenarios.values():
            console.print(f"  • {escape(scenario.title.get(reply.lang))}")
        return
    if reply.ambiguous:
        console.print(f"[bold yellow]{escape(labels['which'])}[/]")
        for candidate in reply.candidates:
            title = kb.scenarios[candidate.id].title.get(reply.lang)
            console.print(f"  • {escape(title)}  [dim]--scenario {candidate.id}[/]")
        console.print(f"[dim]{escape(labels['pick'])}[/]\n")
    answer = answer_json(kb, reply)
    console.print(f"[bold cyan]{escape(answer['title'])}[/]  [dim]({reply.scenario} · {reply.score:.2f})[/]")
    console.print(escape(answer["summary"]))
    sections = (("steps", "{n}. "), ("evidence", "• "), ("escalation", "{n}. "))
    for key, bullet in sections:
        console.print(f"\n[bold]{escape(labels[key])}[/]")
        for n, item in enumerate(answer[key], 1):
            console.print(f"  {bullet.format(n=n)}{escape(item)}")
    console.print(f"\n[bold]{escape(labels['sources'])}[/]")
    for source in answer["sources"]:
        mark = labels["confidence"][source["confidence"]]
        console.print(f"  • {escape(source['title'])} [dim][{escape(mark)}][/]")
    if reply.facts:
        known = ", ".join(
            f"{fact_label(kb, n, reply.lang, reply.scenario)}={f.as_json()['value']}" for n, f in reply.facts.items()
        )
        console.print(f"\n[dim]{escape(known)}[/]")
    if reply.missing_facts:
        wanted = ", ".join(fact_label(kb, n, reply.lang, reply.scenario) for n in reply.missing_facts)
        console.print(f"\n[yellow]{escape(labels['missing'])}:[/] {escape(wanted)}")
