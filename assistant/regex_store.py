"""Compiled regular expressions kept between runs of the command line.

Compiling the program's and the knowledge base's patterns (dates, amounts, roles, every fact's phrases, and
jieba's and rich's own) is about a fifth of a one-question run: ≈30 ms that `re` forgets when the process ends.
This keeps what the compiler produces for each pattern — its instruction list, groups and flags — in the cache
folder and hands it straight to the regex engine next time. The engine validates an instruction list before it
uses it (a damaged entry raises, and the pattern is compiled as usual); the file is keyed by the exact Python
build; and where the compiler's internals are not the ones expected (another Python, another interpreter) `re`
is left as it is.
"""
from __future__ import annotations

import hashlib
import marshal
import re
import sys
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from knowledge_base.locations import cache_dir, write_derived

try:
    import _sre
    from re import _compiler, _parser

    if not all(map(callable, (_compiler.compile, _compiler._code, _parser.parse, _sre.compile))):
        raise AttributeError
    _ORIGINAL = _compiler.compile
except (ImportError, AttributeError):  # Python 3.10 (sre_compile) or another interpreter: nothing to speed up
    _compiler = None

_CODE_TYPE = "I"  # _sre.CODESIZE is 4: its instructions are unsigned 32-bit integers (checked before use)
MAX_ENTRIES = 4000  # an author's edits add patterns; past this the file keeps only what the last run used

_state: dict = {}  # inside kept(): path, stored and new entries by (pattern, flags), the keys used


def store_path() -> Path:
    build = hashlib.sha256(f"{sys.version}|{_sre.MAGIC}|{_sre.CODESIZE}".encode()).hexdigest()[:12]
    return cache_dir() / f"regex-{build}.bin"


def _entry(pattern: str | bytes, flags: int) -> tuple:
    """What re._compiler.compile hands to _sre.compile, the instruction list packed as bytes (read back 30 times
    faster than marshal's integers: 0.6 against 18 ms for the patterns of one question)."""
    parsed = _parser.parse(pattern, flags)
    code = array(_CODE_TYPE, _compiler._code(parsed, flags)).tobytes()
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, number in groupindex.items():
        indexgroup[number] = name
    return int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup)


def _served(pattern, entry) -> re.Pattern | None:
    """The pattern built from a stored entry; None if the entry is damaged or the engine's own check rejects it."""
    try:
        flags, packed, groups, groupindex, indexgroup = entry
        code = array(_CODE_TYPE)
        code.frombytes(packed)
        return _sre.compile(pattern, flags, code.tolist(), groups, groupindex, indexgroup)
    except Exception:  # noqa: BLE001  # whatever is wrong with an entry, the answer is to compile afresh
        return None


def _compile(pattern, flags=0):
    """Stands in for re._compiler.compile (re's in-memory cache still sits in front of it). Reads the store through
    local names: a background thread may still compile while the command ends and the store is put away."""
    stored, new, used = _state.get("stored"), _state.get("new"), _state.get("used")
    if stored is None or new is None or used is None or not isinstance(pattern, (str, bytes)) or flags & re.DEBUG:
        return _ORIGINAL(pattern, flags)
    key = (pattern, int(flags))
    entry = stored.get(key) or new.get(key)
    compiled = _served(pattern, entry) if entry is not None else None
    if compiled is None:
        stored.pop(key, None)
        try:
            entry = _entry(pattern, int(flags))
        except Exception:  # noqa: BLE001  # a bad pattern: let re say so in its own words
            return _ORIGINAL(pattern, flags)
        compiled = _served(pattern, entry)
        if compiled is None:  # the compiler's internals are not what this module expects: leave it to re
            return _ORIGINAL(pattern, flags)
        new[key] = entry
    used.add(key)
    return compiled


def _read(path: Path) -> dict:
    try:
        with open(path, "rb") as handle:
            stored = marshal.load(handle)
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return stored if isinstance(stored, dict) else {}


@contextmanager
def kept() -> Iterator[None]:
    """Inside: patterns come from the store, and what was compiled anew is stored at the end. Does nothing where
    unsupported, or inside another `kept()`."""
    if _compiler is None or _state or array(_CODE_TYPE).itemsize != _sre.CODESIZE:
        yield
        return
    path = store_path()
    _state.update(path=path, stored=_read(path), used=set(), new={})
    _compiler.compile = _compile
    try:
        yield
    finally:
        _compiler.compile = _ORIGINAL
        _save()
        _state.clear()


def _save() -> None:
    """Write the store if this run compiled patterns it did not have (atomically: a reader never sees half a file;
    two runs writing at once only means one of them wrote it). Never raises: the store is only a speed-up."""
    if not _state["new"]:
        return
    stored, new = _state["stored"], _state["new"]
    keep = {**stored, **new}
    if len(keep) > MAX_ENTRIES:
        keep = {key: keep[key] for key in _state["used"] | set(new) if key in keep}
    write_derived(_state["path"], marshal.dumps(keep), prefix=".regex-")
