"""`kb eval`: the protocol that keeps tuning and reporting apart, and what it measures.

The self-written `data/eval/dev.jsonl` and `holdout.jsonl` no longer measure accuracy: they were written in the
examples' own style and flattered the matcher (88–91 % on them, 40–52 % on questions real people wrote). They are
kept as regression tests only: the floors below are what the shipped matcher reaches on them, so a change that
breaks many plainly worded questions at once is caught. Accuracy is measured with `weiquan kb eval` on real
questions the matcher was not built from (see the README)."""
import json
from pathlib import Path

import pytest
from rapidfuzz import fuzz, process

from assistant.text import normalise
from knowledge_base.evaluate import Labelled, evaluate, language_of, parse_part, read_labelled, select_part

EVAL = Path(__file__).resolve().parent.parent / "data" / "eval"


def test_parts_are_disjoint_stratified_and_repeatable(engine):
    items = read_labelled(EVAL / "dev.jsonl", engine.kb)
    first, second = select_part(items, 1, 2), select_part(items, 2, 2)
    assert {i.line for i in first}.isdisjoint({i.line for i in second})
    assert len(first) + len(second) == len(items)
    for sid in list(engine.kb.scenarios) + [None]:
        a = sum(i.expected == sid for i in first)
        b = sum(i.expected == sid for i in second)
        assert abs(a - b) <= 1, sid
    shuffled = list(reversed(items))
    assert [i.line for i in select_part(shuffled, 1, 2)] == [i.line for i in first]


@pytest.mark.parametrize("text", ["3/2", "0/2", "a/b", "1", "1/0"])
def test_a_bad_part_is_refused(text):
    with pytest.raises(ValueError):
        parse_part(text)


def test_language_and_source_kind_come_from_the_file_or_the_text(engine, tmp_path):
    path = tmp_path / "q.jsonl"
    lines = [
        {"q": "訂單顯示已簽收但我沒收到貨", "expected": "not_received", "source": "https://example.org/x"},
        {"q": "my parcel never arrived", "expected": "not_received", "source": "someone/corpus:chat.txt", "note": "alt late_shipment"},
        {"q": "优惠券怎么用", "expected": None, "lang": "zh-Hans", "kind": "title"},
    ]
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    items = read_labelled(path, engine.kb)
    assert [language_of(i) for i in items] == ["zh-Hant", "en", "zh-Hans"]
    assert [i.kind for i in items] == ["web page", "someone/corpus", "title"]
    assert items[1].alt == "late_shipment"


def test_the_report_counts_what_it_says(engine):
    items = [
        Labelled("快递显示签收了但我根本没收到", "not_received", 1),
        Labelled("专柜说我买的包是假的", "not_received", 2),  # wrong on purpose
        Labelled("优惠券怎么用", None, 3),
    ]
    report = evaluate(engine, items)
    assert report["accuracy"] == 0.5
    assert report["rejection"] == 1.0
    assert report["scenarios"]["not_received"]["questions"] == 2
    got = engine.matcher.match("专柜说我买的包是假的")
    assert report["confidently_wrong"] == pytest.approx((got.score >= 0.8) / 3)
    assert report["confusions"][0]["expected"] == "not_received"


def test_eval_sets_do_not_copy_the_examples(engine):
    examples = [normalise(e) for s in engine.kb.scenarios.values() for e in s.examples.zh + s.examples.en]
    examples += [normalise(e) for e in engine.kb.out_of_scope.examples.zh + engine.kb.out_of_scope.examples.en]
    for name in ("dev.jsonl", "holdout.jsonl"):
        for line in (EVAL / name).read_text(encoding="utf-8").splitlines():
            question = normalise(json.loads(line)["q"])
            best = process.extractOne(question, examples, scorer=fuzz.ratio)
            assert best[1] < 85, (name, question, best[0])


# what the shipped matcher reaches on them (in-scope top-1, out-of-scope rejected); re-based when the matcher is
# retuned on real questions, never to let a change through unmeasured; floors are what is reached, rounded down.
# Last: round 8 examples and constants refitted on real_dev plus a second real set (dev top-1 95.7 → 95.7 %, rejected
# 81.8 → 86.4 %; holdout 93.3 → 92.2 % (one question), 85 → 90 %). The training order is fixed per example, so an
# edit to one example moves these less than a reshuffle of everything did.
REGRESSION_FLOORS = {"dev.jsonl": (0.956, 0.863), "holdout.jsonl": (0.922, 0.9)}


@pytest.mark.parametrize("name", sorted(REGRESSION_FLOORS))
def test_plainly_worded_questions_still_match(engine, name):
    report = evaluate(engine, read_labelled(EVAL / name, engine.kb))
    accuracy, rejection = REGRESSION_FLOORS[name]
    assert report["accuracy"] >= accuracy
    assert report["rejection"] >= rejection


def test_traditional_script_is_answered_as_simplified(engine):
    import opencc

    to_traditional = opencc.OpenCC("s2t")
    items = [i for i in read_labelled(EVAL / "dev.jsonl", engine.kb) if any("\u4e00" <= c <= "\u9fff" for c in i.q)]
    same = sum(engine.matcher.match(i.q).scenario == engine.matcher.match(to_traditional.convert(i.q)).scenario for i in items)
    assert same / len(items) >= 0.98
