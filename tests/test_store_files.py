"""The case store and the files weiquan writes, under hostile conditions: concurrent first use, a read-only
folder, a full disk, a FIFO, someone else's WAL database, flipped bits, an empty file, a dangling link, a bad
stored fact; private permissions, atomic exports that never overwrite silently, escaped user text, delete
and purge, the 65,537th id of a day, a WEIQUAN_HOME written with ~."""
import datetime as dt
import hashlib
import json
import os
import sqlite3
import stat
import subprocess
import sys

import pytest

from assistant.cases import CaseStore, Event, StoreError, new_id
from conftest import ROOT, run_cli

TODAY = dt.date(2026, 11, 21)
needs_posix_user = pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores file permissions")


@pytest.fixture
def home(tmp_path):
    return {"WEIQUAN_HOME": str(tmp_path / "home")}


def cli(home, *args, code=0):
    result = run_cli(*args, env=home)
    assert result.returncode == code, result.stderr.decode()
    return result


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line_error(result, *words):
    err = result.stderr.decode()
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err and "internal error" not in err, err
    for word in words:
        assert word in err, err


# ------------------------------------------------------------------ privacy


def test_folder_0700_store_and_exports_0600(home, tmp_path):
    case_id = cli(home, "case", "new", "--scenario", "fake_goods", "--today", "2026-11-21").stdout.decode().strip()
    folder = tmp_path / "home"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "cases.sqlite3").stat().st_mode) == 0o600
    out = tmp_path / "case.md"
    cli(home, "case", "export", case_id, "--out", str(out), "--today", "2026-11-21")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    ics = tmp_path / "due.ics"
    cli(home, "case", "due", "--ics", str(ics), "--today", "2026-11-21")
    assert stat.S_IMODE(ics.stat().st_mode) == 0o600


def test_out_refuses_to_overwrite_without_force_and_replaces_atomically(home, tmp_path):
    case_id = cli(home, "case", "new", "-q", "--scenario", "not_received", "--today", "2026-11-21").stdout.decode().strip()
    out = tmp_path / "case.md"
    out.write_text("my own notes", encoding="utf-8")
    refused = cli(home, "case", "export", case_id, "--out", str(out), code=2)
    one_line_error(refused, "--force")
    assert out.read_text(encoding="utf-8") == "my own notes"
    cli(home, "case", "export", case_id, "--out", str(out), "--force", "--today", "2026-11-21")
    assert out.read_text(encoding="utf-8").startswith("# ")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".case.md")] == []  # no temp file left


def test_a_failed_export_keeps_the_old_file(home, tmp_path):
    case_id = cli(home, "case", "new", "-q", "--scenario", "not_received").stdout.decode().strip()
    missing = tmp_path / "no-such-folder" / "case.md"
    failed = cli(home, "case", "export", case_id, "--out", str(missing), code=1)
    one_line_error(failed, "nothing was written")


def test_titles_and_notes_cannot_reach_the_terminal_raw(home):
    evil = "x\x1b]0;pwned\x07\x1b[2J\u202e"
    case_id = cli(home, "case", "new", "-q", "--scenario", "not_received", "--title", evil).stdout.decode().strip()
    cli(home, "case", "update", case_id, "--event", "note \x1b[31mred")
    for args in (["case", "list"], ["case", "show", case_id], ["case", "due", "--within", "10000"]):
        out = cli(home, *args).stdout.decode()
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out


def test_delete_and_purge(home, tmp_path):
    keep = cli(home, "case", "new", "-q", "--scenario", "not_received").stdout.decode().strip()
    gone = cli(home, "case", "new", "-q", "--scenario", "fake_goods", "--title", "秘密的名字").stdout.decode().strip()
    one_line_error(cli(home, "case", "delete", gone, code=2), "--yes")
    assert "deleted case" in cli(home, "case", "delete", gone, "--yes").stdout.decode()
    ids = [c["id"] for c in json.loads(cli(home, "case", "list", "--json").stdout)]
    assert ids == [keep]
    store = tmp_path / "home" / "cases.sqlite3"
    assert "秘密的名字".encode() not in store.read_bytes() + (store.parent / "cases.sqlite3-wal").read_bytes() if (store.parent / "cases.sqlite3-wal").exists() else True
    one_line_error(cli(home, "case", "purge", code=2), "--yes")
    assert "deleted 1 case" in cli(home, "case", "purge", "--yes").stdout.decode()
    assert not store.exists() and not (store.parent / "cases.sqlite3-wal").exists()
    assert json.loads(cli(home, "case", "list", "--json").stdout) == []


# ------------------------------------------------------------------ what the store says about bad files


