"""The authoring commands behind `weiquan kb`: init (an editable copy), new (scaffold), show (as a reader sees
it), stats."""
from __future__ import annotations

import ast
import shutil
from pathlib import Path

from . import locations

from .schema import SNAKE_CASE

SCAFFOLD = """\
# yaml-language-server: $schema=../scenario.schema.json
# A new scenario. Every text needs zh and en. Replace each TODO, then run `weiquan kb lint`.
id: {id}
role: {role}                 # buyer | seller | both
platforms: [taobao, tmall, "1688", jd, pdd]
title:
  zh: TODO 一句话标题
  en: TODO one-line title
summary:
  zh: TODO 这是什么情况，法律和平台规则怎么说（写明依据）。
  en: TODO What the situation is and what the law and platform rules say (with sources).
steps:                       # what to do now, in order
  - zh: TODO 第一步
    en: TODO first step
evidence:                    # what to gather
  - zh: TODO 证据
    en: TODO evidence
escalation:                  # the ladder behind the first step
  - zh: 与对方协商
    en: Negotiate with the other side
  - zh: 申请平台介入
    en: Ask the platform to intervene
sources:                     # confidence: P primary text, P* primary in a copy, S secondary, SEED seeds only, C conflicting
  - title: {{zh: TODO 法律或规则名称 第X条, en: "TODO law or rule, art. X"}}
    ref: TODO
    confidence: S
# ---- what decides eligibility
questions:                   # facts the rules may need (facts.yaml or `facts:` below); `assume:` for things to prove
  - platform
  - received_date
facts: {{}}                    # facts of this scenario's own: name: {{type, label, ask, choices}}
rules:                       # first match wins; conditions over facts and parameters.yaml; `until:` for periods
  - until:
      - from: received_date
        days: 7              # a number or a parameter name from parameters.yaml
        label: {{zh: TODO 期限说明, en: TODO what the period is}}
    outcome: eligible
  - outcome: window_passed
outcomes:
  eligible:
    status: eligible         # eligible | not_yet | window_passed | not_eligible | excluded
    route: platform          # negotiation | platform | 12315 | consumer_association | court | police
    title: {{zh: TODO 可以怎样, en: TODO what you can do}}
    next_action: {{zh: TODO 下一步, en: TODO next step}}
  window_passed:
    status: window_passed
    route: negotiation
    title: {{zh: TODO 期限已过, en: TODO the period has passed}}
    next_action: {{zh: TODO 还能做什么, en: TODO what is still possible}}
tests:                       # facts + today → expected verdict; `weiquan kb lint` runs them (at least 6)
  - name: inside the period
    today: 2026-11-19
    facts: {{received_date: 2026-11-12}}
    expect: {{status: eligible, deadline: 2026-11-19}}
  - name: after the period
    today: 2026-11-20
    facts: {{received_date: 2026-11-12}}
    expect: {{status: window_passed}}
# ---- how people ask (at least 30 per language: short and long, slang, typos, both roles)
keywords:
  zh: [TODO关键词]
  en: [TODO keyword]
examples:
  zh:
    - TODO 用户会怎么问（第一条）
  en:
    - TODO how people ask (first one)
"""


class AuthoringError(ValueError):
    """A refused authoring action; the message is one line."""


