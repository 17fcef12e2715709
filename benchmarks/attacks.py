"""How fast a hostile knowledge-base file is refused: each file of tests/fixtures/attacks/ (and a few made here,
too big to keep) is planted in a copy of the fixture knowledge base and `weiquan ask --kb COPY` is timed.
Target: exit 3 naming the file, within 1 s each (start-up included).

    python benchmarks/attacks.py
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ATTACKS = ROOT / "tests" / "fixtures" / "attacks"
PLANTED = {  # attack file → where it goes in the knowledge base
    "billion_laughs.yaml": "scenarios/billion_laughs.yaml",
    "recursive_alias.yaml": "scenarios/recursive_alias.yaml",
    "deep_nesting.yaml": "scenarios/deep_nesting.yaml",
    "many_nots.yaml": "scenarios/many_nots.yaml",
    "unary_minus.yaml": "scenarios/unary_minus.yaml",
    "redos_extract.yaml": "scenarios/redos_extract.yaml",
    "gbk_stopwords.txt": "dict/stopwords.txt",
    "holiday_2027.yaml": "holidays/2027.yaml",
}


def made(folder: Path) -> dict[str, Path]:
    """Attacks too large to keep in the repository."""
    deep = folder / "deep_100k.yaml"
    deep.write_text("id: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    huge = folder / "huge_58mb.yaml"
    huge.write_bytes(b"a: b\n" * (58 * 1024 * 1024 // 5))
    return {"deep_100k.yaml": deep, "huge_58mb.yaml": huge}


def main() -> int:
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env = {**os.environ, "WEIQUAN_HOME": str(tmp / "home")}
        sources = {name: ATTACKS / name for name in PLANTED} | made(tmp)
        print(f"{'attack':24} {'exit':>4} {'seconds':>8}  message")
        for name, source in sources.items():
            kb = tmp / f"kb-{name}"
            shutil.copytree(ROOT / "tests" / "fixtures" / "kb", kb)
            target = kb / PLANTED.get(name, f"scenarios/{name}")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
            start = time.perf_counter()
            result = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", "--kb", str(kb), "x"], cwd=ROOT, env=env,
                                    capture_output=True, timeout=600)
            seconds = time.perf_counter() - start
            worst = max(worst, seconds)
            message = result.stderr.decode(errors="replace").strip().splitlines()[0][:70] if result.stderr else ""
            print(f"{name:24} {result.returncode:>4} {seconds:>8.2f}  {message}")
    print(f"slowest: {worst:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
