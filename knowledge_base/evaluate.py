"""`weiquan kb eval`: how well matching does on labelled questions it was not built from."""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Labelled:
    q: str
    expected: str | None
    line: int


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
        items.append(Labelled(data["q"], expected, number))
    if not items:
        raise ValueError(f"{path}: no labelled questions")
    return items


def _language(text: str) -> str:
    return "zh" if any("\u3400" <= ch <= "\u9fff" for ch in text) else "en"


def evaluate(engine, items: list[Labelled]) -> dict:
    """Top-1 accuracy in scope, out-of-scope rejection, per-scenario precision/recall, confused pairs."""
    matcher = engine.matcher
    in_scope = [i for i in items if i.expected]
    out_scope = [i for i in items if not i.expected]
    predicted_counts: Counter[str] = Counter()
    correct_counts: Counter[str] = Counter()
    expected_counts: Counter[str] = Counter()
    by_language: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    confusions: dict[tuple[str, str], list[str]] = defaultdict(list)
    rejected = 0
    for item in items:
        result = matcher.match(item.q)
        got = result.scenario
        if got:
            predicted_counts[got] += 1
        if not item.expected and got is None:
            rejected += 1
        if item.expected:
            expected_counts[item.expected] += 1
            stats = by_language[_language(item.q)]
            stats[1] += 1
            if got == item.expected:
                correct_counts[got] += 1
                stats[0] += 1
        if got != item.expected:
            confusions[(item.expected or "out_of_scope", got or "out_of_scope")].append(item.q)
    scenarios = {}
    for sid in engine.kb.scenarios:
        tp = correct_counts[sid]
        scenarios[sid] = {
            "questions": expected_counts[sid],
            "recall": tp / expected_counts[sid] if expected_counts[sid] else None,
            "precision": tp / predicted_counts[sid] if predicted_counts[sid] else None,
        }
    pairs = sorted(confusions.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return {
        "questions": len(items),
        "in_scope": len(in_scope),
        "out_of_scope": len(out_scope),
        "accuracy": sum(correct_counts.values()) / len(in_scope) if in_scope else None,
        "rejection": rejected / len(out_scope) if out_scope else None,
        "by_language": {lang: ok / n for lang, (ok, n) in sorted(by_language.items())},
        "scenarios": scenarios,
        "confusions": [
            {"expected": e, "got": g, "count": len(qs), "examples": qs[:3]} for (e, g), qs in pairs[:10]
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
        f"top-1 accuracy (in scope): {_pct(report['accuracy'])}{_delta(report['accuracy'], previous.get('accuracy'))}",
        f"out-of-scope rejection:    {_pct(report['rejection'])}{_delta(report['rejection'], previous.get('rejection'))}",
    ]
    for lang, value in report["by_language"].items():
        lines.append(f"  accuracy, {lang} questions:  {_pct(value)}")
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


def compare_with_previous(path: str | Path, report: dict) -> dict:
    """Attach the change against the last run on the same file, and keep this run for the next time."""
    import hashlib

    from .locations import user_home

    key = hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:16]
    store = user_home() / "eval" / f"{key}.json"
    previous = None
    if store.is_file():
        try:
            previous = json.loads(store.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            previous = None
    if previous:
        report["previous"] = {
            "accuracy": previous.get("accuracy"),
            "rejection": previous.get("rejection"),
            "scenarios": {sid: row.get("recall") for sid, row in previous.get("scenarios", {}).items()},
        }
    try:
        store.parent.mkdir(parents=True, exist_ok=True)
        keep = {k: v for k, v in report.items() if k != "previous"}
        store.write_text(json.dumps(keep, ensure_ascii=False), encoding="utf-8")
    except OSError:
        pass  # comparing is a convenience; a read-only home only loses it
    return report
