"""`weiquan kb eval`: how well matching does on labelled questions it was not built from.

Measure on questions real people wrote, never on ones written for the purpose: a set written in the same style as
the examples measures the authors, not the users. `--part K/N` splits a file into N stratified parts (the same
parts on every machine: by label, ordered by a hash of the question), so one part can be used to tune and
another kept apart to report on.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

CONFIDENT = 0.8  # a wrong answer at or above this score is "confidently wrong"
_ALT_RE = re.compile(r"\balt ([a-z_]+)")


@dataclass(frozen=True)
class Labelled:
    q: str
    expected: str | None
    line: int
    lang: str | None = None  # zh-Hans | zh-Hant | en, when the file says
    kind: str | None = None  # where the question comes from (source kind), when the file says
    alt: str | None = None  # a second defensible label: a match to it is a near miss


def _source_kind(data: dict) -> str | None:
    """`kind` if given; else the repository of an `owner/repo:path` source, or "web page" for an address."""
    if isinstance(data.get("kind"), str):
        return data["kind"]
    source = data.get("source")
    if not isinstance(source, str) or not source:
        return None
    if source.startswith(("http://", "https://")):
        return "web page"
    return source.split(":", 1)[0]


def read_labelled(path: str | Path, kb) -> list[Labelled]:
    """Read `{"q": ..., "expected": id|null}` lines; raise ValueError naming file and line on a bad one."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: cannot read ({exc})") from None
    items = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{number}: not JSON ({exc.msg})") from None
        if not isinstance(data, dict) or not isinstance(data.get("q"), str) or "expected" not in data:
            raise ValueError(f'{path}:{number}: expected {{"q": "...", "expected": id or null}}')
        expected = data["expected"]
        if expected is not None and expected not in kb.scenarios:
            raise ValueError(f"{path}:{number}: unknown scenario {expected!r}")
        alt = _ALT_RE.search(data.get("note") or "") if isinstance(data.get("note"), str) else None
        lang = data.get("lang") if isinstance(data.get("lang"), str) else None
        items.append(Labelled(data["q"], expected, number, lang, _source_kind(data), alt.group(1) if alt else None))
    if not items:
        raise ValueError(f"{path}: no labelled questions")
    return items


