"""A read-only, attribute-style view of validated knowledge-base data.

The loader validates with pydantic; the running engine reads the same data through these views, so a cached
engine starts without importing pydantic (≈90 ms). `scenario.title.get("en")` and `scenario.examples.zh` read
the same on a view as on the model it came from.
"""
from __future__ import annotations

from typing import Any


class View(dict):
    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("knowledge-base views are read-only")


def view(data: Any) -> Any:
    """Turn nested dicts (a model's dump) into Views, recursively."""
    if isinstance(data, dict):
        return View({key: view(value) for key, value in data.items()})
    if isinstance(data, list):
        return [view(item) for item in data]
    return data
