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
