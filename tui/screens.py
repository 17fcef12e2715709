"""Screens beside the chat: scenario browser, help, correcting a fact, saving the answer, the cases."""
from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Label, Markdown, OptionList, Static
from textual.widgets.option_list import Option

class HelpScreen(ModalScreen[None]):
    """Keys and example questions in the current language; scrolls with ↑↓ and PageUp/PageDown."""

    BINDINGS = [Binding("escape,f1", "dismiss", "关闭 Close")]

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        from .texts import help_markdown

        with VerticalScroll(id="help"):
            yield Markdown(help_markdown(self.lang))
        yield Footer(show_command_palette=False)  # Ctrl+P is among the keys already

    def on_mount(self) -> None:
        self.query_one("#help", VerticalScroll).focus()


class BrowserScreen(Screen[str | None]):
    """All scenarios, filterable; Enter starts that scenario's interview."""

    BINDINGS = [Binding("escape", "dismiss_none", "返回 Back")]

    def __init__(self, kb, lang: str) -> None:
        super().__init__()
        self.kb, self.lang = kb, lang

    def compose(self) -> ComposeResult:
        placeholder = "筛选情形（中文或英文）" if self.lang == "zh" else "Filter scenarios (Chinese or English)"
        yield Input(placeholder=placeholder, id="filter")
        yield OptionList(id="scenarios")
        yield Footer(show_command_palette=False)  # Ctrl+P is among the keys already

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#filter", Input).focus()

    def _fill(self, needle: str) -> None:
        needle = needle.strip().lower()
        options = self.query_one("#scenarios", OptionList)
        options.clear_options()
        ranked = []
        for sid, scenario in self.kb.scenarios.items():
            title = " ".join([sid, scenario.title.zh, scenario.title.en]).lower()
            summary = " ".join([scenario.summary.zh, scenario.summary.en]).lower()
            if needle in title or needle in summary:
                ranked.append((needle not in title, sid, scenario))  # title matches first
        for _, sid, scenario in sorted(ranked, key=lambda r: r[0]):
            options.add_option(Option(f"{scenario.title.get(self.lang)}  ({sid})", id=sid))
        if options.option_count:
            options.highlighted = 0

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#filter")
    def _open_highlighted(self) -> None:
        options = self.query_one("#scenarios", OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#scenarios")
    def _open(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class AskTextScreen(ModalScreen[str | None]):
    """One line of input: correcting a fact, or where to save. Escape cancels, nothing changes."""

    BINDINGS = [Binding("escape", "cancel", "取消 Cancel")]

    def __init__(self, prompt: str, value: str = "") -> None:
        super().__init__()
        self.prompt, self.value = prompt, value

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-text"):
            yield Label(self.prompt, markup=False)
            yield Input(value=self.value, id="ask-input")

    def on_mount(self) -> None:
        self.query_one("#ask-input", Input).focus()

    @on(Input.Submitted, "#ask-input")
    def _done(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class CorrectFactScreen(ModalScreen[str | None]):
    """Correct one fact with its own kind of input: its choices (or yes/no) as a list to pick from, a date or a
    number typed. Returns the value to set, or None when Escape cancels (nothing changes)."""

    BINDINGS = [Binding("escape", "cancel", "取消 Cancel")]

    def __init__(self, title: str, hint: str, *, choices: list[tuple[str, str]] | None = None, value: str = "") -> None:
        super().__init__()
        self.title_text, self.hint, self.choices, self.value = title, hint, choices, value

    def compose(self) -> ComposeResult:
        with Vertical(id="correct"):
            yield Label(self.title_text, markup=False, classes="title")
            if self.choices:
                yield OptionList(*[Option(label) for label, _ in self.choices], id="correct-choices")
            else:
                yield Input(value=self.value, id="correct-input")
            yield Static(self.hint, markup=False, classes="hint")

    def on_mount(self) -> None:
        if self.choices:
            options = self.query_one("#correct-choices", OptionList)
            values = [value for _, value in self.choices]
            options.highlighted = values.index(self.value) if self.value in values else 0
            options.focus()
        else:
            self.query_one("#correct-input", Input).focus()

    @on(OptionList.OptionSelected, "#correct-choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index][1])

    @on(Input.Submitted, "#correct-input")
    def _typed(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


def default_answer_path(lang: str) -> Path:
    import datetime as dt

    from knowledge_base.locations import user_home

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return user_home() / "answers" / f"weiquan-{stamp}.md"


class CasesScreen(Screen[str | None]):
    """The cases kept, soonest deadline first, with how many days are left; Enter continues one."""

    BINDINGS = [Binding("escape", "dismiss_none", "返回 Back")]

    def __init__(self, kb, today, lang: str) -> None:
        from assistant.cases import CaseStore
        from assistant.casefile import evaluate_case

        super().__init__()
        self.lang = lang
        rows = []
        for case in CaseStore().list():  # raises StoreError for a file that is not ours: the app says so
            verdict = evaluate_case(kb, case, today).verdict if case.scenario in kb.scenarios else None
            deadline = verdict.deadline if verdict else None
            rows.append((case, verdict, deadline))
        far = today.replace(year=today.year + 100)
        rows.sort(key=lambda r: (r[0].status != "open", r[2].date if r[2] else far))
        self.rows, self.today = rows, today

    def compose(self) -> ComposeResult:
        title = "案件（Enter 继续，Esc 返回）" if self.lang == "zh" else "Cases (Enter continues one, Esc goes back)"
        yield Label(title, id="cases-title")
        from rich.text import Text

        # a title is the user's text: shown as plain text, never read as markup
        yield OptionList(*[Option(Text(self._line(*row)), id=row[0].id) for row in self.rows], id="cases")
        yield Footer(show_command_palette=False)  # Ctrl+P is among the keys already

    def _line(self, case, verdict, deadline) -> str:
        zh = self.lang == "zh"
        if deadline is not None:
            days = (deadline.date - self.today).days
            when = (f"还剩 {days} 天" if zh else f"{days} days left") if days >= 0 else (f"已过 {-days} 天" if zh else f"{-days} days ago")
            countdown = f"{deadline.date.isoformat()} · {when}"
        else:
            countdown = "—"
        status = verdict.status if verdict else "…"
        from assistant.safe_text import one_line

        return f"{one_line(case.title)}  [{case.status} · {status}]  {countdown}  ({case.id})"

    def on_mount(self) -> None:
        self.query_one("#cases", OptionList).focus()

    @on(OptionList.OptionSelected, "#cases")
    def _open(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
