"""Calendar days and Chinese working days.

Working days follow the State Council's yearly holiday schedule, make-up working days (调休上班) included:
`chinesecalendar` has it up to its last release; a year it lacks may be supplied as data/holidays/<year>.yaml
(`holidays:` and `workdays:` lists of dates). A year with neither is counted Monday–Friday except the
holidays the base regulation puts on fixed dates (data/holidays/fixed.yaml: 1 January, 1–2 May, 1–3 October),
and every result that depends on it is marked estimated.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

DAY = dt.timedelta(days=1)


@dataclass
class WorkCalendar:
    tables_dir: Path | None = None
    _tables: dict[int, tuple[set[dt.date], set[dt.date]] | None] = field(default_factory=dict, repr=False)
    _fixed: tuple[dt.date | None, frozenset[str]] | None = field(default=None, repr=False)

    def _table(self, year: int):
        if year not in self._tables:
            self._tables[year] = self._read_table(year)
        return self._tables[year]

    def _read_table(self, year: int):
        if self.tables_dir is None:
            return None
        path = self.tables_dir / f"{year}.yaml"
        if not path.is_file():
            return None
        import yaml

        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        holidays = {dt.date.fromisoformat(str(d)) for d in data.get("holidays", [])}
        workdays = {dt.date.fromisoformat(str(d)) for d in data.get("workdays", [])}
        return holidays, workdays

    def _fixed_holiday(self, day: dt.date) -> bool:
        """A holiday on a fixed date by the base regulation (from the year it took effect), for years whose
        yearly notice is not known: the notice can move days around them but never make them working days."""
        if self._fixed is None:
            self._fixed = (None, frozenset())
            path = self.tables_dir / "fixed.yaml" if self.tables_dir is not None else None
            if path is not None and path.is_file():
                import yaml

                data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
                effective = data.get("effective")
                self._fixed = (dt.date.fromisoformat(str(effective)) if effective else None, frozenset(data.get("days", [])))
        effective, days = self._fixed
        return (effective is None or day >= effective) and day.strftime("%m-%d") in days

    def is_workday(self, day: dt.date) -> bool:
        table = self._table(day.year)
        if table is not None:
            holidays, workdays = table
            if day in workdays:
                return True
            if day in holidays:
                return False
            return day.weekday() < 5
        import chinese_calendar

        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:  # a year the library does not know yet: weekends and fixed-date holidays
            return day.weekday() < 5 and not self._fixed_holiday(day)

    def has_schedule(self, year: int) -> bool:
        """Whether the official holiday schedule of that year is known (library or shipped table)."""
        if self._table(year) is not None:
            return True
        import chinese_calendar

        try:
            chinese_calendar.is_workday(dt.date(year, 6, 1))
            return True
        except NotImplementedError:
            return False

    def estimated(self, start: dt.date, end: dt.date) -> bool:
        """Whether counting rest days between start and end had to guess a year's schedule."""
        lo, hi = min(start, end), max(start, end)
        return not all(self.has_schedule(year) for year in range(lo.year, hi.year + 1))

    # --------------------------------------------------------------- periods

    def add_working_days(self, event: dt.date, n: int) -> dt.date:
        """The n-th working day after the event day (the event day itself is not counted)."""
        day, counted = event, 0
        while counted < n:
            day += DAY
            if self.is_workday(day):
                counted += 1
        return day

    def statutory_end(self, event: dt.date, days: int, *, extend: bool = True) -> dt.date:
        """Last day of a period of `days` calendar days: counting starts the day after the event; a last day
        that is a rest day (weekend or public holiday, not a make-up working day) moves to the next working
        day (Civil Code arts. 201, 203)."""
        end = event + dt.timedelta(days=days)
        if extend:
            while not self.is_workday(end):
                end += DAY
        return end

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after start up to and including end (negative when end is before start)."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += DAY
            count += self.is_workday(day)
        return count
