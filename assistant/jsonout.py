"""JSON on standard output, the same way for every command: UTF-8 as it is (维权, never \\u7ef4\\u6743), no NaN."""
from __future__ import annotations

import json


def to_json(data, *, indent: int | None = None) -> str:
    return json.dumps(data, ensure_ascii=False, indent=indent, allow_nan=False)


def print_json(data, *, indent: int | None = 2) -> None:
    print(to_json(data, indent=indent))
