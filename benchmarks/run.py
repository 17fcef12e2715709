"""Speed and memory of weiquan, measured side by side with jieba's own start-up on the same machine.

    python benchmarks/run.py [--runs 7] [--batch 5000]

Prints: cold start of `weiquan ask "…"` (a new process until the answer is printed; the engine cache is
warm, as for anyone who has asked once), the very first run with an empty cache (from the wheel `pip install .`
makes, which carries the engine prebuilt, and from a source checkout, which builds it), `python -c "import
jieba; jieba.initialize()"` as a reference, peak memory, and batch throughput of `weiquan ask --json -`.
Uses a private WEIQUAN_HOME so it never touches your own cache. Python may write bytecode, as an install has
it (PYTHONDONTWRITEBYTECODE is dropped: with it every start recompiles the program, ≈30 ms).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "淘宝买的东西显示签收了但我没收到"


def weiquan_cmd() -> list[str]:
    exe = shutil.which("weiquan")
    return [exe] if exe else [sys.executable, "-m", "assistant.cli"]


def timed(cmd: list[str], env: dict, stdin: bytes | None = None) -> tuple[float, float]:
    """Wall seconds and this child's own peak RSS in MB."""
    start = time.perf_counter()
    child = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    child.stdin.write(stdin or b"")
    child.stdin.close()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed with exit code {child.returncode}")
    return wall, usage.ru_maxrss / 1024


def median_of(runs: int, cmd: list[str], env: dict) -> tuple[float, float]:
    walls, peaks = zip(*(timed(cmd, env) for _ in range(runs)))
    return statistics.median(walls), max(peaks)


def author_edit_then_eval(env: dict, home: str) -> float:
    """An author adds one example to a copy of the knowledge base and runs `kb eval`: the engine is rebuilt."""
    copy = Path(home) / "kb"
    shutil.copytree(ROOT / "data", copy)
    scenario = copy / "scenarios" / "seven_day_return.yaml"
    text = scenario.read_text(encoding="utf-8")
    scenario.write_text(text.replace("  zh:\n", '  zh:\n    - "买大了一码 吊牌还在 能退吗"\n', 1), encoding="utf-8")
    wall, _ = timed(weiquan_cmd() + ["kb", "eval", str(ROOT / "data" / "eval" / "dev.jsonl"), "--kb", str(copy)], env)
    return wall


def installed_first_run(home: str) -> float:
    """Build the wheel, lay it out as pip would (with bytecode), and time its first question, empty cache."""
    import compileall
    import zipfile

    folder = Path(home) / "wheel"
    # built in a child process: building trains the matcher, and a parent that large would lend its memory to the
    # peak of every process it starts later
    build = ("import sys; from hatchling.builders.wheel import WheelBuilder;"
             "print(next(iter(WheelBuilder(sys.argv[1]).build(directory=sys.argv[2], versions=['standard']))))")
    wheel = subprocess.run([sys.executable, "-c", build, str(ROOT), str(folder)], capture_output=True, text=True,
                           check=True).stdout.strip().splitlines()[-1]
    site = folder / "site-packages"
    zipfile.ZipFile(wheel).extractall(site)
    compileall.compile_dir(str(site), quiet=1)
    env = {**clean_environment(), "PYTHONPATH": str(site), "WEIQUAN_HOME": str(folder / "home")}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "assistant.cli", "ask", QUESTION], cwd=home, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def clean_environment() -> dict:
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--batch", type=int, default=5000)
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix="weiquan-bench-")
    env = {**clean_environment(), "WEIQUAN_HOME": home}
    ask = weiquan_cmd() + ["ask", QUESTION]
    ask_json = weiquan_cmd() + ["ask", "--json", QUESTION]
    try:
        first, _ = timed(ask, env)  # empty cache: builds the compact dictionary and the index
        first_installed = installed_first_run(home)
        warm, warm_peak = median_of(args.runs, ask, env)
        warm_json, _ = median_of(args.runs, ask_json, env)
        jieba_env = {**clean_environment(), "TMPDIR": home}  # jieba writes its own cache file to the temp folder
        timed([sys.executable, "-c", "import jieba; jieba.initialize()"], jieba_env)  # let jieba build its cache too
        jieba_wall, jieba_peak = median_of(args.runs, [sys.executable, "-c", "import jieba; jieba.setLogLevel(60); jieba.initialize()"], jieba_env)
        python_wall, _ = median_of(args.runs, [sys.executable, "-c", "pass"], env)

        questions = [json.loads(line)["q"] for line in (ROOT / "data" / "eval" / "dev.jsonl").read_text(encoding="utf-8").splitlines()]
        batch = "\n".join(questions[i % len(questions)] for i in range(args.batch)).encode()
        empty_wall, _ = timed(weiquan_cmd() + ["ask", "--json", "-"], env, stdin=b"")
        batch_wall, batch_peak = timed(weiquan_cmd() + ["ask", "--json", "-"], env, stdin=batch)
        edit_wall = author_edit_then_eval(env, home)
    finally:
        shutil.rmtree(home, ignore_errors=True)

    rate = args.batch / max(batch_wall - empty_wall, 1e-9)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"python -c pass                                {python_wall * 1000:7.0f} ms")
    print(f"jieba import + initialize (reference)         {jieba_wall * 1000:7.0f} ms   peak {jieba_peak:5.0f} MB")
    print(f"weiquan ask, cold process, warm cache (human) {warm * 1000:7.0f} ms   peak {warm_peak:5.0f} MB   ratio {warm / jieba_wall:.2f}")
    print(f"weiquan ask --json, cold process, warm cache  {warm_json * 1000:7.0f} ms   ratio {warm_json / jieba_wall:.2f}")
    print(f"weiquan ask, first run after pip install .    {first_installed * 1000:7.0f} ms   (the wheel carries the engine)")
    print(f"weiquan ask, first run, source checkout       {first * 1000:7.0f} ms   (builds the cache)")
    print(f"an author's edit, then kb eval (rebuilds)     {edit_wall * 1000:7.0f} ms")
    print(f"batch ask --json -: {args.batch} questions      {batch_wall:7.2f} s   peak {batch_peak:5.0f} MB   {rate:,.0f} questions/s (start-up excluded)")


if __name__ == "__main__":
    main()
