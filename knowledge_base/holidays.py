"""`holidays/<year>.yaml`: the official holiday schedule of a year the calendar library lacks. Checked when the
knowledge base loads, so the calendar never meets a table it cannot use (a date outside the year, a day that is
both a holiday and a working day, a misspelt key)."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from .model import Problem

_YEAR_FILE = re.compile(r"^(19|20|21)\d\d$")


class HolidayTable(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    holidays: list[dt.date] = Field(default_factory=list, description="days off that would otherwise be working days")
    workdays: list[dt.date] = Field(default_factory=list, description="make-up working days (调休上班) on a weekend")


def holiday_files(root: Path) -> list[Path]:
    folder = root / "holidays"
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def check_holidays(root: Path) -> list[Problem]:
    """Every problem in the holiday tables, as file:line: message."""
    from .loader import validate
    from .safe_yaml import read_yaml

    problems: list[Problem] = []
    for path in holiday_files(root):
        rel = f"holidays/{path.name}"
        if not _YEAR_FILE.match(path.stem):
            problems.append(Problem(rel, 1, "a holiday table is named after its year (e.g. holidays/2027.yaml)"))
            continue
        data, lines, found = read_yaml(path, rel)
        problems += found
        if data is None:
            continue
        table, found = validate(HolidayTable, data, rel, lines)
        problems += found
        if table is None:
            continue
        year = int(path.stem)
        for key in ("holidays", "workdays"):
            for index, day in enumerate(getattr(table, key)):
                if day.year != year:
                    problems.append(Problem(rel, lines.get((key, index), 1), f"{key}: {day.isoformat()} is not in {year}"))
        for index, day in enumerate(table.workdays):
            if day in table.holidays:
                problems.append(Problem(rel, lines.get(("workdays", index), 1), f"{day.isoformat()} is both a holiday and a working day"))
    return problems


def holiday_warnings(root: Path) -> list[Problem]:
    """Entries that change nothing: a make-up working day that is a weekday anyway."""
    from .safe_yaml import read_yaml

    out = []
    for path in holiday_files(root):
        rel = f"holidays/{path.name}"
        data, lines, _ = read_yaml(path, rel)
        if not isinstance(data, dict):
            continue
        for index, day in enumerate(data.get("workdays") or []):
            if isinstance(day, dt.date) and day.weekday() < 5:
                out.append(Problem(rel, lines.get(("workdays", index), 1),
                                   f"workdays: {day.isoformat()} is a weekday, a working day anyway (make-up days fall on weekends)", "warning"))
    return out
