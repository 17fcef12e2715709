"""Hostile input through `weiquan ask --json -`: does every line get one valid JSON answer, in time?

    python benchmarks/hostile.py [--lines 100000] [--seed 1] [--hang 10] [--workers 2]

Generates the lines (huge counts with 天前/天了/days ago, 400-digit and 5,000-digit prices, `1,2,3`, nan/inf,
units 万/千/k/w/亿, long repeated date words, negations by the thousand, control and bidi characters, lone
surrogates' bytes, invalid UTF-8 and GBK, empty lines, option-looking lines, random Unicode and random bytes,
and some lines of 10,000–100,000 characters), pushes them through `ask --json -` in `--workers` processes
(each line to exactly one process, order kept within it), and prints:

    input lines, output lines, invalid JSON lines, internal errors (lines whose answer is an internal-error
    object), hangs (a gap of more than --hang seconds between two answers, or a process that did not finish),
    exit codes, the slowest answer, wall time; and, in-process, the time to read a date answer and a message's
    facts from 100,000 characters with the length cap lifted (linear, not merely cut short).

Uses a private WEIQUAN_HOME so it never touches your own cache. Exit status 1 if any count is not zero.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

UNITS = ["天前", "天了", "日前", "天以前", " days ago", " weeks ago", "个月前", "小时前", "周前"]
MONEY = ["元", "块", "万", "千", "w", "k", "亿", "", "块钱", " yuan", " rmb"]
WORDS = ["淘宝", "天猫", "tb", "拼夕夕", "狗东", "抖音", "闲鱼", "签收", "收到", "付款", "第", "上上周", "周五", "前天晚上", "吊牌",
         "剪了", "不是", "没有", "并非", "not ", "isn't ", "食品", "鉴定报告", "威胁", "差评", "我是卖家", "买家", "卖家", "花了", "¥",
         "11.16", "11/16", "2026-11-16", "the 3rd", "last Friday", "是不是", "如果", "yes", "no", "嗯", "😀", "\u202e", "\u200b"]


def hostile_line(rng: random.Random) -> bytes:
    kind = rng.randrange(20)
    if kind == 0:
        return f"淘宝 {'9' * rng.randint(7, 5000)}{rng.choice(UNITS)}签收".encode()
    if kind == 1:
        return f"花了{'9' * rng.choice([13, 400, 4301, 5000])}{rng.choice(MONEY)}".encode()
    if kind == 2:
        return rng.choice(["1,2,3", "nan", "inf", "-inf", "1e999", "-5元", "0.0000001", "1" * 20 + ".5万", "2.5.6万", "万万万",
                           "两两两", "一亿亿", "9" * 12 + "亿", "--fact price=1,2,3", "-x", "--help", "ask", "-"]).encode()
    if kind == 3:
        return (rng.choice(WORDS) * rng.randint(100, 3000)).encode()
    if kind == 4:
        return "".join(rng.choice(WORDS) for _ in range(rng.randint(1, 40))).encode()
    if kind == 5:
        return bytes(rng.randrange(256) for _ in range(rng.randint(0, 200)))
    if kind == 6:
        return "".join(chr(rng.choice([rng.randrange(0x20, 0x7f), rng.randrange(0x4e00, 0x9fff), rng.randrange(0x110000)]))
                       for _ in range(rng.randint(0, 80))).encode("utf-8", "surrogatepass")
    if kind == 7:
        return "".join(rng.choice(WORDS) for _ in range(5)).encode("gb18030", "replace")
    if kind == 8:
        return b""
    if kind == 9:
        return (rng.choice(["1", "1 ", "上", "年", "月", "号", "-", ".", ",", "不", "n't ", " "]) * rng.randint(10_000, 100_000)).encode() \
            if rng.random() < 0.02 else f"{rng.randint(0, 10**6)}{rng.choice(UNITS)}".encode()
    if kind == 10:
        return f"{rng.randint(1, 99)}.{rng.randint(1, 99)}收到的，花了{rng.randint(0, 10**9)}{rng.choice(MONEY)}".encode()
    if kind == 11:
        return f"第{rng.randint(0, 10**15)}天，{rng.randint(0, 10**6)}号，{rng.randint(0, 99)}月{rng.randint(0, 99)}日".encode()
    if kind == 12:
        return ("\x00\x01\x1b[2J\x1b]0;title\x07" + rng.choice(WORDS) + "\r").encode()
    if kind == 13:
        return ("(" * rng.randint(1, 5000) + "淘宝" + ")" * rng.randint(1, 5000)).encode()
    if kind == 14:
        return f"{rng.randint(1000, 99999)}-{rng.randint(0, 99)}-{rng.randint(0, 99)}签收 {rng.randint(0, 9999)}/{rng.randint(0, 99)}/{rng.randint(0, 99999)}".encode()
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 12))).encode()


def run(lines: list[bytes], home: str, hang: float) -> dict:
    cmd = [sys.executable, "-m", "assistant.cli", "ask", "--json", "--today", "2026-11-21", "-"]
    child = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT,
                             env={**os.environ, "WEIQUAN_HOME": home})

    def feed():
        try:
            for line in lines:
                child.stdin.write(line.replace(b"\n", b" ").replace(b"\r", b" ") + b"\n")
            child.stdin.close()
        except BrokenPipeError:
            pass

    threading.Thread(target=feed, daemon=True).start()
    counts = {"output": 0, "invalid": 0, "internal": 0, "gaps": 0, "slowest": 0.0}
    last = time.perf_counter()
    watchdog = threading.Timer(max(600.0, len(lines) * 0.2), child.kill)
    watchdog.start()
    for raw in child.stdout:
        now = time.perf_counter()
        counts["slowest"] = max(counts["slowest"], now - last)
        counts["gaps"] += now - last > hang
        last = now
        counts["output"] += 1
        try:
            answer = json.loads(raw, parse_constant=lambda name: (_ for _ in ()).throw(ValueError(name)))
        except ValueError:
            counts["invalid"] += 1
            continue
        counts["internal"] += str(answer.get("error", "")).startswith("internal error")
    watchdog.cancel()
    counts["returncode"] = child.wait()
    counts["killed"] = counts["returncode"] < 0
    return counts


SHAPES = ["1" * 100_000, "上" * 100_000, "11.16收到" * 14_000, "1 " * 50_000, "nov " * 25_000, "9" * 99_990 + "天前",
          "吊牌剪了不" * 20_000, "不是食品" * 25_000, "花了1元" * 25_000, "是不是淘宝" * 20_000]


def reading_speed() -> tuple[float, float]:
    """Worst seconds to read a date answer and a message's facts from 100,000 characters, with the length cap
    lifted: what stays fast here is linear, not merely cut short."""
    from assistant import extract

    today = dt.date(2026, 11, 21)
    saved = extract.LIMIT, extract.ANSWER_LIMIT
    extract.LIMIT = extract.ANSWER_LIMIT = 10**6
    try:
        dates = facts = 0.0
        for text in SHAPES:
            start = time.perf_counter()
            try:
                extract.parse_date_text(text, today)
            except ValueError:
                pass
            dates = max(dates, time.perf_counter() - start)
            start = time.perf_counter()
            extract.extract_facts(text, today)
            facts = max(facts, time.perf_counter() - start)
    finally:
        extract.LIMIT, extract.ANSWER_LIMIT = saved
    return dates, facts


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hang", type=float, default=10.0, help="seconds without an answer that count as a hang")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    lines = [hostile_line(rng) for _ in range(args.lines)]
    home = tempfile.mkdtemp(prefix="weiquan-hostile-")
    subprocess.run([sys.executable, "-m", "assistant.cli", "ask", "warm the cache"], cwd=ROOT, capture_output=True,
                   env={**os.environ, "WEIQUAN_HOME": home})
    start = time.perf_counter()
    shares = [lines[i::args.workers] for i in range(args.workers)]
    results: list[dict] = [{} for _ in shares]
    threads = [threading.Thread(target=lambda i=i: results.__setitem__(i, run(shares[i], home, args.hang))) for i in range(len(shares))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start

    output = sum(r["output"] for r in results)
    invalid = sum(r["invalid"] for r in results)
    internal = sum(r["internal"] for r in results)
    hangs = sum(r["gaps"] + r["killed"] for r in results)
    long_lines = sum(len(line) >= 10_000 for line in lines)
    print(f"input lines:          {len(lines):>8,}   ({long_lines:,} of 10,000+ characters, {sum(len(x) for x in lines) / 1e6:.1f} MB)")
    print(f"output lines:         {output:>8,}")
    print(f"invalid JSON lines:   {invalid:>8,}")
    print(f"internal errors:      {internal:>8,}")
    print(f"hangs (> {args.hang:g} s):       {hangs:>8,}")
    print(f"exit codes:           {sorted({r['returncode'] for r in results})}")
    print(f"slowest answer:       {max(r['slowest'] for r in results):8.2f} s")
    print(f"wall time:            {wall:8.1f} s ({args.workers} processes)")
    dates, facts = reading_speed()
    print(f"100,000 characters, length cap lifted: a date answer {dates:.2f} s, a message's facts {facts:.2f} s (worst of {len(SHAPES)} shapes)")
    bad = invalid or internal or hangs or output != len(lines) or any(r["returncode"] for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
