"""Widgets of the chat screen. Attributes go down, messages come up: no widget reaches into a sibling."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import HorizontalScroll, Vertical, VerticalScroll
from textual.message import Message
from textual.content import Content
from textual.widgets import Button, Label, SelectionList, Static

from assistant.render import answer_json, labels, value_label, verdict_lines


class Greeting(Static):
    """The first words on screen: plain text, so the first paint needs no Markdown parser."""

    def __init__(self, text: str) -> None:
        super().__init__(text, markup=False, classes="assistant greeting")


class UserBubble(Static):
    """What the person typed."""

    def __init__(self, text: str) -> None:
        super().__init__(text, markup=False, classes="user")


def assistant_bubble(text: str, kind: str):
    """A reply that is not a verdict (a question, a clarification, evidence, out of scope) as Markdown. The
    Markdown widget is imported here, not at start-up, so the first paint does not wait for its parser."""
    from textual.widgets import Markdown

    return Markdown(as_markdown(text), classes=f"assistant {kind}")


def as_markdown(text: str) -> str:
    """The engine speaks in lines ("1. …", "- …", plain sentences); keep each on its own line."""
    lines: list[str] = []
    in_list = False
    for line in text.splitlines():
        item = line[:2].rstrip(".").isdigit() or line.startswith(("- ", "· "))
        if in_list and not item:
            lines.append("")  # end the list, or the next sentence joins its last item
        lines.append(line if item else line.replace("*", "\\*").replace("_", "\\_") + "  ")
        in_list = item
    return "\n".join(lines)


class VerdictCard(Vertical):
    """Status (colour and an icon that reads without colour), deadline countdown, money, next step,
    evidence checklist, escalation ladder, sources."""

    def __init__(self, kb, turn, today, calendar) -> None:
        super().__init__(classes=f"verdict {turn.verdict.status}")
        self.kb, self.turn, self.today, self.calendar = kb, turn, today, calendar
        self.follow = True  # keep the card's first line in view while it is the newest reply

    def on_resize(self) -> None:
        # sized means laid out: now the transcript can show the verdict from its first line, not its sources
        if self.follow and self.parent is not None:
            self.parent.scroll_to_widget(self, top=True, animate=False)

    def compose(self) -> ComposeResult:
        kb, turn = self.kb, self.turn
        scenario = kb.scenarios[turn.scenario]
        text = labels(turn.lang)
        lines = verdict_lines(kb, scenario, turn.verdict, turn.lang, self.today, self.calendar)
        yield Label(lines[0], classes="status", markup=False)
        # no space after the bullet: Rich would break there and leave the bullet alone on its line
        yield Static("\n".join(line.replace("  · ", "  ·") for line in lines[1:]), classes="details", markup=False)
        evidence = turn.verdict.outcome.evidence or scenario.evidence
        yield Label(text["evidence"], classes="heading", markup=False)
        yield SelectionList[int](*[(item.get(turn.lang), n) for n, item in enumerate(evidence)], id="evidence")
        answer = answer_json(kb, turn.scenario, turn.lang)
        yield Label(text["escalation"], classes="heading", markup=False)
        yield Static("\n".join(f"{n}. {step}" for n, step in enumerate(answer["escalation"], 1)), markup=False)
        yield Label(text["sources"], classes="heading", markup=False)
        yield Static(
            "\n".join(f"• {s['title']} [{text['confidence'][s['confidence']]}]" for s in answer["sources"]),
            markup=False, classes="sources",
        )

    @property
    def ticked(self) -> set[int]:
        return set(self.query_one("#evidence", SelectionList).selected)


class Transcript(VerticalScroll):
    """The conversation so far."""


class Suggestions(HorizontalScroll):
    """Buttons for what can be answered now: choices, candidates, "not sure", follow-ups."""

    class Picked(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def show(self, options: list[tuple[str, str]]) -> None:
        """options: (label, text to send)."""
        self.remove_children()
        self.mount_all([Button(Content(label), name=send, classes="suggestion", compact=True) for label, send in options])
        self.display = bool(options)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Picked(event.button.name or ""))


class FactsPanel(VerticalScroll):
    """The facts known so far; pick one to correct it (the verdict follows)."""

    class Edit(Message):
        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def show(self, kb, scenario_id, facts: dict, lang: str) -> None:
        self.remove_children()
        title = "已知信息" if lang == "zh" else "Known facts"
        widgets = [Label(title, classes="heading")]
        scenario = kb.scenarios.get(scenario_id) if scenario_id else None
        for name, fact in facts.items():
            definition = kb.fact(name, scenario)
            label = definition.label.get(lang) if definition else name
            value = value_label(definition, fact.value, lang)
            widgets.append(Button(Content(f"{label}: {value}"), name=name, classes="fact", compact=True))
        if not facts:
            widgets.append(Static("—", classes="empty"))
        self.mount_all(widgets)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Edit(event.button.name or ""))
