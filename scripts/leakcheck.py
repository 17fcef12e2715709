"""Find questions of a labelled real set that appear in the repository: a set that measures the product must not
be part of it.

    python scripts/leakcheck.py QUESTIONS.jsonl [--near 72]

Prints every tracked text file and line that holds one of the questions (compared on letters, digits and Chinese
characters only, with the same width and case), and with --near every knowledge-base example closer to one than
that rapidfuzz ratio.
Exit 1 when anything is found.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIN_CHARS = 4  # shorter questions ("退款") are words, not questions


def squeeze(text: str) -> str:
    """Letters, digits and Chinese characters only: a question copied without its "?" is still the question."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).lower())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--near", type=float, default=None, help="also flag examples at least this similar (0–100)")
    args = parser.parse_args()
    questions = [json.loads(line)["q"] for line in Path(args.file).read_text(encoding="utf-8").splitlines() if line.strip()]
    wanted = {squeeze(q): q for q in questions if len(squeeze(q)) >= MIN_CHARS}
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    found = 0
    for name in tracked:
        try:
            lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
        except (UnicodeDecodeError, OSError):
            continue
        for number, line in enumerate(lines, 1):
            flat = squeeze(line)
            for key, question in wanted.items():
                if key in flat:
                    found += 1
                    print(f"{name}:{number}: holds {question!r}")
    if args.near is not None:
        found += _near(questions, args.near)
    print(f"{found} found", file=sys.stderr)
    return 1 if found else 0


def _near(questions: list[str], cutoff: float) -> int:
    import yaml
    from rapidfuzz import fuzz, process

    keys = [squeeze(q) for q in questions]
    found = 0
    for path in sorted((ROOT / "data").glob("**/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        examples = data.get("examples") if isinstance(data, dict) else None
        for lang, items in (examples or {}).items():
            for example in items:
                best = process.extractOne(squeeze(example), keys, scorer=fuzz.ratio, score_cutoff=cutoff)
                if best is not None:
                    found += 1
                    print(f"{path.relative_to(ROOT)}: {example!r} is {best[1]:.0f} % like {questions[best[2]]!r}")
    return found


if __name__ == "__main__":
    sys.exit(main())
