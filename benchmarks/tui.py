"""Speed of the terminal app, driven through Textual's Pilot (headless, 80×24).

    python benchmarks/tui.py [--runs 5]

first paint: a new process, from start until the chat screen is mounted and painted;
engine ready: until the knowledge base is loaded in the background (the prompt works before that);
answer: from submitting the prompt (what Enter does) until the reply is mounted, once the engine is loaded
(median, p95). Pilot's `press` is not used for this: it waits for the whole app to settle, which measures
Pilot rather than weiquan.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import time; t0 = time.perf_counter()
import asyncio, datetime as dt, json, sys
sys.path.insert(0, sys.argv[1])
from tui import make_app

QUESTIONS = ["不喜欢了能退吗，11月14号签收的，淘宝", "my parcel never arrived", "天猫买的东西付款五天了还不发货", "1299",
             "卖家被投诉售假，昨天收到的通知", "淘宝", "优惠券用不了", "how do I appeal Xiao Er's ruling"]

async def main():
    app = make_app(today=dt.date(2026, 11, 21))
    out = {}
    mounted = type(app).on_mount

    def on_mount(self):
        mounted(self)  # then note the moment the first frame has been drawn
        self.call_after_refresh(lambda: out.setdefault("first_paint", time.perf_counter() - t0))

    type(app).on_mount = on_mount
    async with app.run_test(size=(80, 24)) as pilot:
        while "first_paint" not in out:
            await asyncio.sleep(0.001)
        while app.conversation is None:
            await pilot.pause(0.005)
        out["engine_ready"] = time.perf_counter() - t0
        times = []
        for text in QUESTIONS:
            prompt = app.query_one("#prompt")
            prompt.value = text
            shown = len(app.query(".assistant, .verdict"))
            start = time.perf_counter()
            await prompt.action_submit()  # what Enter does, without Pilot's own settling waits
            while len(app.query(".assistant, .verdict")) == shown or app.busy:
                await asyncio.sleep(0.001)
            await app.animator.wait_until_complete()
            times.append(time.perf_counter() - start)
        out["answers"] = times
    print(json.dumps(out))

asyncio.run(main())
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    env = {**os.environ, "WEIQUAN_HOME": tempfile.mkdtemp(prefix="weiquan-bench-")}
    subprocess.run([sys.executable, "-c", CHILD, str(ROOT)], env=env, check=True, capture_output=True)  # warm the cache
    runs = [json.loads(subprocess.run([sys.executable, "-c", CHILD, str(ROOT)], env=env, check=True, capture_output=True, text=True).stdout)
            for _ in range(args.runs)]
    paint = statistics.median(r["first_paint"] for r in runs)
    ready = statistics.median(r["engine_ready"] for r in runs)
    answers = sorted(t for r in runs for t in r["answers"])
    p95 = answers[int(0.95 * (len(answers) - 1))]
    print(f"first paint (new process → chat screen painted)  {paint * 1000:6.0f} ms")
    print(f"engine ready in the background                     {ready * 1000:6.0f} ms")
    print(f"answer on screen after Enter: median {statistics.median(answers) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms ({len(answers)} answers)")


if __name__ == "__main__":
    main()
