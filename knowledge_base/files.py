"""Which files make up a knowledge base, and a fingerprint of their contents (cheap: no YAML parsing)."""
from __future__ import annotations

import hashlib
from pathlib import Path

DICT_FILES = ("dict/user_words.txt", "dict/synonyms.yaml", "dict/stopwords.txt")


def kb_files(root: Path) -> list[Path]:
    files = list((root / "scenarios").glob("*.yaml")) + [root / name for name in ("facts.yaml", "parameters.yaml", "out_of_scope.yaml")]
    files += [root / name for name in DICT_FILES]
    files += list((root / "holidays").glob("*.yaml")) + [root / "drafts.yaml"]  # checked when loading, so part of the build
    return [p for p in files if p.is_file()]


def fingerprint(root: Path) -> str:
    """A hash of every file the knowledge base is built from; the engine is cached under it."""
    digest = hashlib.sha256()
    for path in sorted(kb_files(root)):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:24]
