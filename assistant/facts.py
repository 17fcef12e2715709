"""The fact vocabulary: parsing a value a person gave for a named fact, with one-line errors."""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

from .text import NumberError, parse_number

_TRUE = {"true", "yes", "y", "1", "是", "是的", "对", "有"}
_FALSE = {"false", "no", "n", "0", "否", "不是", "没有", "不"}
_DECORATION = re.compile(r"^(?:¥|￥|rmb|cny|人民币)?\s*(.+?)\s*(?:元|块钱|块|圆|yuan|rmb|cny|人民币)?$", re.I)
# What a number fact can plausibly be: a value outside is a slip, refused with its reason, never stored.
RANGES = {
    "price": (0.01, 100_000_000),
    "promised_compensation": (0, 100_000_000),
    "seller_promised_ship_hours": (1, 24 * 365),
}
DEFAULT_RANGES = {"number": (0, 1_000_000_000), "integer": (0, 1_000_000)}
MAX_NUMBER_TEXT = 100  # characters: longer is no number a person types
EARLIEST_DATE = dt.date(1990, 1, 1)  # before online shops: a typo, not an order date


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
    shown = text.strip()[:40]
    try:
        date = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise FactError(f"{shown!r} is not a valid date (use YYYY-MM-DD)") from None
    if date < EARLIEST_DATE:
        raise FactError(f"{date.isoformat()} is before {EARLIEST_DATE.year}: not a date an order could have")
    return date


def checked_number(name: str, kind: str, value: float, shown: str):
    """`value` as the fact's type (int where whole), or FactError if it is not whole or out of the fact's range."""
    low, high = RANGES.get(name, DEFAULT_RANGES.get(kind, (0, 1_000_000_000)))
    if not low <= value <= high:
        raise FactError(f"{name}: {shown!r} is out of range ({low:g}–{high:,.0f})")
    if kind == "integer" and not float(value).is_integer():
        raise FactError(f"{name}: {shown!r} is not a whole number")
    return int(value) if float(value).is_integer() else value


def parse_number_value(name: str, kind: str, text: str):
    """'299', '¥1,299.00', '2.5万', '两百五' as the fact's number; FactError with a one-line reason otherwise."""
    shown = text.strip()[:40] + ("…" if len(text.strip()) > 40 else "")
    if len(text) > MAX_NUMBER_TEXT:
        raise FactError(f"{name}: {shown!r} is too long to be a number")
    match = _DECORATION.match(text.strip())
    try:
        value = parse_number(match.group(1) if match else text)
    except NumberError as exc:
        raise FactError(f"{name}: {exc}") from None
    return checked_number(name, kind, value, shown)


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
        raise FactError(f"{name}: {text[:40]!r} is not one of {allowed}")
    if kind == "date":
        try:
            return parse_date(text)
        except FactError as exc:
            raise FactError(f"{name}: {exc}") from None
    if kind in ("number", "integer"):
        return parse_number_value(name, kind, text)
    if kind == "boolean":
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise FactError(f"{name}: {text[:40]!r} is not true or false")
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
