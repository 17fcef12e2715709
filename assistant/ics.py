"""Open cases' deadlines as an iCalendar file (RFC 5545, written with the `icalendar` library), so they land
in the person's own calendar: one all-day event per deadline, with reminders a week, two days and the
morning before. Event UIDs are stable (case, stage, deadline), so importing again updates rather than doubles."""
from __future__ import annotations

import datetime as dt
import hashlib

from .casefile import stage_deadlines
from .eligibility import Evaluator

REMINDERS = (dt.timedelta(days=-7), dt.timedelta(days=-2), dt.timedelta(hours=-15))  # the last: 09:00 the day before


def calendar_bytes(kb, cases, today: dt.date) -> tuple[str, int]:
    """(the .ics text, how many deadlines it holds) for the open cases' deadlines from today on."""
    from icalendar import Alarm, Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//weiquan//case deadlines//ZH-EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "weiquan 维权")
    evaluator = Evaluator(kb)
    stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    count = 0
    for case in cases:
        if case.status != "open":
            continue
        for found in stage_deadlines(kb, case, today, evaluator):
            item = found.item
            if item.date < today:
                continue
            lang = case.lang
            label = item.label.get(lang)
            stage = kb.scenarios[found.scenario].title.get(lang)
            event = Event()
            key = f"{case.id}|{found.scenario}|{found.kind}|{item.label.get('en')}"
            event.add("uid", hashlib.sha256(key.encode()).hexdigest()[:32] + "@weiquan")
            event.add("dtstamp", stamp)
            event.add("dtstart", item.date)
            event.add("dtend", item.date + dt.timedelta(days=1))
            opens = found.kind == "opens"
            verb = ("起" if opens else "截止") if lang == "zh" else ("opens" if opens else "last day")
            event.add("summary", f"{label} {verb} · {case.title}")
            counted = {"working": "工作日" if lang == "zh" else "working days", "calendar": "自然日" if lang == "zh" else "calendar days"}[item.count]
            notes = [f"{case.title} ({case.id})", f"{stage} — {label}", counted]
            if item.estimated:
                notes.append("估算：跨越尚未公布的节假日安排" if lang == "zh" else "estimated: crosses a year whose holidays are not published yet")
            notes.append(f"weiquan case show {case.id}")
            event.add("description", "\n".join(notes))
            event.add("categories", ["weiquan"])
            if not opens:
                for before in REMINDERS:
                    alarm = Alarm()
                    alarm.add("action", "DISPLAY")
                    alarm.add("description", event["summary"])
                    alarm.add("trigger", before)
                    event.add_component(alarm)
            calendar.add_component(event)
            count += 1
    return calendar.to_ical().decode("utf-8"), count
