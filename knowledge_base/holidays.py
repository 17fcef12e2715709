"""`holidays/<year>.yaml`: the official holiday schedule of a year the calendar library lacks; `holidays/fixed.yaml`:
the holidays the base regulation puts on fixed dates. Checked when the knowledge base loads, so the calendar never
meets a table it cannot use (a date outside the year, a day that is both a holiday and a working day, a day that
does not exist, a misspelt key)."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from typing import Optional, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .model import Problem
from .schema import Confidence, Text

_YEAR_FILE = re.compile(r"^(19|20|21)\d\d$")


class HolidayTable(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    holidays: list[dt.date] = Field(default_factory=list, description="days off that would otherwise be working days")
    workdays: list[dt.date] = Field(default_factory=list, description="make-up working days (调休上班) on a weekend")


class _Source(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Union[str, Text]
    ref: Optional[str] = None
    url: Optional[str] = None
    confidence: Confidence


class FixedHolidays(BaseModel):
    """holidays/fixed.yaml: month-day holidays of the base regulation, from the date it took effect."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    effective: Optional[dt.date] = None
    source: _Source
    days: list[str] = Field(description="MM-DD")

    @field_validator("days")
    @classmethod
    def _month_days(cls, days: list[str]) -> list[str]:
        for day in days:
            try:
                dt.date.fromisoformat(f"2000-{day}")  # a leap year: 02-29 exists
            except (TypeError, ValueError):
                raise ValueError(f"{day!r} is not a month and day (MM-DD)") from None
        return days


FIXED = "fixed"


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
        if not _YEAR_FILE.match(path.stem) and path.stem != FIXED:
            problems.append(Problem(rel, 1, "a holiday table is named after its year (e.g. holidays/2027.yaml), or fixed.yaml"))
            continue
        data, lines, found = read_yaml(path, rel)
        problems += found
        if data is None:
            continue
        if path.stem == FIXED:
            problems += validate(FixedHolidays, data, rel, lines)[1]
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
        if not isinstance(data, dict) or path.stem == FIXED:
            continue
        for index, day in enumerate(data.get("workdays") or []):
            if isinstance(day, dt.date) and day.weekday() < 5:
                out.append(Problem(rel, lines.get(("workdays", index), 1),
                                   f"workdays: {day.isoformat()} is a weekday, a working day anyway (make-up days fall on weekends)", "warning"))
    return out
