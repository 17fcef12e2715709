"""Fit the matcher's score calibration on a labelled set and print the constants for assistant/match.py.

    python scripts/calibrate.py [data/eval/dev.jsonl] [--kb data]

A logistic regression predicts "the best scenario is the right answer" from four features (the best raw
score, its gap to the runner-up, its lead over out-of-scope, the share of the question's words the
knowledge base knows). Two-fold cross-validation shows how the
fitted threshold does on questions it was not fitted on.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.engine import load_engine  # noqa: E402
from assistant.match import OUT_OF_SCOPE  # noqa: E402


def featurise(matcher, question: str):
    tokens = matcher.tokens(question)
    raw = matcher.raw_scores(tokens)
    classes = matcher.index.classes
    oos = raw[classes.index(OUT_OF_SCOPE)]
    scored = sorted(((raw[c], classes[c]) for c in range(len(raw)) if classes[c] != OUT_OF_SCOPE), reverse=True)
    (best, best_id), (second, _) = scored[0], scored[1]
    return [best, best - second, best - oos, matcher.known_share(tokens)], best_id


def fit(xs, ys, steps=20000, rate=1.0, l2=1e-3):
    w = [0.0] * (len(xs[0]) + 1)
    n = len(xs)
    for _ in range(steps):
        grad = [0.0] * len(w)
        for x, y in zip(xs, ys):
            z = w[-1] + sum(wi * xi for wi, xi in zip(w, x))
            err = 1 / (1 + math.exp(-z)) - y
            for i, xi in enumerate(x):
                grad[i] += err * xi
            grad[-1] += err
        w = [wi - rate * (g / n + l2 * wi * (i < len(w) - 1)) for i, (wi, g) in enumerate(zip(w, grad))]
    return w


def predict(w, x):
    return 1 / (1 + math.exp(-(w[-1] + sum(wi * xi for wi, xi in zip(w, x)))))


def evaluate(w, rows, threshold):
    ins = [r for r in rows if r["expected"]]
    oos = [r for r in rows if not r["expected"]]
    acc = sum(predict(w, r["x"]) >= threshold and r["best"] == r["expected"] for r in ins) / len(ins)
    rej = sum(predict(w, r["x"]) < threshold for r in oos) / len(oos)
    return acc, rej


def _objective(accuracy: float, rejection: float) -> float:
    # A wrong "out of scope" costs a person more than a near miss answered, so accuracy counts double;
    # rejection still matters (the product must not answer coupon questions with refund advice).
    return 2 * accuracy + rejection


def choose_threshold(w, rows):
    # ties go to the lower threshold
    return max((t / 100 for t in range(10, 91)), key=lambda t: (_objective(*evaluate(w, rows, t)), -t))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", nargs="?", default="data/eval/dev.jsonl")
    parser.add_argument("--kb", default=None)
    args = parser.parse_args()
    engine = load_engine(args.kb)
    rows = []
    for line in Path(args.file).read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            x, best = featurise(engine.matcher, item["q"])
            rows.append({"x": x, "best": best, "expected": item["expected"]})
    label = [1.0 if r["expected"] and r["best"] == r["expected"] else 0.0 for r in rows]

    random.Random(7).shuffle(indices := list(range(len(rows))))
    folds = [indices[::2], indices[1::2]]
    for k, test in enumerate(folds):
        train = folds[1 - k]
        w = fit([rows[i]["x"] for i in train], [label[i] for i in train])
        t = choose_threshold(w, [rows[i] for i in train])
        acc, rej = evaluate(w, [rows[i] for i in test], t)
        print(f"fold {k}: threshold {t:.2f}  held-out in-scope accuracy {acc:.3f}  out-of-scope rejection {rej:.3f}")

    w = fit([r["x"] for r in rows], label)
    t = choose_threshold(w, rows)
    acc, rej = evaluate(w, rows, t)
    print(f"all: in-scope accuracy {acc:.3f}  out-of-scope rejection {rej:.3f}")
    print("CAL_WEIGHTS = (" + ", ".join(f"{x:.3f}" for x in w[:-1]) + ")")
    print(f"CAL_BIAS = {w[-1]:.3f}")
    print(f"THRESHOLD = {t:.2f}")


if __name__ == "__main__":
    main()
