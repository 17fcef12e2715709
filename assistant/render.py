"""Turns and verdicts → JSON objects (the contracts) and → text for people (plain lines, or rich)."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from knowledge_base.conditions import may_hold, parse

from .text import SPACE_IN_HAN

if TYPE_CHECKING:
    from knowledge_base.model import KnowledgeBase

    from .dialogue import Turn
    from .eligibility import Verdict

_LABELS = {
    "zh": {
        "steps": "现在怎么做",
        "sure": "把握",
        "topic": "情形：{title}",
        "evidence": "要准备的证据",
        "escalation": "维权路径",
        "sources": "依据",
        "missing": "要判断你能否维权、期限和赔偿，还需要知道",
        "continue": "（要回答上面的问题，请用 weiquan chat 继续；也可以把答案写进问题里再问一次。）",
        "out_of_scope": "这个问题不在我能处理的范围内。",
        "covers": "我能帮忙的是电商平台售后纠纷：",
        "deadline": "截止",
        "opens": "可以开始",
        "left": "还剩 {n} 天",
        "left_working": "还剩 {n} 个工作日",
        "today": "就是今天",
        "passed": "已过 {n} 天",
        "calendar": "日历日",
        "working": "工作日",
        "clock_event": "（与事件发生时的钟点相同）",
        "compensation": "赔偿（退款之外）",
        "points": "（以积分支付）",
        "form_unknown": "（以现金还是积分支付未核实）",
        "at_least": "至少 ¥{amount:g}",
        "no_price": "按下列标准计算（告诉我实付金额就能算出具体数额）",
        "yes": "是",
        "no": "否",
        "next": "下一步",
        "colon": "：",  # full width and no space: Chinese text after it wraps on the same line
        "assuming": "前提",
        "if_not": "如果{fact}为“{value}”：{title}",
        "still": "仍然可以",
        "platform_first": "⚠ 平台自己的时限到 {date} 为止：订单里的申请入口可能那时就关闭，最好在这之前申请。",
        "platform_closed": "⚠ 平台自己的时限已于 {date} 结束，订单里的申请入口可能已关闭：直接在聊天里向卖家提出（截图保存），卖家不同意再投诉。",
        "estimated": "⚠ 期限跨越尚未公布官方放假安排的年份，只按周末和日期固定的法定节日估算（调休和农历节日未计），请以官方通知为准。",
        "status": {"eligible": "✅ 可以", "not_yet": "⏳ 还不能", "window_passed": "⌛ 期限已过", "not_eligible": "✖ 不符合", "excluded": "⛔ 不适用"},
        "confidence": {"P": "法条/平台规则原文", "P*": "平台规则（第三方副本）", "S": "二手资料", "SEED": "仅见非官方资料", "C": "说法有冲突"},
        "route": {"negotiation": "与对方协商", "platform": "平台", "12315": "12315/市场监管", "consumer_association": "消费者协会", "court": "法院", "police": "公安"},
    },
    "en": {
        "steps": "What to do now",
        "sure": "confidence",
        "topic": "Scenario: {title}",
        "evidence": "Evidence to gather",
        "escalation": "If that fails",
        "sources": "Sources",
        "missing": "To tell you whether you qualify, by when and for how much, I still need",
        "continue": "(To answer the question above, continue in `weiquan chat`, or ask again with the answer in your question.)",
        "out_of_scope": "That question is outside what I can help with.",
        "covers": "I help with after-sale disputes on Chinese e-commerce platforms:",
        "deadline": "Deadline",
        "opens": "Opens",
        "left": ("{n} day left", "{n} days left"),
        "left_working": ("{n} working day left", "{n} working days left"),
        "today": "that is today",
        "passed": ("{n} day ago", "{n} days ago"),
        "calendar": "calendar days",
        "working": "working days",
        "clock_event": " (at the same time of day as the event)",
        "compensation": "Compensation (beyond the refund)",
        "points": " (paid as points)",
        "form_unknown": " (whether in cash or points is not verified)",
        "at_least": "at least ¥{amount:g}",
        "no_price": "by the bases below (tell me the price paid for the exact amount)",
        "yes": "yes",
        "no": "no",
        "next": "Next",
        "colon": ": ",
        "assuming": "Assuming",
        "if_not": "If {fact} is \"{value}\": {title}",
        "still": "Still possible",
        "platform_first": "⚠ The platform's own clock ends {date}: the order's request button may close then, so apply before it.",
        "platform_closed": "⚠ The platform's own clock ended {date} and the order's request button may be gone: ask the seller in the chat (keep screenshots), and complain if it refuses.",
        "estimated": "⚠ The period runs into a year whose official holiday schedule is not known yet; only weekends and the holidays on fixed dates were counted (not make-up working days or the lunar holidays) — check the official notice.",
        "status": {"eligible": "✅ Yes", "not_yet": "⏳ Not yet", "window_passed": "⌛ Window passed", "not_eligible": "✖ Not eligible", "excluded": "⛔ Excluded"},
        "confidence": {"P": "primary text", "P*": "platform rule (copy)", "S": "secondary source", "SEED": "unofficial pages only", "C": "sources conflict"},
        "route": {"negotiation": "negotiation", "platform": "platform", "12315": "12315 / market regulator", "consumer_association": "consumers' association", "court": "court", "police": "police"},
    },
}


def labels(lang: str) -> dict:
    return _LABELS[lang]


def say_out_of_scope(kb: "KnowledgeBase", lang: str) -> str:
    text = _LABELS[lang]
    separator, space = ("；", "") if lang == "zh" else ("; ", " ")
    return f"{text['out_of_scope']}{space}{text['covers']}{space}" + separator.join(s.title.get(lang) for s in kb.scenarios.values()) + ("。" if lang == "zh" else ".")


_condition = lru_cache(maxsize=None)(parse)


_APPLICABLE: dict[int, tuple[Sequence, tuple[str, ...], dict]] = {}  # id(items) → (items, names read, key → shown)
_UNKNOWN = object()  # a fact not known, in those keys


def applicable(items: Sequence, facts: Mapping[str, Any]) -> list:
    """The steps or sources the known facts do not rule out: a Taobao rule is not shown to a buyer on Pinduoduo,
    the food law not for a power bank; while a fact is unknown its items stay. Remembered per list and per value
    of the few facts its conditions read (evaluating them for every answer was a tenth of a batch question)."""
    kept = _APPLICABLE.get(id(items))
    if kept is None or kept[0] is not items:  # the knowledge base's own lists; a reloaded one replaces its entry
        names = tuple(sorted({name for item in items if item.when for name in _condition(item.when).names}))
        kept = _APPLICABLE[id(items)] = (items, names, {})
    key = tuple(facts.get(name, _UNKNOWN) for name in kept[1])
    shown = kept[2].get(key)
    if shown is None:
        shown = kept[2][key] = [item for item in items if item.when is None or may_hold(_condition(item.when), facts)]
    return list(shown)


def fact_values(facts: Mapping[str, Any]) -> dict[str, Any]:
    """A turn's facts (with where each came from) as plain values."""
    return {name: fact.value for name, fact in facts.items()}


