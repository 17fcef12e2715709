"""Case-store reliability: concurrent first users, concurrent writers, and kill -9 in the middle of writes.

    python benchmarks/store.py [--first-users 8] [--rounds 20] [--writers 2,4,8] [--writes 500] [--kills 200]

Prints counts, not timings-as-tests: how many first-use runs gave a false message or lost a case, how many
acknowledged writes were lost under concurrency, and how many acknowledged writes a kill -9 lost (with
`PRAGMA integrity_check` after each kill). Everything happens in a temporary folder.
"""
from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIRST_USER = r"""
import sys, datetime as dt
sys.path.insert(0, sys.argv[1])
from assistant.cases import CaseStore, StoreError
try:
    print(CaseStore(sys.argv[2]).create("not_received", sys.argv[3], "zh", {}, dt.date(2026, 11, 21)))
except StoreError as exc:
    print("ERROR", exc)
"""

WRITER = r"""
import sys, datetime as dt
sys.path.insert(0, sys.argv[1])
from assistant.cases import CaseStore, Event
store = CaseStore(sys.argv[2])
for n in range(int(sys.argv[4])):
    store.update(sys.argv[3], event=Event(dt.date(2026, 11, 20), "note", f"{sys.argv[5]} {n}"))
    print(n, flush=True)
"""


def first_users(folder: Path, users: int, rounds: int) -> dict:
    from assistant.cases import CaseStore

    false_messages = lost = 0
    for round_ in range(rounds):
        path = folder / f"first{round_}" / "cases.sqlite3"
        procs = [subprocess.Popen([sys.executable, "-c", FIRST_USER, str(ROOT), str(path), f"u{n}"], stdout=subprocess.PIPE, text=True)
                 for n in range(users)]
        outs = [p.communicate()[0].strip() for p in procs]
        false_messages += sum(1 for o in outs if o.startswith("ERROR") or not o)
        kept = {c.title for c in CaseStore(path).list()}
        lost += sum(1 for n, o in enumerate(outs) if not o.startswith("ERROR") and f"u{n}" not in kept)
    return {"runs": users * rounds, "false_messages": false_messages, "lost_cases": lost}


def writers(folder: Path, counts: list[int], writes: int) -> list[dict]:
    import datetime as dt

    from assistant.cases import CaseStore

    rows = []
    for count in counts:
        store = CaseStore(folder / f"writers{count}" / "cases.sqlite3")
        case_id = store.create("not_received", "t", "zh", {}, dt.date(2026, 11, 21))
        start = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(ROOT), str(store.path), case_id, str(writes), f"w{w}"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for w in range(count)]
        acknowledged = set()
        failures = 0
        for w, proc in enumerate(procs):
            out, err = proc.communicate()
            acknowledged |= {f"w{w} {line}" for line in out.split()}
            failures += proc.returncode != 0
        seconds = time.perf_counter() - start
        kept = {e.note for e in store.get(case_id).events if e.kind == "note"}
        rows.append({"writers": count, "acknowledged": len(acknowledged), "lost": len(acknowledged - kept),
                     "failed_writers": failures, "writes_per_second": round(len(acknowledged) / seconds)})
    return rows


def kills(folder: Path, iterations: int) -> dict:
    import datetime as dt
    import random

    from assistant.cases import CaseStore

    store = CaseStore(folder / "kills" / "cases.sqlite3")
    case_id = store.create("not_received", "t", "zh", {}, dt.date(2026, 11, 21))
    acknowledged: set[str] = set()
    not_ok = 0
    for k in range(iterations):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(ROOT), str(store.path), case_id, "100000", f"k{k}"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        target = random.randint(1, 30)
        for line in proc.stdout:
            acknowledged.add(f"k{k} {line.strip()}")
            if int(line) >= target:
                break
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        conn = sqlite3.connect(store.path)
        not_ok += conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
        conn.close()
    kept = {e.note for e in store.get(case_id).events if e.kind == "note"}
    return {"kills": iterations, "acknowledged": len(acknowledged), "lost": len(acknowledged - kept), "integrity_failures": not_ok}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first-users", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--writers", default="2,4,8")
    parser.add_argument("--writes", type=int, default=500)
    parser.add_argument("--kills", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        print("first use:", first_users(folder, args.first_users, args.rounds), flush=True)
        for row in writers(folder, [int(n) for n in args.writers.split(",")], args.writes):
            print("concurrent writers:", row, flush=True)
        print("kill -9:", kills(folder, args.kills), flush=True)


if __name__ == "__main__":
    main()
