"""The loaded engine: knowledge base + matcher, built once per knowledge base and cached on disk.

Building needs jieba's dictionary file and a validation pass over every YAML file; a person asking one
question should not wait for that, so the result is pickled in the user cache folder under a key made of the
knowledge base's contents and the engine's own source. Any change to either rebuilds it.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

from knowledge_base import locations
from knowledge_base.files import fingerprint

from .match import Matcher

if TYPE_CHECKING:
    from knowledge_base.loader import KnowledgeBase



@dataclass
class Engine:
    kb: "KnowledgeBase"
    matcher: Matcher


def _code_version() -> str:
    """A hash of the engine's own source: a changed program never reads an index an older one built."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent
    for package in ("assistant", "knowledge_base"):
        for path in sorted((root / package).glob("*.py")):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _cache_path(kb_dir: Path) -> Path:
    return locations.cache_dir() / f"engine-{fingerprint(kb_dir)}-{_code_version()}.pickle"


def load_engine(kb_dir: Path | str | None = None, *, use_cache: bool = True) -> Engine:
    """Load the knowledge base at kb_dir (default: the shipped one). Raises KnowledgeBaseError if invalid."""
    root = Path(kb_dir) if kb_dir is not None else locations.shipped_kb_dir()
    path = _cache_path(root) if use_cache else None
    if path is not None and path.is_file():
        try:
            with open(path, "rb") as handle:
                kb, index = pickle.load(handle)
            kb.root = root
            return Engine(kb, Matcher(index))
        except Exception:  # a stale or damaged cache file is rebuilt, never fatal
            pass
    from knowledge_base.loader import load

    from .match import build_index

    kb = load(root).as_views()
    index = build_index(kb)
    if path is not None:
        _write_cache(path, (kb, index))
    return Engine(kb, Matcher(index))


def _write_cache(path: Path, payload: tuple) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        stale = sorted(path.parent.glob("engine-*.pickle"), key=lambda p: p.stat().st_mtime)[:-3]
        for old in stale:  # keep a few (the shipped KB and an author's copy), drop the rest
            old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".engine-", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(payload, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: a reader never sees half a file
    except OSError:
        pass  # a read-only or full disk only costs speed