def test_a_fifo_is_refused_without_blocking(home, tmp_path):
    store = tmp_path / "home" / "cases.sqlite3"
    store.parent.mkdir()
    os.mkfifo(store)
    for args in (["case", "list"], ["case", "new", "--scenario", "not_received"]):
        one_line_error(cli(home, *args, code=1), "FIFO", "left untouched")  # run_cli has a timeout: a hang fails
    assert stat.S_ISFIFO(os.lstat(store).st_mode)


def test_an_empty_file_and_a_dangling_link_are_not_taken_over(home, tmp_path):
    store = tmp_path / "home" / "cases.sqlite3"
    store.parent.mkdir()
    store.write_bytes(b"")
    one_line_error(cli(home, "case", "new", "--scenario", "not_received", code=1), "empty file", "left untouched")
    assert store.read_bytes() == b""
    store.unlink()
    store.symlink_to(tmp_path / "elsewhere.sqlite3")
    one_line_error(cli(home, "case", "new", "--scenario", "not_received", code=1), "symbolic link", "left untouched")
    assert not (tmp_path / "elsewhere.sqlite3").exists() and store.is_symlink()


def test_a_foreign_wal_database_is_not_modified_by_a_read(home, tmp_path):
    store = tmp_path / "home" / "cases.sqlite3"
    store.parent.mkdir()
    other = sqlite3.connect(store)
    other.execute("PRAGMA journal_mode = WAL")
    other.execute("CREATE TABLE photos (id INTEGER)")
    other.execute("INSERT INTO photos VALUES (1)")
    other.commit()
    # leave the WAL un-checkpointed, as a crashed program would: copy the files while the connection is open
    files = {p.name: p.read_bytes() for p in store.parent.iterdir()}
    other.close()
    for name, data in files.items():
        (store.parent / name).write_bytes(data)
    before = {p.name: digest(p) for p in store.parent.iterdir()}
    for args in (["case", "list"], ["case", "show", "x"], ["case", "new", "--scenario", "not_received"]):
        one_line_error(cli(home, *args, code=1), "something else", "left untouched")
    assert {p.name: digest(p) for p in store.parent.iterdir() if p.name in before} == before


def test_flipped_bits_are_reported_not_crashed_on(tmp_path):
    store = CaseStore(tmp_path / "cases.sqlite3")
    case_id = store.create("fake_goods", "假耳机" * 50, "zh", {"price": (299, "flag")}, TODAY)
    conn = sqlite3.connect(store.path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(store.path.read_bytes())
    offset = data.rfind("假耳机".encode())
    data[offset] ^= 0xFF  # a flipped byte inside a title: not UTF-8 any more
    store.path.write_bytes(bytes(data))
    case = store.get(case_id)  # no UnicodeDecodeError
    assert "\ufffd" in case.title + "".join(e.note for e in case.events)
    damaged = bytearray(store.path.read_bytes())
    for n in range(100, 4096, 7):  # the first page's b-tree: the file is damaged now
        damaged[n] ^= 0x5A
    store.path.write_bytes(bytes(damaged))
    with pytest.raises(StoreError, match="damaged|something else"):
        store.list()


def test_a_read_only_folder_says_so_and_still_reads(tmp_path):
    store = CaseStore(tmp_path / "ro" / "cases.sqlite3")
    case_id = store.create("not_received", "t", "zh", {}, TODAY)
    os.chmod(store.path.parent, 0o500)
    os.chmod(store.path, 0o400)
    try:
        if os.access(store.path.parent, os.W_OK):
            pytest.skip("running as root: permissions are not enforced")
        assert [c.id for c in store.list()] == [case_id]
        with pytest.raises(StoreError, match="read-only"):
            store.update(case_id, event=Event(TODAY, "note", "x"))
    finally:
        os.chmod(store.path.parent, 0o700)
        os.chmod(store.path, 0o600)


def test_a_read_only_store_file_says_so(tmp_path):
    """Root ignores folder permissions but not a read-only open: simulate by a store opened read-only."""
    store = CaseStore(tmp_path / "cases.sqlite3")
    case_id = store.create("not_received", "t", "zh", {}, TODAY)
    conn = store._open(readonly=True)
    with pytest.raises(sqlite3.OperationalError) as caught:
        conn.execute("INSERT INTO events (case_id, date, kind, note, created) VALUES (?, '2026-01-01', 'note', 'x', 'x')", (case_id,))
    conn.close()
    assert "read-only" in str(store._explain(caught.value, True))


class _SmallDisk(CaseStore):
    """A store on a 'disk' that fills up: SQLite's own page limit gives the real SQLITE_FULL error."""

    def _open(self, *, readonly, identify=False):
        conn = super()._open(readonly=readonly, identify=identify)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + 1}")
        return conn


