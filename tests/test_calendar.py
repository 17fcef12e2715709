import datetime as dt

from assistant.calendar import WorkCalendar
from conftest import SHIPPED_KB

D = dt.date
HOLIDAYS = SHIPPED_KB / "holidays"


def test_statutory_period_starts_the_next_day_and_skips_rest_days_at_the_end():
    cal = WorkCalendar()
    assert cal.statutory_end(D(2026, 11, 12), 7) == D(2026, 11, 19)  # Thursday, a working day
    assert cal.statutory_end(D(2026, 11, 14), 7) == D(2026, 11, 23)  # Saturday → Monday
    assert cal.statutory_end(D(2026, 9, 28), 7) == D(2026, 10, 8)  # National Day → after the holiday
    assert cal.statutory_end(D(2026, 10, 3), 7) == D(2026, 10, 10)  # make-up working Saturday stays
    assert cal.statutory_end(D(2026, 11, 14), 7, extend=False) == D(2026, 11, 21)


def test_working_days_follow_the_official_schedule():
    cal = WorkCalendar()
    assert cal.is_workday(D(2026, 10, 10)) and cal.is_workday(D(2026, 2, 14)) and cal.is_workday(D(2026, 9, 20))
    assert not cal.is_workday(D(2026, 10, 5)) and not cal.is_workday(D(2026, 2, 16))
    assert cal.add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert cal.add_working_days(D(2026, 2, 12), 3) == D(2026, 2, 24)
    assert cal.working_days_between(D(2026, 11, 20), D(2026, 11, 25)) == 3


def test_a_year_without_a_schedule_is_counted_by_weekends_and_marked():
    cal = WorkCalendar()  # no holiday tables at all: weekends only
    assert cal.add_working_days(D(2026, 12, 30), 3) == D(2027, 1, 4)
    assert cal.estimated(D(2026, 12, 30), D(2027, 1, 4))
    assert not cal.estimated(D(2026, 1, 1), D(2026, 12, 31))


def test_a_year_without_a_schedule_still_rests_on_the_fixed_date_holidays():
    # New Year's Day, 1-2 May and 1-3 October are set by the base holiday regulation whatever the yearly
    # notice says; the result stays estimated because make-up working days and the lunar holidays are unknown
    cal = WorkCalendar(HOLIDAYS)
    for day in (D(2027, 1, 1), D(2027, 5, 1), D(2027, 5, 2), D(2027, 10, 1), D(2027, 10, 2), D(2027, 10, 3), D(2028, 5, 2)):
        assert not cal.is_workday(day), day
    assert cal.is_workday(D(2027, 5, 3)) and cal.is_workday(D(2027, 10, 4)) and cal.is_workday(D(2027, 1, 4))
    assert cal.add_working_days(D(2026, 12, 30), 3) == D(2027, 1, 5)  # 31 Dec, (1 Jan off), 4 Jan, 5 Jan
    assert cal.estimated(D(2026, 12, 30), D(2027, 1, 5))
    assert cal.statutory_end(D(2027, 9, 24), 7) == D(2027, 10, 4)  # day 7 on 1 October moves past the 3 days off
    assert cal.statutory_end(D(2027, 4, 24), 7) == D(2027, 5, 3)  # day 7 on 1 May (a Saturday) → Monday 3 May


def test_a_shipped_holiday_table_is_used_when_present(tmp_path):
    (tmp_path / "2027.yaml").write_text("holidays: [2027-01-01]\nworkdays: [2027-01-09]\n", encoding="utf-8")
    cal = WorkCalendar(tmp_path)
    assert not cal.is_workday(D(2027, 1, 1)) and cal.is_workday(D(2027, 1, 9))
    assert cal.add_working_days(D(2026, 12, 30), 3) == D(2027, 1, 5)
    assert not cal.estimated(D(2026, 12, 30), D(2027, 1, 5))
