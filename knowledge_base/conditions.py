"""Rule conditions: a tiny, safe expression language over named facts.

    platform == 'tmall' and days_since(received_date) <= seven_day_days
    item_excluded or resale_affected
    order_status in ['paid', 'shipped'] and not is_food
    hours_between(paid_date, shipped_date) > taobao_ship_hours
    unsure(shipped_date)

The text is parsed with Python's `ast` (parsing only, never compiled or run) and every node is checked
against a short whitelist, so a condition can compare, combine and call the few date helpers below — and
nothing else. Evaluation uses three-valued logic: a fact that is not known yet makes a comparison UNKNOWN,
`and`/`or` still decide when the known side suffices, and the unknown facts are reported so the
conversation knows what to ask next. `unsure(x)` is true once the person answered "not sure" to x (so a
rule can still answer), false when x is known, and unknown — x gets asked — until then.
"""
from __future__ import annotations

import ast
import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable, Mapping

# function → how many fact names it takes
FUNCTIONS = {"days_since": 1, "working_days_since": 1, "hours_since": 1, "known": 1, "unsure": 1, "hours_between": 2}
_COMPARE = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
_CONSTANTS = {"true": True, "false": False, "none": None, "True": True, "False": False, "None": None}


MAX_LENGTH = 1_000  # characters; the longest shipped condition has under 150
MAX_DEPTH = 32  # nested operations; keeps parsing and evaluation far from Python's recursion limit


class ConditionError(ValueError):
    """A condition that is not in the language; the message says why."""


@dataclass(frozen=True)
class Unknown:
    """The value of an expression that depends on facts not known yet."""

    facts: frozenset[str]


def _merge(*values: Any) -> Unknown:
    facts: frozenset[str] = frozenset()
    for value in values:
        if isinstance(value, Unknown):
            facts |= value.facts
    return Unknown(facts)


@dataclass(frozen=True)
class Condition:
    text: str
    tree: ast.expr
    names: frozenset[str]  # every fact or parameter name it reads

    def evaluate(self, env: "Environment") -> Any:
        return _eval(self.tree, env)


def reads_dates(condition: Condition) -> bool:
    """The condition calls a date helper (days_since …), which needs today and the calendar."""
    return any(isinstance(node, ast.Call) and node.func.id not in ("known", "unsure") for node in ast.walk(condition.tree))


def compared_values(condition: Condition) -> list[tuple[str, Any]]:
    """(fact, value) for each fact compared with a literal: `platform == 'tmall'`, `platform in ['taobao', 'tmall']`."""
    pairs = []
    for node in ast.walk(condition.tree):
        if not isinstance(node, ast.Compare):
            continue
        parts = [node.left, *node.comparators]
        names = [p.id for p in parts if isinstance(p, ast.Name) and p.id not in _CONSTANTS]
        for part in parts:
            literals = part.elts if isinstance(part, (ast.List, ast.Tuple)) else [part]
            pairs += [(name, lit.value) for name in names for lit in literals if isinstance(lit, ast.Constant) and isinstance(lit.value, str)]
    return pairs


def may_hold(condition: Condition, facts: Mapping[str, Any]) -> bool:
    """False only when the known facts rule the condition out (what is shown on a condition stays while undecided);
    for conditions that read facts, not dates."""
    return condition.evaluate(Environment(facts, {}, dt.date.min, lambda start, end: 0)) is not False


