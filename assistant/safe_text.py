"""User text (titles, notes) made safe to show: nothing typed can move the terminal's cursor, change its
colours or title, or add a heading, a list or a code fence to a Markdown export."""
from __future__ import annotations

import re

# C0 and C1 controls (ESC starts every terminal escape sequence), DEL, and the bidi overrides that can make
# text read differently from what it is.
_CONTROLS = re.compile("[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]")
_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~>])")


def one_line(text: str) -> str:
    """Controls and line breaks become spaces: a title or note stays one line wherever it is shown."""
    return _CONTROLS.sub(" ", text).strip()


def terminal(text: str) -> str:
    """Safe to print to a terminal."""
    return one_line(text)


def markdown_inline(text: str) -> str:
    """Safe inside a Markdown line: one line, every character Markdown gives a meaning escaped."""
    return _MARKDOWN.sub(r"\\\1", one_line(text))