def parse_part(text: str) -> tuple[int, int]:
    """'1/2' → (1, 2); ValueError with a readable message otherwise."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not match or not 1 <= int(match.group(1)) <= int(match.group(2)) <= 100:
        raise ValueError(f"--part: {text!r} is not K/N with 1 ≤ K ≤ N (e.g. 1/2)")
    return int(match.group(1)), int(match.group(2))


def select_part(items: list[Labelled], part: int, parts: int) -> list[Labelled]:
    """The part-th of `parts` stratified parts: within each label, questions ordered by a hash of their text are
    dealt out in turn, so every part has the same mix of scenarios and the split never depends on file order."""
    by_label: dict[str | None, list[Labelled]] = defaultdict(list)
    for item in items:
        by_label[item.expected].append(item)
    chosen = []
    for group in by_label.values():
        group = sorted(group, key=lambda i: hashlib.sha256(i.q.encode("utf-8")).hexdigest())
        chosen += group[part - 1 :: parts]
    return sorted(chosen, key=lambda i: i.line)


def language_of(item: Labelled) -> str:
    if item.lang:
        return item.lang
    from assistant.text import is_traditional

    if not any("\u3400" <= ch <= "\u9fff" for ch in item.q):
        return "en"
    return "zh-Hant" if is_traditional(item.q) else "zh-Hans"


class _Tally:
    """Right answers out of questions, for one slice (a language, a source kind)."""

    def __init__(self) -> None:
        self.right = self.total = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.right += ok

    @property
    def share(self) -> float | None:
        return self.right / self.total if self.total else None


def evaluate(engine, items: list[Labelled]) -> dict:
    """Top-1 in scope, right among the offered, out-of-scope rejected, confidently wrong, per-scenario
    precision/recall, per language and per source kind, and the confused pairs."""
    from assistant.extract import implied_role, stated_role

    matcher = engine.matcher
    in_scope = [i for i in items if i.expected]
    out_scope = [i for i in items if not i.expected]
    predicted: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    expected_counts: Counter[str] = Counter()
    by_language: dict[str, _Tally] = defaultdict(_Tally)
    by_kind: dict[str, _Tally] = defaultdict(_Tally)
    confusions: dict[tuple[str, str], list[str]] = defaultdict(list)
    rejected = offered_right = confidently_wrong = near_misses = 0
    for item in items:
        result = matcher.match(item.q, stated_role(item.q), implied_role(item.q))  # as `ask` does
        got = result.scenario
        offered = {c.id for c in result.candidates} | ({got} if got else set())
        right = got == item.expected
        if got:
            predicted[got] += 1
        if item.expected:
            expected_counts[item.expected] += 1
            offered_right += item.expected in offered
            by_language[language_of(item)].add(right)
            by_kind[item.kind or "unlabelled"].add(right)
            if right:
                correct[got] += 1
        else:
            rejected += got is None
        if not right:
            confidently_wrong += result.score >= CONFIDENT
            near_misses += item.alt is not None and got == item.alt
            confusions[(item.expected or "out_of_scope", got or "out_of_scope")].append(item.q)
    scenarios = {}
    for sid in engine.kb.scenarios:
        tp = correct[sid]
        scenarios[sid] = {
            "questions": expected_counts[sid],
            "recall": tp / expected_counts[sid] if expected_counts[sid] else None,
            "precision": tp / predicted[sid] if predicted[sid] else None,
        }
    pairs = sorted(confusions.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return {
        "questions": len(items),
        "in_scope": len(in_scope),
        "out_of_scope": len(out_scope),
        "accuracy": sum(correct.values()) / len(in_scope) if in_scope else None,
        "offered": offered_right / len(in_scope) if in_scope else None,
        "rejection": rejected / len(out_scope) if out_scope else None,
        "confidently_wrong": confidently_wrong / len(items),
        "near_misses": near_misses,
        "by_language": {k: t.share for k, t in sorted(by_language.items())},
        "by_language_n": {k: t.total for k, t in sorted(by_language.items())},
        "by_kind": {k: t.share for k, t in sorted(by_kind.items(), key=lambda kv: -kv[1].total)},
        "by_kind_n": {k: t.total for k, t in by_kind.items()},
        "scenarios": scenarios,
        "confusions": [
            {"expected": e, "got": g, "count": len(qs), "examples": qs[:3]} for (e, g), qs in pairs[:12]
        ],
    }


def _pct(value: float | None) -> str:
    return "  n/a" if value is None else f"{value * 100:5.1f}%"


def _delta(now: float | None, before: float | None) -> str:
    if now is None or before is None:
        return ""
    change = (now - before) * 100
    return "   (unchanged since the last run)" if abs(change) < 0.05 else f"   ({change:+.1f} points since the last run)"


def format_report(report: dict) -> str:
    previous = report.get("previous") or {}
    lines = [
        f"questions: {report['questions']} ({report['in_scope']} in scope, {report['out_of_scope']} out of scope)",
        f"top-1 accuracy (in scope):   {_pct(report['accuracy'])}{_delta(report['accuracy'], previous.get('accuracy'))}",
        f"right among those offered:   {_pct(report['offered'])}{_delta(report['offered'], previous.get('offered'))}",
        f"out-of-scope rejection:      {_pct(report['rejection'])}{_delta(report['rejection'], previous.get('rejection'))}",
        f"confidently wrong (≥ {CONFIDENT}):  {_pct(report['confidently_wrong'])}   "
        f"(wrong answers that were the alternative label: {report['near_misses']})",
        "",
        "top-1 in scope by language:",
    ]
    for lang, value in report["by_language"].items():
        lines.append(f"  {lang:28} {report['by_language_n'][lang]:>4} {_pct(value)}")
    lines.append("top-1 in scope by source:")
    for kind, value in report["by_kind"].items():
        lines.append(f"  {kind[:28]:28} {report['by_kind_n'][kind]:>4} {_pct(value)}")
    lines.append("")
    lines.append(f"{'scenario':32} {'n':>4} {'recall':>7} {'precision':>9} {'recall before':>14}")
    before = previous.get("scenarios", {})
    for sid, row in sorted(report["scenarios"].items(), key=lambda kv: (kv[1]["recall"] or 0, kv[0])):
        was = _pct(before.get(sid)) if sid in before else ""
        lines.append(f"{sid:32} {row['questions']:>4} {_pct(row['recall']):>7} {_pct(row['precision']):>9} {was:>14}")
    if report["confusions"]:
        lines.append("")
        lines.append("most confused (expected → got):")
        for pair in report["confusions"]:
            lines.append(f"  {pair['expected']} → {pair['got']}: {pair['count']}")
            lines += [f"      · {q}" for q in pair["examples"]]
    return "\n".join(lines)


def compare_with_previous(path: str | Path, report: dict, part: str = "") -> dict:
    """Attach the change against the last run on the same file (and part), and keep this run for the next time."""
    from .locations import user_home

    key = hashlib.sha256(f"{Path(path).resolve()}|{part}".encode()).hexdigest()[:16]
    store = user_home() / "eval" / f"{key}.json"
    previous = None
    if store.is_file():
        try:
            previous = json.loads(store.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            previous = None
    if isinstance(previous, dict):
        report["previous"] = {
            "accuracy": previous.get("accuracy"),
            "offered": previous.get("offered"),
            "rejection": previous.get("rejection"),
            "scenarios": {sid: row.get("recall") for sid, row in (previous.get("scenarios") or {}).items()},
        }
    try:
        store.parent.mkdir(parents=True, exist_ok=True)
        keep = {k: v for k, v in report.items() if k != "previous"}
        store.write_text(json.dumps(keep, ensure_ascii=False), encoding="utf-8")
    except OSError:
        pass  # comparing is a convenience; a read-only home only loses it
    return report
