"""Wheel build hook: ship the shipped knowledge base already built, so the first question after `pip install`
is answered in a fraction of a second instead of waiting seconds for the matcher to train.

The built file is data only (see assistant/cache.py) and named by the knowledge base's and the program's
hashes: if either differs at run time it is simply not used and weiquan builds its own, as without this hook.
A failure here therefore costs speed, never the install.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class PrebuiltEngineHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return  # an editable install runs from the source tree and builds into the user's cache
        root = Path(self.root)
        folder = Path(tempfile.mkdtemp(prefix="weiquan-prebuilt-"))
        sys.path.insert(0, str(root))
        try:
            from assistant.engine import write_build

            built = write_build(root / "data", folder)
        except Exception as error:  # noqa: BLE001 - any failure only means the first run trains, as before
            self.app.display_warning(f"weiquan: shipping without a prebuilt engine ({type(error).__name__}: {error})")
            return
        finally:
            sys.path.remove(str(root))
        build_data["force_include"][str(built)] = f"assistant/prebuilt/{built.name}"