def test_a_full_disk_says_so_and_keeps_everything(tmp_path):
    store = CaseStore(tmp_path / "cases.sqlite3")
    case_id = store.create("not_received", "t", "zh", {}, TODAY)
    full = _SmallDisk(store.path)
    with pytest.raises(StoreError, match="disk is full"):
        for n in range(200):
            full.update(case_id, event=Event(TODAY, "note", "x" * 3000 + str(n)))
    assert store.get(case_id).id == case_id
    check = sqlite3.connect(store.path)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_bad_stored_fact_affects_only_its_own_case(home, tmp_path):
    good = cli(home, "case", "new", "-q", "--scenario", "seven_day_return", "--fact", "received_date=2026-11-18", "--today", "2026-11-21").stdout.decode().strip()
    bad = cli(home, "case", "new", "-q", "--scenario", "late_shipment", "--fact", "platform=taobao", "--fact", "paid_date=2026-11-18",
              "--today", "2026-11-21").stdout.decode().strip()
    conn = sqlite3.connect(tmp_path / "home" / "cases.sqlite3")
    conn.execute("INSERT INTO facts (case_id, name, value, source) VALUES (?, 'seller_promised_ship_hours', '99999999999999', 'flag')", (bad,))
    conn.execute("INSERT INTO facts (case_id, name, value, source) VALUES (?, 'shipped_date', '\"not a date\"', 'flag')", (bad,))
    conn.commit()
    conn.close()
    for today in ("2026-11-21", "9999-12-31"):
        listed = {c["id"]: c for c in json.loads(cli(home, "case", "list", "--json", "--today", today).stdout)}
        assert set(listed) == {good, bad}
        assert listed[bad]["problems"] and not listed[good]["problems"]
    assert json.loads(cli(home, "case", "due", "--json", "--today", "2026-11-21").stdout)[0]["case"] == good
    shown = json.loads(cli(home, "case", "show", bad, "--json", "--today", "2026-11-21").stdout)
    assert any("shipped_date" in p for p in shown["problems"])


# ------------------------------------------------------------------ concurrency and ids


FIRST_USER = r"""
import sys, datetime as dt
sys.path.insert(0, sys.argv[1])
from assistant.cases import CaseStore, StoreError
try:
    case_id = CaseStore(sys.argv[2]).create("not_received", sys.argv[3], "zh", {}, dt.date(2026, 11, 21))
    print(case_id)
except StoreError as exc:
    print("ERROR", exc)
"""


def test_eight_first_users_at_once_all_succeed(tmp_path):
    for round_ in range(3):
        path = tmp_path / f"r{round_}" / "cases.sqlite3"
        users = [subprocess.Popen([sys.executable, "-c", FIRST_USER, str(ROOT), str(path), f"u{n}"], stdout=subprocess.PIPE, text=True)
                 for n in range(8)]
        outputs = [u.communicate(timeout=120)[0].strip() for u in users]
        assert not [o for o in outputs if o.startswith("ERROR") or not o], outputs
        assert sorted(c.title for c in CaseStore(path).list()) == [f"u{n}" for n in range(8)]
        assert [p.name for p in path.parent.iterdir() if p.name.endswith(".new")] == []


def test_ids_never_loop_when_a_day_runs_out():
    taken = set()
    short = iter(["beef"] * 100)
    ids = [new_id(TODAY, taken.__contains__, lambda n: next(short) if n == 2 else "ab" * n) for _ in range(1)]
    taken |= set(ids)
    # every 4-hex id of the day taken: the next one is longer, and found
    assert new_id(TODAY, lambda i: len(i) <= 13, lambda n: "0" * (2 * n)).startswith("20261121-")
    assert len(new_id(TODAY, lambda i: len(i) <= 13, lambda n: "0" * (2 * n))) > 13


def test_weiquan_home_with_a_tilde(tmp_path):
    env = {"WEIQUAN_HOME": "~/wq-home", "HOME": str(tmp_path)}
    cli(env, "case", "new", "-q", "--scenario", "not_received")
    assert (tmp_path / "wq-home" / "cases.sqlite3").exists() and not (ROOT / "~").exists()


def test_serve_quotes_its_command_and_hides_cases_unless_asked():
    import argparse
    import shlex

    from assistant.cli import build_parser, serve_command

    args = build_parser().parse_args(["serve", "--kb", "/tmp/my kb; rm -rf ~"])
    command, env = serve_command(args)
    assert shlex.split(command)[-2:] == ["--kb", "/tmp/my kb; rm -rf ~"]
    assert env == {"WEIQUAN_NO_CASES": "1"}
    assert serve_command(build_parser().parse_args(["serve", "--with-cases"]))[1] == {}
    assert isinstance(args, argparse.Namespace)