def init_kb(target: Path) -> Path:
    """Copy the shipped knowledge base into `target` (new or empty) for editing; returns the folder."""
    target = Path(target)
    if locations.is_installed(target):
        raise AuthoringError(f"{target} is inside an installed package; choose a folder of your own")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise AuthoringError(f"{target} already exists and is not an empty folder")
    source = locations.shipped_kb_dir()
    try:
        shutil.copytree(source, target, dirs_exist_ok=True, copy_function=shutil.copyfile,  # copies stay writable
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    except OSError as exc:
        raise AuthoringError(f"{target}: cannot copy the knowledge base ({exc.strerror or exc})") from None
    return target


def _refuse_installed(root: Path) -> None:
    if locations.is_installed(root):
        raise AuthoringError(
            f"{root} is the knowledge base installed with weiquan: a scenario written there would go live for every "
            "user and be lost on the next upgrade. Make your own copy with 'weiquan kb init DIR', then "
            "'weiquan kb new ID --kb DIR'")


def new_scenario(root: Path, scenario_id: str, role: str = "buyer") -> Path:
    """Write a scaffold for `scenario_id` inside the knowledge base and return its path."""
    if not SNAKE_CASE.fullmatch(scenario_id):  # fullmatch: `$` alone lets 'evil\n' through
        raise AuthoringError(f"{scenario_id!r} is not a snake_case id (letters, digits, underscores: e.g. price_protection)")
    _refuse_installed(root)
    folder = (root / "scenarios").resolve()
    path = (folder / f"{scenario_id}.yaml").resolve()
    if path.parent != folder:  # never write outside the knowledge base, whatever the id looks like
        raise AuthoringError(f"{scenario_id!r} would be written outside {folder}")
    if path.exists():
        raise AuthoringError(f"scenario {scenario_id!r} already exists: {path}")
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(SCAFFOLD.format(id=scenario_id, role=role), encoding="utf-8")
    return path


# ------------------------------------------------------------------ show


_OPS = {
    "zh": {ast.Eq: "是", ast.NotEq: "不是", ast.Lt: "少于", ast.LtE: "不超过", ast.Gt: "超过", ast.GtE: "至少", ast.In: "属于", ast.NotIn: "不属于"},
    "en": {ast.Eq: "is", ast.NotEq: "is not", ast.Lt: "is less than", ast.LtE: "is at most", ast.Gt: "is more than", ast.GtE: "is at least", ast.In: "is one of", ast.NotIn: "is none of"},
}
_WORDS = {
    "zh": {"and": "并且", "or": "或者", "not": "并非", "days_since": "{x}至今的天数", "working_days_since": "{x}至今的工作日数",
           "hours_since": "{x}至今的小时数", "known": "已知{x}", "unsure": "{x}不确定", "hours_between": "{x}到{y}的小时数", "if": "如果", "otherwise": "其他情况", "then": "→",
           "until": "且不晚于", "true": "是", "false": "否", "days": "天", "working_days": "个工作日", "years": "年", "hours": "小时",
           "after": "（自{x}起）", "within": "在期限内——"},
    "en": {"and": "and", "or": "or", "not": "not", "days_since": "days since {x}", "working_days_since": "working days since {x}",
           "hours_since": "hours since {x}", "known": "{x} is known", "unsure": "{x} is not sure",
           "hours_between": "hours from {x} to {y}", "if": "If", "otherwise": "Otherwise", "then": "→",
           "until": "and not later than", "true": "yes", "false": "no", "days": "days", "working_days": "working days",
           "years": "years", "hours": "hours", "after": " (from {x})", "within": "Within"},
}


def condition_sentence(text: str, kb, scenario, lang: str) -> str:
    """A rule condition read aloud: `platform == 'tmall' and days_since(received_date) <= 7` →
    "平台 是 天猫 并且 签收日期至今的天数 不超过 7"."""
    from .conditions import parse

    words, ops = _WORDS[lang], _OPS[lang]

    def label(name: str) -> str:
        definition = kb.fact(name, scenario)
        if definition is not None:
            return definition.label.get(lang)
        parameter = kb.parameters.get(name)
        return f"{parameter.value:g}" if parameter is not None else name

    def value(node, fact: str | None):
        if isinstance(node, ast.Constant):
            definition = kb.fact(fact, scenario) if fact else None
            if isinstance(node.value, bool):
                return words["true" if node.value else "false"]
            for choice in getattr(definition, "choices", None) or []:
                if choice.value == node.value:
                    return choice.label.get(lang)
            return str(node.value)
        if isinstance(node, (ast.List, ast.Tuple)):
            return "、".join(value(e, fact) for e in node.elts) if lang == "zh" else ", ".join(value(e, fact) for e in node.elts)
        return say(node)

    def say(node) -> str:
        if isinstance(node, ast.BoolOp):
            joiner = f" {words['and' if isinstance(node.op, ast.And) else 'or']} "
            return joiner.join(say(v) for v in node.values)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            operand = node.operand
            definition = kb.fact(operand.id, scenario) if isinstance(operand, ast.Name) else None
            if definition is not None and definition.type == "boolean":  # "Seller is a business = no", not "not … = yes"
                return f"{label(operand.id)} = {words['false']}"
            return f"{words['not']} {say(operand)}"
        if isinstance(node, ast.Compare):
            fact = node.left.id if isinstance(node.left, ast.Name) else None
            parts = [say(node.left)]
            for op, right in zip(node.ops, node.comparators):
                parts += [ops[type(op)], value(right, fact)]
            return " ".join(parts)
        if isinstance(node, ast.Call):
            return words[node.func.id].format(x=label(node.args[0].id), y=label(node.args[-1].id))
        if isinstance(node, ast.Name):
            definition = kb.fact(node.id, scenario)
            if definition is not None and definition.type == "boolean":
                return f"{label(node.id)} = {words['true']}"
            return label(node.id)
        return value(node, None)

    return say(parse(text).tree)


def _period(spec, kb, scenario, lang: str) -> str:
    words = _WORDS[lang]
    for unit in ("days", "working_days", "years", "hours"):
        amount = getattr(spec, unit)
        if amount is not None:
            if isinstance(amount, str):
                amount = f"{kb.parameters[amount].value:g}" if amount in kb.parameters else kb.fact(amount, scenario).label.get(lang)
            start = kb.fact(spec.from_, scenario).label.get(lang)
            return f"{spec.label.get(lang)}: {amount} {words[unit]}{words['after'].format(x=start)}"
    return spec.label.get(lang)


def _numbers(kb, scenario, lang: str) -> list[str]:
    """Each parameter and compensation basis the rules use, with its effective date — or that it is unknown."""
    from .conditions import parse

    names: list[str] = []
    specs = [s for rule in scenario.rules for s in rule.until]
    for rule in scenario.rules:
        names += sorted(parse(rule.when).names) if rule.when else []
    for outcome in scenario.outcomes.values():
        specs += list(outcome.deadlines) + ([outcome.opens] if outcome.opens else [])
    names += [v for spec in specs for v in (spec.days, spec.working_days, spec.years, spec.hours) if isinstance(v, str)]
    bases = [ref if isinstance(ref, str) else ref.basis for outcome in scenario.outcomes.values() for ref in outcome.compensation]
    unknown = {"zh": "生效日期不明", "en": "effective date unknown"}[lang]
    since = {"zh": "{x}起施行", "en": "in force since {x}"}[lang]
    out = []
    for name in dict.fromkeys(n for n in names if n in kb.parameters):
        item = kb.parameters[name]
        when = since.format(x=item.effective) if item.effective else unknown
        out.append(f"- `{name}` = {item.value:g} {item.unit} — {when} [{item.source.confidence}]")
    for name in dict.fromkeys(b for b in bases if b in kb.compensation):
        item = kb.compensation[name]
        when = since.format(x=item.effective) if item.effective else unknown
        out.append(f"- `{name}`: {item.label.get(lang)} — {when} [{item.source.confidence}]")
    return out


def show(kb, scenario_id: str, lang: str) -> str:
    """The scenario as a reader sees it, rules as sentences (Markdown)."""
    scenario = kb.scenarios[scenario_id]
    words = _WORDS[lang]
    heading = {"zh": ("现在怎么做", "证据", "维权路径", "需要的信息", "规则（按顺序，先满足的生效）", "依据", "示例问题", "用到的数字"),
               "en": ("What to do now", "Evidence", "Escalation", "Facts asked", "Rules (in order, the first that applies wins)", "Sources",
                      "Example questions", "Numbers used")}[lang]
    only = {"zh": "（仅当：{x}）", "en": " (only where {x})"}[lang]

    def shown_when(item) -> str:  # a step's or source's condition, read aloud
        return only.format(x=condition_sentence(item.when, kb, scenario, lang)) if item.when else ""

    out = [f"# {scenario.title.get(lang)}  ({scenario_id}, {scenario.role})", "", scenario.summary.get(lang), ""]
    out += [f"## {heading[0]}"] + [f"{n}. {s.get(lang)}{shown_when(s)}" for n, s in enumerate(scenario.steps, 1)] + [""]
    out += [f"## {heading[1]}"] + [f"- {e.get(lang)}" for e in scenario.evidence] + [""]
    out += [f"## {heading[2]}"] + [f"{n}. {e.get(lang)}" for n, e in enumerate(scenario.escalation, 1)] + [""]
    out.append(f"## {heading[3]}")
    for question in scenario.questions:
        definition = kb.fact(question.fact, scenario)
        line = f"- {definition.label.get(lang)} (`{question.fact}`)"
        if question.assume is not None:
            line += f" — {question.condition.get(lang) if question.condition else question.assume}"
        out.append(line)
    out += ["", f"## {heading[4]}"]
    for n, rule in enumerate(scenario.rules, 1):
        outcome = scenario.outcomes[rule.outcome]
        periods = "; ".join(_period(s, kb, scenario, lang) for s in rule.until)
        if rule.when:
            condition = f"{words['if']} {condition_sentence(rule.when, kb, scenario, lang)}"
            if rule.until:
                condition += f" {words['until']} {periods}"
        else:
            condition = f"{words['within']} {periods}" if rule.until else words["otherwise"]
        out.append(f"{n}. {condition} {words['then']} **{outcome.status}**: {outcome.title.get(lang)}")
    out += ["", f"## {heading[7]}"] + _numbers(kb, scenario, lang)
    out += ["", f"## {heading[5]}"] + [f"- {s.title.get(lang)} [{s.confidence}]{shown_when(s)}" for s in scenario.sources]
    out += ["", f"## {heading[6]}"] + [f"- {e}" for e in scenario.examples.get(lang)[:5]]
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ stats


def stats(kb) -> list[dict]:
    """Examples and keywords per scenario and language, thinnest first."""
    rows = [
        {
            "scenario": sid,
            "examples_zh": len(s.examples.zh), "examples_en": len(s.examples.en),
            "keywords_zh": len(s.keywords.zh), "keywords_en": len(s.keywords.en),
            "rules": len(s.rules), "tests": len(s.tests),
        }
        for sid, s in kb.scenarios.items()
    ]
    return sorted(rows, key=lambda r: (min(r["examples_zh"], r["examples_en"]), r["scenario"]))


def format_stats(rows: list[dict]) -> str:
    header = f"{'scenario':32} {'ex zh':>6} {'ex en':>6} {'kw zh':>6} {'kw en':>6} {'rules':>6} {'tests':>6}"
    lines = [header]
    for r in rows:
        lines.append(f"{r['scenario']:32} {r['examples_zh']:>6} {r['examples_en']:>6} {r['keywords_zh']:>6} {r['keywords_en']:>6} {r['rules']:>6} {r['tests']:>6}")
    return "\n".join(lines)
