"""The engine cache holds data only: whatever is planted or damaged in the cache folder is rejected and rebuilt,
and nothing in it is ever run."""
import pickle

from assistant import cache
from assistant.engine import _cache_path, load_engine
from conftest import SHIPPED_KB


def test_round_trip_gives_the_same_answers(engine, tmp_path):
    path = tmp_path / "engine.bin"
    cache.write(path, engine.kb, engine.matcher.index)
    kb, index = cache.read(path, SHIPPED_KB)
    assert kb.scenarios == engine.kb.scenarios and kb.parameters == engine.kb.parameters
    assert index.classes == engine.matcher.index.classes
    from assistant.match import Matcher

    reread = Matcher(index)
    for question in ("快递显示签收了但我没收到", "the seller sent a fake", "优惠券怎么用"):
        assert reread.match(question) == engine.matcher.match(question)


class _Boom:
    def __reduce__(self):
        return (exec, ("open('PWNED', 'w').write('x')",))


def test_a_planted_pickle_is_rejected_and_never_run(engine, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = _cache_path(SHIPPED_KB)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(_Boom()))
    rebuilt = load_engine(SHIPPED_KB)
    assert not (tmp_path / "PWNED").exists()
    assert rebuilt.matcher.match("专柜说我买的包是假的").scenario == "fake_goods"
    assert cache.read(path, SHIPPED_KB) is not None  # the rebuild replaced the planted file


def test_a_damaged_or_truncated_file_is_rejected(engine, tmp_path):
    path = tmp_path / "engine.bin"
    cache.write(path, engine.kb, engine.matcher.index)
    data = path.read_bytes()
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0x40
    for damaged in (bytes(flipped), data[: len(data) // 3], b"", b"weiquan-engine\n{}\n", data[:15] + b"[1,2]\n"):
        path.write_bytes(damaged)
        assert cache.read(path, SHIPPED_KB) is None


def test_a_failed_write_leaves_no_temporary_file(engine, tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise OSError("disk full")

    from knowledge_base import locations

    monkeypatch.setattr(locations.os, "replace", fail)  # the cache writes through locations.write_derived
    cache.write(tmp_path / "engine.bin", engine.kb, engine.matcher.index)
    assert list(tmp_path.iterdir()) == []
