"""Files weiquan writes for the user hold what they told it (names, amounts, dates): only they may read them.
A file is written 0600 and atomically (a temp file beside it, then a rename: a crash or a full disk never leaves
half a file or destroys the old one); folders weiquan creates are 0700."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def make_private_folder(folder: Path) -> None:
    """Create `folder` and any missing parents 0700 (parents made by `mkdir(parents=True)` would follow the umask)."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir(mode=0o700, exist_ok=True)
        os.chmod(path, 0o700)  # mkdir's mode is filtered by the umask


def write_private_file(path: Path, text: str) -> None:
    """Write `text` to `path` 0600, atomically; OSError when it cannot be written (nothing is left behind)."""
    folder = path.parent if str(path.parent) else Path(".")
    handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")  # created 0600
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
