"""The fact vocabulary: parsing a value a person gave for a named fact, with one-line errors."""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

_TRUE = {"true", "yes", "y", "1", "是", "是的", "对", "有"}
_FALSE = {"false", "no", "n", "0", "否", "不是", "没有", "不"}
_MONEY_RE = re.compile(r"^(?:¥|￥|rmb|cny)?\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(?:元|块|块钱|yuan|rmb|cny)?$", re.I)


class FactError(ValueError):
    """A fact name or value that cannot be used; the message is one line for the person who typed it."""


@dataclass(frozen=True)
class Fact:
    name: str
    value: Any
    source: str  # "question", "flag" or "answer"

    def as_json(self) -> dict:
        value = self.value.isoformat() if isinstance(self.value, dt.date) else self.value
        return {"value": value, "source": self.source}


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise FactError(f"{text.strip()!r} is not a valid date (use YYYY-MM-DD)") from None


def parse_value(name: str, definition, raw: str) -> Any:
    """Turn text into the fact's typed value, or raise FactError."""
    text = raw.strip()
    if not text:
        raise FactError(f"{name}: no value given")
    kind = definition.type
    if kind == "enum":
        lowered = text.lower()
        for choice in definition.choices:
            if lowered in (choice.value.lower(), choice.label.zh.lower(), choice.label.en.lower()):
                return choice.value
        allowed = ", ".join(choice.value for choice in definition.choices)
        raise FactError(f"{name}: {text!r} is not one of {allowed}")
    if kind == "date":
        try:
            return parse_date(text)
        except FactError as exc:
            raise FactError(f"{name}: {exc}") from None
    if kind in ("number", "integer"):
        match = _MONEY_RE.match(text.replace(" ", ""))
        if not match:
            raise FactError(f"{name}: {text!r} is not a number")
        number = float(match.group(1).replace(",", ""))
        if kind == "integer":
            if not number.is_integer():
                raise FactError(f"{name}: {text!r} is not a whole number")
            return int(number)
        return int(number) if number.is_integer() else number
    if kind == "boolean":
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise FactError(f"{name}: {text!r} is not true or false")
    raise FactError(f"{name}: unsupported fact type {kind!r}")  # pragma: no cover - schema forbids it


def parse_flag(assignment: str, known: dict, today: dt.date | None = None) -> Fact:
    """Parse one `--fact NAME=VALUE`. `known` maps fact names to their definitions; dates after `today`
    are refused (a deadline cannot run from an event that has not happened)."""
    if "=" not in assignment:
        raise FactError(f"--fact {assignment!r}: expected NAME=VALUE")
    name, raw = assignment.split("=", 1)
    name = name.strip()
    if name not in known:
        close = difflib.get_close_matches(name, list(known), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise FactError(f"--fact: unknown fact {name!r}{hint}")
    value = parse_value(name, known[name], raw)
    if today is not None and isinstance(value, dt.date) and value > today:
        raise FactError(f"{name}: {value.isoformat()} is after today ({today.isoformat()})")
    return Fact(name, value, "flag")
