"""Messages the app's background work posts to the UI (workers never touch widgets directly)."""
from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class EngineReady(Message):
    """The knowledge base and matcher are loaded."""

    engine: object


@dataclass
class EngineFailed(Message):
    """Loading failed; `problem` is one line for a notification."""

    problem: str


@dataclass
class TurnReady(Message):
    """The conversation answered `text`."""

    text: str
    turn: object
    replace_last: bool = False


@dataclass
class TurnFailed(Message):
    """Answering `text` raised; the text goes back into the prompt."""

    text: str
    problem: str
