"""Reading knowledge-base files with limits, so a hostile or broken file is a `file:line` problem, never a hang,
a crash or a memory blow-up.

A file is checked before it is turned into Python objects: its size, how deeply it nests and how many nodes it
holds once aliases are expanded (a "billion laughs" file is a few hundred bytes that expand to 10⁹ nodes). The
check walks the parser's event stream, which is flat — neither the check nor the composing after it can recurse
deeper than MAX_DEPTH.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import yaml

from .model import Problem



def _checked(base: type) -> type:
    """A safe loader whose dates and integers fail as YAML errors with their line: PyYAML lets `2027-02-30`
    and a 5,000-digit number escape as plain ValueErrors."""

    def checked(constructor):
        def construct(loader, node):
            try:
                return constructor(loader, node)
            except (ValueError, OverflowError) as exc:
                raise yaml.constructor.ConstructorError(None, None, f"{node.value[:40]!r} cannot be read ({exc})", node.start_mark) from None
        return construct

    loader = type(f"Checked{base.__name__}", (base,), {})
    loader.add_constructor("tag:yaml.org,2002:timestamp", checked(yaml.constructor.SafeConstructor.construct_yaml_timestamp))
    loader.add_constructor("tag:yaml.org,2002:int", checked(yaml.constructor.SafeConstructor.construct_yaml_int))
    return loader


PURE_LOADER = _checked(yaml.SafeLoader)
# libyaml's parser is several times faster; both are safe loaders
SafeLoader: type = _checked(yaml.CSafeLoader) if hasattr(yaml, "CSafeLoader") else PURE_LOADER

MAX_FILE_BYTES = 512 * 1024  # the largest shipped file is 18 KB
MAX_DEPTH = 16  # shipped files nest at most 6 deep
MAX_NODES = 20_000  # after alias expansion; the largest shipped file has under 800


class _TooBig(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


def read_text(path: Path, rel: str, limit: int = MAX_FILE_BYTES) -> tuple[str | None, list[Problem]]:
    """A file's text, or a problem: missing, unreadable, too large, not UTF-8 (with the line of the first bad byte)."""
    try:
        size = path.stat().st_size
        if size > limit:
            return None, [Problem(rel, 1, f"file is too large ({size:,} bytes; at most {limit:,})")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(rel, 1, f"cannot read: {exc.strerror or exc}")]
    if len(raw) > limit:  # grew after stat, or a special file that reports no size
        return None, [Problem(rel, 1, f"file is too large (more than {limit:,} bytes)")]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(rel, line, f"not UTF-8 text ({exc.reason}); save the file as UTF-8")]


def _check_shape(text: str, loader: type) -> None:
    """Raise _TooBig when the document nests too deeply, expands to too many nodes or has a recursive alias."""
    depth = 0
    total = 0  # nodes so far, aliases counted at their expanded size
    open_nodes: list[tuple[str | None, int]] = []  # (anchor, total when the collection opened)
    sizes: dict[str, int] = {}  # finished anchors → expanded size
    for event in yaml.parse(text, Loader=loader):
        line = event.start_mark.line + 1
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _TooBig(line, f"nested more than {MAX_DEPTH} levels deep")
            open_nodes.append((event.anchor, total))
            total += 1
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
            anchor, start = open_nodes.pop()
            if anchor is not None:
                sizes[anchor] = total - start
        elif isinstance(event, yaml.ScalarEvent):
            total += 1
            if event.anchor is not None:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor not in sizes:
                if any(anchor == event.anchor for anchor, _ in open_nodes):
                    raise _TooBig(line, f"alias *{event.anchor} refers to a node that contains it")
                continue  # an undefined alias: the composer reports it with its line
            total += sizes[event.anchor]
        if total > MAX_NODES:
            raise _TooBig(line, f"more than {MAX_NODES:,} values once aliases are expanded")


def read_yaml(path: Path, rel: str, loader: type = SafeLoader) -> tuple[Any, dict[tuple, int], list[Problem]]:
    """Parse one file safely and within limits. Returns (data, line map, problems)."""
    text, problems = read_text(path, rel)
    if text is None:
        return None, {}, problems
    return parse_yaml(text, rel, loader)


def parse_yaml(text: str, rel: str, loader: type = SafeLoader) -> tuple[Any, dict[tuple, int], list[Problem]]:
    try:
        _check_shape(text, loader)
        reader = loader(text)
        try:
            node = reader.get_single_node()
            if node is None:
                return None, {}, [Problem(rel, 1, "file is empty")]
            data = reader.construct_document(node)
        finally:
            reader.dispose()
        return data, _line_map(node), list(_duplicate_keys(node, rel))
    except _TooBig as exc:
        return None, {}, [Problem(rel, exc.line, f"invalid YAML: {exc.message}")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(exc, "problem", None) or str(exc)
        return None, {}, [Problem(rel, line, f"invalid YAML: {reason}")]
    except (RecursionError, MemoryError):  # pragma: no cover - the limits above are meant to make this impossible
        return None, {}, [Problem(rel, 1, "invalid YAML: too large or too deeply nested to read")]


def portability_problem(path: Path, rel: str) -> Problem | None:
    """Where libyaml is missing PyYAML parses in pure Python, which is stricter in places (an unquoted `?` in a
    flow mapping): a file must give the same data with both."""
    text, problems = read_text(path, rel)
    if text is None or SafeLoader is PURE_LOADER:
        return None
    fast, _, fast_problems = parse_yaml(text, rel, SafeLoader)
    if fast_problems and fast is None:
        return None  # broken for both: reported elsewhere
    pure, _, pure_problems = parse_yaml(text, rel, PURE_LOADER)
    if pure is None and pure_problems:
        problem = pure_problems[0]
        return Problem(rel, problem.line, f"{problem.message.removeprefix('invalid YAML: ')} with PyYAML's pure-Python "
                       "parser (used where libyaml is missing); quote the text", "error")
    if pure != fast:
        return Problem(rel, 1, "reads differently with and without libyaml; quote texts that contain ':', '?', '#' or '{'", "error")
    return None


# ---------------------------------------------------------------- line numbers and duplicate keys


def _line_map(node: yaml.Node, path: tuple = (), out: dict | None = None) -> dict[tuple, int]:
    """Map every path in a YAML document to the 1-based line where its value starts."""
    out = {} if out is None else out
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            key_path = path + (key.value,)
            _line_map(value, key_path, out)
            out[key_path] = key.start_mark.line + 1  # point at the key, where an author looks
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _line_map(item, path + (index,), out)
    return out


def _duplicate_keys(node: yaml.Node, rel: str) -> Iterable[Problem]:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                yield Problem(rel, key.start_mark.line + 1, f"duplicate key {key.value!r}")
            seen.add(key.value)
            yield from _duplicate_keys(value, rel)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _duplicate_keys(item, rel)
