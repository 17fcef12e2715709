"""The compiled-regex store: a pattern served from it is the pattern `re` would compile, and a damaged store
costs only time."""
import marshal
import re
from re import _compiler

import pytest

from assistant import extract, regex_store, text

pytestmark = pytest.mark.skipif(regex_store._compiler is None, reason="this Python's re has other internals")

# the program's own patterns, big and small: named groups, lookbehinds, Chinese character classes, inline flags
PATTERNS = [p.pattern for p in (extract._DATE_RE, extract._AMOUNT, extract._STATED_ROLE, text.NEGATION, text.HAN_RUN)]
PATTERNS += [r"(?i)\bRefund(?P<s>s)?\b", rb"\x00(?P<b>[a-z]+)\xff"]
SAMPLES = ["我3月5日买的耳机，花了299元，卖家不是不给退", "2024-11-03 paid ¥1,299", "I'm a seller, REFUNDS 拒绝退款",
           "\x00abc\xff"]


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("WEIQUAN_HOME", str(tmp_path))
    re.purge()  # re's in-memory cache sits in front of the store
    yield tmp_path
    re.purge()


def _fresh(pattern):
    return _compiler.compile(pattern, 0)  # the real compiler (outside kept())


def _compile_all():
    re.purge()
    return [re.compile(p) for p in PATTERNS]


def _same(served, fresh):
    assert (served.pattern, served.flags, served.groups, served.groupindex) == (fresh.pattern, fresh.flags, fresh.groups, fresh.groupindex)
    for sample in SAMPLES:
        sample = sample.encode("latin-1", "replace") if isinstance(fresh.pattern, bytes) else sample
        assert [m.span() + m.groups() for m in served.finditer(sample)] == [m.span() + m.groups() for m in fresh.finditer(sample)]


def test_a_second_run_serves_the_stored_patterns_and_they_match_like_fresh_ones(home):
    with regex_store.kept():
        _compile_all()
    path = regex_store.store_path()
    assert path.parent == home / "cache" and path.is_file()
    with regex_store.kept():
        served = _compile_all()
        assert {(p, 0) for p in PATTERNS} <= regex_store._state["used"]
        assert not regex_store._state["new"]  # nothing compiled anew
    for pattern, compiled in zip(PATTERNS, served):
        _same(compiled, _fresh(pattern))
    assert _compiler.compile is not regex_store._compile  # re is itself again outside


def test_nothing_new_writes_nothing(home):
    with regex_store.kept():
        _compile_all()
    before = regex_store.store_path().stat().st_mtime_ns
    with regex_store.kept():
        _compile_all()
    assert regex_store.store_path().stat().st_mtime_ns == before


@pytest.mark.parametrize("damage", [b"", b"not marshal at all", marshal.dumps([1, 2, 3]), "truncate"])
def test_a_damaged_store_is_ignored_and_replaced(home, damage):
    with regex_store.kept():
        _compile_all()
    path = regex_store.store_path()
    path.write_bytes(path.read_bytes()[:1000] if damage == "truncate" else damage)
    with regex_store.kept():
        served = _compile_all()
    for pattern, compiled in zip(PATTERNS, served):
        _same(compiled, _fresh(pattern))
    assert {(p, 0) for p in PATTERNS} <= set(marshal.loads(path.read_bytes()))


def test_an_entry_the_engine_rejects_is_compiled_as_usual_and_dropped(home):
    with regex_store.kept():
        _compile_all()
    path = regex_store.store_path()
    stored = marshal.loads(path.read_bytes())
    key = (PATTERNS[0], 0)
    flags, code, groups, groupindex, indexgroup = stored[key]
    stored[key] = (flags, b"\xff" * len(code), groups, groupindex, indexgroup)  # instructions that make no sense
    stored[(PATTERNS[1], 0)] = ("not", "an", "entry")
    path.write_bytes(marshal.dumps(stored))
    with regex_store.kept():
        served = _compile_all()
        assert key not in regex_store._state["stored"] and key in regex_store._state["new"]
    for pattern, compiled in zip(PATTERNS, served):
        _same(compiled, _fresh(pattern))
    assert marshal.loads(path.read_bytes())[key][1] == code  # stored right again


def test_a_bad_pattern_still_raises_res_own_error(home):
    with regex_store.kept(), pytest.raises(re.error, match="missing \\)"):
        re.compile("(unclosed")


def test_the_store_keeps_only_the_last_runs_patterns_once_it_is_too_big(home, monkeypatch):
    monkeypatch.setattr(regex_store, "MAX_ENTRIES", len(PATTERNS) + 2)
    with regex_store.kept():
        for n in range(5):
            re.compile(f"old{n}")
    with regex_store.kept():
        _compile_all()
    assert set(marshal.loads(regex_store.store_path().read_bytes())) == {(p, 0) for p in PATTERNS}


def test_an_unwritable_cache_folder_only_costs_time(home):
    (home / "cache").write_text("a file where the folder should be")
    with regex_store.kept():
        served = _compile_all()
    for pattern, compiled in zip(PATTERNS, served):
        _same(compiled, _fresh(pattern))


def test_the_command_line_uses_it(home, capsys):
    from assistant.cli import main

    assert main(["ask", "--json", "淘宝买的耳机收到就坏了，卖家不给退"]) == 0
    assert regex_store.store_path().is_file()
    assert not regex_store._state  # and puts re back when it ends


def test_a_thread_still_compiling_as_the_command_ends_gets_a_real_pattern(home):
    with regex_store.kept():
        hook = _compiler.compile  # what a background thread may have looked up just before the end
    assert hook is regex_store._compile and _compiler.compile is not hook
    _same(hook(PATTERNS[0], 0), _fresh(PATTERNS[0]))


def test_a_failed_write_leaves_the_old_store_and_no_temporary_file(home, monkeypatch):
    from knowledge_base import locations

    with regex_store.kept():
        _compile_all()
    before = regex_store.store_path().read_bytes()

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(locations.os, "replace", fail)
    with regex_store.kept():
        re.compile("a pattern not stored yet")
    assert regex_store.store_path().read_bytes() == before
    assert [p.name for p in regex_store.store_path().parent.iterdir() if p.name.endswith(".tmp")] == []
