"""The loaded engine: knowledge base + matcher, built once per knowledge base and cached on disk.

Building needs jieba's dictionary file, a validation pass over every YAML file and training the classifier; a
person asking one question should not wait for that, so the result is kept in the user cache folder (data only,
see cache.py) under a key made of the knowledge base's contents and the engine's own source. Any change to
either rebuilds it.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from knowledge_base import locations
from knowledge_base.files import fingerprint

from . import cache
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


def _build_name(kb_dir: Path) -> str:
    return f"engine-{fingerprint(kb_dir)}-{_code_version()}.bin"


def _cache_path(kb_dir: Path) -> Path:
    return locations.cache_dir() / _build_name(kb_dir)


# The wheel carries the shipped knowledge base already built (hatch_build.py), so the first question after an
# install does not wait for training. Its name holds the same key as a cache file: it is used only when both
# the knowledge base and the program are the ones it was built from.
PREBUILT_DIR = Path(__file__).resolve().parent / "prebuilt"


def load_engine(kb_dir: Path | str | None = None, *, use_cache: bool = True) -> Engine:
    """Load the knowledge base at kb_dir (default: the shipped one). Raises KnowledgeBaseError if invalid."""
    root = Path(kb_dir) if kb_dir is not None else locations.shipped_kb_dir()
    path = _cache_path(root) if use_cache else None
    if path is not None:
        cached = cache.read(path, root)
        if cached is None:
            cached = cache.read(PREBUILT_DIR / path.name, root)
        if cached is not None:
            kb, index = cached
            return Engine(kb, Matcher(index))
    kb, index = _build(root)
    if path is not None:
        locations.prune_cache(keep=locations.CACHE_BUILDS_KEPT - 1)  # room for the build written next
        cache.write(path, kb, index)
    return Engine(kb, Matcher(index))


def _build(root: Path):
    """(kb, index): validate every file and train the matcher, the slow part."""
    from knowledge_base.loader import load

    from .match import build_index

    kb = load(root).as_views()
    return kb, build_index(kb)


def write_build(kb_dir: Path, folder: Path) -> Path:
    """Build the engine for kb_dir into folder under its cache name (for the wheel: see hatch_build.py)."""
    path = folder / _build_name(kb_dir)
    cache.write(path, *_build(kb_dir))
    if not path.is_file():
        raise OSError(f"could not write {path}")
    return path