def answer_json(kb: "KnowledgeBase", scenario_id: str | None, lang: str, facts: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
    """The scenario's guidance; `facts` (plain values) leave out the steps and sources they rule out."""
    if scenario_id is None:
        return None
    scenario = kb.scenarios[scenario_id]
    facts = facts or {}
    return {
        "title": scenario.title.get(lang),
        "summary": scenario.summary.get(lang),
        "steps": [step.get(lang) for step in applicable(scenario.steps, facts)],
        "evidence": [item.get(lang) for item in scenario.evidence],
        "escalation": [item.get(lang) for item in scenario.escalation],
        "sources": [
            {"title": s.title.get(lang), "ref": s.ref, "url": s.url, "confidence": s.confidence}
            for s in applicable(scenario.sources, facts)
        ],
    }


# ------------------------------------------------------------------ verdicts


def _deadline_json(result, lang: str) -> dict:
    return {
        "label": result.label.get(lang),
        "date": result.date.isoformat(),
        "count": result.count,
        "kind": result.kind,
        "estimated": result.estimated,
        "clock": result.clock,
    }


def verdict_json(kb: "KnowledgeBase", scenario, verdict: "Verdict | None", lang: str) -> dict | None:
    if verdict is None:
        return None
    outcome = verdict.outcome
    chosen = verdict.deadline
    best = verdict.compensation
    evidence = outcome.evidence or scenario.evidence
    return {
        "status": verdict.status,
        "route": outcome.route,
        "deadline": chosen.date.isoformat() if chosen else None,
        "deadline_count": chosen.count if chosen else None,
        "deadline_estimated": bool(chosen and chosen.estimated),
        "opens": verdict.opens.date.isoformat() if verdict.opens else None,
        "compensation": (
            {"amount": best.amount, "currency": "CNY", "basis": best.id, "label": best.label.get(lang), "form": best.form,
             "at_least": best.at_least}
            if best
            else None
        ),
        "evidence": [item.get(lang) for item in evidence],
        "next_action": outcome.next_action.get(lang),
        "escalation": [item.get(lang) for item in scenario.escalation],
        "title": outcome.title.get(lang),
        "deadlines": [_deadline_json(d, lang) for d in verdict.deadlines],
        "opens_detail": _deadline_json(verdict.opens, lang) if verdict.opens else None,
        "compensation_bases": [
            {"basis": b.id, "label": b.label.get(lang), "amount": b.amount, "currency": "CNY", "form": b.form,
             "route": b.route, "confidence": b.confidence, "at_least": b.at_least}
            for b in verdict.bases
        ],
        "still_possible": [item.get(lang) for item in outcome.still_possible],
        "assumptions": [
            {"fact": a.fact, "value": a.value, "text": a.condition.get(lang) if a.condition else None} for a in verdict.assumed
        ],
        "alternatives": [
            {"fact": a.fact, "value": a.value, "status": a.status, "title": a.title.get(lang)} for a in verdict.alternatives
        ],
    }


def value_label(definition, value: Any, lang: str) -> str:
    """A fact's value as a person reads it: 是/否, a choice's label, a date."""
    if isinstance(value, bool):
        return _LABELS[lang]["yes" if value else "no"]
    if definition is not None and definition.choices:
        for choice in definition.choices:
            if choice.value == value:
                return choice.label.get(lang)
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _countdown(day: dt.date, today: dt.date, count: str, lang: str, calendar=None) -> str:
    text = _LABELS[lang]
    days = (day - today).days
    if days < 0:
        return _count(text["passed"], -days)
    if days == 0:
        return text["today"]
    if count == "working" and calendar is not None:
        return _count(text["left_working"], calendar.working_days_between(today, day))
    return _count(text["left"], days)


def _count(form, n: int) -> str:
    """"{n} …" with the noun in the singular for one, where the language has one (English)."""
    if isinstance(form, tuple):
        form = form[0] if n == 1 else form[1]
    return form.format(n=n)


def _when(result, lang: str) -> str:
    text = _LABELS[lang]
    clock = " 24:00" if result.clock == "24:00" else (text["clock_event"] if result.clock == "event" else "")
    return f"{result.date.isoformat()}{clock}"


def _money(basis, text: dict) -> str:
    return text["at_least"].format(amount=basis.amount) if basis.at_least else f"¥{basis.amount:g}"


def verdict_lines(kb: "KnowledgeBase", scenario, verdict: "Verdict", lang: str, today: dt.date, calendar=None) -> list[str]:
    """The verdict as plain lines, in the order a person needs them."""
    text = _LABELS[lang]
    outcome = verdict.outcome
    status = outcome.label.get(lang) if outcome.label else text["status"][verdict.status]  # a seller's own wording
    lines = [f"{status} — {outcome.title.get(lang)}"]
    lines += deadline_lines(verdict, lang, today, calendar)
    lines += compensation_lines(verdict, lang)
    lines.append(f"{text['next']}{text['colon']}{outcome.next_action.get(lang)}")
    for assumption in verdict.assumed:
        if assumption.condition:
            condition = assumption.condition.get(lang)
            said = condition.lower().startswith(("assuming", "provided", "假设", "前提"))  # no "Assuming: assuming …"
            lines.append(condition[:1].upper() + condition[1:] if said else f"{text['assuming']}{text['colon']}{condition}")
        else:
            definition = kb.fact(assumption.fact, scenario)
            label = definition.label.get(lang) if definition else assumption.fact
            lines.append(f"{text['assuming']}{text['colon']}{label} = {value_label(definition, assumption.value, lang)}")
    for alternative in verdict.alternatives:
        definition = kb.fact(alternative.fact, scenario)
        fact = definition.label.get(lang) if definition else alternative.fact
        lines.append(text["if_not"].format(fact=fact, value=value_label(definition, alternative.value, lang), title=alternative.title.get(lang)))
    if outcome.still_possible:
        lines.append(f"{text['still']}:")
        lines += [f"  · {item.get(lang)}" for item in outcome.still_possible]
    if any(d.estimated for d in verdict.deadlines):
        lines.append(text["estimated"])
    return lines


def deadline_lines(verdict: "Verdict", lang: str, today: dt.date, calendar=None) -> list[str]:
    """The last day to act with its countdown and each period behind it, and the first day a route opens."""
    text = _LABELS[lang]
    lines = []
    chosen = verdict.deadline
    if chosen:
        counted_in_words = chosen.count == "working" and calendar is not None and chosen.date > today  # "3 working days left"
        kind = "" if counted_in_words else f", {text[chosen.count]}"
        lines.append(f"{text['deadline']}{text['colon']}{_when(chosen, lang)} ({_countdown(chosen.date, today, chosen.count, lang, calendar)}{kind})")
        if len(verdict.deadlines) > 1:
            lines += [f"  · {d.label.get(lang)}: {_when(d, lang)}" for d in verdict.deadlines]
        else:
            lines.append(f"  · {chosen.label.get(lang)}")
        # the later date counts in law, but a platform's own button closes on its own, earlier, date
        for earlier in (d for d in verdict.deadlines if d.kind == "platform" and d.date < chosen.date):
            key = "platform_closed" if earlier.date < today else "platform_first"
            lines.append(text[key].format(date=_when(earlier, lang)))
    if verdict.opens:
        lines.append(f"{text['opens']}{text['colon']}{_when(verdict.opens, lang)} ({verdict.opens.label.get(lang)})")
    return lines


def compensation_lines(verdict: "Verdict", lang: str) -> list[str]:
    """The money beyond the refund: the largest amount, then each basis (none when the scenario has no basis)."""
    if not verdict.bases:
        return []
    text = _LABELS[lang]
    best = verdict.compensation
    if best is not None:
        form = {"points": text["points"], "unknown": text["form_unknown"]}.get(best.form, "")
        lines = [f"{text['compensation']}{text['colon']}{_money(best, text)}{form}"]
    else:
        lines = [f"{text['compensation']}{text['colon']}{text['no_price']}"]
    for basis in verdict.bases:
        amount = _money(basis, text) if basis.amount is not None else "¥?"
        lines.append(f"  · {amount} — {basis.label.get(lang)} [{text['route'][basis.route]}; {text['confidence'][basis.confidence]}]")
    return lines


def verdict_text(kb, scenario, verdict, lang: str, today: dt.date, calendar=None) -> str:
    return "\n".join(verdict_lines(kb, scenario, verdict, lang, today, calendar))


# ------------------------------------------------------------------ turns


def facts_json(facts: dict) -> dict:
    return {name: fact.as_json() for name, fact in facts.items()}


def in_script(value: Any, turn: "Turn") -> Any:
    """Texts in the person's script: every string in a JSON part converted when they write traditional characters
    (identifiers, dates and amounts are ASCII and stay as they are)."""
    from .replies import in_script as convert

    if turn.lang != "zh" or getattr(turn, "script", "Hans") != "Hant":
        return value
    if isinstance(value, str):
        return convert(value, "Hant")
    if isinstance(value, list):
        return [in_script(item, turn) for item in value]
    if isinstance(value, dict):
        return {key: in_script(item, turn) for key, item in value.items()}
    return value


def topic_line(kb: "KnowledgeBase", turn: "Turn", shown: str | None) -> str | None:
    """For the plain chat: the scenario's title when the conversation reaches one or moves to another (the TUI
    shows it in its title bar; a line-by-line reader would otherwise hear only "哪天签收的？")."""
    scenario = kb.scenarios.get(turn.scenario) if turn.scenario else None
    if scenario is None or turn.scenario == shown or turn.kind in ("clarify", "out_of_scope", "error"):
        return None
    return in_script(_LABELS[turn.lang]["topic"].format(title=scenario.title.get(turn.lang)), turn)


def ask_json(kb: "KnowledgeBase", query: str, turn: "Turn", top: str | None) -> dict[str, Any]:
    """`weiquan ask --json`: the contract of DESIGN.md (plus `say`, `asking` and `choices`)."""
    scenario_id = turn.scenario or top
    scenario = kb.scenarios.get(scenario_id) if scenario_id else None
    data: dict[str, Any] = {
        "query": query,
        "scenario": scenario_id,
        "score": round(turn.score, 4),
        "candidates": [{"id": c.id, "score": round(c.score, 4)} for c in turn.candidates],
        "lang": turn.lang,
        "say": turn.say,
        "answer": in_script(answer_json(kb, scenario_id, turn.lang, fact_values(turn.facts)), turn),
        "facts": facts_json(turn.facts),
        "missing_facts": turn.missing_facts,
        "verdict": in_script(verdict_json(kb, scenario, turn.verdict, turn.lang), turn) if scenario else None,
        "asking": turn.asking,
        "choices": turn.choices,
    }
    if turn.error:
        data["error"] = turn.error
    return data


def chat_json(kb: "KnowledgeBase", turn: "Turn") -> dict[str, Any]:
    """`weiquan chat --plain --json`: one object per reply."""
    scenario = kb.scenarios.get(turn.scenario) if turn.scenario else None
    data = {
        "say": turn.say,
        "scenario": turn.scenario,
        "asking": turn.asking,
        "choices": turn.choices,
        "facts": facts_json(turn.facts),
        "verdict": in_script(verdict_json(kb, scenario, turn.verdict, turn.lang), turn) if scenario else None,
        "lang": turn.lang,
        "missing_facts": turn.missing_facts,
        "candidates": [{"id": c.id, "score": round(c.score, 4)} for c in turn.candidates],
    }
    if turn.error:
        data["error"] = turn.error
    return data


def fact_label(kb: "KnowledgeBase", name: str, lang: str, scenario_id: str | None) -> str:
    scenario = kb.scenarios.get(scenario_id) if scenario_id else None
    definition = kb.fact(name, scenario)
    return definition.label.get(lang) if definition else name


def print_turn(console, kb: "KnowledgeBase", turn: "Turn", *, full: bool = True, hint: bool = True) -> None:
    """Human-readable answer on a rich Console: the reply, and for `ask` the scenario's guidance (`hint`: and where
    a question it ends on can be answered)."""
    from rich.markup import escape

    text = _LABELS[turn.lang]
    style = {"error": "bold red", "out_of_scope": "bold", "clarify": "bold yellow", "question": "yellow"}.get(turn.kind, "")
    if turn.verdict is None or turn.kind != "answer":
        console.print(f"[{style}]{escape(turn.say)}[/]" if style else escape(turn.say))
    if turn.kind == "out_of_scope":
        if hint:
            _print_continue(console, turn)
        return
    scenario_id = turn.scenario or (turn.candidates[0].id if turn.candidates else None)
    if not full or scenario_id is None or turn.kind in ("error",):
        return
    answer = in_script(answer_json(kb, scenario_id, turn.lang, fact_values(turn.facts)), turn)
    text = in_script(text, turn)
    console.print(f"\n[bold cyan]{escape(answer['title'])}[/]  [dim]({escape(text['sure'])} {turn.score:.0%})[/]")
    console.print(escape(answer["summary"]))
    if turn.verdict is not None:
        console.print()
        for n, line in enumerate(turn.say.splitlines()):
            console.print(f"[bold]{escape(line)}[/]" if n == 0 else escape(line))
    for key, bullet in (("steps", "{n}. "), ("evidence", "• "), ("escalation", "{n}. ")):
        if key == "steps" and turn.verdict is not None:
            continue  # a verdict already ends with what to do now
        console.print(f"\n[bold]{escape(text[key])}[/]")
        for n, item in enumerate(answer[key], 1):
            console.print(f"  {bullet.format(n=n)}{escape(item)}")
    console.print(f"\n[bold]{escape(text['sources'])}[/]")
    for source in answer["sources"]:
        console.print("  " + escape(source_line(source["title"], text["confidence"][source["confidence"]], turn.lang)))
    scenario = kb.scenarios.get(scenario_id)
    shown = shown_facts(scenario, turn.facts)
    if shown:
        known = ("，" if turn.lang == "zh" else ", ").join(
            f"{fact_label(kb, n, turn.lang, scenario_id)}{text['colon']}{value_label(kb.fact(n, scenario), f.value, turn.lang)}"
            for n, f in shown.items())
        console.print(f"\n[dim]{escape(in_script(known, turn))}[/]")
    if turn.verdict is None and turn.missing_facts:
        wanted = ("、" if turn.lang == "zh" else ", ").join(fact_label(kb, n, turn.lang, scenario_id) for n in turn.missing_facts)
        console.print(f"\n[yellow]{escape(text['missing'] + text['colon'])}[/]{escape(in_script(wanted, turn))}")
    if hint:
        _print_continue(console, turn)


def _print_continue(console, turn: "Turn") -> None:
    """`ask` answers once: a question or a choice it ends on says where it can be answered."""
    from rich.markup import escape

    if turn.asking:
        console.print(f"\n[dim]{escape(in_script(_LABELS[turn.lang]['continue'], turn))}[/]")


def source_line(title: str, mark: str, lang: str) -> str:
    """A source as one bullet line. Terminals (Rich, Textual) wrap at spaces and move a run too long for the rest
    of the line to the next one: "消费者权益保护法 第2条（为生活消费…）" left the law's name alone on a line.
    Chinese needs no space there, nor after the bullet, so it has none and wraps anywhere."""
    if lang == "zh":
        return f"•{SPACE_IN_HAN.sub('', title)}[{mark}]"
    return f"• {title} [{mark}]"


def shown_facts(scenario, facts: dict) -> dict:
    """The known facts that matter to the scenario (all of them when there is none yet)."""
    if scenario is None:
        return dict(facts)
    from .eligibility import facts_in_play

    in_play = facts_in_play(scenario)
    return {name: fact for name, fact in facts.items() if name in in_play}


def facts_table(kb: "KnowledgeBase", scenario, values: dict[str, Any], lang: str) -> list[str]:
    """Known facts that matter to the scenario as a Markdown table (labels and values as a person reads them)."""
    values = shown_facts(scenario, values)
    if not values:
        return []
    rows = ["| | |", "|---|---|"]
    for name, value in values.items():
        definition = kb.fact(name, scenario)
        label = definition.label.get(lang) if definition else name
        rows.append(f"| {label} | {value_label(definition, value, lang)} |")
    return rows + [""]


def verdict_markdown(kb: "KnowledgeBase", scenario, verdict: "Verdict", lang: str, today: dt.date, calendar=None) -> list[str]:
    """The verdict lines as Markdown: the first as a heading line, the rest kept as separate lines."""
    lines = verdict_lines(kb, scenario, verdict, lang, today, calendar)
    return [f"**{lines[0]}**", ""] + [f"{line.replace('  ·', '  -')}  " for line in lines[1:]] + [""]


def answer_markdown(kb: "KnowledgeBase", turn: "Turn", today: dt.date, calendar=None, ticked: set[int] | None = None) -> str:
    """The current answer as a Markdown document (saved by the TUI, reused for case exports)."""
    text = _LABELS[turn.lang]
    scenario_id = turn.scenario
    if scenario_id is None:
        return f"# weiquan\n\n{turn.say}\n"
    scenario = kb.scenarios[scenario_id]
    facts = fact_values(turn.facts)
    answer = answer_json(kb, scenario_id, turn.lang, facts)
    out = [f"# {answer['title']}", "", answer["summary"], ""]
    out += facts_table(kb, scenario, facts, turn.lang)
    if turn.verdict is not None:
        out += verdict_markdown(kb, scenario, turn.verdict, turn.lang, today, calendar)
        evidence = turn.verdict.outcome.evidence or scenario.evidence
    else:
        out += [turn.say, ""]
        evidence = scenario.evidence
    out.append(f"## {text['evidence']}")
    out += [f"- [{'x' if ticked and n in ticked else ' '}] {item.get(turn.lang)}" for n, item in enumerate(evidence)]
    out += ["", f"## {text['steps']}"] + [f"{n}. {s}" for n, s in enumerate(answer["steps"], 1)]
    out += ["", f"## {text['escalation']}"] + [f"{n}. {s}" for n, s in enumerate(answer["escalation"], 1)]
    out += ["", f"## {text['sources']}"]
    for source in answer["sources"]:
        link = f" <{source['url']}>" if source["url"] else ""
        out.append(f"- {source['title']} ({text['confidence'][source['confidence']]}){link}")
    return "\n".join(out) + "\n"
