"""The one module that knows where weiquan's files live."""
from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def shipped_kb_dir() -> Path:
    """The knowledge base shipped with the program.

    In an installed wheel it sits inside this package; in a source checkout it is the repository's data/.
    """
    inside = _PACKAGE_DIR / "data"
    if (inside / "scenarios").is_dir():
        return inside
    return _PACKAGE_DIR.parent / "data"


def is_installed(path: Path) -> bool:
    """Whether a folder lies inside an installed package (the wheel's own knowledge base, site-packages): files
    there are shared by every user of that Python and replaced on upgrade, so weiquan never writes there."""
    resolved = Path(path).resolve()
    if {"site-packages", "dist-packages"} & set(resolved.parts):
        return True
    inside = (_PACKAGE_DIR / "data").resolve()
    return (inside / "scenarios").is_dir() and (resolved == inside or inside in resolved.parents)


def user_home() -> Path:
    """Where user data goes: $WEIQUAN_HOME, else the platformdirs user-data folder. Never created here."""
    env = os.environ.get("WEIQUAN_HOME")
    if env:
        return Path(os.path.expanduser(env))  # a quoted '~/x' means the home folder, not a folder named ~
    import platformdirs

    return Path(platformdirs.user_data_dir("weiquan", appauthor=False))


def cache_dir() -> Path:
    """Where derived, rebuildable files go (the prebuilt matching index)."""
    env = os.environ.get("WEIQUAN_HOME")
    if env:
        return Path(os.path.expanduser(env)) / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir("weiquan", appauthor=False))


def write_derived(path: Path, data: bytes, prefix: str) -> None:
    """Write a rebuildable file atomically (temp file + rename: a reader never sees half of it, and two writers
    only mean one of them won). Never raises: a read-only or full disk only costs speed."""
    import tempfile

    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


CACHE_BUILDS_KEPT = 3  # the shipped knowledge base and an author's copy or two


def prune_cache(pattern: str = "engine-*", keep: int = CACHE_BUILDS_KEPT) -> list[Path]:
    """Remove all but the `keep` newest files matching `pattern` in the cache folder, so that editing a knowledge
    base does not leave one build per edit behind. Returns what was removed; never raises (a file another process
    removed first, or a read-only folder, only means less was pruned)."""
    folder = cache_dir()
    dated = []
    for path in folder.glob(pattern) if folder.is_dir() else []:
        try:
            dated.append((path.stat().st_mtime, path.name, path))
        except OSError:
            continue
    removed = []
    for _, _, path in sorted(dated, reverse=True)[keep:]:
        try:
            path.unlink()
            removed.append(path)
        except OSError:
            continue
    return removed