def parse(text: str) -> Condition:
    if len(text) > MAX_LENGTH:
        raise ConditionError(f"condition is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as exc:
        raise ConditionError(f"cannot read condition {text[:60]!r}: {exc.msg}") from None
    except (RecursionError, MemoryError):
        raise ConditionError(f"condition is nested too deeply (at most {MAX_DEPTH} levels)") from None
    names: set[str] = set()
    _check(tree, names)
    return Condition(text, tree, frozenset(names))


def _check(node: ast.AST, names: set[str], depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise ConditionError(f"condition is nested too deeply (at most {MAX_DEPTH} levels)")
    depth += 1
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            _check(value, names, depth)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        _check(node.operand, names, depth)
    elif isinstance(node, ast.Compare):
        if any(type(op) not in _COMPARE for op in node.ops):
            raise ConditionError("only ==, !=, <, <=, >, >=, in and not in may compare")
        for part in [node.left, *node.comparators]:
            _check(part, names, depth)
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise ConditionError(f"unknown function (allowed: {', '.join(FUNCTIONS)})")
        arity = FUNCTIONS[node.func.id]
        if len(node.args) != arity or node.keywords or not all(isinstance(a, ast.Name) for a in node.args):
            raise ConditionError(f"{node.func.id}() takes {'one fact name' if arity == 1 else f'{arity} fact names'}")
        names.update(a.id for a in node.args)
    elif isinstance(node, ast.Name):
        if node.id not in _CONSTANTS:
            names.add(node.id)
    elif isinstance(node, ast.Constant) and isinstance(node.value, (str, int, float, bool, type(None))):
        pass
    elif isinstance(node, (ast.List, ast.Tuple)):
        for element in node.elts:
            _check(element, names, depth)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and _is_number(node.operand):
        pass  # a negative number
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        raise ConditionError("minus (-) may only stand before a number")
    else:
        raise ConditionError(f"{type(node).__name__} is not allowed in a condition")


def _is_number(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool)


@dataclass
class Environment:
    facts: Mapping[str, Any]  # known facts; a name absent here is unknown
    parameters: Mapping[str, Any]
    today: dt.date
    working_days_between: Callable[[dt.date, dt.date], int]
    unsure: frozenset[str] = frozenset()  # facts the person answered "not sure" to


def _eval(node: ast.AST, env: Environment) -> Any:
    if isinstance(node, ast.BoolOp):
        values = [_eval(v, env) for v in node.values]
        decisive = isinstance(node.op, ast.Or)  # `or` is decided by a true value, `and` by a false one
        if any(v is not None and not isinstance(v, Unknown) and bool(v) == decisive for v in values):
            return decisive
        unknown = [v for v in values if isinstance(v, Unknown)]
        return _merge(*unknown) if unknown else not decisive
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        value = _eval(node.operand, env)
        return value if isinstance(value, Unknown) else not value
    if isinstance(node, ast.UnaryOp):  # unary minus on a number
        return -node.operand.value
    if isinstance(node, ast.Compare):
        left = _eval(node.left, env)
        result: Any = True
        for op, right_node in zip(node.ops, node.comparators):
            right = _eval(right_node, env)
            if isinstance(left, Unknown) or isinstance(right, Unknown):
                result = _merge(left, right, result)
            elif result is True or isinstance(result, Unknown):
                try:
                    ok = _COMPARE[type(op)](left, right)
                except TypeError:
                    ok = False  # comparing values of different kinds is simply false
                if not ok and not isinstance(result, Unknown):
                    return False
            left = right
        return result
    if isinstance(node, ast.Call):
        name = node.args[0].id
        if node.func.id == "known":
            return name in env.facts
        if node.func.id == "unsure":
            return True if name in env.unsure else False if name in env.facts else Unknown(frozenset([name]))
        if node.func.id == "hours_between":  # from the first date to the second, in whole days
            missing = [a.id for a in node.args if a.id not in env.facts]
            if missing:
                return Unknown(frozenset(missing))
            return (env.facts[node.args[1].id] - env.facts[name]).days * 24
        value = env.facts.get(name)
        if name not in env.facts:
            return Unknown(frozenset([name]))
        if node.func.id == "days_since":
            return (env.today - value).days
        if node.func.id == "hours_since":  # dates carry no time: whole days, so a window ends on its last date
            return (env.today - value).days * 24
        return env.working_days_between(value, env.today)
    if isinstance(node, ast.Name):
        if node.id in _CONSTANTS:
            return _CONSTANTS[node.id]
        if node.id in env.facts:
            return env.facts[node.id]
        if node.id in env.parameters:
            return env.parameters[node.id]
        return Unknown(frozenset([node.id]))
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_eval(e, env) for e in node.elts]
    raise ConditionError(f"{type(node).__name__} is not allowed")  # pragma: no cover - _check forbids it
