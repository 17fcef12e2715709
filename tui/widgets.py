"""Widgets of the chat screen. Attributes go down, messages come up: no widget reaches into a sibling."""
from __future__ import annotations

from typing import Iterable

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option

from assistant.render import answer_json, fact_values, in_script, labels, source_line, value_label, verdict_lines

from .texts import UI


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


def numbered(items: list[str], lang: str) -> str:
    """A numbered list whose numbers stay on their item's first line when it wraps. Textual breaks lines at any
    space, a no-break one too: English is joined with one and breaks at the next word anyway; Chinese, which has
    no spaces, gets none ("1、对照…"), else a long item would leave its number alone on a line."""
    return "\n".join(f"{n}、{item}" if lang == "zh" else f"{n}.\u00a0{item}" for n, item in enumerate(items, 1))


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
        text = in_script(labels(turn.lang), turn)  # traditional characters for a person who writes them
        lines = in_script(verdict_lines(kb, scenario, turn.verdict, turn.lang, self.today, self.calendar), turn)
        answer = in_script(answer_json(kb, turn.scenario, turn.lang, fact_values(turn.facts)), turn)
        yield Static(lines[0], classes="status", markup=False)  # a Static wraps where a Label would cut it
        # no space after the bullet: Rich would break there and leave the bullet alone on its line
        yield Static("\n".join(line.replace("  · ", "  ·") for line in lines[1:]), classes="details", markup=False)
        yield Label(text["steps"], classes="heading", markup=False)
        yield Static(numbered(answer["steps"], turn.lang), markup=False)
        evidence = turn.verdict.outcome.evidence or scenario.evidence
        yield Label(text["evidence"], classes="heading", markup=False)
        yield EvidenceChecklist(in_script([item.get(turn.lang) for item in evidence], turn), id="evidence")
        yield Label(text["escalation"], classes="heading", markup=False)
        yield Static(numbered(answer["escalation"], turn.lang), markup=False)
        yield Label(text["sources"], classes="heading", markup=False)
        yield Static(
            "\n".join(source_line(s["title"], text["confidence"][s["confidence"]], turn.lang) for s in answer["sources"]),
            markup=False, classes="sources",
        )

    @property
    def ticked(self) -> set[int]:
        return set(self.query_one("#evidence", EvidenceChecklist).selected)


class EvidenceChecklist(OptionList):
    """Evidence to gather, each item ticked when in hand: `[x]` or `[ ]` reads without colour, long items wrap
    under their text. Enter, Space or a click toggles an item. Mirrors SelectionList's `selected`/`select`/
    `deselect`/`toggle` and its SelectedChanged message."""

    BINDINGS = [Binding("space", "select", "Tick", show=False)]

    class SelectedChanged(Message):
        def __init__(self, checklist: "EvidenceChecklist") -> None:
            super().__init__()
            self.selection_list = checklist

        @property
        def control(self) -> "EvidenceChecklist":
            return self.selection_list

    def __init__(self, items: list[str], ticked: Iterable[int] = (), **kwargs) -> None:
        self.items = list(items)
        self._ticked = {n for n in ticked if 0 <= n < len(self.items)}
        super().__init__(*[Option(self._prompt(n), id=f"evidence-{n}") for n in range(len(self.items))], **kwargs)

    def _prompt(self, n: int) -> Table:
        row = Table.grid(padding=(0, 1))
        row.add_column(no_wrap=True)
        row.add_column(ratio=1)  # wrapped lines stay under the text, not under the box
        row.add_row(Text("[x]" if n in self._ticked else "[ ]"), Text(self.items[n]))  # Text: "[x]" is not markup
        return row

    @property
    def selected(self) -> list[int]:
        return sorted(self._ticked)

    def toggle(self, n: int) -> None:
        self._set(n, n not in self._ticked)

    def select(self, n: int) -> None:
        self._set(n, True)

    def deselect(self, n: int) -> None:
        self._set(n, False)

    def _set(self, n: int, ticked: bool) -> None:
        if ticked == (n in self._ticked):
            return
        (self._ticked.add if ticked else self._ticked.discard)(n)
        self.replace_option_prompt_at_index(n, self._prompt(n))
        self.post_message(self.SelectedChanged(self))

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.toggle(event.option_index)


class Transcript(VerticalScroll):
    """The conversation so far."""


class Suggestions(Vertical):
    """Buttons for what can be answered now: choices, candidates, "not sure", follow-ups. They flow onto as many
    rows as the width needs, so none is ever out of sight."""

    class Picked(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.options: list[tuple[str, str]] = []
        self._rows: list[list[tuple[str, str]]] = []

    def show(self, options: list[tuple[str, str]]) -> None:
        """options: (label, text to send)."""
        self.options = list(options)
        self._flow(self.content_size.width or self.app.size.width)
        self.display = bool(options)

    def on_resize(self) -> None:
        if self.options and self._rows != self._rows_for(self.content_size.width):
            self._flow(self.content_size.width)

    def _rows_for(self, width: int) -> list[list[tuple[str, str]]]:
        rows: list[list[tuple[str, str]]] = []
        used = 0
        for label, send in self.options:
            need = cell_len(label) + 5  # the button adds 4 cells around its label, then a gap of 1
            if rows and used + need <= width + 1:
                rows[-1].append((label, send))
                used += need
            else:
                rows.append([(label, send)])
                used = need
        return rows

    def _flow(self, width: int) -> None:
        self._rows = self._rows_for(width)
        self.remove_children()
        self.mount_all([
            Horizontal(*[Button(Content(label), name=send, classes="suggestion", compact=True) for label, send in row], classes="suggestion-row")
            for row in self._rows
        ])

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Picked(event.button.name or ""))


class FactsPanel(VerticalScroll):
    """The facts known so far; pick one to correct it (the verdict follows)."""

    class Edit(Message):
        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def show(self, kb, scenario_id, facts: dict, lang: str, script: str = "Hans") -> None:
        from assistant.render import shown_facts
        from assistant.replies import in_script

        self.remove_children()
        title = in_script(UI[lang]["facts"], script)
        widgets = [Label(title, classes="heading")]
        scenario = kb.scenarios.get(scenario_id) if scenario_id else None
        facts = shown_facts(scenario, facts)
        for name, fact in facts.items():
            definition = kb.fact(name, scenario)
            label = definition.label.get(lang) if definition else name
            value = value_label(definition, fact.value, lang)
            widgets.append(Button(Content(in_script(f"{label}: {value}", script)), name=name, classes="fact", compact=True))
        if not facts:
            widgets.append(Static("—", classes="empty"))
        self.mount_all(widgets)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Edit(event.button.name or ""))
