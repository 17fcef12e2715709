"""The Textual app: screens, widgets and one stylesheet. It talks only to assistant.dialogue."""
from __future__ import annotations

import datetime as dt
from pathlib import Path


def make_app(kb_dir: str | Path | None = None, *, today: dt.date | None = None, lang: str = "auto"):
    """The app factory, used by `weiquan` and by the tests (which pass their own knowledge base and date)."""
    from .app import WeiquanApp

    return WeiquanApp(kb_dir=kb_dir, today=today, lang=lang)
