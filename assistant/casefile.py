"""A case read through the knowledge base: its verdict and deadlines today, what is due, and the Markdown
export with drafts (message to the seller, intervention statement, appeal, 12315 complaint)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from string import Template
from typing import Any

from .eligibility import Evaluation, Evaluator
from .render import answer_json, facts_table, labels, value_label, verdict_json, verdict_markdown


def typed_facts(kb, case) -> dict[str, Any]:
    """Stored JSON values back to their fact types (dates are stored as ISO text)."""
    scenario = kb.scenarios[case.scenario]
    out = {}
    for name, (value, _source) in case.facts.items():
        definition = kb.fact(name, scenario)
        if definition is not None and definition.type == "date" and isinstance(value, str):
            value = dt.date.fromisoformat(value)
        out[name] = value
    return out


def evaluate_case(kb, case, today: dt.date, evaluator: Evaluator | None = None) -> Evaluation:
    evaluator = evaluator or Evaluator(kb)
    return evaluator.evaluate(kb.scenarios[case.scenario], typed_facts(kb, case), today)


def due(kb, cases, today: dt.date, within: int) -> list[dict]:
    """Deadlines (and dates when a route opens) of open cases from today to today+within, soonest first."""
    evaluator = Evaluator(kb)
    calendar = evaluator.calendar
    rows = []
    for case in cases:
        if case.status != "open" or case.scenario not in kb.scenarios:
            continue
        verdict = evaluate_case(kb, case, today, evaluator).verdict
        if verdict is None:
            continue
        dated = [("deadline", d) for d in verdict.deadlines] + ([("opens", verdict.opens)] if verdict.opens else [])
        for kind, item in dated:
            left = (item.date - today).days
            if 0 <= left <= within:
                rows.append({
                    "case": case.id, "title": case.title, "scenario": case.scenario, "kind": kind,
                    "label": item.label.get(case.lang), "date": item.date.isoformat(), "count": item.count,
                    "days_left": left, "working_days_left": calendar.working_days_between(today, item.date),
                    "estimated": item.estimated,
                })
    return sorted(rows, key=lambda r: (r["date"], r["case"]))


def case_json(kb, case, today: dt.date) -> dict:
    scenario = kb.scenarios.get(case.scenario)
    evaluation = evaluate_case(kb, case, today) if scenario else None
    return {
        "id": case.id, "title": case.title, "scenario": case.scenario, "status": case.status, "lang": case.lang,
        "created": case.created, "updated": case.updated,
        "facts": {name: {"value": value, "source": source} for name, (value, source) in case.facts.items()},
        "timeline": [{"date": e.date.isoformat(), "kind": e.kind, "note": e.note} for e in case.events],
        "evidence": _evidence(kb, case, evaluation),
        "verdict": verdict_json(kb, scenario, evaluation.verdict, case.lang) if evaluation else None,
        "missing_facts": evaluation.missing if evaluation else [],
    }


def _evidence(kb, case, evaluation, lang: str | None = None) -> list[dict]:
    lang = lang or case.lang
    scenario = kb.scenarios.get(case.scenario)
    if scenario is None:
        return []
    items = (evaluation.verdict.outcome.evidence if evaluation and evaluation.verdict and evaluation.verdict.outcome.evidence else None) or scenario.evidence
    return [{"item": n, "text": e.get(lang), "have": n in case.evidence_have} for n, e in enumerate(items)]


# ------------------------------------------------------------------ export


def _drafts(kb_root: Path):
    import yaml

    path = kb_root / "drafts.yaml"
    if not path.is_file():
        from knowledge_base.locations import shipped_kb_dir

        path = shipped_kb_dir() / "drafts.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


class _Blanks(dict):
    """Template values; anything unknown becomes a visible blank, never an invented value."""

    def __init__(self, values: dict, blank: str, names: dict):
        super().__init__(values)
        self.blank, self.names = blank, names

    def __missing__(self, key: str) -> str:
        return Template(self.blank).safe_substitute(what=self.names.get(key, key))


_BLANK_NAMES = {
    "zh": {"seller_name": "店铺经营者名称", "seller_address": "店铺经营者地址", "your_name": "你的姓名", "your_phone": "你的电话",
           "your_address": "你的地址", "order_number": "订单号", "platform": "平台", "price": "实付金额", "paid_date": "付款日期",
           "received_date": "签收日期", "ruling_date": "判定日期", "deadline": "期限", "compensation": "赔偿"},
    "en": {"seller_name": "the shop operator's name", "seller_address": "the shop operator's address", "your_name": "your name",
           "your_phone": "your phone", "your_address": "your address", "order_number": "order number", "platform": "platform",
           "price": "price paid", "paid_date": "payment date", "received_date": "date signed for", "ruling_date": "ruling date",
           "deadline": "deadline", "compensation": "compensation"},
}


def export_markdown(kb, case, today: dt.date, lang: str | None = None, *, drafts: bool = True) -> str:
    lang = lang or case.lang
    text = labels(lang)
    scenario = kb.scenarios[case.scenario]
    evaluator = Evaluator(kb)
    evaluation = evaluate_case(kb, case, today, evaluator)
    verdict = evaluation.verdict
    facts = typed_facts(kb, case)
    heads = {"zh": ("案件", "结论", "时间线", "期限", "证据清单", "草稿", "还缺的信息"),
             "en": ("Case", "Verdict", "Timeline", "Deadlines", "Evidence checklist", "Drafts", "Still missing")}[lang]
    out = [f"# {case.title}", "", f"{heads[0]}: `{case.id}` · {scenario.title.get(lang)} · {case.status} · {today.isoformat()}", ""]
    out.append(answer_json(kb, case.scenario, lang)["summary"])
    out.append("")
    out += facts_table(kb, scenario, facts, lang)
    out.append(f"## {heads[1]}")
    if verdict is not None:
        out += verdict_markdown(kb, scenario, verdict, lang, today, evaluator.calendar)
    else:
        missing = ", ".join(kb.fact(n, scenario).label.get(lang) for n in evaluation.missing if kb.fact(n, scenario))
        out.append(f"{heads[6]}: {missing}")
    out += [f"## {heads[2]}"] + [f"- {e.date.isoformat()} · {e.kind} · {e.note}" for e in case.events]
    out += ["", f"## {heads[3]}"]
    dated = (verdict.deadlines if verdict else []) + ([verdict.opens] if verdict and verdict.opens else [])
    out += [f"- {d.date.isoformat()} ({(d.date - today).days:+d}, {text[d.count]}) — {d.label.get(lang)}" for d in dated] or ["-"]
    out += ["", f"## {heads[4]}"]
    out += [f"- [{'x' if row['have'] else ' '}] {row['text']}" for row in _evidence(kb, case, evaluation, lang)]
    if not drafts:
        return "\n".join(out) + "\n"
    out += ["", f"## {heads[5]}"]
    templates = _drafts(kb.root)
    values = _draft_values(kb, case, facts, verdict, evaluation, lang)
    blank = templates["blank"][lang]
    for draft in templates["drafts"].values():
        body = Template(draft[lang]).safe_substitute(_Blanks(values, blank, _BLANK_NAMES[lang]))
        out += ["", f"### {draft['title'][lang]}", "", "```text", body.rstrip(), "```"]
    return "\n".join(out) + "\n"


def _draft_values(kb, case, facts, verdict, evaluation, lang) -> dict[str, str]:
    scenario = kb.scenarios[case.scenario]
    values: dict[str, str] = {"title": case.title, "scenario": scenario.title.get(lang), "today": dt.date.today().isoformat()}
    for name, value in facts.items():
        values[name] = value_label(kb.fact(name, scenario), value, lang)
    if verdict is not None:
        values["status"] = verdict.outcome.title.get(lang)
        values["next_action"] = verdict.outcome.next_action.get(lang)
        if verdict.deadline:
            values["deadline"] = verdict.deadline.date.isoformat()
        if verdict.compensation:
            values["compensation"] = f"{verdict.compensation.label.get(lang)}: ¥{verdict.compensation.amount:g}"
        elif not verdict.bases:
            values["compensation"] = ""  # none applies: nothing to fill in
    have = [row["text"] for row in _evidence(kb, case, evaluation, lang) if row["have"]]
    if have:
        values["evidence"] = "；".join(have) if lang == "zh" else "; ".join(have)
    values["timeline"] = "\n".join(f"{e.date.isoformat()} {e.note}" for e in case.events)
    return values
