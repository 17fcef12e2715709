"""`extract:` patterns are regular expressions searched in whatever a person types. A pattern with a quantifier
inside a quantifier (`(a+)+`, `(\\w+\\s?)*`) can take exponential time on a crafted question (ReDoS), so such
patterns are refused when the knowledge base is loaded, before any question meets them."""
from __future__ import annotations

import re

try:
    from re import _constants as _sre, _parser as _sre_parse  # Python 3.11+
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

MAX_PATTERN_LENGTH = 300
_REPEATS = {_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", _sre.MAX_REPEAT)}
_LARGE = 20  # a repeat allowing more than this many rounds counts as unbounded
# '\\b' in a single-quoted YAML string is two backslashes: the pattern then needs a backslash in the question and
# silently never matches. Nobody types backslashes in a question, so such a pattern is always a slip.
_DOUBLED_ESCAPE = re.compile(r"(?<!\\)\\\\[bBdDsSwW]")


def pattern_problem(pattern: str) -> str | None:
    """Why the pattern may not be used, or None. Assumes it compiles (the schema checks that)."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        return f"pattern is longer than {MAX_PATTERN_LENGTH} characters"
    try:
        parsed = _sre_parse.parse(pattern)
    except (re.error, RecursionError):
        return f"pattern {pattern!r} cannot be read"
    if _DOUBLED_ESCAPE.search(pattern):
        return (f"pattern {pattern!r} looks for a backslash followed by a letter (a doubled escape): in single "
                f"quotes write \\b, \\d …, in double quotes \\\\b")
    if _nested_repeat(list(parsed), inside_repeat=False):
        return f"pattern {pattern!r} has a quantifier inside a quantifier, which can take exponential time; rewrite it without nesting"
    return None


def _nested_repeat(items, *, inside_repeat: bool) -> bool:
    for op, arg in items:
        if op in _REPEATS:
            low, high, body = arg
            large = high == _sre.MAXREPEAT or high > _LARGE
            if large and inside_repeat:
                return True
            if _nested_repeat(list(body), inside_repeat=inside_repeat or large):
                return True
        elif op == _sre.SUBPATTERN:
            if _nested_repeat(list(arg[-1]), inside_repeat=inside_repeat):
                return True
        elif op == _sre.BRANCH:
            if any(_nested_repeat(list(branch), inside_repeat=inside_repeat) for branch in arg[1]):
                return True
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            if _nested_repeat(list(arg[1]), inside_repeat=inside_repeat):
                return True
        elif op == getattr(_sre, "ATOMIC_GROUP", None):
            if _nested_repeat(list(arg), inside_repeat=inside_repeat):
                return True
    return False
